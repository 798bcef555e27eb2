/**
 * Pull payments, payouts and invoice refunds (Greenfield v1). A refund is a
 * pull payment: BTCPay creates it from the invoice and the customer claims it
 * through its view link. Store routes are the store-nested ones, which every
 * BTCPay version serves; a pull payment and its payouts are public by ID.
 * Permissions: btcpay.store.cancreatepullpayments (refund, create, store
 * payouts), btcpay.store.canmanagepullpayments (list, archive, approve,
 * cancel, mark paid, get store payout).
 */
import { z } from 'zod';
import type { HttpClient } from '../../shared/http';
import { InputError } from '../../shared/errors';
import { parseDecimalAmount } from '../../shared/amounts';
import { currencyCodeSchema, decimalString, objectIdSchema, parseInput, seg, storeIdInputSchema, unixSecondsInput, unixTimestamp } from './schemas';
import { compact, isBlank, optionalField, parseAmountFor } from './paymentRequests';

export const pullPaymentSchema = z
	.object({
		id: z.string(),
		name: z.string().nullish(),
		description: z.string().nullish(),
		currency: z.string(),
		amount: decimalString,
		BOLT11Expiration: z.union([z.string(), z.number()]).nullish(),
		autoApproveClaims: z.boolean().nullish(),
		archived: z.boolean().nullish(),
		viewLink: z.string().nullish(),
		startsAt: unixTimestamp.nullish(),
		expiresAt: unixTimestamp.nullish(),
	})
	.passthrough();
export type PullPayment = z.infer<typeof pullPaymentSchema>;
/** A pull payment plus `claimLink`: the page where the beneficiary claims it (BTCPay's viewLink). */
export type PullPaymentWithLink = PullPayment & { claimLink: string | null };

export const PAYOUT_STATES = ['AwaitingApproval', 'AwaitingPayment', 'InProgress', 'Completed', 'Cancelled'] as const;

export const payoutSchema = z
	.object({
		id: z.string(),
		revision: z.number().int().nullish(),
		pullPaymentId: z.string().nullish(),
		date: z.union([z.string(), z.number()]).nullish(),
		destination: z.string().nullish(),
		originalCurrency: z.string().nullish(),
		originalAmount: decimalString.nullish(),
		payoutCurrency: z.string().nullish(),
		payoutAmount: decimalString.nullish(),
		payoutMethodId: z.string().nullish(),
		state: z.string(),
		paymentProof: z.record(z.unknown()).nullish(),
		metadata: z.record(z.unknown()).nullish(),
	})
	.passthrough();
export type Payout = z.infer<typeof payoutSchema>;

export const REFUND_VARIANTS = ['RateThen', 'CurrentRate', 'Fiat', 'OverpaidAmount', 'Custom'] as const;
export type RefundVariant = (typeof REFUND_VARIANTS)[number];

export const PULL_PAYMENT_LABELS: Record<string, string> = {
	storeId: 'Store',
	invoiceId: 'Invoice ID',
	pullPaymentId: 'Pull Payment ID',
	payoutId: 'Payout ID',
	refundVariant: 'Refund Variant',
	subtractPercentage: 'Subtract Percentage',
	customAmount: 'Custom Amount',
	customCurrency: 'Custom Currency',
	name: 'Name',
	description: 'Description',
	payoutMethods: 'Payout Methods',
	amount: 'Amount',
	currency: 'Currency',
	BOLT11Expiration: 'BOLT11 Expiration (Days)',
	autoApproveClaims: 'Auto Approve Claims',
	startsAt: 'Starts At',
	expiresAt: 'Expires At',
	destination: 'Destination',
	payoutMethodId: 'Payout Method',
	approved: 'Approved',
	metadata: 'Metadata',
	revision: 'Revision',
	rateRule: 'Rate Rule',
	includeArchived: 'Include Archived',
	includeCancelled: 'Include Cancelled',
};
const L = PULL_PAYMENT_LABELS;

