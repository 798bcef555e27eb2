/**
 * Typed LNbits (1.x) API client: ky + zod through the shared HttpClient, no n8n
 * imports. One HttpClient per wallet key so every error names the credential
 * field that was used (never the key itself).
 */
import { z } from 'zod';
import { HttpClient, type Query } from '../../shared/http';
import { InputError, SafetyError, ServiceError, isServiceError } from '../../shared/errors';
import { normalizeServerUrl } from '../../shared/url';
import { parseJsonValue } from '../../shared/json';
import { parseCurrencyAmount, parseSats, satsToBtc } from '../../shared/amounts';
import { decodeBolt11, planPayment, type LightningNetwork, type PaymentPlan } from '../../shared/bolt11';
import { KEY_FIELD, lnbitsErrorMapper, type LnbitsKeyKind } from './errors';
import { rawPaymentSchema, normalizePayment, type LnbitsPayment, type LnbitsPaymentStatusValue } from './payment';
import { lnurlScanSchema, normalizeLnurlScan, parseLnurlInput, type LnurlInfo } from './lnurl';

export { toLnbitsPayment, parseLnbitsTime, rawPaymentSchema } from './payment';
export type { LnbitsPayment, LnbitsPaymentStatusValue, RawLnbitsPayment } from './payment';
export { KEY_FIELD, lnbitsErrorMapper, type LnbitsKeyKind } from './errors';
export { normalizeLnurlScan, parseLnurlInput, type LnurlInfo, type LnurlKind } from './lnurl';

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


export interface CreateInvoiceInput {
	/** Whole sats when `unit` is `sat`, else a decimal amount of the fiat currency. */
	amount: unknown;
	/** `sat` (default) or a fiat code such as USD. */
	unit?: string;
	memo?: string;
	/** Seconds until the invoice expires. */
	expiry?: number;
	/** Hex SHA-256 of the description (LUD-06 style); the invoice then carries the hash. */
	descriptionHash?: string;
	/** Called once by LNbits after the invoice is paid. */
	webhook?: string;
	/** A JSON object (or its text). */
	extra?: unknown;
}

/** A new invoice; for a fiat invoice also the requested currency and exact amount. */
export interface LnbitsInvoice extends LnbitsPayment {
	fiatCurrency: string | null;
	/** Decimal string as requested, e.g. "2.5". */
	fiatAmount: string | null;
}

export interface PayInvoiceInput {
	bolt11: string;
	/** Largest amount to pay, in sats. Required. */
	maxAmountSats: number;
	/** Network the wallet is on; an invoice for another network is refused. */
	expectedNetwork?: LightningNetwork;
	/** A JSON object (or its text) stored with the outgoing payment. */
	extra?: unknown;
	/** Current time in unix seconds (tests). */
	now?: number;
}

export interface PayResult {
	/** This wallet's outgoing payment record. */
	payment: LnbitsPayment;
	/** True when the wallet had already paid this invoice; nothing was sent this time. */
	alreadyPaid: boolean;
	plan: PaymentPlan;
}

export interface LnurlPayInput {
	lnurl: string;
	amountSats: unknown;
	maxAmountSats: number;
	comment?: string;
}

export interface LnurlWithdrawInput {
	lnurl: string;
	/** Sats to withdraw; default the most the service allows. */
	amountSats?: unknown;
	memo?: string;
}

export interface LnbitsRate {
	currency: string;
	/** Sats per one unit of the currency. */
	satsPerUnit: number;
	/** Price of one BTC in the currency. */
	pricePerBtc: number;
}

export interface LnbitsConversion {
	from: string;
	to: string;
	amount: string;
	sats: number;
	btc: string;
	/** The converted amount in `to` (sats for a fiat → sat conversion). */
	result: string;
}

