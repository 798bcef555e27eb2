/**
 * Webhook event types as the trigger shows them, and the facts the trigger
 * needs about each (invoice event? does it claim that money arrived?).
 */
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../client/webhooks';

/** Value of the "any event" choice in the Events parameter. */
export const ANY_EVENT = '*';

const LABELS: Record<WebhookEventType, { name: string; description: string }> = {
	InvoiceCreated: { name: 'Invoice Created', description: 'A new invoice was created' },
	InvoiceReceivedPayment: {
		name: 'Invoice Received Payment',
		description: 'A payment (possibly partial or unconfirmed) arrived for an invoice',
	},
	InvoiceProcessing: {
		name: 'Invoice Processing',
		description: 'The invoice is fully paid and waits for confirmations',
	},
	InvoiceExpired: { name: 'Invoice Expired', description: 'The invoice expired before being fully paid' },
	InvoiceSettled: { name: 'Invoice Settled', description: 'The invoice is paid and confirmed' },
	InvoiceInvalid: { name: 'Invoice Invalid', description: 'The invoice became invalid (for example marked invalid)' },
	InvoicePaymentSettled: {
		name: 'Invoice Payment Settled',
		description: 'A payment of an invoice is confirmed (also after expiration)',
	},
	PaymentRequestCreated: { name: 'Payment Request Created', description: 'A payment request was created' },
	PaymentRequestUpdated: { name: 'Payment Request Updated', description: 'A payment request was updated' },
	PaymentRequestArchived: { name: 'Payment Request Archived', description: 'A payment request was archived' },
	PaymentRequestStatusChanged: {
		name: 'Payment Request Status Changed',
		description: 'The status of a payment request changed',
	},
	PayoutCreated: { name: 'Payout Created', description: 'A payout was created' },
	PayoutApproved: { name: 'Payout Approved', description: 'A payout was approved' },
	PayoutUpdated: { name: 'Payout Updated', description: 'A payout changed state' },
};

export const EVENT_OPTIONS: Array<{ name: string; value: string; description: string }> = [
	{ name: 'Any Event', value: ANY_EVENT, description: 'Every event of the store, including types added in later BTCPay versions' },
	...WEBHOOK_EVENT_TYPES.map((type) => ({ value: type, ...LABELS[type] })),
];

export function isInvoiceEvent(type: string): boolean {
	return type.startsWith('Invoice');
}

/** Normalizes the Events parameter: `[]` means every event. */
export function wantedEvents(selected: readonly string[] | undefined): string[] {
	const list = [...new Set((selected ?? []).filter((e) => typeof e === 'string' && e.length > 0))];
	if (!list.length || list.includes(ANY_EVENT)) return [];
	return list.sort();
}

/** Whether an incoming event type is one the user selected (unknown types pass only with "any event"). */
export function eventSelected(type: string, wanted: readonly string[]): boolean {
	return wanted.length === 0 || wanted.includes(type);
}
