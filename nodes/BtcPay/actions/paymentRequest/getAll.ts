/** Payment Request > Get Many: the payment requests of a store. */
import type { INodeProperties } from 'n8n-workflow';
import { getLimit, getStoreId, returnAllLimitProperties, simplify } from '../common';
import { limitList } from '../format';
import type { BtcPayOperation } from '../types';
import { R, simplifyPaymentRequest } from './common';

const properties: INodeProperties[] = [...returnAllLimitProperties(R, ['getAll'])];

export const getAll: BtcPayOperation = {
	name: 'Get Many',
	action: 'Get many payment requests',
	description: 'List the payment requests of a store',
	properties,
	async execute(ctx, i, client) {
		const storeId = getStoreId(ctx, i);
		const list = limitList(await client.paymentRequests.list(storeId), getLimit(ctx, i));
		return simplify(ctx, i, list, simplifyPaymentRequest(client.http.baseUrl));
	},
};