export interface LnbitsNewWallet {
	id: string;
	userId: string;
	name: string;
	adminKey: string;
	invoiceKey: string;
	currency: string | null;
	lightningAddress: string | null;
	balanceMsat: number;
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


const rateSchema = z.object({ rate: z.number(), price: z.number() }).passthrough();
const conversionSchema = z.record(z.union([z.number(), z.string()]));
const currenciesSchema = z.array(z.string());
const newWalletSchema = z
	.object({
		id: z.string(),
		user: z.string(),
		name: z.string(),
		adminkey: z.string(),
		inkey: z.string(),
		currency: z.string().nullish(),
		lightning_address: z.string().nullish(),
		balance_msat: z.number().nullish(),
	})
	.passthrough();
const renamedWalletSchema = z
	.object({ id: z.string(), name: z.string(), balance_msat: z.number().optional(), balance: z.number().optional() })
	.passthrough();

const FIAT_RE = /^[A-Z]{3,5}$/;

function decimalString(n: number): string {
	if (!Number.isFinite(n)) return String(n);
	// Shortest exact round-trip text of the server's float, without an exponent.
	const text = String(n);
	if (!/e/i.test(text)) return text;
	return n.toFixed(20).replace(/\.?0+$/, '');
}

/** A JSON object given as text or object; undefined when empty. */
export function parseJsonObject(value: unknown, field: string): Record<string, unknown> | undefined {
	return parseJsonValue(value, field, 'object') as Record<string, unknown> | undefined;
}

function parseWebhook(value: string | undefined, field: string): string | undefined {
	const text = (value ?? '').trim();
	if (!text) return undefined;
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new InputError(field, `"${text}" is not a valid URL`);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InputError(field, 'must be an http:// or https:// URL');
	return url.toString();
}

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

	/** Fetches every page of the wallet's payments (newest first), at most `max`. */
	async listAllPayments(q: Omit<ListPaymentsQuery, 'limit' | 'offset'> = {}, options: { pageSize?: number; max?: number } = {}): Promise<LnbitsPayment[]> {
		const pageSize = Math.min(Math.max(options.pageSize ?? 200, 1), 1000);
		const max = options.max ?? Number.MAX_SAFE_INTEGER;
		const seen = new Set<string>();
		const out: LnbitsPayment[] = [];
		for (let offset = 0; out.length < max; offset += pageSize) {
			const page = await this.listPaymentsPage({ ...q, limit: pageSize, offset });
			for (const p of page.data) {
				const id = `${p.checkingId}|${p.direction}`;
				if (seen.has(id)) continue; // a payment added while paging shifts the offsets
				seen.add(id);
				out.push(p);
				if (out.length >= max) break;
			}
			if (page.data.length < pageSize || offset + pageSize >= page.total) break;
		}
		return out;
	}

	/** Renames the wallet (admin key). */
	async renameWallet(name: string): Promise<LnbitsWalletInfo & { id: string }> {
		const newName = String(name ?? '').trim();
		if (!newName) throw new InputError('New Name', 'is required');
		if (newName.length > 200) throw new InputError('New Name', 'is longer than 200 characters');
		const raw = await this.admin('rename the wallet').request('PATCH', '/api/v1/wallet', {
			json: { name: newName },
			schema: renamedWalletSchema,
			resource: 'The wallet',
			retry: true,
		});
		const balanceMsat = Math.trunc(raw.balance_msat ?? raw.balance ?? 0);
		return { id: raw.id, name: raw.name, balanceMsat, balanceSats: Math.floor(balanceMsat / 1000) };
	}

	/**
	 * Creates a new LNbits account with one wallet (`POST /api/v1/account`, no key
	 * needed). Only works when the server allows new accounts. Returns the new keys.
	 */
	async createAccount(name: string): Promise<LnbitsNewWallet> {
		const walletName = String(name ?? '').trim();
		if (!walletName) throw new InputError('Wallet Name', 'is required');
		const raw = await this.invoiceHttp.request('POST', '/api/v1/account', {
			json: { name: walletName },
			schema: newWalletSchema,
		});
		return {
			id: raw.id,
			userId: raw.user,
			name: raw.name,
			adminKey: raw.adminkey,
			invoiceKey: raw.inkey,
			currency: raw.currency ?? null,
			lightningAddress: raw.lightning_address ?? null,
			balanceMsat: Math.trunc(raw.balance_msat ?? 0),
		};
	}

	private currencies: Promise<string[]> | undefined;

	/** Fiat codes the server can price (`GET /api/v1/currencies`), cached per client. */
	async listCurrencies(): Promise<string[]> {
		this.currencies ??= this.invoiceHttp
			.request('GET', '/api/v1/currencies', { schema: currenciesSchema })
			.then((list) => list.map((c) => c.toUpperCase()));
		try {
			return await this.currencies;
		} catch (error) {
			this.currencies = undefined;
			throw error;
		}
	}

