/** Pull Payment > Get Many: the pull payments of a store. */
import type { INodeProperties } from 'n8n-workflow';
import { getLimit, getStoreId, optionsProperty, returnAllLimitProperties, simplify } from '../common';
import { collection, limitList } from '../format';
import type { BtcPayOperation } from '../types';
import { R, simplifyPullPayment } from './common';

const properties: INodeProperties[] = [
	optionsProperty('listOptions', R, ['getAll'], [
		{ displayName: 'Include Archived', name: 'includeArchived', type: 'boolean', default: false, description: 'Whether to include archived pull payments' },
	]),
	...returnAllLimitProperties(R, ['getAll']),
];

export const getAll: BtcPayOperation = {
	name: 'Get Many',
	action: 'Get many pull payments',
	description: 'List the pull payments of a store',
	properties,
	async execute(ctx, i, client) {
		const storeId = getStoreId(ctx, i);
		const options = collection(ctx, 'listOptions', i);
		const list = await client.pullPayments.list(storeId, { includeArchived: options.includeArchived === true });
		return simplify(ctx, i, limitList(list, getLimit(ctx, i)), simplifyPullPayment);
	},
};
