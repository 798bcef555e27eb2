/**
 * Webhook event types as the trigger shows them (every type BTCPay v2.4.1 sends,
 * see WEBHOOK_EVENT_TYPES), and which of them are about an invoice.
 */
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../client/webhooks';

/** Value of the "any event" choice in the Events parameter. */
export const ANY_EVENT = '*';

/** What each event type means; its name in the list is the type in words (InvoiceSettled: "Invoice Settled"). */
const DESCRIPTIONS: Record<WebhookEventType, string> = {
	InvoiceCreated: 'A new invoice was created',
	InvoiceReceivedPayment: 'A payment (possibly partial or unconfirmed) arrived for an invoice',
	InvoiceProcessing: 'The invoice is fully paid and waits for confirmations',
	InvoiceExpired: 'The invoice expired before being fully paid',
	InvoiceSettled: 'The invoice is paid and confirmed',
	InvoiceInvalid: 'The invoice became invalid (for example marked invalid)',
	InvoicePaymentSettled: 'A payment of an invoice is confirmed (also after expiration)',
	InvoiceExpiredPaidPartial: 'The invoice expired after receiving only part of the amount',
	InvoicePaidAfterExpiration: 'An expired invoice received the rest of its amount late',
	InvoiceRefund: 'A refund (pull payment) was created for an invoice',
	PaymentRequestCreated: 'A payment request was created',
	PaymentRequestUpdated: 'A payment request was updated',
	PaymentRequestArchived: 'A payment request was archived',
	PaymentRequestStatusChanged: 'The status of a payment request changed',
	PaymentRequestCompleted: 'A payment request was paid in full',
	PayoutCreated: 'A payout was created',
	PayoutApproved: 'A payout was approved',
	PayoutUpdated: 'A payout changed state',
	PendingTransactionCreated: 'A multisig wallet transaction waits for signatures',
	PendingTransactionSignatureCollected: 'A signer signed a pending wallet transaction',
	PendingTransactionBroadcast: 'A pending wallet transaction was broadcast',
	PendingTransactionCancelled: 'A pending wallet transaction was cancelled',
	SubscriberCreated: 'A new subscriber joined an offering',
	SubscriberCredited: "Credit was added to a subscriber's balance",
	SubscriberCharged: "A subscriber's credit was charged for a period",
	SubscriberActivated: 'A subscription became active',
	SubscriberPhaseChanged: 'A subscription moved to another phase (trial, normal, grace period, expired)',
	SubscriberDisabled: 'A subscription was suspended or expired',
	SubscriberNeedUpgrade: 'A subscriber must move to another plan',
	PaymentReminder: 'A subscription period ends soon and needs payment',
	PlanStarted: 'A subscriber started a plan',
	CreditRefunded: "A subscriber's credit was refunded (pull payment)",
};

/** 'InvoiceReceivedPayment' -> 'Invoice Received Payment'. */
function typeInWords(type: string): string {
	return type.replace(/(?<=[a-z])(?=[A-Z])/g, ' ');
}

export const EVENT_OPTIONS: Array<{ name: string; value: string; description: string }> = [
	{ name: 'Any Event', value: ANY_EVENT, description: 'Every event of the store, including types added in later BTCPay versions' },
	...WEBHOOK_EVENT_TYPES.map((type) => ({ value: type, name: typeInWords(type), description: DESCRIPTIONS[type] })),
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
