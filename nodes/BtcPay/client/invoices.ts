/**
 * Greenfield invoices. Routes are the store-nested ones, which every BTCPay
 * version serves (2.4 adds flat `/api/v1/invoices/{id}` aliases).
 * Permissions: create btcpay.store.cancreateinvoice; get/list/payment methods
 * btcpay.store.canviewinvoices; mark/archive/unarchive btcpay.store.canmodifyinvoices.
 */
import { z } from 'zod';
import type { HttpClient } from '../../shared/http';
import { currencyDecimals, parseDecimalAmount } from '../../shared/amounts';
import { InputError } from '../../shared/errors';
import {
	currencyCodeSchema,
	decimalString,
	httpUrlSchema,
	objectIdSchema,
	parseInput,
	seg,
	speedPolicySchema,
	storeIdInputSchema,
	storeIdSchema,
	unixSecondsInput,
	unixTimestamp,
} from './schemas';

export const INVOICE_STATUSES = ['New', 'Processing', 'Expired', 'Invalid', 'Settled'] as const;
export const invoiceStatusSchema = z.enum(INVOICE_STATUSES);
export type InvoiceStatus = z.infer<typeof invoiceStatusSchema>;
export const INVOICE_MARK_STATUSES = ['Settled', 'Invalid'] as const;
export type InvoiceMarkStatus = (typeof INVOICE_MARK_STATUSES)[number];

export const invoiceSchema = z
	.object({
		id: z.string(),
		storeId: z.string().optional(),
		amount: decimalString,
		paidAmount: decimalString.optional(),
		currency: z.string(),
		type: z.string().optional(),
		checkoutLink: z.string().optional(),
		createdTime: unixTimestamp.optional(),
		expirationTime: unixTimestamp.optional(),
		monitoringExpiration: unixTimestamp.optional(),
		status: z.string(),
		additionalStatus: z.string().optional(),
		availableStatusesForManualMarking: z.array(z.string()).optional(),
		archived: z.boolean().optional(),
		metadata: z.record(z.unknown()).nullish(),
		checkout: z.record(z.unknown()).nullish(),
	})
	.passthrough();
export type Invoice = z.infer<typeof invoiceSchema>;

export const invoicePaymentSchema = z
	.object({
		id: z.string(),
		receivedDate: unixTimestamp.optional(),
		value: decimalString,
		fee: decimalString.optional(),
		status: z.string(),
		// BTCPayServer.Client/Models/InvoicePaymentMethodDataModel.cs: Payment.Destination is a plain (nullable) string
		destination: z.string().nullish(),
	})
	.passthrough();

export const invoicePaymentMethodSchema = z
	.object({
		paymentMethodId: z.string(),
		// Null until the method is activated: BTC-LNURL has no destination before the customer
		// scans it, and a prompt without a currency has none (GreenfieldInvoiceController.ToPaymentMethodModels).
		currency: z.string().nullish(),
		destination: z.string().nullish(),
		paymentLink: z.string().nullish(),
		rate: decimalString.optional(),
		paymentMethodPaid: decimalString.optional(),
		totalPaid: decimalString.optional(),
		due: decimalString.optional(),
		amount: decimalString.optional(),
		paymentMethodFee: decimalString.optional(),
		payments: z.array(invoicePaymentSchema).nullish().transform((v) => v ?? []),
		activated: z.boolean().optional(),
		additionalData: z.unknown().optional(),
	})
	.passthrough();
export type InvoicePaymentMethod = z.infer<typeof invoicePaymentMethodSchema>;

