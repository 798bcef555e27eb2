/**
 * "Confirm with API": before a delivery that names an invoice starts a workflow,
 * BTCPay is asked what it knows, and `confirmed: true` means BTCPay agrees with
 * what the event claims. A delivery signed with a leaked secret can then not fake
 * a payment. Rules, from BTCPay v2.4.1's source (HostedServices/InvoiceWatcher.cs
 * sets the statuses and publishes the events; Services/Invoices/InvoiceEntity.cs
 * InvoiceState.CanMarkComplete/CanMarkInvalid/CanRefund; Plugins/Webhooks/
 * TriggerProviders/InvoiceTriggerProvider.cs maps events to webhook types):
 *
 * | Event                        | BTCPay must show                                                   |
 * |------------------------------|--------------------------------------------------------------------|
 * | InvoiceCreated               | the invoice, in this store                                         |
 * | InvoiceReceivedPayment       | the event's `payment` in the invoice's payment methods `payments[]`|
 * |                              | (by id, else destination + value); any status, also after expiry   |
 * | InvoicePaymentSettled        | that payment, with status Settled                                  |
 * | InvoiceProcessing            | status Processing or Settled                                       |
 * | InvoiceSettled               | status Settled                                                     |
 * | InvoiceInvalid               | status Invalid                                                     |
 * | InvoiceExpired               | status Expired; or, once the expiry time has passed, Invalid or    |
 * |                              | Settled marked by hand (both allowed from Expired)                 |
 * | InvoiceExpiredPaidPartial    | status Expired with PaidPartial (or PaidLate: paid in full later)  |
 * | InvoicePaidAfterExpiration   | the late payment: the event's `payment` if it carries one, else    |
 * |                              | Expired + PaidLate or a payment received at/after the expiry time  |
 * | InvoiceRefund                | a refundable state (Settled, Invalid, or Expired paid late/partial/|
 * |                              | over) and, when named, the refund's pull payment exists            |
 * | any other type with invoiceId| the invoice, in this store; emitted with `confirmed: false`        |
 *
 * Subscription events (no invoiceId; Plugins/Subscriptions/SubscriberWebhookProvider.cs)
 * are confirmed by reading the event's subscriber back (customer `subscriber.customer.id`
 * in offering `subscriber.offering.id` of this store; needs btcpay.store.canviewofferings):
 *
 * | Event                        | BTCPay's subscriber must show                                      |
 * |------------------------------|--------------------------------------------------------------------|
 * | SubscriberActivated          | `isActive: true`                                                   |
 * | SubscriberDisabled           | `isActive: false`                                                  |
 * | SubscriberPhaseChanged       | `phase` = the event's `currentPhase`                               |
 * | SubscriberCreated, Credited, | the subscriber, in this store and offering (an unknown offering or |
 * | Charged, NeedUpgrade,        | customer: rejected)                                                |
 * | PaymentReminder, PlanStarted,|                                                                    |
 * | CreditRefunded               |                                                                    |
 * | any other type with a        | the subscriber; emitted with `confirmed: false`                    |
 * | `subscriber` object          |                                                                    |
 *
 * ReceivedPayment is published before the watcher recomputes the status, so the
 * status alone can still say New/None: payments are proven by `payments[]`.
 */
import { isServiceError } from '../../shared/errors';
import { STORE_UNREACHABLE } from '../client/errors';
import { INVOICE_EVENT_TYPES, SUBSCRIPTION_EVENT_TYPES } from '../client/webhooks';

/** The part of the Greenfield invoice the trigger uses. */
export interface InvoiceView {
	id: string;
	storeId?: string | null;
	status: string;
	additionalStatus?: string | null;
	amount: string;
	currency: string;
	/** The invoice's checkout page (Greenfield returns it; GreenfieldInvoiceController.cs ToModel). */
	checkoutLink?: string | null;
	/** Unix seconds. */
	expirationTime?: number;
	metadata?: Record<string, unknown> | null;
}

export interface PaymentView {
	id: string;
	value: string;
	status: string;
	destination?: string | null;
	/** Unix seconds. */
	receivedDate?: number;
}

export interface PaymentMethodView {
	paymentMethodId: string;
	payments: PaymentView[];
}

