/** Store Lightning > Get Invoice: status of a Lightning invoice of the store node. */
import type { INodeProperties } from 'n8n-workflow';
import { show, simplify } from '../common';
import { text } from '../format';
import { storeOperation } from '../operations';
import { R, simplifyInvoice } from './common';

const properties: INodeProperties[] = [
	{ displayName: 'Invoice ID', name: 'lightningInvoiceId', type: 'string', default: '', required: true, description: 'ID of the Lightning invoice (BTCPay returns it on creation)', displayOptions: show(R, ['getInvoice']) },
];

export const getInvoice = storeOperation(
	{ name: 'Get Invoice', action: 'Get a lightning invoice', description: 'Status of a Lightning invoice of the store node', properties },
	async (ctx, i, client, storeId) => {
		return simplify(ctx, i, await client.lightning.getInvoice(storeId, text(ctx, 'lightningInvoiceId', i)), simplifyInvoice);
	},
);
