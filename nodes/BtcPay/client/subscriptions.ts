/**
 * Native subscriptions (BTCPay Server 2.x, Greenfield v1): offerings, plans,
 * subscribers and their credit, plan checkouts and subscriber portal sessions
 * (BTCPayServer/Plugins/Subscriptions/Controllers/GreenfieldOfferingController.cs, v2.4.1).
 *
 * Permissions: btcpay.store.canviewofferings (offerings, plans, subscriber get),
 * btcpay.store.canmodifyofferings (create/update offerings and plans; includes the
 * three others), btcpay.store.canmanagesubscribers (delete, suspend, dates, credit
 * balance, plan checkout, portal session), btcpay.store.cancreditsubscribers
 * (credit or debit). Reading or proceeding a plan checkout and reading a portal
 * session need no key.
 *
 * Money is exact: prices and credits are decimal strings checked against the
 * currency's decimals before anything is sent.
 */
import { z } from 'zod';
import type { HttpClient } from '../../shared/http';
import { currencyDecimals, fromScaled, parseCurrencyAmount, parseDecimalAmount, toScaled } from '../../shared/amounts';
import { InputError } from '../../shared/errors';
import { currencyCodeSchema, decimalString, httpUrlSchema, objectIdSchema, parseInput, seg, storeIdSchema, unixSecondsInput, unixTimestamp } from './schemas';
import { compact, isBlank, optionalField } from './paymentRequests';

export const SUBSCRIPTION_PHASES = ['Trial', 'Normal', 'Grace', 'Expired'] as const;
export type SubscriptionPhase = (typeof SUBSCRIPTION_PHASES)[number];
export const RECURRING_TYPES = ['Monthly', 'Quarterly', 'Yearly', 'Lifetime'] as const;
export type RecurringType = (typeof RECURRING_TYPES)[number];
export const ON_PAY_BEHAVIORS = ['SoftMigration', 'HardMigration'] as const;

const json = z.record(z.unknown());

export const planSchema = z
	.object({
		id: z.string(),
		name: z.string().nullish(),
		status: z.string().nullish(),
		price: decimalString,
		currency: z.string(),
		recurringType: z.string().nullish(),
		gracePeriodDays: z.number().nullish(),
		trialDays: z.number().nullish(),
		description: z.string().nullish(),
		memberCount: z.number().nullish(),
		optimisticActivation: z.boolean().nullish(),
		features: z.array(z.string()).nullish(),
		renewable: z.boolean().nullish(),
		metadata: json.nullish(),
	})
	.passthrough();
export type Plan = z.infer<typeof planSchema>;

export const featureSchema = z.object({ id: z.string(), description: z.string().nullish() }).passthrough();

export const offeringSchema = z
	.object({
		id: z.string(),
		storeId: z.string().nullish(),
		appId: z.string().nullish(),
		appName: z.string().nullish(),
		successRedirectUrl: z.string().nullish(),
		plans: z.array(planSchema).nullish(),
		features: z.array(featureSchema).nullish(),
		metadata: json.nullish(),
	})
	.passthrough();
export type Offering = z.infer<typeof offeringSchema>;

export const customerSchema = z
	.object({
		storeId: z.string().nullish(),
		id: z.string(),
		externalId: z.string().nullish(),
		identities: json.nullish(),
		metadata: json.nullish(),
	})
	.passthrough();

export const subscriberSchema = z
	.object({
		created: unixTimestamp.nullish(),
		customer: customerSchema,
		offering: offeringSchema.nullish(),
		plan: planSchema,
		periodEnd: unixTimestamp.nullish(),
		trialEnd: unixTimestamp.nullish(),
		gracePeriodEnd: unixTimestamp.nullish(),
		isActive: z.boolean(),
		isSuspended: z.boolean().nullish(),
		suspensionReason: z.string().nullish(),
		autoRenew: z.boolean().nullish(),
		metadata: json.nullish(),
		processingInvoiceId: z.string().nullish(),
		nextPlan: planSchema.nullish(),
		scheduledPlan: planSchema.nullish(),
		scheduledPlanActivatesAt: unixTimestamp.nullish(),
		phase: z.enum(SUBSCRIPTION_PHASES),
	})
	.passthrough();
export type Subscriber = z.infer<typeof subscriberSchema>;

export const creditSchema = z.object({ currency: z.string(), value: decimalString }).passthrough();
export type Credit = z.infer<typeof creditSchema>;

