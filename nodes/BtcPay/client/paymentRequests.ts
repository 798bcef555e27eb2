/**
 * Payment requests (Greenfield v1): long-lived requests for an amount that
 * customers pay through one or more invoices. Routes are the store-nested
 * ones, which every BTCPay version serves.
 * Permissions: btcpay.store.canviewpaymentrequests (get, list, pay),
 * btcpay.store.canmodifypaymentrequests (create, update, archive).
 */
import { z } from 'zod';
import type { HttpClient } from '../../shared/http';
import { currencyDecimals, parseDecimalAmount } from '../../shared/amounts';
import { InputError } from '../../shared/errors';
import { currencyCodeSchema, decimalString, objectIdSchema, parseInput, seg, storeIdInputSchema, storeIdSchema, unixSecondsInput, unixTimestamp } from './schemas';
import { invoiceSchema, type Invoice } from './invoices';

export const PAYMENT_REQUEST_STATUSES = ['Pending', 'Completed', 'Processing', 'Expired'] as const;

export const paymentRequestSchema = z
	.object({
		id: z.string(),
		storeId: z.string().optional(),
		status: z.string(),
		createdTime: unixTimestamp.nullish(),
		amount: decimalString,
		title: z.string().nullish(),
		currency: z.string().nullish(),
		email: z.string().nullish(),
		description: z.string().nullish(),
		expiryDate: unixTimestamp.nullish(),
		referenceId: z.string().nullish(),
		allowCustomPaymentAmounts: z.boolean().nullish(),
		formId: z.string().nullish(),
		formResponse: z.record(z.unknown()).nullish(),
		archived: z.boolean().nullish(),
	})
	.passthrough();
export type PaymentRequest = z.infer<typeof paymentRequestSchema>;

export const PAYMENT_REQUEST_LABELS: Record<string, string> = {
	storeId: 'Store',
	paymentRequestId: 'Payment Request ID',
	title: 'Title',
	amount: 'Amount',
	currency: 'Currency',
	email: 'Email',
	description: 'Description',
	expiryDate: 'Expiry Date',
	referenceId: 'Reference ID',
	allowCustomPaymentAmounts: 'Allow Custom Payment Amounts',
	formId: 'Form ID',
	allowPendingInvoiceReuse: 'Reuse Pending Invoice',
};
const L = PAYMENT_REQUEST_LABELS;

/** '' / null / undefined. */
export function isBlank(v: unknown): boolean {
	return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** Wraps a schema so that blank input becomes undefined (n8n sends '' for empty fields). */
export function optionalField<S extends z.ZodTypeAny>(schema: S) {
	return z.preprocess((v) => (isBlank(v) ? undefined : v), schema.optional());
}

/** Decimal amount checked against the currency's decimals (8 when the currency is the store default). */
export function parseAmountFor(value: unknown, currency: string | undefined, field: string): string {
	return parseDecimalAmount(value, field, { maxDecimals: currency ? currencyDecimals(currency) : 8, currency });
}

const text = (max: number) => z.string({ invalid_type_error: 'must be text' }).trim().max(max, `must be at most ${max} characters`);

const fields = {
	title: optionalField(text(500).min(1, 'is required')),
	amount: z.union([z.string(), z.number()]).optional(),
	currency: optionalField(currencyCodeSchema),
	email: optionalField(z.string().trim().email('is not a valid email address')),
	description: optionalField(text(10_000)),
	expiryDate: optionalField(unixSecondsInput),
	referenceId: optionalField(text(100)),
	allowCustomPaymentAmounts: z.boolean().optional(),
	formId: optionalField(text(100)),
};

const inputSchema = z.object(fields).strict();

/** Fields of a payment request. Currency empty → the store's default currency. */
export type PaymentRequestInput = z.input<typeof inputSchema>;

const paySchema = z
	.object({
		amount: optionalField(z.union([z.string(), z.number()])),
		allowPendingInvoiceReuse: z.boolean().optional(),
	})
	.strict();
export type PayPaymentRequestInput = z.input<typeof paySchema>;

/** Body with only the keys that have a value, so BTCPay defaults apply to the rest. */
export function compact(record: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined && v !== null));
}

