/** Store Lightning > Create Invoice: a BOLT11 invoice on the store node, amount in sats. */
import type { INodeProperties } from 'n8n-workflow';
import { additionalFieldsProperty, show, simplify } from '../common';
import { collection, present, text } from '../format';
import { storeOperation } from '../operations';
import { R, simplifyInvoice } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Amount (Sats)',
		name: 'amountSats',
		type: 'number',
		default: 1000,
		required: true,
		typeOptions: { minValue: 1 },
		description: 'Invoice amount in satoshis (1 sat = 1000 msat)',
		displayOptions: show(R, ['createInvoice']),
	},
	{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'Shown to the payer in the wallet', displayOptions: show(R, ['createInvoice']) },
	additionalFieldsProperty(R, ['createInvoice'], [
		{ displayName: 'Description Hash Only', name: 'descriptionHashOnly', type: 'boolean', default: false, description: 'Whether the invoice carries only a hash of the description' },
		{ displayName: 'Expiry (Seconds)', name: 'expirySeconds', type: 'number', default: 3600, typeOptions: { minValue: 1 }, description: 'Seconds until the invoice expires (1 hour when not set: BTCPay needs an expiry)' },
		{ displayName: 'Private Route Hints', name: 'privateRouteHints', type: 'boolean', default: false, description: 'Whether to include hints for private channels' },
	]),
];

export const createInvoice = storeOperation(
	{ name: 'Create Invoice', simplify: true, action: 'Create a lightning invoice', description: 'Create a BOLT11 invoice on the store node, amount in sats', properties },
	async (ctx, i, client, storeId) => {
		const f = present(collection(ctx, 'additionalFields', i));
		const invoice = await client.lightning.createInvoice(storeId, {
			amountSats: ctx.getNodeParameter('amountSats', i, '') as number,
			description: text(ctx, 'description', i),
			expirySeconds: f.expirySeconds as number | undefined,
			descriptionHashOnly: f.descriptionHashOnly as boolean | undefined,
			privateRouteHints: f.privateRouteHints as boolean | undefined,
		});
		return simplify(ctx, i, invoice, simplifyInvoice);
	},
);