export const planCheckoutSchema = z
	.object({
		id: z.string(),
		subscriber: subscriberSchema.nullish(),
		plan: planSchema,
		baseUrl: z.string().nullish(),
		invoiceId: z.string().nullish(),
		successRedirectUrl: z.string().nullish(),
		expiration: unixTimestamp.nullish(),
		redirectUrl: z.string().nullish(),
		invoiceMetadata: json.nullish(),
		metadata: json.nullish(),
		newSubscriber: z.boolean().nullish(),
		isTrial: z.boolean().nullish(),
		created: unixTimestamp.nullish(),
		planStarted: z.boolean().nullish(),
		newSubscriberMetadata: json.nullish(),
		refundAmount: decimalString.nullish(),
		creditedByInvoice: decimalString.nullish(),
		onPayBehavior: z.string().nullish(),
		isExpired: z.boolean().nullish(),
		url: z.string(),
		creditPurchase: decimalString.nullish(),
	})
	.passthrough();
export type PlanCheckout = z.infer<typeof planCheckoutSchema>;

export const portalSessionSchema = z
	.object({
		id: z.string(),
		baseUrl: z.string().nullish(),
		subscriber: subscriberSchema,
		expiration: unixTimestamp.nullish(),
		isExpired: z.boolean().nullish(),
		url: z.string(),
	})
	.passthrough();
export type PortalSession = z.infer<typeof portalSessionSchema>;

export const SUBSCRIPTION_LABELS: Record<string, string> = {
	storeId: 'Store',
	offeringId: 'Offering',
	planId: 'Plan',
	checkoutId: 'Plan Checkout ID',
	portalSessionId: 'Portal Session ID',
	customerSelector: 'Customer',
	appName: 'App Name',
	successRedirectUrl: 'Success Redirect URL',
	features: 'Features',
	metadata: 'Metadata',
	name: 'Name',
	description: 'Description',
	price: 'Price',
	currency: 'Currency',
	recurringType: 'Recurring Type',
	trialDays: 'Trial Days',
	gracePeriodDays: 'Grace Period Days',
	optimisticActivation: 'Optimistic Activation',
	renewable: 'Renewable',
	reason: 'Reason',
	startDate: 'Start Date',
	expirationDate: 'Expiration Date',
	credit: 'Credit',
	charge: 'Debit',
	allowOverdraft: 'Allow Overdraft',
	newSubscriberEmail: 'New Subscriber Email',
	newSubscriberMetadata: 'New Subscriber Metadata',
	invoiceMetadata: 'Invoice Metadata',
	isTrial: 'Trial',
	creditPurchase: 'Credit Purchase',
	onPayBehavior: 'On Pay',
	durationMinutes: 'Duration (Minutes)',
	successRedirectLink: 'Success Redirect URL',
	email: 'Email',
};
const L = SUBSCRIPTION_LABELS;

/**
 * A customer selector as BTCPay parses it (BTCPayServer.Data/CustomerSelector.cs):
 * a customer ID `cust_…`, an external reference `[ref]`, an identity `Type:value`,
 * or an e-mail address.
 */
export function isCustomerSelector(text: string): boolean {
	if (text.startsWith('cust_') && !text.includes('@')) return true;
	if (/^\[.*\]$/.test(text)) return true;
	const colon = text.indexOf(':');
	if (colon > 0 && colon < text.length - 1) return true;
	return text.includes('@');
}

export const customerSelectorSchema = z
	.string({ required_error: 'is required', invalid_type_error: 'must be text' })
	.trim()
	.min(1, 'is required')
	.refine(isCustomerSelector, 'is not a customer selector (use a customer ID cust_…, an e-mail address, [external reference] or Type:value)');

const text = (max: number) => z.string({ invalid_type_error: 'must be text' }).trim().max(max, `must be at most ${max} characters`);
const days = z.coerce.number({ invalid_type_error: 'must be a number of days' }).int('must be a whole number of days').min(0, 'must not be negative').max(36_500, 'is too large');
const jsonObject = z.record(z.unknown(), { invalid_type_error: 'must be a JSON object' });

const featureInput = z
	.object({
		id: z.string({ required_error: 'is required', invalid_type_error: 'must be text' }).trim().min(1, 'is required'),
		description: z.string().trim().optional(),
	})
	.strict();

