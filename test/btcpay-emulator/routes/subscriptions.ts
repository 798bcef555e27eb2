/**
 * Subscriptions (BTCPay 2.x native): offerings, plans, subscribers, credits, plan
 * checkouts and portal sessions, as BTCPay v2.4.1 serves them in
 * BTCPayServer/Plugins/Subscriptions/Controllers/GreenfieldOfferingController.cs,
 * with the state machine of BTCPayServer/Plugins/Subscriptions/SubscriptionHostedService.cs
 * (phases from BTCPayServer.Data/Data/Subscriptions/SubscriberData.cs GetExpectedPhase,
 * periods from PlanData.GetPeriodEnd, credits from SubscriptionContext.TryCreditDebitSubscriber)
 * and the webhook payloads of BTCPayServer/Plugins/Subscriptions/SubscriberWebhookProvider.cs
 * (models: BTCPayServer.Client/Models/WebhookSubscriptionEvent.cs, Plugins/Subscriptions/Mapper.cs).
 *
 * Time-driven changes (period end → Grace/Expired, auto-renewal, payment reminders)
 * run in the emulator's tick() like the hosted service's periodic poll
 * (SubscriptionHostedService.Do → UpdateSubscriptionStates(PassedDate(from, to))).
 * A plan checkout's invoice is a real emulator invoice tagged `SUBS#<checkoutId>`;
 * its InvoiceProcessing / InvoiceSettled / marked InvoiceInvalid events drive
 * ProcessSubscriptionPayment. Events of one change are published together at the
 * end (SubscriptionContext.DisposeAsync), each payload built from the subscriber's
 * state at that moment.
 *
 * Money is exact (decimal strings; credits kept with the currency's decimals,
 * rounded half-to-even like C#'s Math.Round in SubscriptionContext.RoundAmount).
 */
import { randomBytes } from 'node:crypto';
import { currencyDecimals, fromScaled, toScaled } from '../../../nodes/shared/amounts';
import { base58Id, notFound, validationError, type BtcPayEmulator, type EmulatorEvent, type EmulatorRequest, type EmulatorResponse, type Json } from '../server';
import { findStore } from './stores';
import { createStoreInvoice, invoicesOf, paidAmount, type InvoiceRecord } from './invoices';

export type Phase = 'Trial' | 'Normal' | 'Grace' | 'Expired';
export type RecurringType = 'Monthly' | 'Quarterly' | 'Yearly' | 'Lifetime';

export interface OfferingRecord {
	id: string;
	storeId: string;
	appId: string;
	appName: string;
	successRedirectUrl: string | null;
	metadata: Json;
	features: Array<{ id: string; description: string | null }>;
	/** OfferingData.DefaultPaymentRemindersDays (database default 3). */
	paymentReminderDays: number;
}

export interface PlanRecord {
	id: string;
	offeringId: string;
	name: string;
	status: 'Active' | 'Retired';
	price: string;
	currency: string;
	recurringType: RecurringType;
	gracePeriodDays: number;
	trialDays: number;
	description: string;
	optimisticActivation: boolean;
	renewable: boolean;
	features: string[];
	metadata: Json;
	seq: number;
}

export interface CustomerRecord {
	id: string;
	storeId: string;
	externalRef: string | null;
	identities: Record<string, string>;
	metadata: Json;
}

export interface SubscriberRecord {
	id: number;
	offeringId: string;
	customerId: string;
	planId: string;
	newPlanId: string | null;
	paidAmount: string | null;
	processingInvoiceId: string | null;
	phase: Phase;
	planStarted: number;
	periodEnd: number | null;
	reminderDate: number | null;
	trialEnd: number | null;
	gracePeriodEnd: number | null;
	autoRenew: boolean;
	isActive: boolean;
	paymentReminded: boolean;
	isSuspended: boolean;
	suspensionReason: string | null;
	/** Balance per currency (upper case), exact decimal strings. */
	credits: Map<string, string>;
	metadata: Json;
	created: number;
	optimisticActivation: boolean;
}

export interface CheckoutRecord {
	id: string;
	planId: string;
	invoiceId: string | null;
	successRedirectUrl: string | null;
	isTrial: boolean;
	newSubscriber: boolean;
	newSubscriberEmail: string | null;
	subscriberId: number | null;
	invoiceMetadata: Json;
	newSubscriberMetadata: Json;
	metadata: Json;
	creditedByInvoice: string;
	planStarted: boolean;
	refundAmount: string | null;
	onPay: 'SoftMigration' | 'HardMigration';
	expiration: number;
	creditPurchase: string | null;
	created: number;
}

export interface PortalRecord {
	id: string;
	subscriberId: number;
	expiration: number;
}

interface SubscriptionState {
	offerings: Map<string, OfferingRecord>;
	plans: Map<string, PlanRecord>;
	customers: Map<string, CustomerRecord>;
	subscribers: Map<number, SubscriberRecord>;
	checkouts: Map<string, CheckoutRecord>;
	portals: Map<string, PortalRecord>;
	nextSubscriberId: number;
	planSeq: number;
	/** MembershipServerSettings.LastUpdate of the periodic poll (undefined: never). */
	lastPoll?: number;
}

export function subscriptionState(emulator: BtcPayEmulator): SubscriptionState {
	return ((emulator.state.subscriptions as SubscriptionState | undefined) ??= {
		offerings: new Map(),
		plans: new Map(),
		customers: new Map(),
		subscribers: new Map(),
		checkouts: new Map(),
		portals: new Map(),
		nextSubscriberId: 1,
		planSeq: 0,
	}) as SubscriptionState;
}

/** ValueGenerators.WithPrefix: `<prefix>_<base58 of 13 random bytes>`. */
function prefixedId(prefix: string): string {
	const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
	let n = BigInt(`0x${randomBytes(13).toString('hex')}`);
	let out = '';
	while (n > 0n) {
		out = alphabet[Number(n % 58n)] + out;
		n /= 58n;
	}
	return `${prefix}_${out}`;
}

const DAY = 86_400;

// ---- errors (GreenfieldOfferingController) ----
const offeringNotFound = () => notFound('offering-not-found', 'The offering was not found');
const planNotFound = () => notFound('plan-not-found', 'The plan was not found');
const subscriberNotFound = () => notFound('subscriber-not-found', 'The subscriber was not found');
const checkoutNotFound = () => notFound('checkout-plan-not-found', 'The checkout plan was not found');
const checkoutExpired = () => notFound('checkout-plan-expired', 'The checkout plan is expired');
const portalNotFound = () => notFound('portal-session-not-found', 'The portal session was not found');
const apiError = (status: number, code: string, message: string): EmulatorResponse => ({ status, body: { code, message } });
/** CreateAPIPermissionError (GreenfieldPermissionAPIError). */
const permissionError = (permission: string): EmulatorResponse => ({
	status: 403,
	body: {
		code: 'missing-permission',
		message: `Insufficient API Permissions. Please use an API key with permission "${permission}". You can create an API key in your account's settings / Api Keys.`,
		missingPermission: permission,
	},
});
/** ModelBinders/CustomerSelectorModelBinder.cs. */
export const INVALID_SELECTOR = 'Invalid customer selector. Expected formats are `cust_customerId`, `[externalRef]` or `cust@email.com`';

// ---- decimals ----

/** Math.Round(amount, decimals) (MidpointRounding.ToEven) of a decimal string, exactly. */
export function roundHalfEven(amount: string, decimals: number): string {
	const m = /^(-)?(\d*)(?:\.(\d*))?$/.exec(amount.trim());
	if (!m) throw new RangeError(`not a decimal: ${amount}`);
	const frac = m[3] ?? '';
	if (frac.length <= decimals) return fromScaled(toScaled(amount, decimals), decimals);
	const keep = BigInt((m[2] || '0') + frac.slice(0, decimals));
	const rest = frac.slice(decimals);
	const half = '5'.padEnd(rest.length, '0');
	let q = keep;
	if (rest > half || (rest === half && q % 2n === 1n)) q += 1n;
	return fromScaled(m[1] ? -q : q, decimals);
}

