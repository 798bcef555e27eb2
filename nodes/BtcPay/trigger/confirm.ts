/**
 * "Confirm with API": before an invoice event starts a workflow, the invoice is
 * read back from BTCPay and the server's state must agree with what the event
 * claims. A delivery signed with a leaked secret can then not fake a payment.
 *
 * Rules (events that do not claim money arrived only need the invoice to exist):
 * - InvoiceSettled: server status Settled.
 * - InvoiceProcessing: Processing or Settled (it may have settled meanwhile).
 * - InvoiceReceivedPayment, InvoicePaymentSettled: Processing or Settled, or an
 *   additional status that records money (PaidPartial, PaidLate, PaidOver).
 * - Every other invoice event: the invoice exists in the store.
 */
import { isServiceError } from '../../shared/errors';

/** The part of the Greenfield invoice the trigger uses. */
export interface InvoiceView {
	id: string;
	storeId?: string | null;
	status: string;
	additionalStatus?: string | null;
	amount: string;
	currency: string;
	metadata?: Record<string, unknown> | null;
}

export type InvoiceFetcher = (storeId: string, invoiceId: string) => Promise<InvoiceView>;

export type Confirmation =
	| { outcome: 'confirmed'; invoice: InvoiceView }
	/** The event was authentic-looking but BTCPay disagrees: emit nothing, answer 200. */
	| { outcome: 'rejected'; reason: string }
	/** BTCPay could not be asked (network, 5xx, 429): answer 503 so BTCPay redelivers later. */
	| { outcome: 'retry'; reason: string }
	/** The credential cannot read invoices: answer 500 and report it. */
	| { outcome: 'failed'; reason: string };

const PAID_ADDITIONAL = new Set(['PaidPartial', 'PaidLate', 'PaidOver']);

/** Why the server view contradicts the event type, or undefined when it agrees. */
export function contradiction(type: string, invoice: InvoiceView): string | undefined {
	const status = invoice.status;
	const extra = invoice.additionalStatus ?? 'None';
	switch (type) {
		case 'InvoiceSettled':
			return status === 'Settled' ? undefined : `event says Settled, BTCPay says ${status}`;
		case 'InvoiceProcessing':
			return status === 'Processing' || status === 'Settled'
				? undefined
				: `event says Processing, BTCPay says ${status}`;
		case 'InvoiceReceivedPayment':
		case 'InvoicePaymentSettled':
			return status === 'Processing' || status === 'Settled' || PAID_ADDITIONAL.has(extra)
				? undefined
				: `event reports a payment, BTCPay says ${status}/${extra} with no payment`;
		default:
			return undefined;
	}
}

export async function confirmInvoiceEvent(
	fetchInvoice: InvoiceFetcher,
	storeId: string,
	event: { type: string; storeId?: string | null; invoiceId?: string | null },
): Promise<Confirmation> {
	if (event.storeId && event.storeId !== storeId) {
		return { outcome: 'rejected', reason: `event belongs to store ${event.storeId}, not the configured store` };
	}
	if (!event.invoiceId) return { outcome: 'rejected', reason: 'invoice event without invoiceId' };
	let invoice: InvoiceView;
	try {
		invoice = await fetchInvoice(storeId, event.invoiceId);
	} catch (error) {
		if (isServiceError(error)) {
			if (error.kind === 'not_found') return { outcome: 'rejected', reason: 'invoice not found in BTCPay' };
			if (error.kind === 'permission' || error.kind === 'auth' || error.kind === 'input') {
				return { outcome: 'failed', reason: error.message };
			}
			return { outcome: 'retry', reason: error.message };
		}
		return { outcome: 'retry', reason: error instanceof Error ? error.message : String(error) };
	}
	if (invoice.id !== event.invoiceId) return { outcome: 'rejected', reason: 'BTCPay returned another invoice' };
	const why = contradiction(event.type, invoice);
	if (why) return { outcome: 'rejected', reason: why };
	return { outcome: 'confirmed', invoice };
}
