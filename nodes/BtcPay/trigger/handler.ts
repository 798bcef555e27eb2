/**
 * One delivery from start to answer, without n8n types: verify, parse, check the
 * store, filter by event type, drop redeliveries, confirm with the API, build the
 * output item. The node's webhook() maps the result to n8n's response.
 *
 * BTCPay sends one webhook's deliveries strictly one after another and retries
 * (10 s, 1 min, then six times 10 min) inside that slot, only for 5xx, 408, 429
 * and network errors (Plugins/Webhooks/WebhookSender.cs). A 5xx answer holds every
 * later event of the store back, so 5xx is kept for what a retry can cure:
 *
 * | Condition                                            | Answer | Why                                    |
 * |------------------------------------------------------|--------|----------------------------------------|
 * | emitted                                              | 200    | `emitted: true`                        |
 * | redelivery of an emitted delivery, type not selected,| 200    | nothing to do; a retry changes nothing |
 * | other store, BTCPay disagrees with the event         |        |                                        |
 * | body too large / not JSON / not an event             | 400    | the sender is wrong; never retried     |
 * | BTCPay-Sig missing or wrong                          | 401    | forged or another secret               |
 * | no secret stored (not registered, not pasted)        | 401    | cannot authenticate anything; logged   |
 * | key cannot read invoices (or offerings for           | 403    | permanent until fixed; logged as error |
 * | subscription events), key rejected, store gone       |        |                                        |
 * | BTCPay unreachable, 5xx, 429, confirmation deadline  | 503    | a retry minutes later can succeed      |
 * | same delivery still being handled by another call    | 503    | only if that call did not emit in time |
 * | BTCPay already recorded this delivery (it gave up),  | 503    | its retry is on the way (ledger.ts)    |
 * | or the budget is spent, right before emitting        |        |                                        |
 * | BTCPay's delivery records cannot be read             | 503    | a retry minutes later can succeed      |
 * | redelivery of a chain BTCPay recorded as 2xx         | 200    | duplicate, also from another process   |
 *
 * The whole answer stays within `answerBudgetMs` (default 12 s, BTCPay waits 100 s).
 */
import type { DeliveryMemory } from '../../shared/delivery-memory';
import {
	confirmInvoiceEvent,
	confirmSubscriptionEvent,
	isSubscriptionEventType,
	type ConfirmApi,
	type Confirmation,
	type InvoiceView,
	type PaymentView,
	type SubscriberView,
	type SubscriptionConfirmation,
} from './confirm';
import { checkDelivery, type BtcPayWebhookEvent } from './delivery';
import { eventSelected, isInvoiceEvent } from './events';
import { consultLedger, type ChainCache, type DeliveryLedgerApi, type LedgerVerdict } from './ledger';
import { isServiceError } from '../../shared/errors';
import { toOutputItem } from './output';

/** Whole answer, from the first byte read to the answer (BTCPay waits 100 s). */
export const DEFAULT_ANSWER_BUDGET_MS = 12_000;
/** Time allowed for BTCPay's confirmation reads (all of them, side by side). */
export const DEFAULT_CONFIRM_DEADLINE_MS = 10_000;
/** Below this much time left, a call does not start a confirmation but answers 503. */
const MIN_CONFIRM_MS = 1_500;

export interface TriggerSettings {
	secret: string;
	storeId: string;
	/** Selected event types; empty = every event. */
	events: readonly string[];
	confirmWithApi: boolean;
	simplify: boolean;
	maxBodyBytes?: number;
	answerBudgetMs?: number;
	confirmDeadlineMs?: number;
	/**
	 * BTCPay's delivery records for the webhook that sent a delivery (trigger/ledger.ts):
	 * what makes a redelivery a duplicate in every n8n process, and a delivery BTCPay
	 * stopped waiting for not emitted. Needs btcpay.store.webhooks.canmodifywebhooks;
	 * without it (or without this), only this process's memory is used.
	 */
	ledger?: (webhookId: string) => DeliveryLedgerApi;
	/** Chain ids of delivery requests already read (shared by the calls of one trigger). */
	chains?: ChainCache;
	/** Clock, ms (tests). */
	now?: () => number;
	/** The BTCPay base URL from the credential (for the checkout link of unconfirmed invoice events). */
	serverUrl?: string;
}