function scale(currency: string): number {
	return currencyDecimals(currency);
}
function add(a: string, b: string, decimals: number): string {
	return fromScaled(toScaled(a, decimals) + toScaled(b, decimals), decimals);
}
function sub(a: string, b: string, decimals: number): string {
	return fromScaled(toScaled(a, decimals) - toScaled(b, decimals), decimals);
}
function cmp(a: string, b: string, decimals: number): number {
	const d = toScaled(a, decimals) - toScaled(b, decimals);
	return d > 0n ? 1 : d < 0n ? -1 : 0;
}
/** The decimals needed to compare/add `values` exactly (at least the currency's). */
function precision(currency: string, ...values: string[]): number {
	return Math.max(scale(currency), ...values.map((v) => (v.split('.')[1] ?? '').length));
}

// ---- dates ----

/** DateTimeOffset.AddMonths: same day of month, clamped to the last day of the target month. */
export function addMonths(unix: number, months: number): number {
	const d = new Date(unix * 1000);
	const y = d.getUTCFullYear();
	const m = d.getUTCMonth() + months;
	const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
	const out = Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
	return Math.floor(out / 1000);
}

/** PlanData.GetPeriodEnd. */
function periodEnd(plan: PlanRecord, from: number): { periodEnd: number | null; graceEnd: number | null } {
	if (plan.recurringType === 'Lifetime') return { periodEnd: null, graceEnd: null };
	const months = { Monthly: 1, Quarterly: 3, Yearly: 12 }[plan.recurringType];
	const to = addMonths(from, months);
	return { periodEnd: to, graceEnd: plan.gracePeriodDays === 0 ? null : to + plan.gracePeriodDays * DAY };
}

// ---- models (Plugins/Subscriptions/Mapper.cs) ----

function planModel(emulator: BtcPayEmulator, plan: PlanRecord): Json {
	return {
		id: plan.id,
		name: plan.name,
		status: plan.status,
		price: plan.price,
		currency: plan.currency,
		recurringType: plan.recurringType,
		gracePeriodDays: plan.gracePeriodDays,
		trialDays: plan.trialDays,
		description: plan.description,
		memberCount: memberCount(emulator, plan.id),
		optimisticActivation: plan.optimisticActivation,
		features: [...plan.features],
		renewable: plan.renewable,
		metadata: plan.metadata,
	};
}

/** SubscriptionHostedService.UpdatePlanStats: active subscribers of the plan. */
function memberCount(emulator: BtcPayEmulator, planId: string): number {
	return [...subscriptionState(emulator).subscribers.values()].filter((s) => s.planId === planId && s.isActive).length;
}

function plansOf(emulator: BtcPayEmulator, offeringId: string): PlanRecord[] {
	return [...subscriptionState(emulator).plans.values()].filter((p) => p.offeringId === offeringId).sort((a, b) => a.seq - b.seq);
}

function offeringModel(emulator: BtcPayEmulator, offering: OfferingRecord): Json {
	return {
		id: offering.id,
		storeId: offering.storeId,
		appName: offering.appName,
		appId: offering.appId,
		successRedirectUrl: offering.successRedirectUrl,
		plans: plansOf(emulator, offering.id).map((p) => planModel(emulator, p)),
		features: offering.features.map((f) => ({ id: f.id, description: f.description })),
		metadata: offering.metadata,
	};
}

function subscriberModel(emulator: BtcPayEmulator, s: SubscriberRecord): Json {
	const st = subscriptionState(emulator);
	const customer = st.customers.get(s.customerId)!;
	const offering = st.offerings.get(s.offeringId)!;
	const plan = st.plans.get(s.planId)!;
	const next = s.newPlanId ? st.plans.get(s.newPlanId) : undefined;
	return {
		customer: {
			storeId: customer.storeId,
			id: customer.id,
			externalId: customer.externalRef,
			identities: { ...customer.identities },
			metadata: customer.metadata,
		},
		created: s.created,
		offering: offeringModel(emulator, offering),
		plan: planModel(emulator, plan),
		periodEnd: s.periodEnd,
		trialEnd: s.trialEnd,
		gracePeriodEnd: s.gracePeriodEnd,
		isActive: s.isActive,
		isSuspended: s.isSuspended,
		phase: s.phase,
		suspensionReason: s.suspensionReason,
		autoRenew: s.autoRenew,
		metadata: s.metadata,
		processingInvoiceId: s.processingInvoiceId,
		nextPlan: planModel(emulator, next ?? plan),
		scheduledPlan: next ? planModel(emulator, next) : null,
		scheduledPlanActivatesAt: next ? s.periodEnd : null,
	};
}

function baseUrl(emulator: BtcPayEmulator): string {
	return `${emulator.url}/`;
}

/** PlanCheckoutData.GetRedirectUrl: the success URL with `checkoutPlanId` added. */
function redirectUrlOf(checkout: CheckoutRecord): string | null {
	if (!checkout.successRedirectUrl) return null;
	try {
		const u = new URL(checkout.successRedirectUrl);
		u.searchParams.append('checkoutPlanId', checkout.id);
		return u.toString();
	} catch {
		return null;
	}
}

function checkoutModel(emulator: BtcPayEmulator, c: CheckoutRecord): Json {
	const st = subscriptionState(emulator);
	const subscriber = c.subscriberId !== null ? st.subscribers.get(c.subscriberId) : undefined;
	return {
		id: c.id,
		invoiceId: c.invoiceId,
		subscriber: subscriber ? subscriberModel(emulator, subscriber) : null,
		plan: planModel(emulator, st.plans.get(c.planId)!),
		successRedirectUrl: c.successRedirectUrl,
		expiration: c.expiration,
		redirectUrl: redirectUrlOf(c),
		baseUrl: baseUrl(emulator),
		invoiceMetadata: c.invoiceMetadata,
		metadata: c.metadata,
		newSubscriber: c.newSubscriber,
		isTrial: c.isTrial,
		created: c.created,
		planStarted: c.planStarted,
		newSubscriberMetadata: c.newSubscriberMetadata,
		refundAmount: c.refundAmount,
		creditedByInvoice: c.creditedByInvoice,
		onPayBehavior: c.onPay,
		isExpired: emulator.now() > c.expiration,
		creditPurchase: c.creditPurchase,
		url: `${emulator.url}/plan-checkout/${c.id}`,
	};
}

function portalModel(emulator: BtcPayEmulator, p: PortalRecord): Json {
	const s = subscriptionState(emulator).subscribers.get(p.subscriberId)!;
	return {
		id: p.id,
		baseUrl: baseUrl(emulator),
		subscriber: subscriberModel(emulator, s),
		expiration: p.expiration,
		isExpired: emulator.now() > p.expiration,
		url: `${emulator.url}/subscriber-portal/${p.id}`,
	};
}

// ---- customer selectors (BTCPayServer.Data/CustomerSelector.cs) ----

type Selector = { kind: 'id'; id: string } | { kind: 'ref'; ref: string } | { kind: 'identity'; type: string; value: string };

export function parseSelector(text: string): Selector | undefined {
	if (text.startsWith('cust_') && !text.includes('@')) return { kind: 'id', id: text };
	const ref = /^\[(.*)\]$/.exec(text);
	if (ref) return { kind: 'ref', ref: ref[1] };
	const colon = text.indexOf(':');
	if (colon > 0 && colon < text.length - 1) return { kind: 'identity', type: text.slice(0, colon), value: text.slice(colon + 1) };
	if (text.includes('@')) return { kind: 'identity', type: 'Email', value: text };
	return undefined;
}

