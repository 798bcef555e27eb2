/**
 * Typed LNbits (1.x) API client: ky + zod through the shared HttpClient, no n8n
 * imports. One HttpClient per wallet key so every error names the credential
 * field that was used (never the key itself).
 */
import { z } from 'zod';
import { HttpClient, type Query } from '../../shared/http';
import { InputError } from '../../shared/errors';
import { normalizeServerUrl } from '../../shared/url';
import { KEY_FIELD, lnbitsErrorMapper, type LnbitsKeyKind } from './errors';
import { rawPaymentSchema, normalizePayment, type LnbitsPayment, type LnbitsPaymentStatusValue } from './payment';

export { toLnbitsPayment, parseLnbitsTime, rawPaymentSchema } from './payment';
export type { LnbitsPayment, LnbitsPaymentStatusValue, RawLnbitsPayment } from './payment';
export { KEY_FIELD, lnbitsErrorMapper, type LnbitsKeyKind } from './errors';

export interface LnbitsClientOptions {
	url: string;
	invoiceKey: string;
	adminKey?: string;
	fetch?: typeof fetch;
	timeoutMs?: number;
	retries?: number;
	retryDelayMs?: number;
}

export interface LnbitsWalletInfo {
	name: string;
	balanceMsat: number;
	balanceSats: number;
	/** Only returned when the admin key was used. */
	id?: string;
}

export interface LnbitsPaymentStatus {
	paid: boolean;
	/** `pending`, `success` or `failed`; from the wallet's record when there is one. */
	status: LnbitsPaymentStatusValue;
	preimage: string | null;
	/** This wallet's record of the payment hash (incoming or outgoing). */
	details: LnbitsPayment | null;
}

export interface ListPaymentsQuery {
	limit?: number;
	offset?: number;
	direction?: 'incoming' | 'outgoing';
	status?: LnbitsPaymentStatusValue;
	/** Unix seconds, inclusive. */
	since?: number;
	/** Unix seconds, inclusive. */
	until?: number;
	/** Part of the memo (case-insensitive for ASCII). */
	memo?: string;
}

const walletSchema = z
	.object({ name: z.string(), balance: z.number(), id: z.string().optional() })
	.passthrough();

const paymentStatusSchema = z
	.object({
		paid: z.boolean(),
		preimage: z.string().nullish(),
		status: z.string().nullish(),
		details: rawPaymentSchema.nullish(),
	})
	.passthrough();

const paymentPageSchema = z.object({ data: z.array(rawPaymentSchema), total: z.number() }).passthrough();

export const PAYMENT_HASH_RE = /^[0-9a-f]{64}$/;

/** Validates a 64-hex payment hash typed by a user (any case, surrounding spaces allowed). */
export function parsePaymentHash(value: unknown, field = 'Payment Hash'): string {
	const hash = String(value ?? '').trim().toLowerCase();
	if (!hash) throw new InputError(field, 'is required');
	if (!PAYMENT_HASH_RE.test(hash)) throw new InputError(field, 'must be 64 hexadecimal characters');
	return hash;
}

function walletInfo(raw: z.infer<typeof walletSchema>): LnbitsWalletInfo {
	const balanceMsat = Math.trunc(raw.balance);
	const info: LnbitsWalletInfo = { name: raw.name, balanceMsat, balanceSats: Math.floor(balanceMsat / 1000) };
	if (raw.id) info.id = raw.id;
	return info;
}

export class LnbitsClient {
	readonly baseUrl: string;
	/** True when the credential holds an admin key (spending allowed). */
	readonly hasAdminKey: boolean;
	protected readonly invoiceHttp: HttpClient;
	protected readonly adminHttp: HttpClient | undefined;