export const createInvoiceInputSchema = z
	.object({
		/** Decimal string or number; omit for a top-up invoice (any amount). */
		amount: z.union([z.string(), z.number()]).optional(),
		/** Omit for the store's default currency. */
		currency: currencyCodeSchema.optional(),
		orderId: z.string().trim().max(100, 'must be at most 100 characters').optional(),
		buyerEmail: z.string().trim().email('is not a valid email address').optional(),
		itemDesc: z.string().max(1000, 'must be at most 1000 characters').optional(),
		/** Free metadata merged under the fields above. */
		metadata: z.record(z.unknown()).optional(),
		additionalSearchTerms: z.array(z.string()).optional(),
		checkout: z
			.object({
				speedPolicy: speedPolicySchema.optional(),
				paymentMethods: z.array(z.string().trim().regex(/^[A-Za-z0-9_-]+$/, 'is not a payment method ID such as BTC-CHAIN or BTC-LN')).optional(),
				defaultPaymentMethod: z.string().trim().regex(/^[A-Za-z0-9_-]+$/, 'is not a payment method ID').optional(),
				expirationMinutes: z.number().int('must be whole minutes').min(1, 'must be at least 1 minute').max(34_560, 'must be at most 24 days').optional(),
				monitoringMinutes: z.number().int('must be whole minutes').min(1).max(34_560).optional(),
				paymentTolerance: z.number().min(0).max(100).optional(),
				redirectURL: httpUrlSchema.optional(),
				redirectAutomatically: z.boolean().optional(),
				defaultLanguage: z.string().trim().min(2).max(10).optional(),
			})
			.strict()
			.optional(),
	})
	.strict();
export type CreateInvoiceInput = z.input<typeof createInvoiceInputSchema>;

export const INVOICE_LABELS: Record<string, string> = {
	storeId: 'Store',
	invoiceId: 'Invoice ID',
	amount: 'Amount',
	currency: 'Currency',
	orderId: 'Order ID',
	buyerEmail: 'Buyer Email',
	itemDesc: 'Item Description',
	metadata: 'Metadata',
	additionalSearchTerms: 'Additional Search Terms',
	'checkout.speedPolicy': 'Speed Policy',
	'checkout.paymentMethods': 'Payment Methods',
	'checkout.defaultPaymentMethod': 'Default Payment Method',
	'checkout.expirationMinutes': 'Expiration Minutes',
	'checkout.monitoringMinutes': 'Monitoring Minutes',
	'checkout.paymentTolerance': 'Payment Tolerance',
	'checkout.redirectURL': 'Redirect URL',
	'checkout.redirectAutomatically': 'Redirect Automatically',
	'checkout.defaultLanguage': 'Default Language',
	status: 'Status',
	textSearch: 'Text Search',
	startDate: 'Start Date',
	endDate: 'End Date',
	skip: 'Skip',
	take: 'Take',
	includeArchived: 'Include Archived',
	onlyAccountedPayments: 'Only Accounted Payments',
	includeSensitive: 'Include Sensitive',
};

export const listInvoicesInputSchema = z
	.object({
		status: z.array(invoiceStatusSchema).optional(),
		orderId: z.array(z.string().trim().min(1, 'must not be empty')).optional(),
		textSearch: z.string().optional(),
		startDate: unixSecondsInput.optional(),
		endDate: unixSecondsInput.optional(),
		skip: z.number().int('must be a whole number').min(0, 'must be 0 or more').optional(),
		take: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').optional(),
		includePaymentMethods: z.boolean().optional(),
		/** Archived invoices are hidden unless this is true (GreenfieldInvoiceController.GetInvoices). */
		includeArchived: z.boolean().optional(),
	})
	.strict()
	.refine((q) => q.startDate === undefined || q.endDate === undefined || q.startDate <= q.endDate, {
		message: 'must not be after End Date',
		path: ['startDate'],
	});
export type ListInvoicesQuery = z.input<typeof listInvoicesInputSchema>;

/** Per-call transport options (the trigger aborts its confirmation reads at a deadline). */
export interface CallOptions {
	signal?: AbortSignal;
}

const storeAndInvoice = z.object({ storeId: storeIdSchema(), invoiceId: objectIdSchema('invoice ID') });

export class InvoicesApi {
	constructor(private readonly http: HttpClient) {}

	private ids(storeId: string, invoiceId: string): { path: string; resource: string } {
		const ids = parseInput(storeAndInvoice, { storeId, invoiceId }, INVOICE_LABELS);
		return {
			path: `/api/v1/stores${seg(ids.storeId)}/invoices${seg(ids.invoiceId)}`,
			resource: `Invoice "${ids.invoiceId}"`,
		};
	}

