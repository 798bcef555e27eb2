/**
 * One delivery from start to answer, without n8n types: verify, parse, filter by
 * event type, drop redeliveries, confirm invoice events with the API, build the
 * output item. The node's webhook() maps the result to n8n's response.
 *
 * Answers:
 * - 400 oversized / not JSON / not an event; 401 bad or missing BTCPay-Sig.
 * - 200 `emitted: true` with one item.
 * - 200 `emitted: false` for a redelivery already emitted (or being handled by a
 *   concurrent call right now), an event type that was
 *   not selected, or an invoice event BTCPay does not confirm (not found, other
 *   store, status contradicts the event). Answering 200 stops BTCPay from
 *   retrying something that will never become true.
 * - 503 when BTCPay could not be asked to confirm (network, 5xx, 429): nothing is
 *   emitted or remembered, so BTCPay's automatic redelivery tries again.
 * - 500 when the credential cannot read invoices (missing permission).
 */
import type { DeliveryMemory } from '../../shared/delivery-memory';
import { confirmInvoiceEvent, type InvoiceFetcher, type InvoiceView } from './confirm';
import { checkDelivery, type DeliveryAccepted } from './delivery';
import { eventSelected, isInvoiceEvent } from './events';
import { toOutputItem } from './output';

export interface TriggerSettings {
	secret: string;
	storeId: string;
	/** Selected event types; empty = every event. */
	events: readonly string[];
	confirmWithApi: boolean;
	simplify: boolean;
	maxBodyBytes?: number;
}

export interface DeliveryRequest {
	rawBody: Uint8Array | undefined;
	signatureHeader: string | string[] | undefined;
}

export interface DeliveryOutcome {
	status: number;
	/** JSON answered to BTCPay. */
	body: Record<string, unknown>;
	/** The item to emit (at most one). */
	item?: Record<string, unknown>;
	/** True when the redelivery memory changed and must be saved. */
	seenChanged: boolean;
	/** Something the operator should see in the logs (never contains the secret). */
	warning?: string;
}

export async function handleDelivery(
	request: DeliveryRequest,
	settings: TriggerSettings,
	memory: DeliveryMemory,
	fetchInvoice?: InvoiceFetcher,
): Promise<DeliveryOutcome> {
	if (!settings.secret) {
		return {
			status: 500,
			body: { received: false, error: 'no_secret' },
			seenChanged: false,
			warning: 'The trigger has no webhook secret: reactivate the workflow or paste the secret (manual mode)',
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
	const { event, dedupeKey, isTest } = checked;
	const ack = (extra: Record<string, unknown>): DeliveryOutcome => ({
		status: 200,
		body: { received: true, emitted: false, deliveryId: event.deliveryId, ...extra },
		seenChanged: false,
	});

	if (!eventSelected(event.type, settings.events)) return ack({ reason: 'event_not_selected' });
	// Check and claim with no await in between: a concurrent identical delivery sees the claim.
	if (!memory.claim(dedupeKey)) return ack({ reason: 'duplicate' });
	let emitted = false;
	try {
		const outcome = await confirmAndEmit(event, isTest, settings, ack, fetchInvoice);
		emitted = outcome.item !== undefined;
		return outcome;
	} finally {
		// Settled only when emitted; any other answer (error, unconfirmed, exception) frees the
		// key so BTCPay's redelivery of this delivery is processed again.
		if (emitted) memory.settle(dedupeKey);
		else memory.release(dedupeKey);
	}
}

async function confirmAndEmit(
	event: DeliveryAccepted['event'],
	isTest: boolean,
	settings: TriggerSettings,
	ack: (extra: Record<string, unknown>) => DeliveryOutcome,
	fetchInvoice?: InvoiceFetcher,
): Promise<DeliveryOutcome> {
	let invoice: InvoiceView | undefined;
	if (settings.confirmWithApi && !isTest && isInvoiceEvent(event.type)) {
		if (!fetchInvoice) return ack({ reason: 'unconfirmed' });
		const confirmation = await confirmInvoiceEvent(fetchInvoice, settings.storeId, event);
		switch (confirmation.outcome) {
			case 'confirmed':
				invoice = confirmation.invoice;
				break;
			case 'rejected':
				return {
					...ack({ reason: 'unconfirmed' }),
					warning: `BTCPay delivery ${event.deliveryId} (${event.type}) not emitted: ${confirmation.reason}`,
				};
			case 'retry':
				return {
					status: 503,
					body: { received: false, error: 'confirmation_unavailable' },
					seenChanged: false,
					warning: `Could not confirm BTCPay delivery ${event.deliveryId} (${event.type}); BTCPay will redeliver: ${confirmation.reason}`,
				};
			case 'failed':
				return {
					status: 500,
					body: { received: false, error: 'confirmation_failed' },
					seenChanged: false,
					warning: `Could not confirm BTCPay delivery ${event.deliveryId} (${event.type}): ${confirmation.reason}`,
				};
		}
	}

	return {
		status: 200,
		body: { received: true, emitted: true, deliveryId: event.deliveryId },
		item: toOutputItem(event, { isTest, invoice, simplify: settings.simplify }),
		seenChanged: true,
	};
}