/** What confirmation may ask BTCPay; each call may be aborted through `signal`. */
export interface ConfirmApi {
	invoice(storeId: string, invoiceId: string, signal: AbortSignal): Promise<InvoiceView>;
	paymentMethods(storeId: string, invoiceId: string, signal: AbortSignal): Promise<PaymentMethodView[]>;
	/** A pull payment by ID (anonymous route in Greenfield). */
	pullPayment(pullPaymentId: string, signal: AbortSignal): Promise<unknown>;
	/** A subscriber by customer selector (subscription events); without it they cannot be confirmed. */
	subscriber?: SubscriptionConfirmApi['subscriber'];
}

export type Confirmation =
	/** BTCPay agrees (`known: false`: only the invoice's existence could be checked). */
	| { outcome: 'confirmed'; invoice: InvoiceView; known: boolean; payment?: PaymentView }
	/** The event was authentic-looking but BTCPay disagrees: emit nothing, answer 200. */
	| { outcome: 'rejected'; reason: string }
	/** BTCPay could not be asked in time (network, 5xx, 429, deadline): answer 503 so BTCPay redelivers. */
	| { outcome: 'retry'; reason: string }
	/** A permanent problem (no permission, key rejected): no retry can cure it. */
	| { outcome: 'failed'; reason: string };

/** The invoice event types BTCPay v2.4.1 sends (WebhookEventType.cs), with a rule each. */
export const INVOICE_EVENT_RULES = INVOICE_EVENT_TYPES;

const KNOWN = new Set<string>(INVOICE_EVENT_RULES);

/** Events whose claim is a payment that must be found in `payments[]`. */
const PAYMENT_EVENTS = new Set(['InvoiceReceivedPayment', 'InvoicePaymentSettled']);

const REFUNDABLE_EXPIRED = new Set(['PaidLate', 'PaidOver', 'PaidPartial']);

export interface ConfirmContext {
	/** Unix seconds now (tests pass a fixed clock). */
	now?: number;
}

/** `"1.50"`, `"1.5"` and `1.5` are the same amount; compared without floats. */
export function sameDecimal(a: unknown, b: unknown): boolean {
	const norm = (v: unknown): string | undefined => {
		if (typeof v !== 'string' && typeof v !== 'number') return undefined;
		const s = String(v).trim();
		const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s);
		if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
		const int = m[2].replace(/^0+/, '') || '0';
		const frac = (m[3] ?? '').replace(/0+$/, '');
		const sign = m[1] === '-' && (int !== '0' || frac !== '') ? '-' : '';
		return `${sign}${int}${frac ? `.${frac}` : ''}`;
	};
	const x = norm(a);
	return x !== undefined && x === norm(b);
}

interface EventPayment {
	id?: string;
	value?: unknown;
	destination?: string;
}

function eventPayment(event: Record<string, unknown>): EventPayment | undefined {
	const p = event.payment;
	if (!p || typeof p !== 'object' || Array.isArray(p)) return undefined;
	const o = p as Record<string, unknown>;
	return {
		id: typeof o.id === 'string' && o.id ? o.id : undefined,
		value: o.value,
		destination: typeof o.destination === 'string' && o.destination ? o.destination : undefined,
	};
}

/** The event's payment among the invoice's payments: by id, else by destination and value. */
export function findPayment(
	methods: readonly PaymentMethodView[],
	claimed: EventPayment,
	paymentMethodId?: unknown,
): PaymentView | undefined {
	const candidates = methods
		.filter((m) => typeof paymentMethodId !== 'string' || !paymentMethodId || m.paymentMethodId === paymentMethodId)
		.flatMap((m) => m.payments);
	if (claimed.id) {
		const byId = candidates.find((p) => p.id === claimed.id);
		if (byId) return byId;
	}
	if (claimed.destination && claimed.value !== undefined) {
		return candidates.find((p) => p.destination === claimed.destination && sameDecimal(p.value, claimed.value));
	}
	return undefined;
}

function expiredBefore(invoice: InvoiceView, now: number): boolean {
	return typeof invoice.expirationTime === 'number' && invoice.expirationTime <= now;
}

