/** Invoice > Unarchive: show an archived invoice again. */
import { getStoreId, simplify } from '../common';
import type { BtcPayOperation } from '../types';
import { invoiceId, simplifyInvoice } from './common';

export const unarchive: BtcPayOperation = {
	name: 'Unarchive',
	action: 'Unarchive an invoice',
	description: 'Show an archived invoice again',
	async execute(ctx, i, client) {
		const storeId = getStoreId(ctx, i);
		return simplify(ctx, i, await client.invoices.unarchive(storeId, invoiceId(ctx, i)), simplifyInvoice);
	},
};