const methodId = z.string().trim().regex(/^[A-Za-z0-9_-]+$/, 'is not a payment method ID such as BTC-CHAIN or BTC-LN');
const optionalText = (max: number) => optionalField(z.string({ invalid_type_error: 'must be text' }).trim().max(max, `must be at most ${max} characters`));
const amountInput = optionalField(z.union([z.string(), z.number()]));

const refundSchema = z
	.object({
		refundVariant: z.enum(REFUND_VARIANTS),
		subtractPercentage: amountInput,
		customAmount: amountInput,
		customCurrency: optionalField(currencyCodeSchema),
		name: optionalText(200),
		description: optionalText(10_000),
		payoutMethods: z.array(methodId).optional(),
	})
	.strict();
export type RefundInput = z.input<typeof refundSchema>;

const createPullPaymentSchema = z
	.object({
		// GreenfieldPullPaymentController.CreatePullPayment: 422 "The name should be maximum 50 characters."
		name: optionalText(50),
		description: optionalText(10_000),
		amount: amountInput,
		currency: currencyCodeSchema,
		BOLT11Expiration: optionalField(z.coerce.number().int('must be whole days').min(0, 'must be 0 or more')),
		autoApproveClaims: z.boolean().optional(),
		startsAt: optionalField(unixSecondsInput),
		expiresAt: optionalField(unixSecondsInput),
		payoutMethods: z.array(methodId).optional(),
	})
	.strict();
export type CreatePullPaymentInput = z.input<typeof createPullPaymentSchema>;

const payoutFields = {
	destination: z.string({ required_error: 'is required' }).trim().min(1, 'is required').max(5000),
	amount: amountInput,
	payoutMethodId: methodId,
};
const createPayoutSchema = z.object(payoutFields).strict();
/** Destination: address, BIP21 URI, BOLT11 invoice or Lightning address; amount in the pull payment's currency. */
export type CreatePayoutInput = z.input<typeof createPayoutSchema>;

const createStorePayoutSchema = z
	.object({
		...payoutFields,
		pullPaymentId: optionalField(objectIdSchema('pull payment ID')),
		approved: z.boolean().optional(),
		metadata: z.record(z.unknown()).optional(),
	})
	.strict();
export type CreateStorePayoutInput = z.input<typeof createStorePayoutSchema>;