	/** Upper-cased fiat code after checking the server knows it; a clear input error otherwise. */
	async checkCurrency(code: unknown, field = 'Currency'): Promise<string> {
		const currency = String(code ?? '').trim().toUpperCase();
		if (!currency) throw new InputError(field, 'is required (a fiat code such as USD or EUR)');
		if (currency === 'SAT' || currency === 'SATS') throw new InputError(field, 'use the unit "sat" instead of a fiat currency');
		if (!FIAT_RE.test(currency)) throw new InputError(field, `"${currency}" is not a fiat currency code (use e.g. USD, EUR)`);
		const known = await this.listCurrencies();
		if (!known.includes(currency)) {
			throw new InputError(field, `"${currency}" is not a fiat currency this LNbits server knows (e.g. ${known.slice(0, 8).join(', ')})`);
		}
		return currency;
	}

	/** Creates an invoice to receive into this wallet. `out: false` is always sent. */
	async createInvoice(input: CreateInvoiceInput): Promise<LnbitsInvoice> {
		const unitRaw = String(input.unit ?? 'sat').trim();
		const isSat = /^sats?$/i.test(unitRaw);
		const body: Record<string, unknown> = { out: false };
		let fiat: Pick<LnbitsInvoice, 'fiatCurrency' | 'fiatAmount'> = { fiatCurrency: null, fiatAmount: null };
		if (isSat) {
			body.unit = 'sat';
			body.amount = parseSats(input.amount, 'Amount');
		} else {
			// The amount is checked first: a bad amount needs no request to the server.
			const amount = parseCurrencyAmount(input.amount, unitRaw || 'XXX', 'Amount');
			const currency = await this.checkCurrency(unitRaw);
			body.unit = currency;
			body.amount = Number(amount);
			fiat = { fiatCurrency: currency, fiatAmount: amount };
		}
		const memo = input.memo?.trim();
		if (memo) {
			if (memo.length > 640) throw new InputError('Memo', 'is longer than 640 characters (LNbits limit)');
			body.memo = memo;
		}
		if (input.expiry !== undefined && input.expiry !== null) {
			body.expiry = parseSats(input.expiry, 'Expiry (Seconds)', { unit: 'seconds' });
		}
		const descriptionHash = input.descriptionHash?.trim().toLowerCase();
		if (descriptionHash) {
			if (!PAYMENT_HASH_RE.test(descriptionHash)) throw new InputError('Description Hash', 'must be 64 hexadecimal characters (a SHA-256 hash)');
			body.description_hash = descriptionHash;
		}
		const webhook = parseWebhook(input.webhook, 'Webhook URL');
		if (webhook) body.webhook = webhook;
		const extra = parseJsonObject(input.extra, 'Extra (JSON)');
		if (extra) body.extra = extra;
		const raw = await this.invoiceHttp.request('POST', '/api/v1/payments', {
			json: body,
			schema: rawPaymentSchema,
		});
		return { ...normalizePayment(raw), ...fiat };
	}

	/** This wallet's record of a payment hash, or null when the wallet has none. */
	async findPayment(paymentHash: string): Promise<LnbitsPaymentStatus | null> {
		try {
			return await this.getPayment(paymentHash);
		} catch (error) {
			if (isServiceError(error) && error.kind === 'not_found') return null;
			throw error;
		}
	}

