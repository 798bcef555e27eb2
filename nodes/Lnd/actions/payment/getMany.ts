/** Payment > Get Many: outgoing payments, newest first by default, with LND's index paging. */
import type { INodeProperties } from 'n8n-workflow';
import { simplifyPayment } from '../../client/simplify';
import { listFiltersProperty, readListParameters, returnAllProperties, simplify } from '../common';
import type { LndOperation } from '../types';

const RESOURCE = 'payment';

const properties: INodeProperties[] = [
	...returnAllProperties(RESOURCE, 'getMany'),
	listFiltersProperty(RESOURCE, 'getMany', 'payments', [
		{
			displayName: 'Include Incomplete',
			name: 'includeIncomplete',
			type: 'boolean',
			default: true,
			description: 'Whether to include payments still in flight and failed ones',
		},
	]),
];

export const getMany: LndOperation = {
	name: 'Get Many',
	action: 'Get many payments',
	description: 'List outgoing payments, newest first by default',
	properties,
	async execute(ctx, itemIndex, client) {
		const { filters, ...paging } = readListParameters(ctx, itemIndex);
		const payments = await client.listPayments({ ...paging, includeIncomplete: filters.includeIncomplete !== false });
		return simplify(ctx, itemIndex, payments, simplifyPayment);
	},
};