const offeringInput = z
	.object({
		appName: optionalField(text(200).min(1, 'is required')),
		successRedirectUrl: optionalField(httpUrlSchema),
		features: z.array(featureInput).optional(),
		metadata: jsonObject.optional(),
	})
	.strict();
export type OfferingInput = z.input<typeof offeringInput>;

const planInput = z
	.object({
		name: optionalField(text(200).min(1, 'is required')),
		description: optionalField(text(10_000)),
		price: z.union([z.string(), z.number()]).optional(),
		currency: optionalField(currencyCodeSchema),
		recurringType: optionalField(z.enum(RECURRING_TYPES)),
		trialDays: optionalField(days),
		gracePeriodDays: optionalField(days),
		optimisticActivation: z.boolean().optional(),
		renewable: z.boolean().optional(),
		features: z.array(z.string().trim().min(1, 'must not be empty')).optional(),
		metadata: jsonObject.optional(),
	})
	.strict();
export type PlanInput = z.input<typeof planInput>;

const datesInput = z
	.object({
		startDate: optionalField(unixSecondsInput),
		expirationDate: optionalField(unixSecondsInput),
	})
	.strict();
export type SubscriberDatesInput = z.input<typeof datesInput>;

const creditInput = z
	.object({
		credit: z.union([z.string(), z.number()]).optional(),
		charge: z.union([z.string(), z.number()]).optional(),
		description: optionalField(text(500)),
		allowOverdraft: z.boolean().optional(),
	})
	.strict();
export type CreditChangeInput = z.input<typeof creditInput>;

const checkoutInput = z
	.object({
		storeId: storeIdSchema(),
		offeringId: objectIdSchema('offering ID'),
		planId: objectIdSchema('plan ID'),
		customerSelector: optionalField(customerSelectorSchema),
		newSubscriberEmail: optionalField(z.string().trim().email('is not a valid email address')),
		newSubscriberMetadata: jsonObject.optional(),
		invoiceMetadata: jsonObject.optional(),
		metadata: jsonObject.optional(),
		isTrial: z.boolean().optional(),
		creditPurchase: z.union([z.string(), z.number()]).optional(),
		onPayBehavior: optionalField(z.enum(ON_PAY_BEHAVIORS)),
		durationMinutes: optionalField(z.coerce.number().int('must be a whole number of minutes').positive('must be more than 0')),
		successRedirectLink: optionalField(httpUrlSchema),
	})
	.strict();
export type PlanCheckoutInput = z.input<typeof checkoutInput>;

const portalInput = z
	.object({
		storeId: storeIdSchema(),
		offeringId: objectIdSchema('offering ID'),
		customerSelector: customerSelectorSchema,
		durationMinutes: optionalField(z.coerce.number().int('must be a whole number of minutes').positive('must be more than 0')),
	})
	.strict();
export type PortalSessionInput = z.input<typeof portalInput>;

/** A price as BTCPay stores it: a decimal string with at most the currency's decimals (8 when unknown). */
function priceFor(value: unknown, currency: string | undefined): string {
	return currency ? parseCurrencyAmount(value, currency, L.price, true) : parseDecimalAmount(value, L.price, { maxDecimals: 8, allowZero: true });
}

const ids = {
	store: z.object({ storeId: storeIdSchema() }),
	offering: z.object({ storeId: storeIdSchema(), offeringId: objectIdSchema('offering ID') }),
	plan: z.object({ storeId: storeIdSchema(), offeringId: objectIdSchema('offering ID'), planId: objectIdSchema('plan ID') }),
	subscriber: z.object({ storeId: storeIdSchema(), offeringId: objectIdSchema('offering ID'), customerSelector: customerSelectorSchema }),
	checkout: z.object({ checkoutId: objectIdSchema('plan checkout ID') }),
	portal: z.object({ portalSessionId: objectIdSchema('portal session ID') }),
};

export class SubscriptionsApi {
	constructor(private readonly http: HttpClient) {}

	private offeringPath(storeId: string, offeringId?: string): string {
		if (offeringId === undefined) return `/api/v1/stores${seg(parseInput(ids.store, { storeId }, L).storeId)}/offerings`;
		const v = parseInput(ids.offering, { storeId, offeringId }, L);
		return `/api/v1/stores${seg(v.storeId)}/offerings${seg(v.offeringId)}`;
	}

	private planPath(storeId: string, offeringId: string, planId: string): string {
		const v = parseInput(ids.plan, { storeId, offeringId, planId }, L);
		return `/api/v1/stores${seg(v.storeId)}/offerings${seg(v.offeringId)}/plans${seg(v.planId)}`;
	}

