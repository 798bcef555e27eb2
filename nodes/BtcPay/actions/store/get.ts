/** Store > Get. */
import { getStoreId, simplify } from '../common';
import type { BtcPayOperation } from '../types';
import { simplifyStore } from './common';

export const get: BtcPayOperation = {
	name: 'Get',
	action: 'Get a store',
	description: 'Get a store',
	async execute(ctx, i, client) {
		const store = await client.stores.get(getStoreId(ctx, i));
		return simplify(ctx, i, store, simplifyStore);
	},
};
