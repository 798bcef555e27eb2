/** Server: health and server information (version, payment methods, sync). */
import type { IDataObject } from 'n8n-workflow';
import { defineBtcPayOperation } from '../types';
import { defineBtcPayResource } from '../common';

export const server = defineBtcPayResource({
	value: 'server',
	name: 'Server',
	description: 'BTCPay Server instance',
	operations: {
		health: defineBtcPayOperation(
			{ name: 'Get Health', action: 'Get server health', description: 'Whether the server is up and fully synchronized' },
			async (_ctx, _itemIndex, client) => ({ ...(await client.server.health()) }) as IDataObject,
		),
		getInfo: defineBtcPayOperation(
			{ name: 'Get Info', action: 'Get server info', description: 'Version, supported payment methods and sync state of the server' },
			async (_ctx, _itemIndex, client) => ({ ...(await client.server.info()) }) as IDataObject,
		),
	},
	defaultOperation: 'health',
});