function findCustomer(emulator: BtcPayEmulator, storeId: string, selector: Selector): CustomerRecord | undefined {
	for (const c of subscriptionState(emulator).customers.values()) {
		if (c.storeId !== storeId) continue;
		if (selector.kind === 'id' && c.id === selector.id) return c;
		if (selector.kind === 'ref' && c.externalRef === selector.ref) return c;
		if (selector.kind === 'identity' && c.identities[selector.type] === selector.value) return c;
	}
	return undefined;
}

/** ApplicationDbContextExtensions.GetBySelector (subscribers). */
function subscriberBySelector(emulator: BtcPayEmulator, offeringId: string, selector: Selector, storeId?: string): SubscriberRecord | undefined {
	const st = subscriptionState(emulator);
	const owner = storeId ?? st.offerings.get(offeringId)?.storeId;
	if (!owner) return undefined;
	const customerId = selector.kind === 'id' ? selector.id : findCustomer(emulator, owner, selector)?.id;
	if (!customerId) return undefined;
	return [...st.subscribers.values()].find((s) => s.offeringId === offeringId && s.customerId === customerId);
}

// ---- the subscription context: events published together at the end ----

type SubscriberEvent =
	| { type: 'SubscriberCreated'; sub: SubscriberRecord }
	| { type: 'SubscriberCredited' | 'SubscriberCharged'; sub: SubscriberRecord; total: string; amount: string; currency: string }
	| { type: 'SubscriberActivated' | 'PaymentReminder' | 'SubscriberNeedUpgrade'; sub: SubscriberRecord }
	| { type: 'SubscriberPhaseChanged'; sub: SubscriberRecord; previousPhase: Phase }
	| { type: 'SubscriberDisabled'; sub: SubscriberRecord; reason: 'Suspension' | 'Expired'; suspensionReason: string | null }
	| { type: 'PlanStarted'; sub: SubscriberRecord; autoRenew: boolean }
	| { type: 'CreditRefunded'; sub: SubscriberRecord; amount: string; currency: string; pullPaymentUrl: string };

class Context {
	readonly events: SubscriberEvent[] = [];
	readonly now: number;
	constructor(readonly emulator: BtcPayEmulator) {
		this.now = emulator.now();
	}
	add(e: SubscriberEvent): void {
		this.events.push(e);
	}
	/** SubscriptionContext.DisposeAsync publishes; SubscriberWebhookProvider.GetWebhookEvent builds each payload. */
	publish(): void {
		for (const e of this.events) this.emulator.publish(webhookEvent(this.emulator, e));
	}
}

/**
 * SubscriberWebhookProvider.GetWebhookEvent; payload fields as Newtonsoft writes the
 * WebhookSubscriptionEvent classes (the derived class's own properties first, then
 * `subscriber`, then the envelope and `storeId`). The decimals (`total`, `amount`) are
 * plain C# decimals without NumericStringJsonConverter, so BTCPay writes JSON numbers
 * although the spec says strings: the emulator writes numbers too.
 */
function webhookEvent(emulator: BtcPayEmulator, e: SubscriberEvent): EmulatorEvent {
	const storeId = subscriptionState(emulator).customers.get(e.sub.customerId)!.storeId;
	const subscriber = subscriberModel(emulator, e.sub);
	let own: Json = {};
	switch (e.type) {
		case 'SubscriberCredited':
		case 'SubscriberCharged':
			own = { total: Number(e.total), amount: Number(e.amount), currency: e.currency };
			break;
		case 'SubscriberPhaseChanged':
			own = { previousPhase: e.previousPhase, currentPhase: e.sub.phase };
			break;
		case 'SubscriberDisabled':
			own = { reason: e.reason, suspensionReason: e.suspensionReason };
			break;
		case 'PlanStarted':
			own = { autoRenew: e.autoRenew };
			break;
		case 'CreditRefunded':
			own = { amount: Number(e.amount), currency: e.currency, pullPaymentUrl: e.pullPaymentUrl };
			break;
		default:
			break;
	}
	return { type: e.type, storeId, before: { ...own, subscriber } };
}

function planOf(emulator: BtcPayEmulator, s: SubscriberRecord): PlanRecord {
	return subscriptionState(emulator).plans.get(s.planId)!;
}
function nextPlanOf(emulator: BtcPayEmulator, s: SubscriberRecord): PlanRecord {
	const st = subscriptionState(emulator);
	return (s.newPlanId ? st.plans.get(s.newPlanId) : undefined) ?? st.plans.get(s.planId)!;
}

/**
 * SubscriberData.GetCredit(currency): v2.4.1 compares the *requested* currency with the
 * plan's currency and then returns the first credit row, whatever its currency.
 */
function getCredit(emulator: BtcPayEmulator, s: SubscriberRecord, currency?: string): string {
	const plan = planOf(emulator, s);
	const first = [...s.credits.entries()][0];
	if (!first) return fromScaled(0n, scale(plan.currency));
	if ((currency ?? first[0]).toUpperCase() !== plan.currency.toUpperCase()) return fromScaled(0n, scale(plan.currency));
	return first[1];
}

/** SubscriberData.MissingCredit. */
function missingCredit(emulator: BtcPayEmulator, s: SubscriberRecord): string {
	const next = nextPlanOf(emulator, s);
	const credit = getCredit(emulator, s, next.currency);
	const d = precision(next.currency, next.price, credit);
	const missing = sub(next.price, credit, d);
	return cmp(missing, '0', d) > 0 ? missing : '0';
}

/**
 * SubscriptionContext.TryCreditDebitSubscriber: both amounts rounded to the currency's
 * decimals, the balance may not go below 0 unless allowed (then null: nothing changes);
 * SubscriberCredited (total = new balance + debit) and SubscriberCharged events.
 */
function tryCreditDebit(ctx: Context, s: SubscriberRecord, credit: string, charge: string, allowOverdraft = false, currency?: string): string | null {
	const code = (currency ?? planOf(ctx.emulator, s).currency).trim().toUpperCase();
	const d = scale(code);
	const c = roundHalfEven(credit, d);
	const ch = roundHalfEven(charge, d);
	const diff = sub(c, ch, d);
	const current = s.credits.get(code) ?? fromScaled(0n, d);
	const next = add(current, diff, d);
	if (cmp(diff, '0', d) < 0 && !allowOverdraft && cmp(next, '0', d) < 0) return null;
	s.credits.set(code, next);
	if (cmp(c, '0', d) !== 0) ctx.add({ type: 'SubscriberCredited', sub: s, total: add(next, ch, d), amount: c, currency: code });
	if (cmp(ch, '0', d) !== 0) ctx.add({ type: 'SubscriberCharged', sub: s, total: next, amount: ch, currency: code });
	return next;
}

/** SubscriberData.GetExpectedPhase. */
function expectedPhase(emulator: BtcPayEmulator, s: SubscriberRecord, time: number): Phase {
	if (s.trialEnd !== null && time < s.trialEnd) return 'Trial';
	if (s.periodEnd !== null && time < s.periodEnd) return 'Normal';
	if (s.gracePeriodEnd !== null && time < s.gracePeriodEnd) return 'Grace';
	if (planOf(emulator, s).recurringType === 'Lifetime' && s.paidAmount !== null) return 'Normal';
	return 'Expired';
}

