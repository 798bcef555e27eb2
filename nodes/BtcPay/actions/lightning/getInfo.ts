/** Store Lightning > Get Info: alias, node URI, block height and channel counts. */
import type { IDataObject } from 'n8n-workflow';
import { storeOperation } from '../operations';

export const getInfo = storeOperation(
	{ name: 'Get Info', action: 'Get lightning node info', description: 'Alias, node URI, block height and channel counts' },
	async (_ctx, _i, client, storeId) => {
		return { ...(await client.lightning.getInfo(storeId)) } as IDataObject;
	},
);