	constructor(opts: LnbitsClientOptions) {
		const { baseUrl } = normalizeServerUrl(opts.url);
		this.baseUrl = baseUrl;
		const invoiceKey = (opts.invoiceKey ?? '').trim();
		const adminKey = (opts.adminKey ?? '').trim();
		if (!invoiceKey && !adminKey) throw new InputError(KEY_FIELD.invoice, 'is empty in the LNbits credential');
		const secrets = [invoiceKey, adminKey].filter(Boolean);
		const make = (kind: LnbitsKeyKind, key: string) =>
			new HttpClient({
				service: 'LNbits',
				baseUrl,
				headers: { 'X-Api-Key': key },
				secrets,
				mapError: lnbitsErrorMapper(kind),
				timeoutMs: opts.timeoutMs,
				retries: opts.retries,
				retryDelayMs: opts.retryDelayMs,
				fetch: opts.fetch,
			});
		this.adminHttp = adminKey ? make('admin', adminKey) : undefined;
		// The admin key can do everything the invoice key can: use it when only it was given.
		this.invoiceHttp = invoiceKey ? make('invoice', invoiceKey) : this.adminHttp!;
		this.hasAdminKey = Boolean(adminKey);
	}

	/** The HttpClient for the admin key; a clear input error when the credential has none. */
	protected admin(action: string): HttpClient {
		if (!this.adminHttp) {
			throw new InputError(
				KEY_FIELD.admin,
				`is needed to ${action}, but the LNbits credential only has the Invoice/Read Key. Add the wallet's Admin key to the credential`,
				'LNbits',
			);
		}
		return this.adminHttp;
	}

	protected http(key: LnbitsKeyKind): HttpClient {
		return key === 'admin' ? this.admin('use the admin key') : this.invoiceHttp;
	}

	/** Wallet name and balance. With `key: 'admin'` LNbits also returns the wallet id. */
	async getWallet(options: { key?: LnbitsKeyKind } = {}): Promise<LnbitsWalletInfo> {
		const raw = await this.http(options.key ?? 'invoice').request('GET', '/api/v1/wallet', {
			schema: walletSchema,
			resource: 'The wallet',
		});
		return walletInfo(raw);
	}

	/** Status of a payment hash; `details` is this wallet's record of it. 404 when the wallet has none. */
	async getPayment(paymentHash: string): Promise<LnbitsPaymentStatus> {
		const hash = parsePaymentHash(paymentHash);
		const raw = await this.invoiceHttp.request('GET', `/api/v1/payments/${hash}`, {
			schema: paymentStatusSchema,
			resource: `Payment ${hash}`,
		});
		const details = raw.details ? normalizePayment(raw.details) : null;
		const topStatus = (raw.status ?? '').toLowerCase();
		const status: LnbitsPaymentStatusValue =
			details?.status ??
			(topStatus === 'failed' || topStatus === 'success' || topStatus === 'pending'
				? topStatus
				: raw.paid
					? 'success'
					: 'pending');
		return {
			paid: raw.paid,
			status,
			preimage: raw.preimage ?? (raw.paid ? (details?.preimage ?? null) : null),
			details,
		};
	}

	/** One page of this wallet's payments (all statuses), newest first, and the total matching. */
	async listPaymentsPage(q: ListPaymentsQuery = {}): Promise<{ data: LnbitsPayment[]; total: number }> {
		const query: Query = {
			sortby: 'time',
			direction: 'desc',
			limit: q.limit ?? 50,
			offset: q.offset ?? 0,
		};
		if (q.direction === 'incoming') query['amount[gt]'] = 0;
		if (q.direction === 'outgoing') query['amount[lt]'] = 0;
		if (q.status) query['status[eq]'] = q.status;
		if (q.since !== undefined) query['time[ge]'] = Math.floor(q.since);
		if (q.until !== undefined) query['time[le]'] = Math.floor(q.until);
		if (q.memo) query['memo[like]'] = q.memo;
		const raw = await this.invoiceHttp.request('GET', '/api/v1/payments/paginated', {
			query,
			schema: paymentPageSchema,
		});
		return { data: raw.data.map(normalizePayment), total: raw.total };
	}

	/** This wallet's payments (all statuses), newest first. */
	async listPayments(q: ListPaymentsQuery = {}): Promise<LnbitsPayment[]> {
		return (await this.listPaymentsPage(q)).data;
	}
}