	private subscriberPath(storeId: string, offeringId: string, customerSelector: string): { path: string; resource: string } {
		const v = parseInput(ids.subscriber, { storeId, offeringId, customerSelector }, L);
		return {
			path: `/api/v1/stores${seg(v.storeId)}/offerings${seg(v.offeringId)}/subscribers${seg(v.customerSelector)}`,
			resource: `The subscriber "${v.customerSelector}"`,
		};
	}

	// ---- offerings ----

	static buildOfferingBody(input: OfferingInput, requireName: boolean): Record<string, unknown> {
		const v = parseInput(offeringInput, input, L);
		if (requireName && !v.appName) throw new InputError(L.appName, 'is required', 'BTCPay');
		return compact(v);
	}

	async createOffering(storeId: string, input: OfferingInput): Promise<Offering> {
		const path = this.offeringPath(storeId);
		const body = SubscriptionsApi.buildOfferingBody(input, true);
		return this.http.request('POST', path, { json: body, schema: offeringSchema, resource: 'The store' });
	}

	async getOffering(storeId: string, offeringId: string): Promise<Offering> {
		return this.http.request('GET', this.offeringPath(storeId, offeringId), { schema: offeringSchema, resource: `The offering "${offeringId}"` });
	}

	/** Every offering of the store, with its plans (the API has no paging). */
	async listOfferings(storeId: string): Promise<Offering[]> {
		return this.http.request('GET', this.offeringPath(storeId), { schema: z.array(offeringSchema), resource: 'The store' });
	}

	/**
	 * Changes the given fields. BTCPay's PUT requires the app name, so the current
	 * one is kept when none is given; features, when given, replace the list.
	 */
	async updateOffering(storeId: string, offeringId: string, changes: OfferingInput): Promise<Offering> {
		const path = this.offeringPath(storeId, offeringId);
		const resource = `The offering "${offeringId}"`;
		const body = SubscriptionsApi.buildOfferingBody(changes, false);
		if (Object.keys(body).length === 0) throw new InputError('Update Fields', 'choose at least one field to change', 'BTCPay');
		if (!body.appName) {
			const current = await this.http.request('GET', path, { schema: offeringSchema, resource });
			body.appName = current.appName ?? '';
		}
		return this.http.request('PUT', path, { json: body, schema: offeringSchema, resource });
	}

	// ---- plans ----

	static buildPlanBody(input: PlanInput, create: boolean): Record<string, unknown> {
		const v = parseInput(planInput, input, L);
		if (create && !v.name) throw new InputError(L.name, 'is required', 'BTCPay');
		const body = compact({ ...v, price: undefined });
		if (!isBlank(v.price)) body.price = priceFor(v.price, v.currency);
		return body;
	}

	/**
	 * Creates a plan. BTCPay v2.4.1 gives a new plan the store's default currency
	 * whatever was asked (CreateOfferingPlan), but its update honours the currency:
	 * when another currency was asked, the plan is updated to it at once.
	 */
	async createPlan(storeId: string, offeringId: string, input: PlanInput): Promise<Plan> {
		const base = `${this.offeringPath(storeId, offeringId)}/plans`;
		const body = SubscriptionsApi.buildPlanBody(input, true);
		const plan = await this.http.request('POST', base, { json: body, schema: planSchema, resource: `The offering "${offeringId}"` });
		const wanted = body.currency as string | undefined;
		if (!wanted || plan.currency.toUpperCase() === wanted) return plan;
		return this.http.request('PUT', `${base}${seg(plan.id)}`, { json: { currency: wanted }, schema: planSchema, resource: `The plan "${plan.id}"` });
	}

	async getPlan(storeId: string, offeringId: string, planId: string): Promise<Plan> {
		return this.http.request('GET', this.planPath(storeId, offeringId, planId), { schema: planSchema, resource: `The plan "${planId}"` });
	}