/** SubscriberData.CanStartNextPlanEx. */
function canStartNextPlan(emulator: BtcPayEmulator, s: SubscriberRecord, newSubscriber: boolean, phase?: Phase): boolean {
	const next = nextPlanOf(emulator, s);
	if (next.status !== 'Active' || s.isSuspended) return false;
	if ((phase ?? s.phase) === 'Normal') return false;
	return newSubscriber || s.planId !== next.id || next.renewable;
}

function reminderDays(emulator: BtcPayEmulator, s: SubscriberRecord): number {
	return subscriptionState(emulator).offerings.get(s.offeringId)?.paymentReminderDays ?? 3;
}

/** SubscriberData.StartNextPlan. */
function startNextPlan(emulator: BtcPayEmulator, s: SubscriberRecord, now: number, trial = false): void {
	const plan = nextPlanOf(emulator, s);
	const phaseNow = expectedPhase(emulator, s, now);
	s.planId = plan.id;
	s.newPlanId = null;
	s.paymentReminded = false;
	const remind = reminderDays(emulator, s) * DAY;
	if (trial) {
		s.planStarted = now;
		s.periodEnd = null;
		s.trialEnd = now + plan.trialDays * DAY;
		s.reminderDate = s.trialEnd - remind;
		s.gracePeriodEnd = null;
		s.paidAmount = null;
	} else {
		// From the end of a grace period's period, or of the trial; else now.
		const start = phaseNow === 'Grace' && s.periodEnd !== null ? s.periodEnd : phaseNow === 'Trial' && s.trialEnd !== null ? s.trialEnd : now;
		const p = periodEnd(plan, start);
		s.periodEnd = p.periodEnd;
		s.gracePeriodEnd = p.graceEnd;
		s.reminderDate = p.periodEnd === null ? null : p.periodEnd - remind;
		s.planStarted = now;
		s.trialEnd = null;
		s.paidAmount = plan.price;
	}
}

/** SubscriptionHostedService.UpdateSubscriptionStates for one subscriber. */
function updateState(ctx: Context, m: SubscriberRecord): void {
	const emulator = ctx.emulator;
	const now = ctx.now;
	let newPhase = expectedPhase(emulator, m, now);
	const prevPhase = m.phase;
	const prevActive = m.isActive;
	if (prevPhase !== newPhase) {
		if ((newPhase === 'Expired' || newPhase === 'Grace') && m.autoRenew) {
			if (canStartNextPlan(emulator, m, false, newPhase)) {
				const next = nextPlanOf(emulator, m);
				const before = m.planId;
				if (tryCreditDebit(ctx, m, '0', next.price) !== null) {
					newPhase = 'Normal';
					startNextPlan(emulator, m, now);
					ctx.add({ type: 'PlanStarted', sub: m, autoRenew: before === m.planId });
				}
			} else if (!m.isSuspended) {
				ctx.add({ type: 'SubscriberNeedUpgrade', sub: m });
			}
		}
		if ((newPhase === 'Expired' || newPhase === 'Grace') && m.newPlanId !== null && m.newPlanId !== m.planId) {
			m.planId = m.newPlanId;
			m.newPlanId = null;
			ctx.add({ type: 'PlanStarted', sub: m, autoRenew: false });
		}
		if (newPhase === 'Expired') m.paidAmount = null;
		if (prevPhase !== newPhase) {
			m.phase = newPhase;
			ctx.add({ type: 'SubscriberPhaseChanged', sub: m, previousPhase: prevPhase });
		}
	}
	const next = nextPlanOf(emulator, m);
	if (m.reminderDate !== null && m.reminderDate <= now && !m.paymentReminded && cmp(missingCredit(emulator, m), '0', precision(next.currency, next.price)) > 0) {
		m.paymentReminded = true;
		ctx.add({ type: 'PaymentReminder', sub: m });
	}
	const newActive = !m.isSuspended && newPhase !== 'Expired';
	if (prevActive !== newActive) {
		m.isActive = newActive;
		if (newActive) ctx.add({ type: 'SubscriberActivated', sub: m });
		else ctx.add({ type: 'SubscriberDisabled', sub: m, reason: m.isSuspended ? 'Suspension' : 'Expired', suspensionReason: m.isSuspended ? m.suspensionReason : null });
	}
}

/**
 * The periodic poll: MemberSelector.PassedDate(from, to) picks the subscribers with a
 * period end, grace end, trial end or reminder date in [from, to) (any before `to` on
 * the first run); the last-update mark moves only when the pass produced events.
 */
function poll(emulator: BtcPayEmulator): void {
	const st = subscriptionState(emulator);
	if (!st.subscribers.size) return;
	const ctx = new Context(emulator);
	const from = st.lastPoll;
	const to = ctx.now;
	const inRange = (t: number | null) => t !== null && (from === undefined ? t < to : t >= from && t < to);
	for (const m of st.subscribers.values()) {
		if (inRange(m.periodEnd) || inRange(m.gracePeriodEnd) || inRange(m.trialEnd) || inRange(m.reminderDate)) updateState(ctx, m);
	}
	if (ctx.events.length) st.lastPoll = to;
	ctx.publish();
}

/** ApplicationDbContextExtensions.Customers.GetOrUpdate(storeId, ByEmail(email)). */
function customerByEmail(emulator: BtcPayEmulator, storeId: string, email: string): CustomerRecord {
	const found = findCustomer(emulator, storeId, { kind: 'identity', type: 'Email', value: email });
	if (found) return found;
	const c: CustomerRecord = { id: prefixedId('cust'), storeId, externalRef: null, identities: { Email: email }, metadata: {} };
	subscriptionState(emulator).customers.set(c.id, c);
	return c;
}

function emailOf(emulator: BtcPayEmulator, checkout: CheckoutRecord): string | null {
	if (checkout.newSubscriber) return checkout.newSubscriberEmail;
	const s = checkout.subscriberId !== null ? subscriptionState(emulator).subscribers.get(checkout.subscriberId) : undefined;
	return s ? (subscriptionState(emulator).customers.get(s.customerId)?.identities.Email ?? null) : null;
}

/** SubscriptionHostedService.CreateSubscription (GetOrCreateByCustomerId: none if the customer already subscribes). */
function createSubscription(ctx: Context, checkout: CheckoutRecord, optimisticActivation: boolean): SubscriberRecord | undefined {
	const st = subscriptionState(ctx.emulator);
	const plan = st.plans.get(checkout.planId)!;
	const offering = st.offerings.get(plan.offeringId)!;
	const email = emailOf(ctx.emulator, checkout);
	if (!email) return undefined;
	const customer = customerByEmail(ctx.emulator, offering.storeId, email);
	if ([...st.subscribers.values()].some((s) => s.offeringId === offering.id && s.customerId === customer.id)) return undefined;
	const s: SubscriberRecord = {
		id: st.nextSubscriberId++,
		offeringId: offering.id,
		customerId: customer.id,
		planId: plan.id,
		newPlanId: null,
		paidAmount: null,
		processingInvoiceId: null,
		phase: 'Expired',
		planStarted: ctx.now,
		periodEnd: null,
		reminderDate: null,
		trialEnd: null,
		gracePeriodEnd: null,
		autoRenew: true,
		isActive: false,
		paymentReminded: false,
		isSuspended: false,
		suspensionReason: null,
		credits: new Map(),
		metadata: checkout.newSubscriberMetadata,
		created: ctx.now,
		optimisticActivation,
	};
	st.subscribers.set(s.id, s);
	checkout.subscriberId = s.id;
	ctx.add({ type: 'SubscriberCreated', sub: s });
	return s;
}

