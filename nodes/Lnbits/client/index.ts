/**
 * Typed LNbits (1.x) API client: ky + zod through the shared HttpClient, no n8n
 * imports. One HttpClient per wallet key so every error names the credential
 * field that was used (never the key itself).
 *
 * The client is split by API area, each file adding its calls to the one
 * before: connection.ts (keys, HTTP) < wallet.ts < fiat.ts < payments.ts <
 * lnurl.ts; LnbitsClient is the last of them, so every call is on one object.
 */
import { LnbitsLnurlApi } from './lnurl';

export { toLnbitsPayment, parseLnbitsTime, rawPaymentSchema } from './paymentRecord';
export type { LnbitsPayment, LnbitsPaymentStatusValue, RawLnbitsPayment } from './paymentRecord';
export { KEY_FIELD, lnbitsErrorMapper, type LnbitsKeyKind } from './errors';
export { normalizeLnurlScan, parseLnurlInput, type LnurlInfo, type LnurlKind, type LnurlPayInput, type LnurlWithdrawInput } from './lnurl';
export { PAYMENT_HASH_RE, parseJsonObject, parsePaymentHash, type LnbitsClientOptions } from './connection';
export type { LnbitsNewWallet, LnbitsWalletInfo } from './wallet';
export type { LnbitsConversion, LnbitsRate } from './fiat';
export type { CreateInvoiceInput, ListPaymentsQuery, LnbitsInvoice, LnbitsPaymentStatus, PayInvoiceInput, PayResult } from './payments';

/** The LNbits API for one wallet's keys: wallet, fiat, payments and LNURL calls. */
export class LnbitsClient extends LnbitsLnurlApi {}