/** The writable fields of an existing payment request (PUT replaces the whole request). */
function writable(pr: PaymentRequest): Record<string, unknown> {
	return compact({
		title: pr.title,
		amount: pr.amount,
		currency: pr.currency,
		email: pr.email,
		description: pr.description,
		expiryDate: pr.expiryDate,
		referenceId: pr.referenceId,
		allowCustomPaymentAmounts: pr.allowCustomPaymentAmounts,
		formId: pr.formId,
		formResponse: pr.formResponse,
	});
}

const storeOnly = storeIdInputSchema;
const storeAndRequest = z.object({ storeId: storeIdSchema(), paymentRequestId: objectIdSchema('payment request ID') });

export class PaymentRequestsApi {
	constructor(private readonly http: HttpClient) {}

	private base(storeId: string): string {
		return `/api/v1/stores${seg(parseInput(storeOnly, { storeId }, L).storeId)}/payment-requests`;
	}

	private one(storeId: string, paymentRequestId: string): { path: string; resource: string } {
		const ids = parseInput(storeAndRequest, { storeId, paymentRequestId }, L);
		return {
			path: `/api/v1/stores${seg(ids.storeId)}/payment-requests${seg(ids.paymentRequestId)}`,
			resource: `Payment request "${ids.paymentRequestId}"`,
		};
	}

	/** Validates a full create body (title and amount required). */
	static buildCreateBody(input: PaymentRequestInput): Record<string, unknown> {
		const v = parseInput(inputSchema, input, L);
		if (!v.title) throw new InputError(L.title, 'is required', 'BTCPay');
		return compact({ ...v, amount: parseAmountFor(v.amount, v.currency, L.amount) });
	}

	async create(storeId: string, input: PaymentRequestInput): Promise<PaymentRequest> {
		const path = this.base(storeId);
		const body = PaymentRequestsApi.buildCreateBody(input);
		return this.http.request('POST', path, { json: body, schema: paymentRequestSchema, resource: 'The store' });
	}

	async get(storeId: string, paymentRequestId: string): Promise<PaymentRequest> {
		const { path, resource } = this.one(storeId, paymentRequestId);
		return this.http.request('GET', path, { schema: paymentRequestSchema, resource });
	}

	/** Every payment request of the store that is not archived (the API has no paging). */
	async list(storeId: string): Promise<PaymentRequest[]> {
		const path = this.base(storeId);
		return this.http.request('GET', path, { schema: z.array(paymentRequestSchema), resource: 'The store' });
	}

	/**
	 * Changes the given fields and keeps the others: BTCPay's PUT replaces the
	 * whole payment request, so the current one is read first and merged.
	 */
	async update(storeId: string, paymentRequestId: string, changes: PaymentRequestInput): Promise<PaymentRequest> {
		const { path, resource } = this.one(storeId, paymentRequestId);
		const v = parseInput(inputSchema, changes, L);
		const changed = compact({ ...v, amount: undefined });
		if (!isBlank(v.amount)) changed.amount = parseAmountFor(v.amount, v.currency, L.amount);
		if (Object.keys(changed).length === 0) throw new InputError('Update Fields', 'choose at least one field to change', 'BTCPay');
		const current = await this.http.request('GET', path, { schema: paymentRequestSchema, resource });
		const body = { ...writable(current), ...changed };
		if (changed.currency && changed.amount === undefined) {
			body.amount = parseAmountFor(body.amount, changed.currency as string, L.amount);
		}
		return this.http.request('PUT', path, { json: body, schema: paymentRequestSchema, resource });
	}

	/** Archives (BTCPay's "delete") a payment request. */
	async archive(storeId: string, paymentRequestId: string): Promise<void> {
		const { path, resource } = this.one(storeId, paymentRequestId);
		await this.http.request('DELETE', path, { resource });
	}

	/**
	 * Creates an invoice for the payment request, or reuses a pending one when
	 * asked. Amount empty → the amount still due; a custom amount needs
	 * "Allow Custom Payment Amounts" on the request (422 otherwise).
	 * Business errors: 400 archived / already-paid / expired.
	 */
	async pay(storeId: string, paymentRequestId: string, input: PayPaymentRequestInput = {}): Promise<Invoice> {
		const { path, resource } = this.one(storeId, paymentRequestId);
		const v = parseInput(paySchema, input, L);
		const body = compact({
			amount: v.amount === undefined ? undefined : parseDecimalAmount(v.amount, L.amount, { maxDecimals: 8 }),
			allowPendingInvoiceReuse: v.allowPendingInvoiceReuse,
		});
		return this.http.request('POST', `${path}/pay`, { json: body, schema: invoiceSchema, resource });
	}
}
