/** Server: health. */
import type { IDataObject } from 'n8n-workflow';
import type { BtcPayResource } from '../types';

export const server: BtcPayResource = {
	value: 'server',
	name: 'Server',
	description: 'BTCPay Server instance',
	operations: {
		health: {
			name: 'Get Health',
			action: 'Get server health',
			description: 'Whether the server is up and fully synchronized',
			async execute(_ctx, _itemIndex, client) {
				const health = await client.server.health();
				return { ...health } as IDataObject;
			},
		},
	},
	defaultOperation: 'health',
	properties: [],
};
