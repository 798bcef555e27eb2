/** The L402 protocol without n8n: challenge headers, macaroons, caveats, verification, durable memory. */
export * from './challenge';
export * from './caveats';
export * from './token';
export * from './verify';
export * from './store';
