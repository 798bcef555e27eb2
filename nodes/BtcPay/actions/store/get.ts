/** Store > Get. */
import { simplify } from '../common';
import { storeOperation } from '../operations';
import { simplifyStore } from './common';

export const get = storeOperation({ name: 'Get', simplify: true, action: 'Get a store', description: 'Get a store' }, async (ctx, i, client, storeId) =>
	simplify(ctx, i, await client.stores.get(storeId), simplifyStore),
);
