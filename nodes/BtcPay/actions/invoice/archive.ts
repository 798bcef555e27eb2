/** Invoice > Archive: hide it from the invoice list. */
import { getStoreId } from '../common';
import type { BtcPayOperation } from '../types';
import { invoiceId } from './common';

export const archive: BtcPayOperation = {
	name: 'Archive',
	action: 'Archive an invoice',
	description: 'Hide an invoice from the invoice list',
	async execute(ctx, i, client) {
		const storeId = getStoreId(ctx, i);
		const id = invoiceId(ctx, i);
		await client.invoices.archive(storeId, id);
		return { success: true, invoiceId: id, archived: true };
	},
};