/** Why the invoice's status contradicts a status event, or undefined when it agrees. */
export function contradiction(type: string, invoice: InvoiceView, ctx: ConfirmContext = {}): string | undefined {
	const now = ctx.now ?? Math.floor(Date.now() / 1000);
	const status = invoice.status;
	const extra = invoice.additionalStatus || 'None';
	const says = `BTCPay says ${status}/${extra}`;
	switch (type) {
		case 'InvoiceSettled':
			return status === 'Settled' ? undefined : `event says Settled, ${says}`;
		case 'InvoiceProcessing':
			return status === 'Processing' || status === 'Settled' ? undefined : `event says Processing, ${says}`;
		case 'InvoiceInvalid':
			return status === 'Invalid' ? undefined : `event says Invalid, ${says}`;
		case 'InvoiceExpired':
			if (status === 'Expired') return undefined;
			// Expired invoices may be marked Invalid or Settled by hand later (InvoiceState.CanMarkInvalid / CanMarkComplete).
			if ((status === 'Invalid' || status === 'Settled') && extra === 'Marked' && expiredBefore(invoice, now)) return undefined;
			return `event says Expired, ${says}`;
		case 'InvoiceExpiredPaidPartial':
			return status === 'Expired' && (extra === 'PaidPartial' || extra === 'PaidLate')
				? undefined
				: `event says Expired with a partial payment, ${says}`;
		case 'InvoiceRefund':
			return status === 'Settled' || status === 'Invalid' || (status === 'Expired' && REFUNDABLE_EXPIRED.has(extra))
				? undefined
				: `event says Refund, but ${says} cannot be refunded`;
		default:
			return undefined;
	}
}

function classify(error: unknown): Exclude<Confirmation, { outcome: 'confirmed' }> {
	if (isServiceError(error)) {
		// The configured store itself is gone or out of the key's reach: nothing to do with the event.
		if (error.code === STORE_UNREACHABLE) return { outcome: 'failed', reason: error.message };
		if (error.kind === 'not_found') return { outcome: 'rejected', reason: error.message };
		if (['permission', 'auth', 'input', 'protocol', 'validation', 'business'].includes(error.kind)) {
			return { outcome: 'failed', reason: error.message };
		}
		return { outcome: 'retry', reason: error.message };
	}
	if (error instanceof DeadlineError) return { outcome: 'retry', reason: error.message };
	return { outcome: 'retry', reason: error instanceof Error ? error.message : String(error) };
}

class DeadlineError extends Error {}

/**
 * Runs `fn` with an AbortSignal that fires at the deadline; rejects with a
 * DeadlineError then, whether or not `fn` honours the signal.
 */
async function withDeadline<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
	const controller = new AbortController();
	let timer: ReturnType<typeof setTimeout> | undefined;
	const deadline = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			reject(new DeadlineError(`BTCPay did not answer within ${Math.round(ms / 100) / 10} s`));
			controller.abort();
		}, Math.max(0, ms));
	});
	const work = fn(controller.signal);
	work.catch(() => undefined); // settles after the deadline: nobody listens any more
	try {
		return await Promise.race([work, deadline]);
	} finally {
		clearTimeout(timer);
	}
}

export interface ConfirmOptions extends ConfirmContext {
	/** Time allowed for all requests of this confirmation, ms. */
	deadlineMs: number;
}

/**
 * Confirms one delivery that carries an invoiceId. The caller has already checked
 * that the event belongs to `storeId`.
 */
