/** What the store Lightning operations share: the resource value and the simplified Lightning invoice. */
import type { IDataObject } from 'n8n-workflow';
import { msatToWholeSats, type LightningInvoice } from '../../client/lightning';
import { pick } from '../common';
import { isoTime } from '../format';

export const R = 'lightning';

export function simplifyInvoice(invoice: LightningInvoice & { amountSats: number | null }): IDataObject {
	const out = pick(invoice, ['id', 'status', 'BOLT11', 'paymentHash', 'amountSats', 'amount', 'amountReceived', 'preimage']);
	out.amountReceivedSats = msatToWholeSats(invoice.amountReceived);
	const expires = isoTime(invoice.expiresAt);
	if (expires) out.expiresAt = expires;
	const paid = isoTime(invoice.paidAt);
	if (paid) out.paidAt = paid;
	return out;
}
