/** Store > Get Many: the stores the API key can see. */
import type { INodeProperties } from 'n8n-workflow';
import { getLimit, returnAllLimitProperties, simplify } from '../common';
import { defineBtcPayOperation } from '../types';
import { R, simplifyStore } from './common';

const properties: INodeProperties[] = [...returnAllLimitProperties(R, ['getAll'])];

export const getAll = defineBtcPayOperation(
	{ name: 'Get Many', simplify: true, action: 'Get many stores', description: 'List the stores the API key can see', properties },
	async (ctx, i, client) => {
		const limit = getLimit(ctx, i);
		const stores = await client.stores.list();
		return simplify(ctx, i, limit === undefined ? stores : stores.slice(0, limit), simplifyStore);
	},
);
