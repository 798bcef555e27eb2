/** Store Lightning > Get Many Payments: outgoing payments of the store node. */
import type { INodeProperties } from 'n8n-workflow';
import { filtersProperty, getLimit, simplify } from '../common';
import { collection, limitList } from '../format';
import { storeOperation } from '../operations';
import { R } from './common';
import { simplifyPayment } from './getPayment';

const properties: INodeProperties[] = [
	filtersProperty(R, ['getPayments'], [{ displayName: 'Include Pending', name: 'includePending', type: 'boolean', default: false, description: 'Whether to list payments still in flight too' }]),
];

export const getPayments = storeOperation(
	{ name: 'Get Many Payments', action: 'Get many lightning payments', description: 'Outgoing payments of the store node', properties },
	async (ctx, i, client, storeId) => {
		const list = await client.lightning.listPayments(storeId, { includePending: collection(ctx, 'filters', i).includePending === true });
		return simplify(ctx, i, limitList(list, getLimit(ctx, i)), simplifyPayment);
	},
);
