/** Payment Request > Get Many: the payment requests of a store. */
import type { INodeProperties } from 'n8n-workflow';
import { getLimit, returnAllLimitProperties, simplify } from '../common';
import { limitList } from '../format';
import { storeOperation } from '../operations';
import { R, simplifyPaymentRequest } from './common';

const properties: INodeProperties[] = [...returnAllLimitProperties(R, ['getAll'])];

export const getAll = storeOperation(
	{ name: 'Get Many', simplify: true, action: 'Get many payment requests', description: 'List the payment requests of a store', properties },
	async (ctx, i, client, storeId) => {
		const list = limitList(await client.paymentRequests.list(storeId), getLimit(ctx, i));
		return simplify(ctx, i, list, simplifyPaymentRequest(client.http.baseUrl));
	},
);
