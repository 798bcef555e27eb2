/** Pull Payment > Get Many: the pull payments of a store. */
import type { INodeProperties } from 'n8n-workflow';
import { getLimit, optionsProperty, returnAllLimitProperties, simplify } from '../common';
import { collection, limitList } from '../format';
import { storeOperation } from '../operations';
import { R, simplifyPullPayment } from './common';

const properties: INodeProperties[] = [
	optionsProperty('listOptions', R, ['getAll'], [
		{ displayName: 'Include Archived', name: 'includeArchived', type: 'boolean', default: false, description: 'Whether to include archived pull payments' },
	]),
	...returnAllLimitProperties(R, ['getAll']),
];

export const getAll = storeOperation(
	{ name: 'Get Many', simplify: true, action: 'Get many pull payments', description: 'List the pull payments of a store', properties },
	async (ctx, i, client, storeId) => {
		const options = collection(ctx, 'listOptions', i);
		const list = await client.pullPayments.list(storeId, { includeArchived: options.includeArchived === true });
		return simplify(ctx, i, limitList(list, getLimit(ctx, i)), simplifyPullPayment);
	},
);
