/**
 * Typed Cashu client: offline token reading (token.ts), one mint's API
 * (mint.ts, on @cashu/cashu-ts through the shared HttpClient) and the error
 * categories (errors.ts). No n8n imports.
 */
export { CashuMintClient, summarizeInfo, summarizeStates, tokenSecrets } from './mint';
export type { CashuClientOptions, KeysetSummary, MeltQuote, MeltResult, MintInfoSummary, MintQuote, ProofStateValue, TokenStateSummary, Proof } from './mint';
export { assertTrusted, cleanToken, decodeToken, normalizeMintUrl, trustedMints, type TokenInfo } from './token';
export { cashuErrorMapper, errorCategory, withoutSecrets, SERVICE, type CashuErrorCategory } from './errors';
