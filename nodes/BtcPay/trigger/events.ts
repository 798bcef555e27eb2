/**
 * Webhook event types as the trigger shows them (every type BTCPay v2.4.1 sends,
 * see WEBHOOK_EVENT_TYPES), and which of them are about an invoice.
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
	InvoiceExpiredPaidPartial: {
		name: 'Invoice Expired Paid Partial',
		description: 'The invoice expired after receiving only part of the amount',
	},
	InvoicePaidAfterExpiration: {
		name: 'Invoice Paid After Expiration',
		description: 'An expired invoice received the rest of its amount late',
	},
	InvoiceRefund: { name: 'Invoice Refund', description: 'A refund (pull payment) was created for an invoice' },
	PaymentRequestCreated: { name: 'Payment Request Created', description: 'A payment request was created' },
	PaymentRequestUpdated: { name: 'Payment Request Updated', description: 'A payment request was updated' },
	PaymentRequestArchived: { name: 'Payment Request Archived', description: 'A payment request was archived' },
	PaymentRequestStatusChanged: {
		name: 'Payment Request Status Changed',
		description: 'The status of a payment request changed',
	},
	PaymentRequestCompleted: { name: 'Payment Request Completed', description: 'A payment request was paid in full' },
	PayoutCreated: { name: 'Payout Created', description: 'A payout was created' },
	PayoutApproved: { name: 'Payout Approved', description: 'A payout was approved' },
	PayoutUpdated: { name: 'Payout Updated', description: 'A payout changed state' },
	PendingTransactionCreated: {
		name: 'Pending Transaction Created',
		description: 'A multisig wallet transaction waits for signatures',
	},
	PendingTransactionSignatureCollected: {
		name: 'Pending Transaction Signature Collected',
		description: 'A signer signed a pending wallet transaction',
	},
	PendingTransactionBroadcast: { name: 'Pending Transaction Broadcast', description: 'A pending wallet transaction was broadcast' },
	PendingTransactionCancelled: { name: 'Pending Transaction Cancelled', description: 'A pending wallet transaction was cancelled' },
	SubscriberCreated: { name: 'Subscriber Created', description: 'A new subscriber joined an offering' },
	SubscriberCredited: { name: 'Subscriber Credited', description: "Credit was added to a subscriber's balance" },
	SubscriberCharged: { name: 'Subscriber Charged', description: "A subscriber's credit was charged for a period" },
	SubscriberActivated: { name: 'Subscriber Activated', description: 'A subscription became active' },
	SubscriberPhaseChanged: {
		name: 'Subscriber Phase Changed',
		description: 'A subscription moved to another phase (trial, normal, grace period, expired)',
	},
	SubscriberDisabled: { name: 'Subscriber Disabled', description: 'A subscription was suspended or expired' },
	SubscriberNeedUpgrade: { name: 'Subscriber Need Upgrade', description: 'A subscriber must move to another plan' },
	PaymentReminder: { name: 'Payment Reminder', description: 'A subscription period ends soon and needs payment' },
	PlanStarted: { name: 'Plan Started', description: 'A subscriber started a plan' },
	CreditRefunded: { name: 'Credit Refunded', description: "A subscriber's credit was refunded (pull payment)" },
};

export const EVENT_OPTIONS: Array<{ name: string; value: string; description: string }> = [
	{ name: 'Any Event', value: ANY_EVENT, description: 'Every event of the store, including types added in later BTCPay versions' },
	...WEBHOOK_EVENT_TYPES.map((type) => ({ value: type, ...LABELS[type] })),
];

/**
 * Whether an event type is about an invoice. BTCPay's own check is case-insensitive
 * (WebhookInvoiceEvent requires a type starting with "invoice"), so is this one.
 */
export function isInvoiceEvent(type: string): boolean {
	return type.toLowerCase().startsWith('invoice');
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
