/** Invoice > Get. */
import { getStoreId, simplify } from '../common';
import type { BtcPayOperation } from '../types';
import { invoiceId, simplifyInvoice } from './common';

export const get: BtcPayOperation = {
	name: 'Get',
	action: 'Get an invoice',
	description: 'Get an invoice',
	async execute(ctx, i, client) {
		const storeId = getStoreId(ctx, i);
		return simplify(ctx, i, await client.invoices.get(storeId, invoiceId(ctx, i)), simplifyInvoice);
	},
};