	/** Validates and builds the Greenfield body; exported for reuse and tests through create(). */
	static buildCreateBody(input: CreateInvoiceInput): Record<string, unknown> {
		const parsed = parseInput(createInvoiceInputSchema, input, INVOICE_LABELS);
		const body: Record<string, unknown> = {};
		if (parsed.amount !== undefined && parsed.amount !== '') {
			const currency = parsed.currency;
			body.amount = parseDecimalAmount(parsed.amount, 'Amount', {
				maxDecimals: currency ? currencyDecimals(currency) : 8,
				currency,
			});
		}
		if (parsed.currency) body.currency = parsed.currency;
		const metadata: Record<string, unknown> = { ...(parsed.metadata ?? {}) };
		if (parsed.orderId) metadata.orderId = parsed.orderId;
		if (parsed.buyerEmail) metadata.buyerEmail = parsed.buyerEmail;
		if (parsed.itemDesc) metadata.itemDesc = parsed.itemDesc;
		if (Object.keys(metadata).length) body.metadata = metadata;
		if (parsed.additionalSearchTerms?.length) body.additionalSearchTerms = parsed.additionalSearchTerms;
		if (parsed.checkout) {
			const checkout = Object.fromEntries(Object.entries(parsed.checkout).filter(([, v]) => v !== undefined));
			if (Object.keys(checkout).length) body.checkout = checkout;
		}
		return body;
	}

	async create(storeId: string, input: CreateInvoiceInput): Promise<Invoice> {
		const id = parseInput(storeIdInputSchema, { storeId }, INVOICE_LABELS).storeId;
		const body = InvoicesApi.buildCreateBody(input);
		return this.http.request('POST', `/api/v1/stores${seg(id)}/invoices`, {
			json: body,
			schema: invoiceSchema,
			resource: `Store "${id}"`,
		});
	}

	async get(storeId: string, invoiceId: string, call: CallOptions = {}): Promise<Invoice> {
		const { path, resource } = this.ids(storeId, invoiceId);
		return this.http.request('GET', path, { schema: invoiceSchema, resource, signal: call.signal });
	}

	/** One page of invoices, newest first (Greenfield has no total count). */
	async list(storeId: string, query: ListInvoicesQuery = {}): Promise<Invoice[]> {
		const id = parseInput(storeIdInputSchema, { storeId }, INVOICE_LABELS).storeId;
		const q = parseInput(listInvoicesInputSchema, query, INVOICE_LABELS);
		return this.http.request('GET', `/api/v1/stores${seg(id)}/invoices`, {
			query: {
				status: q.status,
				orderId: q.orderId,
				textSearch: q.textSearch,
				startDate: q.startDate,
				endDate: q.endDate,
				skip: q.skip,
				take: q.take,
				includePaymentMethods: q.includePaymentMethods,
				includeArchived: q.includeArchived,
			},
			schema: z.array(invoiceSchema),
			resource: `Store "${id}"`,
		});
	}

	async paymentMethods(
		storeId: string,
		invoiceId: string,
		options: { onlyAccountedPayments?: boolean; includeSensitive?: boolean } = {},
		call: CallOptions = {},
	): Promise<InvoicePaymentMethod[]> {
		const { path, resource } = this.ids(storeId, invoiceId);
		const opts = parseInput(
			z.object({ onlyAccountedPayments: z.boolean().optional(), includeSensitive: z.boolean().optional() }).strict(),
			options,
			INVOICE_LABELS,
		);
		return this.http.request('GET', `${path}/payment-methods`, {
			query: { onlyAccountedPayments: opts.onlyAccountedPayments, includeSensitive: opts.includeSensitive },
			schema: z.array(invoicePaymentMethodSchema),
			resource,
			signal: call.signal,
		});
	}

	/** Marks an invoice Settled or Invalid (422 if its state does not allow it). */
	async markStatus(storeId: string, invoiceId: string, status: InvoiceMarkStatus): Promise<Invoice> {
		const { path, resource } = this.ids(storeId, invoiceId);
		if (!(INVOICE_MARK_STATUSES as readonly string[]).includes(status)) {
			throw new InputError('Status', `"${String(status)}" is not one of ${INVOICE_MARK_STATUSES.join(', ')}`, 'BTCPay');
		}
		return this.http.request('POST', `${path}/status`, { json: { status }, schema: invoiceSchema, resource });
	}

	async archive(storeId: string, invoiceId: string): Promise<void> {
		const { path, resource } = this.ids(storeId, invoiceId);
		await this.http.request('DELETE', path, { resource });
	}

	async unarchive(storeId: string, invoiceId: string): Promise<Invoice> {
		const { path, resource } = this.ids(storeId, invoiceId);
		return this.http.request('POST', `${path}/unarchive`, { schema: invoiceSchema, resource });
	}
}
