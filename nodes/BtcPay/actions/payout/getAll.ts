/** Payout > Get Many: the payouts of a store or of one pull payment. */
import type { INodeProperties } from 'n8n-workflow';
import { filtersProperty, getLimit, returnAllLimitProperties, simplify } from '../common';
import { collection, limitList, present } from '../format';
import { storeOperation } from '../operations';
import { R, simplifyPayout } from './common';

const properties: INodeProperties[] = [
	filtersProperty(R, ['getAll'], [
		{ displayName: 'Include Cancelled', name: 'includeCancelled', type: 'boolean', default: false, description: 'Whether to include cancelled payouts' },
		{ displayName: 'Pull Payment ID', name: 'pullPaymentId', type: 'string', default: '', description: 'Only the payouts of this pull payment' },
	]),
	...returnAllLimitProperties(R, ['getAll']),
];

export const getAll = storeOperation(
	{ name: 'Get Many', simplify: true, action: 'Get many payouts', description: 'List the payouts of a store or of one pull payment', properties },
	async (ctx, i, client, storeId) => {
		const filters = present(collection(ctx, 'filters', i));
		const includeCancelled = filters.includeCancelled === true;
		const list = filters.pullPaymentId
			? await client.pullPayments.listPayouts(String(filters.pullPaymentId).trim(), { includeCancelled })
			: await client.pullPayments.listStorePayouts(storeId, { includeCancelled });
		return simplify(ctx, i, limitList(list, getLimit(ctx, i)), simplifyPayout);
	},
);