	/**
	 * Changes the given fields (BTCPay keeps the others). A new price is checked
	 * against the new currency, or the plan's current one.
	 */
	async updatePlan(storeId: string, offeringId: string, planId: string, changes: PlanInput): Promise<Plan> {
		const path = this.planPath(storeId, offeringId, planId);
		const resource = `The plan "${planId}"`;
		const v = parseInput(planInput, changes, L);
		const body = compact({ ...v, price: undefined });
		if (!isBlank(v.price)) {
			const currency = v.currency ?? (await this.http.request('GET', path, { schema: planSchema, resource })).currency;
			body.price = priceFor(v.price, currency);
		}
		if (Object.keys(body).length === 0) throw new InputError('Update Fields', 'choose at least one field to change', 'BTCPay');
		return this.http.request('PUT', path, { json: body, schema: planSchema, resource });
	}

	// ---- subscribers ----

	async getSubscriber(storeId: string, offeringId: string, customerSelector: string, call: { signal?: AbortSignal } = {}): Promise<Subscriber> {
		const { path, resource } = this.subscriberPath(storeId, offeringId, customerSelector);
		return this.http.request('GET', path, { schema: subscriberSchema, resource, signal: call.signal });
	}

	async deleteSubscriber(storeId: string, offeringId: string, customerSelector: string): Promise<void> {
		const { path, resource } = this.subscriberPath(storeId, offeringId, customerSelector);
		await this.http.request('DELETE', path, { resource });
	}

	/** Suspends the subscriber (access off at once: SubscriberDisabled with the reason). */
	async suspendSubscriber(storeId: string, offeringId: string, customerSelector: string, reason?: string): Promise<Subscriber> {
		const { path, resource } = this.subscriberPath(storeId, offeringId, customerSelector);
		const v = parseInput(z.object({ reason: optionalField(text(500)) }), { reason }, L);
		return this.http.request('POST', `${path}/suspend`, { json: compact(v), schema: subscriberSchema, resource });
	}

	async unsuspendSubscriber(storeId: string, offeringId: string, customerSelector: string): Promise<Subscriber> {
		const { path, resource } = this.subscriberPath(storeId, offeringId, customerSelector);
		return this.http.request('POST', `${path}/unsuspend`, { schema: subscriberSchema, resource });
	}

	/** Moves the plan start and/or the period end (the trial end during a trial). */
	async updateSubscriberDates(storeId: string, offeringId: string, customerSelector: string, input: SubscriberDatesInput): Promise<Subscriber> {
		const { path, resource } = this.subscriberPath(storeId, offeringId, customerSelector);
		const v = parseInput(datesInput, input, L);
		if (v.startDate === undefined && v.expirationDate === undefined) throw new InputError('Dates', 'give a start date, an expiration date or both', 'BTCPay');
		if (v.startDate !== undefined && v.expirationDate !== undefined && v.expirationDate <= v.startDate) {
			throw new InputError(L.expirationDate, 'must be after the start date', 'BTCPay');
		}
		return this.http.request('PUT', `${path}/dates`, { json: compact(v), schema: subscriberSchema, resource });
	}

	/** The credit balance in a currency (empty or "current": the plan's currency). */
	async getCredit(storeId: string, offeringId: string, customerSelector: string, currency?: string): Promise<Credit> {
		const { path, resource } = this.subscriberPath(storeId, offeringId, customerSelector);
		return this.http.request('GET', `${path}/credits${seg(creditCurrency(currency))}`, { schema: creditSchema, resource });
	}

	/**
	 * Credits and/or debits the balance, exactly (amounts checked against the
	 * currency's decimals). Without Allow Overdraft, a debit that would take the
	 * balance below zero is refused here, before anything is sent (BTCPay would
	 * answer 400 `overdraft`).
	 */
	async updateCredit(storeId: string, offeringId: string, customerSelector: string, currency: string | undefined, input: CreditChangeInput): Promise<Credit> {
		const { path, resource } = this.subscriberPath(storeId, offeringId, customerSelector);
		const v = parseInput(creditInput, input, L);
		if (isBlank(v.credit) && isBlank(v.charge)) throw new InputError('Amount', 'give a credit or a debit amount', 'BTCPay');
		// format and sign first (nothing is read for a bad amount); the decimals once the currency is known
		if (!isBlank(v.credit)) parseDecimalAmount(v.credit, L.credit);
		if (!isBlank(v.charge)) parseDecimalAmount(v.charge, L.charge);
		const code = creditCurrency(currency);
		const url = `${path}/credits${seg(code)}`;
		const current = await this.http.request('GET', url, { schema: creditSchema, resource });
		const decimals = currencyDecimals(current.currency);
		const credit = isBlank(v.credit) ? undefined : parseCurrencyAmount(v.credit, current.currency, L.credit);
		const charge = isBlank(v.charge) ? undefined : parseCurrencyAmount(v.charge, current.currency, L.charge);
		if (charge !== undefined && !v.allowOverdraft) {
			const scale = Math.max(decimals, fractionDigits(current.value));
			const after = toScaled(current.value, scale) + toScaled(credit ?? '0', scale) - toScaled(charge, scale);
			if (after < 0n) {
				throw new InputError(
					L.charge,
					`${charge} ${current.currency} is more than the balance of ${current.value} ${current.currency}${credit ? ` plus the credit of ${credit}` : ''} (it would leave ${fromScaled(after, scale)}); turn on Allow Overdraft to allow a negative balance`,
					'BTCPay',
				);
			}
		}
		const body = compact({ credit, charge, description: v.description, allowOverdraft: v.allowOverdraft });
		return this.http.request('POST', url, { json: body, schema: creditSchema, resource });
	}