const approveSchema = z
	.object({
		revision: optionalField(z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more')),
		rateRule: optionalText(500),
	})
	.strict();

function percentage(value: unknown): string | undefined {
	if (isBlank(value)) return undefined;
	const p = parseDecimalAmount(value, L.subtractPercentage, { allowZero: true, maxDecimals: 8 });
	if (p === '0') return undefined;
	if (Number(p) >= 100) throw new InputError(L.subtractPercentage, `must be below 100 (got ${p})`, 'BTCPay');
	return p;
}

const optionalAmount = (value: unknown): string | undefined =>
	isBlank(value) ? undefined : parseDecimalAmount(value, L.amount, { maxDecimals: 8 });

const withLink = (pp: PullPayment): PullPaymentWithLink => ({ ...pp, claimLink: pp.viewLink ?? null });

const storeOnly = storeIdInputSchema;
const idOnly = (key: string, what: string) => z.object({ [key]: objectIdSchema(what) });

export class PullPaymentsApi {
	constructor(private readonly http: HttpClient) {}

	private store(storeId: string): string {
		return `/api/v1/stores${seg(parseInput(storeOnly, { storeId }, L).storeId)}`;
	}

	private id(key: 'invoiceId' | 'pullPaymentId' | 'payoutId', value: string, what: string): string {
		return (parseInput(idOnly(key, what), { [key]: value }, L) as Record<string, string>)[key];
	}

	/** Validates refund input and builds the Greenfield body. */
	static buildRefundBody(input: RefundInput): Record<string, unknown> {
		const v = parseInput(refundSchema, input, L);
		const body: Record<string, unknown> = { refundVariant: v.refundVariant };
		const sub = percentage(v.subtractPercentage);
		if (sub !== undefined) body.subtractPercentage = sub;
		if (v.refundVariant === 'Custom') {
			if (!v.customCurrency) throw new InputError(L.customCurrency, 'is required for the Custom refund variant', 'BTCPay');
			body.customAmount = parseAmountFor(v.customAmount, v.customCurrency, L.customAmount);
			body.customCurrency = v.customCurrency;
		} else if (v.customAmount !== undefined || v.customCurrency !== undefined) {
			const field = v.customAmount !== undefined ? L.customAmount : L.customCurrency;
			throw new InputError(field, `is only used with the Custom refund variant (got ${v.refundVariant})`, 'BTCPay');
		}
		return { ...body, ...compact({ name: v.name, description: v.description, payoutMethods: v.payoutMethods?.length ? v.payoutMethods : undefined }) };
	}

	/**
	 * Refunds an invoice: BTCPay creates a pull payment for the amount the
	 * variant gives (minus Subtract Percentage); the customer claims it at `claimLink`.
	 */
	async refundInvoice(storeId: string, invoiceId: string, input: RefundInput): Promise<PullPaymentWithLink> {
		const store = this.store(storeId);
		const invoice = this.id('invoiceId', invoiceId, 'invoice ID');
		const body = PullPaymentsApi.buildRefundBody(input);
		const pp = await this.http.request('POST', `${store}/invoices${seg(invoice)}/refund`, {
			json: body,
			schema: pullPaymentSchema,
			resource: `Invoice "${invoice}"`,
		});
		return withLink(pp);
	}

	static buildCreateBody(input: CreatePullPaymentInput): Record<string, unknown> {
		const v = parseInput(createPullPaymentSchema, input, L);
		if (v.startsAt !== undefined && v.expiresAt !== undefined && v.expiresAt <= v.startsAt) {
			throw new InputError(L.expiresAt, 'must be after Starts At', 'BTCPay');
		}
		return compact({
			name: v.name,
			description: v.description,
			amount: parseAmountFor(v.amount, v.currency, L.amount),
			currency: v.currency,
			BOLT11Expiration: v.BOLT11Expiration === undefined ? undefined : String(v.BOLT11Expiration),
			autoApproveClaims: v.autoApproveClaims,
			startsAt: v.startsAt,
			expiresAt: v.expiresAt,
			payoutMethods: v.payoutMethods?.length ? v.payoutMethods : undefined,
		});
	}

	async create(storeId: string, input: CreatePullPaymentInput): Promise<PullPaymentWithLink> {
		const store = this.store(storeId);
		const body = PullPaymentsApi.buildCreateBody(input);
		const pp = await this.http.request('POST', `${store}/pull-payments`, { json: body, schema: pullPaymentSchema, resource: 'The store' });
		return withLink(pp);
	}

	/** A pull payment by ID (public: any key, or none, may read it). */
	async get(pullPaymentId: string, call: { signal?: AbortSignal } = {}): Promise<PullPaymentWithLink> {
		const id = this.id('pullPaymentId', pullPaymentId, 'pull payment ID');
		const pp = await this.http.request('GET', `/api/v1/pull-payments${seg(id)}`, {
			schema: pullPaymentSchema,
			resource: `Pull payment "${id}"`,
			signal: call.signal,
		});
		return withLink(pp);
	}

	async list(storeId: string, options: { includeArchived?: boolean } = {}): Promise<PullPaymentWithLink[]> {
		const store = this.store(storeId);
		const list = await this.http.request('GET', `${store}/pull-payments`, {
			query: { includeArchived: options.includeArchived ? true : undefined },
			schema: z.array(pullPaymentSchema),
			resource: 'The store',
		});
		return list.map(withLink);
	}

	async archive(storeId: string, pullPaymentId: string): Promise<void> {
		const store = this.store(storeId);
		const id = this.id('pullPaymentId', pullPaymentId, 'pull payment ID');
		await this.http.request('DELETE', `${store}/pull-payments${seg(id)}`, { resource: `Pull payment "${id}"` });
	}

	/** Payouts of one pull payment (public route). */
	async listPayouts(pullPaymentId: string, options: { includeCancelled?: boolean } = {}): Promise<Payout[]> {
		const id = this.id('pullPaymentId', pullPaymentId, 'pull payment ID');
		return this.http.request('GET', `/api/v1/pull-payments${seg(id)}/payouts`, {
			query: { includeCancelled: options.includeCancelled ? true : undefined },
			schema: z.array(payoutSchema),
			resource: `Pull payment "${id}"`,
		});
	}

	/** Payouts of every pull payment of the store. */
	async listStorePayouts(storeId: string, options: { includeCancelled?: boolean } = {}): Promise<Payout[]> {
		const store = this.store(storeId);
		return this.http.request('GET', `${store}/payouts`, {
			query: { includeCancelled: options.includeCancelled ? true : undefined },
			schema: z.array(payoutSchema),
			resource: 'The store',
		});
	}

	async getPayout(storeId: string, payoutId: string): Promise<Payout> {
		const store = this.store(storeId);
		const id = this.id('payoutId', payoutId, 'payout ID');
		return this.http.request('GET', `${store}/payouts${seg(id)}`, { schema: payoutSchema, resource: `Payout "${id}"` });
	}

	/** Claims a pull payment: a payout to `destination` (public route, like the claim page). */
	async createPayout(pullPaymentId: string, input: CreatePayoutInput): Promise<Payout> {
		const id = this.id('pullPaymentId', pullPaymentId, 'pull payment ID');
		const v = parseInput(createPayoutSchema, input, L);
		const body = compact({ destination: v.destination, payoutMethodId: v.payoutMethodId, amount: optionalAmount(v.amount) });
		return this.http.request('POST', `/api/v1/pull-payments${seg(id)}/payouts`, {
			json: body,
			schema: payoutSchema,
			resource: `Pull payment "${id}"`,
		});
	}

	/** A payout from the store, optionally for a pull payment and approved at once. */
	async createStorePayout(storeId: string, input: CreateStorePayoutInput): Promise<Payout> {
		const store = this.store(storeId);
		const v = parseInput(createStorePayoutSchema, input, L);
		const amount = optionalAmount(v.amount);
		if (!v.pullPaymentId && amount === undefined) {
			throw new InputError(L.amount, 'is required when the payout is not for a pull payment', 'BTCPay');
		}
		const body = compact({
			destination: v.destination,
			payoutMethodId: v.payoutMethodId,
			amount,
			pullPaymentId: v.pullPaymentId,
			approved: v.approved,
			metadata: v.metadata,
		});
		return this.http.request('POST', `${store}/payouts`, { json: body, schema: payoutSchema, resource: 'The store' });
	}

	/**
	 * Approves a payout awaiting approval. BTCPay needs the payout's current
	 * revision (it refuses to approve a payout changed meanwhile); when not
	 * given it is read first.
	 */
	async approvePayout(storeId: string, payoutId: string, input: { revision?: number | string; rateRule?: string } = {}): Promise<Payout> {
		const store = this.store(storeId);
		const id = this.id('payoutId', payoutId, 'payout ID');
		const v = parseInput(approveSchema, input, L);
		const revision = v.revision ?? (await this.getPayout(storeId, id)).revision ?? 0;
		return this.http.request('POST', `${store}/payouts${seg(id)}`, {
			json: compact({ revision, rateRule: v.rateRule }),
			schema: payoutSchema,
			resource: `Payout "${id}"`,
		});
	}

	async cancelPayout(storeId: string, payoutId: string): Promise<void> {
		const store = this.store(storeId);
		const id = this.id('payoutId', payoutId, 'payout ID');
		await this.http.request('DELETE', `${store}/payouts${seg(id)}`, { resource: `Payout "${id}"` });
	}

	/** Marks a payout as paid outside BTCPay. */
	async markPayoutPaid(storeId: string, payoutId: string): Promise<void> {
		const store = this.store(storeId);
		const id = this.id('payoutId', payoutId, 'payout ID');
		await this.http.request('POST', `${store}/payouts${seg(id)}/mark-paid`, { resource: `Payout "${id}"` });
	}
}