	/**
	 * Pays a BOLT11 invoice from this wallet, safely: decodes it first (expiry,
	 * network, amount against the required max), then looks the payment hash up in
	 * this wallet's payments and returns the earlier payment instead of paying twice.
	 * A payment still in flight comes back with status `pending`.
	 */
	async payInvoice(input: PayInvoiceInput): Promise<PayResult> {
		const http = this.admin('pay invoices');
		const field = 'Invoice';
		const decoded = decodeBolt11(input.bolt11, field);
		if (decoded.amountMsat === null || decoded.amountMsat === '0') {
			throw new SafetyError(
				field,
				`${field} has no amount, and LNbits only pays invoices that state their amount; ask the payee for an invoice with an amount, or pay their Lightning address with LNURL > Pay`,
				'LNbits',
			);
		}
		const plan = planPayment(decoded.paymentRequest, {
			maxAmountSats: input.maxAmountSats,
			expectedNetwork: input.expectedNetwork,
			now: input.now,
			service: 'LNbits',
			field,
		});
		const hash = plan.invoice.paymentHash;
		const earlier = await this.findPayment(hash);
		if (earlier?.details) {
			const d = earlier.details;
			if (d.direction === 'incoming') {
				throw new SafetyError(field, `${field} was created by this wallet (payment hash ${hash}); a wallet cannot pay its own invoice`, 'LNbits');
			}
			if (d.status !== 'failed') return { payment: d, alreadyPaid: true, plan };
		}
		const body: Record<string, unknown> = { out: true, bolt11: plan.invoice.paymentRequest };
		const extra = parseJsonObject(input.extra, 'Extra (JSON)');
		if (extra) body.extra = extra;
		try {
			const raw = await http.request('POST', '/api/v1/payments', { json: body, schema: rawPaymentSchema, retry: false });
			return { payment: normalizePayment(raw), alreadyPaid: false, plan };
		} catch (error) {
			// The request may have reached LNbits (timeout, dropped connection, 520 "pending"):
			// the wallet's own record says whether money left.
			if (isServiceError(error) && error.kind !== 'input' && error.kind !== 'permission' && error.kind !== 'auth') {
				const after = await this.findPayment(hash).catch(() => null);
				if (after?.details && after.details.direction === 'outgoing' && after.details.status !== 'failed') {
					return { payment: after.details, alreadyPaid: false, plan };
				}
			}
			throw error;
		}
	}

	/** What an LNURL or Lightning address is and its limits (LNbits fetches it). */
	async scanLnurl(lnurl: string, field = 'LNURL or Lightning Address'): Promise<LnurlInfo> {
		const code = parseLnurlInput(lnurl, field);
		const raw = await this.invoiceHttp.request('POST', '/api/v1/lnurlscan', {
			json: { lnurl: code },
			schema: lnurlScanSchema,
			retry: true,
		});
		if (raw.status?.toUpperCase() === 'ERROR') {
			throw new ServiceError(`The LNURL service answered with an error: ${raw.reason ?? 'no reason given'}`, {
				kind: 'business',
				service: 'LNbits',
				field,
			});
		}
		return normalizeLnurlScan(raw);
	}

	/**
	 * Pays an LNURL-pay link or Lightning address: scans it, checks the amount
	 * against the service's min/max and the required max amount, then lets LNbits
	 * fetch the invoice and pay it.
	 */
	async payLnurl(input: LnurlPayInput): Promise<{ payment: LnbitsPayment; lnurl: LnurlInfo }> {
		const http = this.admin('pay an LNURL or Lightning address');
		const field = 'LNURL or Lightning Address';
		const amountSats = parseSats(input.amountSats, 'Amount (Sats)');
		if (!Number.isSafeInteger(input.maxAmountSats) || input.maxAmountSats <= 0) {
			throw new InputError('Max Amount (Sats)', 'must be a whole number of sats greater than 0');
		}
		if (amountSats > input.maxAmountSats) {
			throw new SafetyError('Max Amount (Sats)', `Amount of ${amountSats} sats is above the node's Max Amount of ${input.maxAmountSats} sats; not paid`, 'LNbits');
		}
		const info = await this.scanLnurl(input.lnurl, field);
		if (info.kind !== 'pay') {
			throw new InputError(field, `is an LNURL-${info.tag ?? 'unknown'} link, not a pay link (LNURL-pay or Lightning address)`, 'LNbits');
		}
		const amountMsat = amountSats * 1000;
		if (amountMsat < info.minSendableMsat! || amountMsat > info.maxSendableMsat!) {
			throw new InputError(
				'Amount (Sats)',
				`${amountSats} sats is outside what ${info.domain ?? 'the service'} accepts (${info.minSendableSats} to ${info.maxSendableSats} sats)`,
				'LNbits',
			);
		}
		const comment = input.comment?.trim();
		if (comment && comment.length > (info.commentAllowed ?? 0)) {
			throw new InputError(
				'Comment',
				info.commentAllowed ? `is longer than the ${info.commentAllowed} characters ${info.domain ?? 'the service'} accepts` : `is not accepted by ${info.domain ?? 'the service'}`,
				'LNbits',
			);
		}
		const raw = await http.request('POST', '/api/v1/payments/lnurl', {
			// `lnurl` beside the scanned `res`: LNbits stores the link with it (without, it falls
			// back to the metadata's identifier, which fails for hosts without a domain name).
			json: { res: info.raw, lnurl: parseLnurlInput(input.lnurl, field), amount: amountMsat, unit: 'sat', ...(comment ? { comment } : {}) },
			schema: rawPaymentSchema,
			retry: false,
		});
		return { payment: normalizePayment(raw), lnurl: info };
	}

