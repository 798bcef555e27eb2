/** Store Lightning > Get Invoice: status of a Lightning invoice of the store node. */
import type { INodeProperties } from 'n8n-workflow';
import { show } from '../common';
import { storeObjectQuery } from '../operations';
import { R, simplifyInvoice } from './common';

const properties: INodeProperties[] = [
	{ displayName: 'Invoice ID', name: 'lightningInvoiceId', type: 'string', default: '', required: true, description: 'ID of the Lightning invoice (BTCPay returns it on creation)', displayOptions: show(R, ['getInvoice']) },
];

export const getInvoice = storeObjectQuery(
	{ name: 'Get Invoice', simplify: true, action: 'Get a lightning invoice', description: 'Status of a Lightning invoice of the store node', properties },
	'lightningInvoiceId',
	(client, storeId, id) => client.lightning.getInvoice(storeId, id),
	simplifyInvoice,
);