/** SubscriptionHostedService.TryStartPlan (soft and hard migrations). */
function tryStartPlan(ctx: Context, checkout: CheckoutRecord, s: SubscriberRecord): void {
	if (checkout.planStarted) return;
	const emulator = ctx.emulator;
	const originalNewPlan = s.newPlanId;
	s.newPlanId = checkout.planId; // NewPlanScope
	let committed = false;
	if (canStartNextPlan(emulator, s, checkout.newSubscriber)) {
		if (checkout.isTrial || tryCreditDebit(ctx, s, '0', nextPlanOf(emulator, s).price) !== null) {
			startNextPlan(emulator, s, ctx.now, checkout.isTrial);
			committed = true;
			checkout.planStarted = true;
		}
	} else if (checkout.onPay === 'HardMigration') {
		const current = planOf(emulator, s);
		const unused = roundHalfEven(unusedPeriodAmount(s, ctx.now) ?? '0', scale(current.currency));
		if (checkout.isTrial || tryCreditDebit(ctx, s, unused, nextPlanOf(emulator, s).price) !== null) {
			checkout.refundAmount = unused;
			startNextPlan(emulator, s, ctx.now, checkout.isTrial);
			committed = true;
			checkout.planStarted = true;
		}
	}
	if (!committed) s.newPlanId = originalNewPlan;
	if (checkout.planStarted) ctx.add({ type: 'PlanStarted', sub: s, autoRenew: false });
}

/** SubscriberData.GetUnusedPeriodAmount: the paid amount times the unused share of the period (12 decimals here). */
function unusedPeriodAmount(s: SubscriberRecord, now: number): string | null {
	if (s.periodEnd === null || s.periodEnd - now <= 0 || s.paidAmount === null) return null;
	const total = BigInt(s.periodEnd - s.planStarted);
	if (total <= 0n) return null;
	const remaining = BigInt(s.periodEnd - now);
	return fromScaled((toScaled(s.paidAmount, 12) * remaining) / total, 12);
}

/** SubscriptionHostedService.StartPlanCheckoutWithoutInvoice. */
function startWithoutInvoice(ctx: Context, checkout: CheckoutRecord): void {
	const st = subscriptionState(ctx.emulator);
	let s = checkout.subscriberId !== null ? st.subscribers.get(checkout.subscriberId) : undefined;
	if (!s) {
		s = createSubscription(ctx, checkout, false);
		if (!s) return;
	}
	tryStartPlan(ctx, checkout, s);
	updateState(ctx, s);
}

/** SubscriptionHostedService.CreateInvoiceForCheckout. */
function createInvoiceForCheckout(ctx: Context, checkout: CheckoutRecord): EmulatorResponse | undefined {
	const emulator = ctx.emulator;
	const st = subscriptionState(emulator);
	const plan = st.plans.get(checkout.planId)!;
	const offering = st.offerings.get(plan.offeringId)!;
	const metadata: Json = { ...checkout.invoiceMetadata };
	if (checkout.newSubscriber) {
		metadata.planId = plan.id;
		metadata.offeringId = plan.offeringId;
	}
	const email = emailOf(emulator, checkout);
	if (email && !('buyerEmail' in metadata)) metadata.buyerEmail = email;
	const s = checkout.subscriberId !== null ? st.subscribers.get(checkout.subscriberId) : undefined;
	const existing = s ? getCredit(emulator, s) : '0';
	const d = precision(plan.currency, plan.price, existing, checkout.creditPurchase ?? '0');
	let amount = checkout.creditPurchase ?? sub(plan.price, existing, d);
	if (checkout.onPay === 'HardMigration' && s) {
		const unused = unusedPeriodAmount(s, ctx.now);
		if (unused !== null) amount = sub(amount, roundHalfEven(unused, scale(plan.currency)), d);
	}
	if (cmp(amount, '0', d) > 0) {
		const answer = createStoreInvoice(
			emulator,
			offering.storeId,
			{ currency: plan.currency, amount, checkout: { redirectAutomatically: true, redirectURL: redirectUrlOf(checkout) }, metadata },
			[`SUBS#${checkout.id}`],
		);
		if (answer.status !== 200) return { status: 400, body: { code: 'invoice-creation-error', message: String((answer.body as Json)?.message ?? 'Invoice creation failed') } };
		checkout.invoiceId = String((answer.body as Json).id);
		return undefined;
	}
	startWithoutInvoice(ctx, checkout);
	return undefined;
}

/** SubscriptionHostedService.ProcessSubscriptionPayment. */
function processPayment(emulator: BtcPayEmulator, invoice: InvoiceRecord, checkoutId: string): void {
	const st = subscriptionState(emulator);
	const checkout = st.checkouts.get(checkoutId);
	const plan = checkout ? st.plans.get(checkout.planId) : undefined;
	if (!checkout || !plan || st.offerings.get(plan.offeringId)?.storeId !== invoice.storeId) return;
	const ctx = new Context(emulator);
	let s = checkout.subscriberId !== null ? st.subscribers.get(checkout.subscriberId) : undefined;
	const processingInvoiceId = invoice.status === 'Processing' ? invoice.id : null;
	if (s && s.processingInvoiceId !== processingInvoiceId) s.processingInvoiceId = processingInvoiceId;
	if (invoice.status === 'Processing' && !plan.optimisticActivation) return;
	let needUpdate = false;
	if (invoice.status === 'Settled' || invoice.status === 'Processing') {
		if (!s) {
			s = createSubscription(ctx, checkout, invoice.status === 'Processing' && plan.optimisticActivation);
			if (!s) {
				ctx.publish();
				return;
			}
		}
		// SubscriptionContext.GetAmountToCredit: what was paid, rounded to the currency's decimals.
		const d = scale(invoice.currency);
		const invoiceCredit = roundHalfEven(paidAmount(invoice), d);
		if (cmp(checkout.creditedByInvoice, invoiceCredit, d) !== 0) {
			const diff = sub(invoiceCredit, checkout.creditedByInvoice, d);
			if (cmp(diff, '0', d) > 0) {
				checkout.creditedByInvoice = add(checkout.creditedByInvoice, diff, d);
				tryCreditDebit(ctx, s, diff, '0', true);
				tryStartPlan(ctx, checkout, s);
			} else {
				tryCreditDebit(ctx, s, '0', sub('0', diff, d), true);
				checkout.creditedByInvoice = add(checkout.creditedByInvoice, diff, d);
			}
		}
		if (invoice.status === 'Settled' && plan.optimisticActivation) s.optimisticActivation = false;
		needUpdate = true;
	} else if (s && invoice.status === 'Invalid' && checkout.planStarted && cmp(checkout.creditedByInvoice, '0', 8) !== 0) {
		s.isSuspended = true;
		s.suspensionReason = 'The plan has been started by an invoice which later became invalid.';
		needUpdate = true;
	}
	if (s && needUpdate) updateState(ctx, s);
	ctx.publish();
}

/**
 * Invoice events SubscriptionHostedService listens to: InvoiceEventCode Completed /
 * MarkedCompleted (InvoiceSettled), PaidInFull (InvoiceProcessing), MarkedInvalid
 * (InvoiceInvalid with manuallyMarked), for an invoice Settled, Invalid or Processing
 * that carries a `SUBS#` internal tag.
 */
function onInvoiceEvent(emulator: BtcPayEmulator, event: EmulatorEvent): void {
	const relevant =
		event.type === 'InvoiceSettled' || event.type === 'InvoiceProcessing' || (event.type === 'InvoiceInvalid' && event.before?.manuallyMarked === true);
	if (!relevant) return;
	const invoice = invoicesOf(emulator).get(String(event.after?.invoiceId ?? ''));
	if (!invoice || !['Settled', 'Invalid', 'Processing'].includes(invoice.status)) return;
	const tag = invoice.internalTags?.find((t) => t.startsWith('SUBS#'));
	if (tag) processPayment(emulator, invoice, tag.slice('SUBS#'.length));
}

