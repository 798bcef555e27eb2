/** Server: health. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { BtcPayClient } from '../../client';
import { InputError } from '../../../shared/errors';
import { operationProperty } from '../common';
import type { BtcPayResource, ItemResult } from '../types';

const R = 'server';

export const serverProperties: INodeProperties[] = [
	operationProperty(
		R,
		[
			{
				name: 'Get Health',
				value: 'health',
				action: 'Get server health',
				description: 'Whether the server is up and fully synchronized',
			},
		],
		'health',
	),
];

async function execute(_ctx: IExecuteFunctions, client: BtcPayClient, operation: string): Promise<ItemResult> {
	if (operation === 'health') {
		const health = await client.server.health();
		return { ...health } as IDataObject;
	}
	throw new InputError('Operation', `"${operation}" is not supported for the server`, 'BTCPay');
}

export const server: BtcPayResource = {
	value: R,
	name: 'Server',
	description: 'BTCPay Server instance',
	properties: serverProperties,
	execute,
};
