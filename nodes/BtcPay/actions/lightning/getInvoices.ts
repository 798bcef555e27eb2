/** Store Lightning > Get Many Invoices: invoices of the store node, optionally unpaid only. */
import type { INodeProperties } from 'n8n-workflow';
import { filtersProperty, getLimit, simplify } from '../common';
import { collection, limitList } from '../format';
import { storeOperation } from '../operations';
import { R, simplifyInvoice } from './common';

const properties: INodeProperties[] = [
	filtersProperty(R, ['getInvoices'], [{ displayName: 'Pending Only', name: 'pendingOnly', type: 'boolean', default: false, description: 'Whether to list unpaid invoices only' }]),
];

export const getInvoices = storeOperation(
	{ name: 'Get Many Invoices', action: 'Get many lightning invoices', description: 'Invoices of the store node', properties },
	async (ctx, i, client, storeId) => {
		const list = await client.lightning.listInvoices(storeId, { pendingOnly: collection(ctx, 'filters', i).pendingOnly === true });
		return simplify(ctx, i, limitList(list, getLimit(ctx, i)), simplifyInvoice);
	},
);