// ---- request validation helpers ----

function isObject(v: unknown): v is Json {
	return !!v && typeof v === 'object' && !Array.isArray(v);
}

function offeringOf(emulator: BtcPayEmulator, req: EmulatorRequest): OfferingRecord | undefined {
	const o = subscriptionState(emulator).offerings.get(req.params.offeringId);
	return o && o.storeId === req.params.storeId ? o : undefined;
}

function selectorParam(req: EmulatorRequest): Selector | EmulatorResponse {
	const sel = parseSelector(req.params.customerSelector);
	return sel ?? validationError({ path: 'customerSelector', message: INVALID_SELECTOR });
}

function isResponse(v: unknown): v is EmulatorResponse {
	return isObject(v) && typeof v.status === 'number';
}

function decimalValue(v: unknown): string | undefined {
	if (typeof v === 'number' && Number.isFinite(v)) return String(v);
	if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return v.trim();
	return undefined;
}

/** GreenfieldOfferingController.ValidateOfferingFeatures. */
function featureErrors(body: Json): Array<{ path: string; message: string }> {
	const errors: Array<{ path: string; message: string }> = [];
	if (!Array.isArray(body.features)) return errors;
	body.features.forEach((f, i) => {
		if (!isObject(f)) errors.push({ path: `Features[${i}]`, message: 'Feature is required' });
		else if (typeof f.id !== 'string' || !f.id.trim()) errors.push({ path: `Features[${i}].Id`, message: 'Feature id is required' });
	});
	return errors;
}

/** UIOfferingController.UpdateFeatures: the offering's features become the list sent (kept ids keep their plans). */
function setFeatures(emulator: BtcPayEmulator, offering: OfferingRecord, list: unknown[]): void {
	offering.features = list.filter(isObject).map((f) => ({ id: String(f.id), description: typeof f.description === 'string' ? f.description : null }));
	const ids = new Set(offering.features.map((f) => f.id));
	for (const p of plansOf(emulator, offering.id)) p.features = p.features.filter((f) => ids.has(f));
}

function subscriberResponse(emulator: BtcPayEmulator, s: SubscriberRecord): EmulatorResponse {
	return { status: 200, body: subscriberModel(emulator, s) };
}

function withSubscriber(emulator: BtcPayEmulator, req: EmulatorRequest, fn: (s: SubscriberRecord) => EmulatorResponse): EmulatorResponse {
	const sel = selectorParam(req);
	if (isResponse(sel)) return sel;
	const s = subscriberBySelector(emulator, req.params.offeringId, sel, req.params.storeId);
	return s ? fn(s) : subscriberNotFound();
}

function runChange(emulator: BtcPayEmulator, s: SubscriberRecord, change: (ctx: Context) => void): void {
	const ctx = new Context(emulator);
	change(ctx);
	updateState(ctx, s);
	ctx.publish();
}

// ---- routes ----

