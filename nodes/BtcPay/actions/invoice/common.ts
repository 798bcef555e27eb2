/** What the invoice operations share: the resource value, the Invoice ID parameter and the simplified invoice. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { Invoice } from '../../client/invoices';
import { formatMoneyFields } from '../../../shared/amounts';
import { pick } from '../common';
import { text } from '../format';
import { isoFromUnixSeconds } from '../../../shared/time';

export const R = 'invoice';

/**
 * The simplified invoice, in the order a workflow reads it: what to send the payer and
 * branch on first, the long IDs last. Times are ISO 8601 only (createdAt, expiresAt);
 * the server's Unix seconds stay in the raw output (Simplify off). Amounts carry their
 * currency's decimals ("12.50", not "12.5").
 */
export const INVOICE_KEYS = ['checkoutLink', 'status', 'additionalStatus', 'amount', 'paidAmount', 'currency', 'type', 'archived', 'id', 'storeId'];
const METADATA_KEYS = ['orderId', 'buyerEmail', 'itemDesc'];

export function simplifyInvoice(invoice: Invoice): IDataObject {
	const all = formatMoneyFields(pick(invoice, INVOICE_KEYS), invoice.currency, ['amount', 'paidAmount']);
	const metadata = (invoice.metadata ?? {}) as IDataObject;
	for (const key of METADATA_KEYS) if (metadata[key] !== undefined && metadata[key] !== null) all[key] = metadata[key];
	const created = isoFromUnixSeconds(invoice.createdTime);
	if (created) all.createdAt = created;
	const expires = isoFromUnixSeconds(invoice.expirationTime);
	if (expires) all.expiresAt = expires;
	return pick(all, ['checkoutLink', 'status', 'additionalStatus', 'amount', 'paidAmount', 'currency', ...METADATA_KEYS, 'createdAt', 'expiresAt', 'type', 'archived', 'id', 'storeId']);
}

export function invoiceId(ctx: IExecuteFunctions, i: number): string {
	return text(ctx, 'invoiceId', i);
}
