/** Store Lightning > Get Info: alias, node URI, block height and channel counts. */
import type { IDataObject } from 'n8n-workflow';
import { getStoreId } from '../common';
import type { BtcPayOperation } from '../types';

export const getInfo: BtcPayOperation = {
	name: 'Get Info',
	action: 'Get lightning node info',
	description: 'Alias, node URI, block height and channel counts',
	async execute(ctx, i, client) {
		const storeId = getStoreId(ctx, i);
		return { ...(await client.lightning.getInfo(storeId)) } as IDataObject;
	},
};