export function register(emulator: BtcPayEmulator): void {
	// SubscriptionsPlugin.cs: RouteValueToStoreIdQuery("offeringId", ...): an offering id in the route is
	// resolved to its store for the permission check (an unknown one, or another store's: 403).
	emulator.registerOwner('offeringId', (id) => subscriptionState(emulator).offerings.get(id)?.storeId);
	emulator.subscribe((event) => onInvoiceEvent(emulator, event));
	emulator.addWatcher(() => poll(emulator));

	const base = '/api/v1/stores/{storeId}/offerings';
	emulator.route('GET', base, (req) => ({
		status: 200,
		body: [...subscriptionState(emulator).offerings.values()].filter((o) => o.storeId === req.params.storeId).map((o) => offeringModel(emulator, o)),
	}));

	emulator.route('POST', base, (req) => {
		const body = isObject(req.body) ? req.body : {};
		const errors: Array<{ path: string; message: string }> = [];
		if (typeof body.appName !== 'string') errors.push({ path: 'AppName', message: 'AppName is required' });
		errors.push(...featureErrors(body));
		if (errors.length) return validationError(...errors);
		if (!findStore(emulator, req.params.storeId)) return offeringNotFound();
		// AppService.CreateOffering: a Subscriptions app named appName, with its offering.
		const offering: OfferingRecord = {
			id: prefixedId('offering'),
			storeId: req.params.storeId,
			appId: base58Id(16),
			appName: String(body.appName),
			successRedirectUrl: typeof body.successRedirectUrl === 'string' ? body.successRedirectUrl : null,
			metadata: isObject(body.metadata) ? body.metadata : {},
			features: [],
			paymentReminderDays: 3,
		};
		subscriptionState(emulator).offerings.set(offering.id, offering);
		if (Array.isArray(body.features)) setFeatures(emulator, offering, body.features);
		return { status: 200, body: offeringModel(emulator, offering) };
	});

	emulator.route('GET', `${base}/{offeringId}`, (req) => {
		const o = offeringOf(emulator, req);
		return o ? { status: 200, body: offeringModel(emulator, o) } : offeringNotFound();
	});

	emulator.route('PUT', `${base}/{offeringId}`, (req) => {
		const body = isObject(req.body) ? req.body : {};
		const errors: Array<{ path: string; message: string }> = [];
		if (typeof body.appName !== 'string') errors.push({ path: 'AppName', message: 'AppName is required' });
		errors.push(...featureErrors(body));
		if (errors.length) return validationError(...errors);
		const o = offeringOf(emulator, req);
		if (!o) return offeringNotFound();
		o.appName = String(body.appName);
		if (typeof body.successRedirectUrl === 'string') o.successRedirectUrl = body.successRedirectUrl;
		if (isObject(body.metadata)) o.metadata = body.metadata;
		if (Array.isArray(body.features)) setFeatures(emulator, o, body.features);
		return { status: 200, body: offeringModel(emulator, o) };
	});

	emulator.route('POST', `${base}/{offeringId}/plans`, (req) => {
		const o = offeringOf(emulator, req);
		const store = findStore(emulator, req.params.storeId);
		if (!o || !store) return offeringNotFound();
		const body = isObject(req.body) ? req.body : {};
		const errors: Array<{ path: string; message: string }> = [];
		const price = body.price === undefined || body.price === null ? undefined : decimalValue(body.price);
		if (price?.startsWith('-')) errors.push({ path: 'Price', message: 'Price cannot be negative' });
		if (typeof body.name !== 'string') errors.push({ path: 'Name', message: 'Name is required' });
		const features: string[] = [];
		if (Array.isArray(body.features)) {
			for (const f of [...new Set(body.features.map(String))]) {
				if (!o.features.some((of) => of.id === f)) {
					errors.push({ path: 'Features', message: `A feature with id '${f}' does not exist on the offering.` });
					break;
				}
				features.push(f);
			}
		}
		if (errors.length) return validationError(...errors);
		const st = subscriptionState(emulator);
		const plan: PlanRecord = {
			id: prefixedId('plan'),
			offeringId: o.id,
			name: String(body.name),
			status: 'Active',
			price: price ?? '0',
			// CreateOfferingPlan: `Currency = store.GetStoreBlob().DefaultCurrency ?? request.Currency`; the store's
			// default currency is never null (StoreBlob.DefaultCurrency falls back to USD), so v2.4.1 ignores the
			// requested currency on create (UpdateOfferingPlan honours it).
			currency: store.defaultCurrency,
			recurringType: (typeof body.recurringType === 'string' ? body.recurringType : 'Monthly') as RecurringType,
			gracePeriodDays: typeof body.gracePeriodDays === 'number' ? body.gracePeriodDays : 0,
			trialDays: typeof body.trialDays === 'number' ? body.trialDays : 0,
			description: typeof body.description === 'string' ? body.description : '',
			optimisticActivation: body.optimisticActivation === true,
			renewable: body.renewable !== false,
			features,
			metadata: isObject(body.metadata) ? body.metadata : {},
			seq: ++st.planSeq,
		};
		st.plans.set(plan.id, plan);
		return { status: 200, body: planModel(emulator, plan) };
	});

	const planOfRoute = (req: EmulatorRequest): PlanRecord | EmulatorResponse => {
		const o = offeringOf(emulator, req);
		if (!o) return offeringNotFound();
		const p = subscriptionState(emulator).plans.get(req.params.planId);
		return p && p.offeringId === o.id ? p : planNotFound();
	};

	emulator.route('GET', `${base}/{offeringId}/plans/{planId}`, (req) => {
		const p = planOfRoute(req);
		return isResponse(p) ? p : { status: 200, body: planModel(emulator, p) };
	});

	emulator.route('PUT', `${base}/{offeringId}/plans/{planId}`, (req) => {
		const p = planOfRoute(req);
		if (isResponse(p)) return p;
		const body = isObject(req.body) ? req.body : {};
		const price = body.price === undefined || body.price === null ? undefined : decimalValue(body.price);
		if (price?.startsWith('-')) return validationError({ path: 'Price', message: 'Price cannot be negative' });
		const o = subscriptionState(emulator).offerings.get(p.offeringId)!;
		let features: string[] | undefined;
		if (Array.isArray(body.features)) {
			features = [];
			const errors: Array<{ path: string; message: string }> = [];
			for (const f of [...new Set(body.features.map(String))]) {
				if (!o.features.some((of) => of.id === f)) errors.push({ path: 'Features', message: `A feature with id '${f}' does not exist on the offering.` });
				else features.push(f);
			}
			if (errors.length) return validationError(...errors);
		}
		if (typeof body.name === 'string') p.name = body.name;
		if (typeof body.description === 'string') p.description = body.description;
		if (typeof body.currency === 'string') p.currency = body.currency;
		if (typeof body.gracePeriodDays === 'number') p.gracePeriodDays = body.gracePeriodDays;
		if (typeof body.trialDays === 'number') p.trialDays = body.trialDays;
		if (price !== undefined) p.price = price;
		if (isObject(body.metadata)) p.metadata = body.metadata;
		if (typeof body.recurringType === 'string') p.recurringType = body.recurringType as RecurringType;
		if (typeof body.optimisticActivation === 'boolean') p.optimisticActivation = body.optimisticActivation;
		if (typeof body.renewable === 'boolean') p.renewable = body.renewable;
		if (features) p.features = features;
		return { status: 200, body: planModel(emulator, p) };
	});

	const subs = `${base}/{offeringId}/subscribers/{customerSelector}`;
	emulator.route('GET', subs, (req) => withSubscriber(emulator, req, (s) => subscriberResponse(emulator, s)));

	emulator.route('DELETE', subs, (req) =>
		withSubscriber(emulator, req, (s) => {
			const st = subscriptionState(emulator);
			st.subscribers.delete(s.id);
			for (const c of st.checkouts.values()) if (c.subscriberId === s.id) c.subscriberId = null; // OnDelete SetNull
			for (const [id, p] of st.portals) if (p.subscriberId === s.id) st.portals.delete(id); // OnDelete Cascade
			return { status: 204 };
		}),
	);

	emulator.route('GET', `${subs}/credits/{currency}`, (req) =>
		withSubscriber(emulator, req, (s) => {
			const currency = req.params.currency === 'current' ? planOf(emulator, s).currency : req.params.currency;
			return { status: 200, body: { currency, value: getCredit(emulator, s, currency) } };
		}),
	);

	emulator.route('POST', `${subs}/credits/{currency}`, (req) =>
		withSubscriber(emulator, req, (s) => {
			const currency = req.params.currency === 'current' ? planOf(emulator, s).currency : req.params.currency;
			const body = isObject(req.body) ? req.body : {};
			const credit = body.credit === undefined || body.credit === null ? '0' : decimalValue(body.credit);
			const charge = body.charge === undefined || body.charge === null ? '0' : decimalValue(body.charge);
			if (credit === undefined) return validationError({ path: 'credit', message: 'Invalid decimal' });
			if (charge === undefined) return validationError({ path: 'charge', message: 'Invalid decimal' });
			// BalanceTransaction's constructor throws ArgumentOutOfRangeException for a negative credit or debit:
			// an unhandled exception, answered 500 by ASP.NET.
			if (credit.startsWith('-') || charge.startsWith('-')) return { status: 500, body: { code: 'server-error', message: 'Credit and debit must be positive.' } };
			const ctx = new Context(emulator);
			const total = tryCreditDebit(ctx, s, credit, charge, body.allowOverdraft === true, currency);
			ctx.publish();
			if (total === null) return apiError(400, 'overdraft', "The subscriber's balance would be overdrawn. Use allowOverdraft to allow this.");
			return { status: 200, body: { currency, value: getCredit(emulator, s, currency) } };
		}),
	);

	emulator.route('POST', `${subs}/suspend`, (req) =>
		withSubscriber(emulator, req, (s) => {
			const reason = isObject(req.body) && typeof req.body.reason === 'string' ? req.body.reason : null;
			runChange(emulator, s, () => {
				s.isSuspended = true;
				s.suspensionReason = reason;
			});
			return subscriberResponse(emulator, s);
		}),
	);

	emulator.route('POST', `${subs}/unsuspend`, (req) =>
		withSubscriber(emulator, req, (s) => {
			runChange(emulator, s, () => {
				s.isSuspended = false;
				s.suspensionReason = null;
			});
			return subscriberResponse(emulator, s);
		}),
	);

	emulator.route('PUT', `${subs}/dates`, (req) =>
		withSubscriber(emulator, req, (s) => {
			const body = isObject(req.body) ? req.body : {};
			const startIn = typeof body.startDate === 'number' ? body.startDate : null;
			const expIn = typeof body.expirationDate === 'number' ? body.expirationDate : null;
			if (startIn === null && expIn === null) return subscriberResponse(emulator, s);
			const start = startIn ?? s.planStarted;
			if (expIn !== null && expIn <= start) return apiError(400, 'invalid-dates', 'Expiration date must be after the start date.');
			// SubscriptionHostedService UpdateDatesRequest.
			runChange(emulator, s, () => {
				s.planStarted = start;
				s.paymentReminded = false;
				if (expIn === null) return;
				const remind = reminderDays(emulator, s) * DAY;
				const plan = planOf(emulator, s);
				if (s.trialEnd !== null) {
					s.trialEnd = expIn;
					s.reminderDate = expIn - remind;
				} else if (plan.recurringType !== 'Lifetime') {
					s.periodEnd = expIn;
					s.trialEnd = null;
					s.gracePeriodEnd = plan.gracePeriodDays > 0 ? expIn + plan.gracePeriodDays * DAY : null;
					s.reminderDate = expIn - remind;
				}
			});
			return subscriberResponse(emulator, s);
		}),
	);

	emulator.route('POST', '/api/v1/plan-checkout', (req) => {
		const body = isObject(req.body) ? req.body : {};
		const errors: Array<{ path: string; message: string }> = [];
		const selectorText = typeof body.customerSelector === 'string' && body.customerSelector ? body.customerSelector : undefined;
		const selector = selectorText ? parseSelector(selectorText) : undefined;
		if (selectorText && !selector) errors.push({ path: 'CustomerSelector', message: INVALID_SELECTOR });
		const storeId = typeof body.storeId === 'string' ? body.storeId : undefined;
		if (!storeId) errors.push({ path: 'StoreId', message: 'StoreId is required' });
		if (typeof body.offeringId !== 'string') errors.push({ path: 'OfferingId', message: 'OfferingId is required' });
		if (typeof body.planId !== 'string') errors.push({ path: 'PlanId', message: 'PlanId is required' });
		if (body.newSubscriberEmail != null && selectorText) {
			errors.push({ path: 'NewSubscriberEmail', message: 'If customerSelector is specified, newSubscriberEmail cannot be specified' });
		}
		// CanManageSubscribers(model.StoreId): the store from the body, checked in the action.
		if (!req.apiKey || !storeId || !findStore(emulator, storeId) || !emulator.hasPermission(req.apiKey, 'btcpay.store.canmanagesubscribers', storeId)) {
			return permissionError('btcpay.store.canmanagesubscribers');
		}
		const st = subscriptionState(emulator);
		const plan = st.plans.get(String(body.planId));
		if (!plan || plan.offeringId !== body.offeringId || st.offerings.get(plan.offeringId)?.storeId !== storeId) return planNotFound();
		let creditPurchase: string | null = null;
		if (body.creditPurchase !== undefined && body.creditPurchase !== null) {
			const v = decimalValue(body.creditPurchase);
			creditPurchase = v === undefined ? null : roundHalfEven(v, scale(plan.currency));
			if (v === undefined || cmp(creditPurchase ?? '0', '0', scale(plan.currency)) <= 0) {
				errors.push({ path: 'CreditPurchase', message: 'CreditPurchase must be greater than 0 or left null' });
			}
		}
		if (errors.length) return validationError(...errors);
		let subscriberId: number | null = null;
		if (selector) {
			const s = subscriberBySelector(emulator, plan.offeringId, selector, storeId);
			if (!s) return subscriberNotFound();
			subscriberId = s.id;
		}
		const now = emulator.now();
		const minutes = typeof body.durationMinutes === 'number' && body.durationMinutes > 0 ? body.durationMinutes : undefined;
		// Uri.IsWellFormedUriString(successRedirectLink, UriKind.Absolute), else null.
		let success: string | null = null;
		if (typeof body.successRedirectLink === 'string') {
			try {
				new URL(body.successRedirectLink);
				success = body.successRedirectLink;
			} catch {
				success = null;
			}
		}
		const checkout: CheckoutRecord = {
			id: prefixedId('plancheckout'),
			planId: plan.id,
			invoiceId: null,
			successRedirectUrl: success,
			isTrial: plan.trialDays > 0 && body.isTrial === true,
			newSubscriber: !selector,
			newSubscriberEmail: typeof body.newSubscriberEmail === 'string' ? body.newSubscriberEmail : null,
			subscriberId,
			invoiceMetadata: isObject(body.invoiceMetadata) ? body.invoiceMetadata : {},
			newSubscriberMetadata: isObject(body.newSubscriberMetadata) ? body.newSubscriberMetadata : {},
			metadata: isObject(body.metadata) ? body.metadata : {},
			creditedByInvoice: fromScaled(0n, scale(plan.currency)),
			planStarted: false,
			refundAmount: null,
			onPay: body.onPayBehavior === 'HardMigration' ? 'HardMigration' : 'SoftMigration',
			// PlanCheckoutData: expiration defaults to now() + 1 day; durationMinutes > 0 sets it.
			expiration: now + (minutes !== undefined ? Math.round(minutes * 60) : DAY),
			creditPurchase,
			created: now,
		};
		st.checkouts.set(checkout.id, checkout);
		return { status: 200, body: checkoutModel(emulator, checkout) };
	});

	emulator.route('GET', '/api/v1/plan-checkout/{checkoutId}', (req) => {
		const c = subscriptionState(emulator).checkouts.get(req.params.checkoutId);
		return c ? { status: 200, body: checkoutModel(emulator, c) } : checkoutNotFound();
	});

	emulator.route('POST', '/api/v1/plan-checkout/{checkoutId}', (req) => {
		const st = subscriptionState(emulator);
		const c = st.checkouts.get(req.params.checkoutId);
		if (!c) return checkoutNotFound();
		if (emulator.now() > c.expiration) return checkoutExpired();
		const email = req.query.get('email');
		if (email !== null && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return validationError({ path: 'email', message: 'Invalid email' });
		const invoice = c.invoiceId ? invoicesOf(emulator).get(c.invoiceId) : undefined;
		if (invoice && invoice.status !== 'Expired' && invoice.status !== 'Invalid') return { status: 200, body: checkoutModel(emulator, c) };
		if (c.newSubscriber && c.newSubscriberEmail === null && email !== null) c.newSubscriberEmail = email;
		if (c.newSubscriber && c.newSubscriberEmail === null) return validationError({ path: 'email', message: 'You need to pass `email` as query string' });
		// SubscribeRequest: the success URL falls back to the offering's, then to the default page.
		const plan = st.plans.get(c.planId)!;
		c.successRedirectUrl ??= st.offerings.get(plan.offeringId)?.successRedirectUrl ?? `${emulator.url}/plan-checkout/default-redirect`;
		const ctx = new Context(emulator);
		let failed: EmulatorResponse | undefined;
		if (c.isTrial) startWithoutInvoice(ctx, c);
		else failed = createInvoiceForCheckout(ctx, c);
		ctx.publish();
		return failed ?? { status: 200, body: checkoutModel(emulator, c) };
	});

	emulator.route('POST', '/api/v1/subscriber-portal', (req) => {
		const body = isObject(req.body) ? req.body : {};
		const errors: Array<{ path: string; message: string }> = [];
		const storeId = typeof body.storeId === 'string' ? body.storeId : undefined;
		if (!storeId) errors.push({ path: 'StoreId', message: 'StoreId is required' });
		if (typeof body.offeringId !== 'string') errors.push({ path: 'OfferingId', message: 'OfferingId is required' });
		const text = typeof body.customerSelector === 'string' ? body.customerSelector : '';
		const selector = text ? parseSelector(text) : undefined;
		if (!text) errors.push({ path: 'CustomerSelector', message: 'CustomerSelector is required' });
		else if (!selector) errors.push({ path: 'CustomerSelector', message: INVALID_SELECTOR });
		if (errors.length || !selector || !storeId) return validationError(...errors);
		if (!req.apiKey || !findStore(emulator, storeId) || !emulator.hasPermission(req.apiKey, 'btcpay.store.canmanagesubscribers', storeId)) {
			return permissionError('btcpay.store.canmanagesubscribers');
		}
		const s = subscriberBySelector(emulator, String(body.offeringId), selector, storeId);
		if (!s) return subscriberNotFound();
		const minutes = typeof body.durationMinutes === 'number' && body.durationMinutes > 0 ? body.durationMinutes : undefined;
		const portal: PortalRecord = { id: prefixedId('ps'), subscriberId: s.id, expiration: emulator.now() + (minutes !== undefined ? Math.round(minutes * 60) : DAY) };
		subscriptionState(emulator).portals.set(portal.id, portal);
		return { status: 200, body: portalModel(emulator, portal) };
	});

	emulator.route('GET', '/api/v1/subscriber-portal/{portalSessionId}', (req) => {
		const p = subscriptionState(emulator).portals.get(req.params.portalSessionId);
		return p ? { status: 200, body: portalModel(emulator, p) } : portalNotFound();
	});
}

/** Emulator-only test helper: the stored subscriber of an offering (state, no HTTP). */
export function subscriberOf(emulator: BtcPayEmulator, offeringId: string, selector: string): SubscriberRecord | undefined {
	const sel = parseSelector(selector);
	return sel ? subscriberBySelector(emulator, offeringId, sel) : undefined;
}
