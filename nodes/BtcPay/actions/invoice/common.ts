/** What the invoice operations share: the resource value, the Invoice ID parameter and the simplified invoice. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { Invoice } from '../../client/invoices';
import { pick } from '../common';

export const R = 'invoice';

export const INVOICE_KEYS = ['id', 'storeId', 'status', 'additionalStatus', 'amount', 'paidAmount', 'currency', 'type', 'checkoutLink', 'createdTime', 'expirationTime', 'archived'];

function isoSeconds(value: unknown): string | undefined {
	return typeof value === 'number' ? new Date(value * 1000).toISOString() : undefined;
}

export function simplifyInvoice(invoice: Invoice): IDataObject {
	const out = pick(invoice, INVOICE_KEYS);
	const metadata = (invoice.metadata ?? {}) as IDataObject;
	for (const key of ['orderId', 'buyerEmail', 'itemDesc']) if (metadata[key] !== undefined && metadata[key] !== null) out[key] = metadata[key];
	const created = isoSeconds(invoice.createdTime);
	if (created) out.createdAt = created;
	const expires = isoSeconds(invoice.expirationTime);
	if (expires) out.expiresAt = expires;
	return out;
}

export function invoiceId(ctx: IExecuteFunctions, i: number): string {
	return String(ctx.getNodeParameter('invoiceId', i, '') ?? '').trim();
}
