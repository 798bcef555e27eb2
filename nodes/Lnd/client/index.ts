/**
 * Typed LND REST client: ky (through the shared HttpClient) + zod, no n8n
 * imports. TLS is pinned to the credential's certificate when one is given,
 * the macaroon travels as hex in `Grpc-Metadata-macaroon` and is redacted from
 * every error.
 *
 * Split by API area, each file adding its calls to the one before:
 * connection.ts (address, macaroon, TLS, paging) < node.ts < invoices.ts <
 * payments.ts; LndClient is the last of them, so every call is on one object.
 */
import { LndPaymentsApi } from './payments';

export * from './schemas';
export { normalizeMacaroon } from './macaroon';
export { parseCertificate, createPinnedFetch } from './tls';
export { collectPages, normalizePaymentHash, type ListOptions, type LndClientOptions, type Page } from './connection';
export { trackSegment, type PayOptions, type PayResult } from './payments';

/** The LND REST API of one node: info and balances, invoices, payments. */
export class LndClient extends LndPaymentsApi {}