export async function confirmInvoiceEvent(
	api: ConfirmApi,
	storeId: string,
	event: Record<string, unknown> & { type: string; invoiceId?: string | null },
	options: ConfirmOptions,
): Promise<Confirmation> {
	const invoiceId = event.invoiceId;
	if (!invoiceId) return { outcome: 'rejected', reason: 'invoice event without invoiceId' };
	const type = event.type;
	const known = KNOWN.has(type);
	const claimed = eventPayment(event);
	const needsPayments = PAYMENT_EVENTS.has(type) || type === 'InvoicePaidAfterExpiration';
	const pullPaymentId = type === 'InvoiceRefund' && typeof event.pullPaymentId === 'string' && event.pullPaymentId ? event.pullPaymentId : undefined;

	let invoice: InvoiceView;
	let methods: PaymentMethodView[] | undefined;
	try {
		[invoice, methods] = await withDeadline(options.deadlineMs, async (signal) => {
			// Independent reads run side by side: the whole confirmation shares one deadline.
			const [inv, pm, pp] = await Promise.allSettled([
				api.invoice(storeId, invoiceId, signal),
				needsPayments ? api.paymentMethods(storeId, invoiceId, signal) : Promise.resolve(undefined),
				pullPaymentId ? api.pullPayment(pullPaymentId, signal) : Promise.resolve(undefined),
			]);
			if (inv.status === 'rejected') throw inv.reason;
			if (pm.status === 'rejected') throw pm.reason;
			if (pp.status === 'rejected') {
				if (isServiceError(pp.reason) && pp.reason.kind === 'not_found') {
					throw new RefundMissing(`the refund's pull payment ${pullPaymentId} does not exist in BTCPay`);
				}
				throw pp.reason;
			}
			return [inv.value, pm.value] as const;
		});
	} catch (error) {
		if (error instanceof RefundMissing) return { outcome: 'rejected', reason: error.message };
		return classify(error);
	}
	if (invoice.id !== invoiceId) return { outcome: 'rejected', reason: 'BTCPay returned another invoice' };
	if (invoice.storeId && invoice.storeId !== storeId) {
		return { outcome: 'rejected', reason: 'the invoice belongs to another store' };
	}
	if (!known) return { outcome: 'confirmed', invoice, known: false };

	if (PAYMENT_EVENTS.has(type) || (type === 'InvoicePaidAfterExpiration' && claimed)) {
		if (!claimed || (!claimed.id && !(claimed.destination && claimed.value !== undefined))) {
			return { outcome: 'rejected', reason: 'event reports a payment but names none (no payment id, destination or value)' };
		}
		const payment = findPayment(methods ?? [], claimed, event.paymentMethodId);
		if (!payment) return { outcome: 'rejected', reason: `payment ${claimed.id ?? claimed.destination} is not listed by BTCPay for this invoice` };
		if (type === 'InvoicePaymentSettled' && payment.status !== 'Settled') {
			return { outcome: 'rejected', reason: `event says the payment settled, BTCPay says it is ${payment.status}` };
		}
		return { outcome: 'confirmed', invoice, known: true, payment };
	}
	if (type === 'InvoicePaidAfterExpiration') {
		if (invoice.status === 'Expired' && invoice.additionalStatus === 'PaidLate') return { outcome: 'confirmed', invoice, known: true };
		const expiry = invoice.expirationTime;
		const late = (methods ?? [])
			.flatMap((m) => m.payments)
			.find((p) => typeof expiry === 'number' && typeof p.receivedDate === 'number' && p.receivedDate >= expiry && p.status !== 'Invalid');
		if (late) return { outcome: 'confirmed', invoice, known: true, payment: late };
		return { outcome: 'rejected', reason: `event says paid after expiration, BTCPay lists no late payment (${invoice.status}/${invoice.additionalStatus || 'None'})` };
	}
	const why = contradiction(type, invoice, options);
	if (why) return { outcome: 'rejected', reason: why };
	return { outcome: 'confirmed', invoice, known: true };
}

class RefundMissing extends Error {}

// ---- subscription events ----

/** The part of the Greenfield subscriber (SubscriberModel) the trigger uses. */
export interface SubscriberView {
	customer: { id: string; storeId?: string | null; externalId?: string | null; identities?: Record<string, unknown> | null };
	offering?: { id: string; storeId?: string | null } | null;
	plan: { id: string; name?: string | null; price?: string; currency?: string };
	phase: string;
	isActive: boolean;
	isSuspended?: boolean | null;
	/** Unix seconds. */
	periodEnd?: number | null;
	trialEnd?: number | null;
	gracePeriodEnd?: number | null;
	metadata?: Record<string, unknown> | null;
}

/** What confirming a subscription event may ask BTCPay (needs btcpay.store.canviewofferings). */
export interface SubscriptionConfirmApi {
	subscriber(storeId: string, offeringId: string, customerSelector: string, signal: AbortSignal): Promise<SubscriberView>;
}

export type SubscriptionConfirmation =
	| { outcome: 'confirmed'; subscriber: SubscriberView; known: boolean }
	| Exclude<Confirmation, { outcome: 'confirmed' }>;

/**
 * The subscription event types BTCPay v2.4.1 sends (BTCPayServer.Client/Models/
 * WebhookSubscriptionEvent.cs IsSubscriptionType; payloads built by Plugins/
 * Subscriptions/SubscriberWebhookProvider.cs), each with a rule below.
 */