export interface DeliveryRequest {
	rawBody: Uint8Array | undefined;
	signatureHeader: string | string[] | undefined;
}

export interface DeliveryLog {
	level: 'warn' | 'error';
	/** Never contains the secret or the API key. */
	message: string;
}

export interface DeliveryOutcome {
	status: number;
	/** JSON answered to BTCPay. */
	body: Record<string, unknown>;
	/** The item to emit (at most one). */
	item?: Record<string, unknown>;
	/** True when the redelivery memory changed and must be saved. */
	seenChanged: boolean;
	/**
	 * For an item to emit, what BTCPay's delivery records said (trigger/ledger.ts): `read` (they
	 * were read and allow it: the duplicate check holds in every process and after a restart),
	 * `denied` (the key may not read them: only this process's memory, which must be saved) or
	 * `none` (no records to read: no ledger or no webhook id in the delivery).
	 */
	records?: 'read' | 'denied' | 'none';
	/** Something the operator should see in the logs. */
	log?: DeliveryLog;
}

export async function handleDelivery(
	request: DeliveryRequest,
	settings: TriggerSettings,
	memory: DeliveryMemory,
	api?: ConfirmApi,
): Promise<DeliveryOutcome> {
	const now = settings.now ?? Date.now;
	const started = now();
	const budget = settings.answerBudgetMs ?? DEFAULT_ANSWER_BUDGET_MS;
	const left = () => budget - (now() - started);

	if (!settings.secret) {
		return {
			status: 401,
			body: { received: false, error: 'no_secret' },
			seenChanged: false,
			log: {
				level: 'error',
				message:
					'BTCPay Server Trigger has no webhook secret, so no delivery can be verified: unpublish and publish the workflow again (automatic registration) or paste the secret (manual)',
			},
		};
	}
	const checked = checkDelivery({ ...request, secret: settings.secret, maxBodyBytes: settings.maxBodyBytes });
	if (!checked.ok) {
		return {
			status: checked.status,
			body: { received: false, error: checked.reason, message: checked.message },
			seenChanged: false,
		};
	}
	const { event, dedupeKey, raw } = checked;
	const ack = (extra: Record<string, unknown>): DeliveryOutcome => ({
		status: 200,
		body: { received: true, emitted: false, deliveryId: event.deliveryId, ...extra },
		seenChanged: false,
	});

	// Every event names its store (StoreWebhookEvent.StoreId); another store's event is never ours.
	if (event.storeId !== settings.storeId) {
		return {
			...ack({ reason: 'other_store' }),
			log: {
				level: 'warn',
				message: `BTCPay delivery ${event.deliveryId} (${event.type}) not emitted: it names store ${String(event.storeId ?? '(none)')}, not the trigger's store`,
			},
		};
	}
	if (!eventSelected(event.type, settings.events)) return ack({ reason: 'event_not_selected' });

	// Check and claim with no await in between. A call that finds the delivery claimed waits
	// for the other call's outcome: "duplicate" only once it was emitted; if it was not, this
	// call handles the delivery itself, or answers 503 when too little time is left.
	while (!memory.claim(dedupeKey)) {
		if (memory.isDone(dedupeKey)) return ack({ reason: 'duplicate' });
		if (left() < MIN_CONFIRM_MS) {
			return {
				status: 503,
				body: { received: false, error: 'in_progress', deliveryId: event.deliveryId },
				seenChanged: false,
				log: { level: 'warn', message: `BTCPay delivery ${event.deliveryId} (${event.type}) is still being handled by another call; BTCPay will redeliver` },
			};
		}
		await memory.whenSettled(dedupeKey, left() - MIN_CONFIRM_MS);
	}
	let emitted = false;
	try {
		const deadline = Math.min(settings.confirmDeadlineMs ?? DEFAULT_CONFIRM_DEADLINE_MS, Math.max(0, left()));
		// BTCPay's records are read while BTCPay confirms the event (side by side: one round trip
		// less in the answer); their verdict counts only for an event that is to be emitted.
		const records = readRecords(event, dedupeKey, settings, left);
		let outcome: DeliveryOutcome;
		try {
			outcome = await confirmAndEmit(event, raw, settings, ack, deadline, api);
			if (outcome.item !== undefined) outcome = await lastChecks(event, ack, left, outcome, records);
		} finally {
			records?.stop();
		}
		emitted = outcome.item !== undefined;
		if (outcome.body.reason === 'duplicate') memory.settle(dedupeKey);
		return outcome;
	} finally {
		// Settled only when emitted; any other answer (error, unconfirmed, exception) frees the
		// key so BTCPay's redelivery of this delivery, or a waiting call, is processed again.
		if (emitted) memory.settle(dedupeKey);
		else if (!memory.isDone(dedupeKey)) memory.release(dedupeKey);
	}
}