	// ---- plan checkouts ----

	/**
	 * Creates a checkout for a plan: for an existing subscriber (customer selector)
	 * or a new one (optionally with the e-mail). Its `url` is the page to send the
	 * customer to; BTCPay creates the invoice when the customer (or Proceed) goes on.
	 */
	async createPlanCheckout(input: PlanCheckoutInput): Promise<PlanCheckout> {
		const v = parseInput(checkoutInput, input, L);
		if (v.customerSelector && v.newSubscriberEmail) {
			throw new InputError(L.newSubscriberEmail, 'must be empty when a customer is given (the checkout is for that subscriber)', 'BTCPay');
		}
		const body = compact({ ...v, creditPurchase: undefined });
		if (!isBlank(v.creditPurchase)) {
			// BTCPay rounds to the plan currency's decimals; the plan is read to check them here.
			const plan = await this.getPlan(v.storeId, v.offeringId, v.planId);
			body.creditPurchase = parseCurrencyAmount(v.creditPurchase, plan.currency, L.creditPurchase);
		}
		// no resource label: a 404 is plan-not-found or subscriber-not-found, named by its code
		return this.http.request('POST', '/api/v1/plan-checkout', { json: body, schema: planCheckoutSchema });
	}

	async getPlanCheckout(checkoutId: string): Promise<PlanCheckout> {
		const v = parseInput(ids.checkout, { checkoutId }, L);
		return this.http.request('GET', `/api/v1/plan-checkout${seg(v.checkoutId)}`, { schema: planCheckoutSchema, resource: `The plan checkout "${v.checkoutId}"` });
	}

	/**
	 * Goes on with a checkout as the customer's page does: creates its invoice (or
	 * starts a trial at once). A new subscriber needs an e-mail, given at creation
	 * or here.
	 */
	async proceedPlanCheckout(checkoutId: string, email?: string): Promise<PlanCheckout> {
		const v = parseInput(
			z.object({ checkoutId: objectIdSchema('plan checkout ID'), email: optionalField(z.string().trim().email('is not a valid email address')) }),
			{ checkoutId, email },
			L,
		);
		return this.http.request('POST', `/api/v1/plan-checkout${seg(v.checkoutId)}`, {
			query: v.email ? { email: v.email } : undefined,
			schema: planCheckoutSchema,
			resource: `The plan checkout "${v.checkoutId}"`,
		});
	}

	// ---- portal sessions ----

	/** A link where the customer manages the subscription (plan, credit, payment). */
	async createPortalSession(input: PortalSessionInput): Promise<PortalSession> {
		const v = parseInput(portalInput, input, L);
		return this.http.request('POST', '/api/v1/subscriber-portal', {
			json: compact(v),
			schema: portalSessionSchema,
			resource: `The subscriber "${v.customerSelector}"`,
		});
	}

	async getPortalSession(portalSessionId: string): Promise<PortalSession> {
		const v = parseInput(ids.portal, { portalSessionId }, L);
		return this.http.request('GET', `/api/v1/subscriber-portal${seg(v.portalSessionId)}`, {
			schema: portalSessionSchema,
			resource: `The portal session "${v.portalSessionId}"`,
		});
	}
}

function creditCurrency(currency: string | undefined): string {
	if (isBlank(currency) || String(currency).trim().toLowerCase() === 'current') return 'current';
	return parseInput(z.object({ currency: currencyCodeSchema }), { currency }, L).currency;
}

function fractionDigits(decimal: string): number {
	return (decimal.split('.')[1] ?? '').length;
}