	/**
	 * LNURL-withdraw into this wallet: scans the link, checks the amount against
	 * its limits, creates an invoice with the withdraw request so LNbits sends it
	 * to the service. The invoice is pending until the service pays it.
	 */
	async withdrawLnurl(input: LnurlWithdrawInput): Promise<{ invoice: LnbitsPayment; lnurl: LnurlInfo; accepted: boolean; error: string | null }> {
		const field = 'LNURL';
		const info = await this.scanLnurl(input.lnurl, field);
		if (info.kind !== 'withdraw') {
			throw new InputError(field, `is an LNURL-${info.tag ?? 'unknown'} link, not a withdraw link`, 'LNbits');
		}
		const hasAmount = !(input.amountSats === undefined || input.amountSats === null || input.amountSats === '' || input.amountSats === 0);
		const amountSats = hasAmount ? parseSats(input.amountSats, 'Amount (Sats)') : info.maxWithdrawableSats!;
		if (amountSats * 1000 < info.minWithdrawableMsat! || amountSats * 1000 > info.maxWithdrawableMsat! || amountSats <= 0) {
			throw new InputError(
				'Amount (Sats)',
				`${amountSats} sats is outside what ${info.domain ?? 'the service'} pays out (${info.minWithdrawableSats} to ${info.maxWithdrawableSats} sats)`,
				'LNbits',
			);
		}
		const memo = input.memo?.trim() || info.defaultDescription || 'LNURL withdraw';
		const raw = await this.invoiceHttp.request('POST', '/api/v1/payments', {
			json: { out: false, unit: 'sat', amount: amountSats, memo, lnurl_withdraw: info.raw },
			schema: rawPaymentSchema,
		});
		const invoice = normalizePayment(raw);
		const response = invoice.extra.lnurl_response;
		const accepted = response === true;
		return { invoice, lnurl: info, accepted, error: accepted ? null : typeof response === 'string' ? response : null };
	}

	/** Exchange rate of a fiat currency as LNbits sees it. */
	async getRate(currencyCode: string): Promise<LnbitsRate> {
		const currency = await this.checkCurrency(currencyCode);
		const raw = await this.invoiceHttp.request('GET', `/api/v1/rate/${currency}`, { schema: rateSchema });
		return { currency, satsPerUnit: raw.rate, pricePerBtc: raw.price };
	}

	/** Converts sats to a fiat currency or a fiat amount to sats with the server's rates. */
	async convert(input: { amount: unknown; currency: string; direction: 'fiatToSat' | 'satToFiat' }): Promise<LnbitsConversion> {
		if (input.direction === 'satToFiat') {
			const sats = parseSats(input.amount, 'Amount', { allowZero: true });
			const currency = await this.checkCurrency(input.currency, 'Currency');
			const raw = await this.invoiceHttp.request('POST', '/api/v1/conversion', {
				json: { from_: 'sat', amount: sats, to: currency },
				schema: conversionSchema,
				retry: true,
			});
			const value = raw[currency];
			if (value === undefined) throw new ServiceError(`LNbits did not return a ${currency} amount`, { kind: 'protocol', service: 'LNbits' });
			return { from: 'sat', to: currency, amount: String(sats), sats, btc: satsToBtc(sats), result: decimalString(Number(value)) };
		}
		parseCurrencyAmount(input.amount, String(input.currency ?? '').trim() || 'XXX', 'Amount', true);
		const currency = await this.checkCurrency(input.currency, 'Currency');
		const amount = parseCurrencyAmount(input.amount, currency, 'Amount', true);
		const raw = await this.invoiceHttp.request('POST', '/api/v1/conversion', {
			json: { from_: currency, amount: Number(amount), to: 'sat' },
			schema: conversionSchema,
			retry: true,
		});
		const sats = Math.trunc(Number(raw.sats));
		if (!Number.isFinite(sats)) throw new ServiceError('LNbits did not return a sats amount', { kind: 'protocol', service: 'LNbits' });
		return { from: currency, to: 'sat', amount, sats, btc: satsToBtc(sats), result: String(sats) };
	}
}