/** 503 with a warning: not emitted, and BTCPay's retry can succeed. */
function retryLater(event: BtcPayWebhookEvent, error: string, message: string): DeliveryOutcome {
	return {
		status: 503,
		body: { received: false, error, deliveryId: event.deliveryId },
		seenChanged: false,
		log: { level: 'warn', message },
	};
}

/** Time kept back for n8n to start the execution and send the answer after the checks. */
const ANSWER_RESERVE_MS = 1_000;

type RecordsRead = { verdict: LedgerVerdict } | { error: unknown } | { tooLate: true };

/**
 * Starts reading BTCPay's records of the delivery's chain (trigger/ledger.ts), bounded by the
 * answer budget; undefined when there is nothing to read (no ledger, no webhook id). Reading
 * them while the event is confirmed is as safe as after: BTCPay's record of this very delivery
 * exists only if the request reached the trigger after BTCPay had given up (100 s), and once
 * the trigger has started, its own budget (12 s) keeps the answer far inside that timeout.
 */
function readRecords(
	event: BtcPayWebhookEvent,
	dedupeKey: string,
	settings: TriggerSettings,
	left: () => number,
): { result: Promise<RecordsRead>; stop: () => void } | undefined {
	const webhookId = typeof event.webhookId === 'string' && event.webhookId ? event.webhookId : undefined;
	if (!settings.ledger || !webhookId) return undefined;
	const ms = left() - ANSWER_RESERVE_MS;
	if (ms <= 0) return { result: Promise.resolve({ tooLate: true }), stop: () => undefined };
	const stopped = new AbortController();
	const result = consultLedger(
		settings.ledger(webhookId),
		{ deliveryId: event.deliveryId, originalDeliveryId: dedupeKey, isRedelivery: event.isRedelivery === true || dedupeKey !== event.deliveryId },
		AbortSignal.any([AbortSignal.timeout(ms), stopped.signal]),
		{ chains: settings.chains },
	).then(
		(verdict): RecordsRead => ({ verdict }),
		(error: unknown): RecordsRead => ({ error }),
	);
	return { result, stop: () => stopped.abort() };
}

/**
 * Right before emitting: BTCPay's records (trigger/ledger.ts) and the answer budget. A call
 * that is past its budget (the process was stalled) or whose delivery BTCPay already
 * recorded (BTCPay gave up waiting, a retry is on its way) answers 503 and emits nothing.
 */
async function lastChecks(
	event: BtcPayWebhookEvent,
	ack: (extra: Record<string, unknown>) => DeliveryOutcome,
	left: () => number,
	emit: DeliveryOutcome,
	reading: { result: Promise<RecordsRead> } | undefined,
): Promise<DeliveryOutcome> {
	const tooLate = (reason: string) =>
		retryLater(event, 'answer_too_late', `BTCPay delivery ${event.deliveryId} (${event.type}) not emitted: ${reason}; BTCPay will redeliver`);
	let records: DeliveryOutcome['records'] = 'none';
	if (reading) {
		const read = await reading.result;
		if ('tooLate' in read) return tooLate('no time left to read BTCPay\'s delivery records');
		if ('error' in read) {
			const error = read.error;
			// A key that cannot read deliveries (manual registration): this process's memory only.
			if (!(isServiceError(error) && (error.kind === 'permission' || error.kind === 'auth'))) {
				return retryLater(event, 'delivery_records_unavailable', `Could not read BTCPay's delivery records for ${event.deliveryId} (${event.type}); BTCPay will redeliver: ${(error as Error).message ?? String(error)}`);
			}
			records = 'denied';
		} else {
			if (read.verdict.outcome === 'duplicate') return ack({ reason: 'duplicate' });
			if (read.verdict.outcome === 'stale') return tooLate('BTCPay already recorded this delivery as failed (it stopped waiting for the answer)');
			records = 'read';
		}
	}
	if (left() <= 0) return tooLate('the answer budget is spent');
	return { ...emit, records };
}