export const SUBSCRIPTION_EVENT_RULES = SUBSCRIPTION_EVENT_TYPES;

const SUBSCRIPTION_KNOWN = new Set<string>(SUBSCRIPTION_EVENT_RULES);

/** BTCPay's own test is an exact, case-sensitive match (WebhookSubscriptionEvent.IsSubscriptionType). */
export function isSubscriptionEventType(type: string): boolean {
	return SUBSCRIPTION_KNOWN.has(type);
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() ? value : undefined;
}

/** The customer ID and offering ID a subscription event names (`subscriber.customer.id`, `subscriber.offering.id`). */
export function subscriberRef(event: Record<string, unknown>): { customerId?: string; offeringId?: string } {
	const sub = event.subscriber;
	if (!sub || typeof sub !== 'object' || Array.isArray(sub)) return {};
	const s = sub as Record<string, unknown>;
	const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
	return { customerId: text(obj(s.customer).id), offeringId: text(obj(s.offering).id) };
}

/**
 * Why the subscriber BTCPay shows contradicts a subscription event, or undefined
 * when it agrees. The events of one change are published together once the change
 * is saved (SubscriptionContext.DisposeAsync), so the record already shows it:
 *
 * | Event                   | BTCPay's subscriber must show                           |
 * |-------------------------|---------------------------------------------------------|
 * | SubscriberActivated     | `isActive: true`                                        |
 * | SubscriberDisabled      | `isActive: false`                                       |
 * | SubscriberPhaseChanged  | `phase` equal to the event's `currentPhase`             |
 * | the other seven         | the subscriber exists (checked by reading it)           |
 */
export function subscriberContradiction(type: string, event: Record<string, unknown>, subscriber: SubscriberView): string | undefined {
	const says = `BTCPay says ${subscriber.isActive ? 'active' : 'inactive'}, phase ${subscriber.phase}${subscriber.isSuspended ? ', suspended' : ''}`;
	switch (type) {
		case 'SubscriberActivated':
			return subscriber.isActive ? undefined : `event says the subscriber was activated, ${says}`;
		case 'SubscriberDisabled':
			return subscriber.isActive ? `event says the subscriber was disabled, ${says}` : undefined;
		case 'SubscriberPhaseChanged': {
			const phase = text(event.currentPhase);
			if (!phase) return 'phase change event without currentPhase';
			return subscriber.phase === phase ? undefined : `event says phase ${phase}, ${says}`;
		}
		default:
			return undefined;
	}
}

/**
 * Confirms one subscription delivery: reads the subscriber back
 * (`GET /api/v1/stores/{store}/offerings/{offering}/subscribers/{customerId}`) and
 * checks it is the event's, in this store and offering, and agrees with the event.
 * Unknown event types naming a subscriber are only checked for its existence
 * (`known: false`). The caller has already checked the event's `storeId`.
 */
export async function confirmSubscriptionEvent(
	api: SubscriptionConfirmApi,
	storeId: string,
	event: Record<string, unknown> & { type: string },
	options: ConfirmOptions,
): Promise<SubscriptionConfirmation> {
	const { customerId, offeringId } = subscriberRef(event);
	if (!customerId || !offeringId) {
		return { outcome: 'rejected', reason: 'subscription event without subscriber.customer.id and subscriber.offering.id' };
	}
	let subscriber: SubscriberView;
	try {
		subscriber = await withDeadline(options.deadlineMs, async (signal) => await api.subscriber(storeId, offeringId, customerId, signal));
	} catch (error) {
		return classify(error);
	}
	if (subscriber.customer.id !== customerId) return { outcome: 'rejected', reason: 'BTCPay returned another customer' };
	if (subscriber.customer.storeId && subscriber.customer.storeId !== storeId) {
		return { outcome: 'rejected', reason: 'the subscriber belongs to another store' };
	}
	if (subscriber.offering && subscriber.offering.id !== offeringId) return { outcome: 'rejected', reason: 'BTCPay returned another offering' };
	if (!SUBSCRIPTION_KNOWN.has(event.type)) return { outcome: 'confirmed', subscriber, known: false };
	const why = subscriberContradiction(event.type, event, subscriber);
	if (why) return { outcome: 'rejected', reason: why };
	return { outcome: 'confirmed', subscriber, known: true };
}
