/** Payments area: look up and list the wallet's payments, create invoices, pay BOLT11 invoices (at most once). */
import { z } from 'zod';
import type { Query } from '../../shared/http';
import { InputError, SafetyError, isServiceError } from '../../shared/errors';
import { parseCurrencyAmount, parseSats } from '../../shared/amounts';
import { decodeBolt11, planPayment, type LightningNetwork, type PaymentPlan } from '../../shared/bolt11';
import { PAYMENT_HASH_RE, parseJsonObject, parsePaymentHash } from './connection';
import { LnbitsFiatApi } from './fiat';
import { rawPaymentSchema, normalizePayment, type LnbitsPayment, type LnbitsPaymentStatusValue } from './paymentRecord';

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
	/**
	 * Most the payment may cost in fees, in sats. LNbits 1.6 takes no fee limit from the
	 * caller: it reserves its own (lnbits/settings.py fee_reserve: max(reserve_fee_min,
	 * amount x reserve_fee_percent), plus the service fee) and hands that reserve to the
	 * funding source as the routing fee limit (core/services/payments.py _pay_external_invoice).
	 * So the payment is refused before it is sent when that reserve, read from
	 * `GET /api/v1/payments/fee-reserve`, is above this cap. Absent: LNbits' reserve alone.
	 */
	maxFeeSats?: number;
	/** Current time in unix seconds (tests). */
	now?: number;
}

export interface PayResult {
	/** This wallet's outgoing payment record. */
	payment: LnbitsPayment;
	/** The most LNbits could spend on fees (its fee reserve), in whole sats rounded up, when Max Fee was checked. */
	feeReserveSats?: number;
	/** True when the wallet had already paid this invoice; nothing was sent this time. */
	alreadyPaid: boolean;
	plan: PaymentPlan;
}

const paymentStatusSchema = z
	.object({
		paid: z.boolean(),
		preimage: z.string().nullish(),
		status: z.string().nullish(),
		details: rawPaymentSchema.nullish(),
	})
	.passthrough();

const paymentPageSchema = z.object({ data: z.array(rawPaymentSchema), total: z.number() }).passthrough();

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

export class LnbitsPaymentsApi extends LnbitsFiatApi {

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
	/**
	 * The fee reserve LNbits would hold for paying `bolt11` (`GET /api/v1/payments/fee-reserve`,
	 * core/views/payment_api.py: fee_reserve_total, msat), in sats rounded up; a SafetyError
	 * naming Max Fee when it is above `maxFeeSats`, or when the server cannot tell it.
	 */
	async checkFeeReserve(bolt11: string, maxFeeSats: number): Promise<number> {
		const field = 'Max Fee (Sats)';
		let reserveMsat: number;
		try {
			const raw = await this.invoiceHttp.request('GET', '/api/v1/payments/fee-reserve', {
				query: { invoice: bolt11 },
				schema: z.object({ fee_reserve: z.number() }).passthrough(),
				retry: true,
			});
			reserveMsat = Math.max(0, Math.ceil(raw.fee_reserve));
		} catch (error) {
			const reason = isServiceError(error) ? error.message : String(error);
			throw new SafetyError(field, `${field}: nothing was paid: LNbits did not tell the fee reserve for this invoice, so the fee cap cannot be checked (${reason})`, 'LNbits');
		}
		const reserveSats = Math.ceil(reserveMsat / 1000);
		if (reserveSats > maxFeeSats) {
			throw new SafetyError(
				field,
				`${field}: nothing was paid: LNbits reserves up to ${reserveSats} sats for the fees of this payment (its fee reserve: the larger of a minimum and a percentage of the amount, set by the LNbits admin), above Max Fee of ${maxFeeSats} sats. Raise Max Fee to at least ${reserveSats}, or ask the LNbits admin to lower the reserve`,
				'LNbits',
			);
		}
		return reserveSats;
	}

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
		const feeReserveSats = input.maxFeeSats === undefined ? undefined : await this.checkFeeReserve(plan.invoice.paymentRequest, input.maxFeeSats);
		try {
			const raw = await http.request('POST', '/api/v1/payments', { json: body, schema: rawPaymentSchema, retry: false });
			return { payment: normalizePayment(raw), alreadyPaid: false, plan, feeReserveSats };
		} catch (error) {
			// The request may have reached LNbits (timeout, dropped connection, 520 "pending"):
			// the wallet's own record says whether money left.
			if (isServiceError(error) && error.kind !== 'input' && error.kind !== 'permission' && error.kind !== 'auth') {
				const after = await this.findPayment(hash).catch(() => null);
				if (after?.details && after.details.direction === 'outgoing' && after.details.status !== 'failed') {
					return { payment: after.details, alreadyPaid: false, plan, feeReserveSats };
				}
			}
			throw error;
		}
	}
}