/** Whether the delivery names an invoice that BTCPay must be asked about. */
function invoiceIdOf(event: BtcPayWebhookEvent): string | undefined {
	return typeof event.invoiceId === 'string' && event.invoiceId ? event.invoiceId : undefined;
}

/** Whether the delivery is about a subscriber: a subscription type, or any type carrying a `subscriber` object. */
function isSubscriptionDelivery(event: BtcPayWebhookEvent): boolean {
	const sub = (event as Record<string, unknown>).subscriber;
	return isSubscriptionEventType(event.type) || (typeof sub === 'object' && sub !== null && !Array.isArray(sub));
}

async function confirmAndEmit(
	event: BtcPayWebhookEvent,
	raw: string,
	settings: TriggerSettings,
	ack: (extra: Record<string, unknown>) => DeliveryOutcome,
	deadlineMs: number,
	api?: ConfirmApi,
): Promise<DeliveryOutcome> {
	let invoice: InvoiceView | undefined;
	let payment: PaymentView | undefined;
	let subscriber: SubscriberView | undefined;
	let confirmed = false;
	const invoiceId = invoiceIdOf(event);
	// Whatever its type string says (`invoicesettled`, a future type...), a delivery naming an
	// invoice is checked against BTCPay before it is emitted; so is one about a subscriber.
	const aboutInvoice = Boolean(invoiceId) || isInvoiceEvent(event.type);
	if (settings.confirmWithApi && (aboutInvoice || isSubscriptionDelivery(event))) {
		let confirmation: Confirmation | SubscriptionConfirmation;
		if (aboutInvoice && !invoiceId) confirmation = { outcome: 'rejected', reason: 'invoice event without invoiceId' };
		else if (!api) confirmation = { outcome: 'retry', reason: 'no BTCPay client to confirm with' };
		else if (deadlineMs < MIN_CONFIRM_MS) confirmation = { outcome: 'retry', reason: 'no time left to confirm' };
		else if (invoiceId) confirmation = await confirmInvoiceEvent(api, settings.storeId, { ...event, invoiceId }, { deadlineMs });
		else if (api.subscriber) confirmation = await confirmSubscriptionEvent({ subscriber: api.subscriber }, settings.storeId, event, { deadlineMs });
		else confirmation = { outcome: 'retry', reason: 'no BTCPay client to confirm subscribers with' };
		switch (confirmation.outcome) {
			case 'confirmed':
				if ('invoice' in confirmation) {
					invoice = confirmation.invoice;
					payment = confirmation.payment;
				} else {
					subscriber = confirmation.subscriber;
				}
				confirmed = confirmation.known;
				break;
			case 'rejected':
				return {
					...ack({ reason: 'unconfirmed' }),
					log: { level: 'warn', message: `BTCPay delivery ${event.deliveryId} (${event.type}) not emitted: ${confirmation.reason}` },
				};
			case 'retry':
				return retryLater(event, 'confirmation_unavailable', `Could not confirm BTCPay delivery ${event.deliveryId} (${event.type}); BTCPay will redeliver: ${confirmation.reason}`);
			case 'failed':
				return {
					status: 403,
					body: { received: true, emitted: false, error: 'confirmation_failed', deliveryId: event.deliveryId },
					seenChanged: false,
					log: {
						level: 'error',
						message: `BTCPay delivery ${event.deliveryId} (${event.type}) not emitted: Confirm With API cannot read it from BTCPay (${confirmation.reason}). Fix the credential or turn Confirm With API off, then redeliver it from BTCPay (Store > Webhooks).`,
					},
				};
		}
	}

	return {
		status: 200,
		body: { received: true, emitted: true, deliveryId: event.deliveryId },
		item: toOutputItem(event, { confirmed, invoice, payment, subscriber, simplify: settings.simplify, raw, serverUrl: settings.serverUrl }),
		seenChanged: true,
	};
}
