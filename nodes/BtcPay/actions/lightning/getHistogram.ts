/** Store Lightning > Get Balance Histogram: the node's off-chain balance over time. */
import type { IDataObject } from 'n8n-workflow';
import { storeOperation } from '../operations';

export const getHistogram = storeOperation(
	{ name: 'Get Balance Histogram', action: 'Get the lightning balance history', description: 'Off-chain balance of the store node over time' },
	async (_ctx, _i, client, storeId) => ({ ...(await client.lightning.getHistogram(storeId)) }) as IDataObject,
);
