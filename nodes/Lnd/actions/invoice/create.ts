/** Invoice > Create: a BOLT11 invoice to receive sats (0: any amount). */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { parseSats } from '../../../shared/amounts';
import { b64ToHex } from '../../client/simplify';
import { amountSatsProperty, asData, isSimplified, optionsProperty, show, wholeNumber } from '../common';
import { defineLndOperation } from '../types';

const RESOURCE = 'invoice';

const properties: INodeProperties[] = [
	amountSatsProperty(show(RESOURCE, ['create']), 'Amount to receive in sats. 0 creates an invoice the payer fills in (any amount).', { minValue: 0 }),
	optionsProperty('options', RESOURCE, ['create'], [
		{
			displayName: 'Expiry (Seconds)',
			name: 'expirySeconds',
			type: 'number',
			default: 3600,
			typeOptions: { minValue: 1 },
			description: 'How long the invoice can be paid. LND default: 86400 (24 h).',
		},
		{
			displayName: 'Memo',
			name: 'memo',
			type: 'string',
			default: '',
			description: 'Description shown to the payer (in the BOLT11 invoice, max 639 bytes)',
		},
		{
			displayName: 'Private Route Hints',
			name: 'private',
			type: 'boolean',
			default: false,
			description: 'Whether to include route hints for private channels so the node can be reached through them',
		},
	]),
];

export const create = defineLndOperation(
	{ name: 'Create', simplify: true, action: 'Create an invoice', description: 'Create a BOLT11 invoice to receive sats', properties },
	async (ctx, itemIndex, client) => {
		const simple = isSimplified(ctx, itemIndex);
		const amountSats = parseSats(ctx.getNodeParameter('amountSats', itemIndex), 'Amount (Sats)', { allowZero: true });
		const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const expirySeconds = options.expirySeconds === undefined ? undefined : wholeNumber(options.expirySeconds, 'Expiry (Seconds)', { min: 1 });
		const created = await client.createInvoice({
			amountSats,
			memo: options.memo === undefined ? undefined : String(options.memo),
			expirySeconds,
			private: options.private === true,
		});
		if (!simple) return asData(created);
		return {
			paymentHash: b64ToHex(created.r_hash),
			paymentRequest: created.payment_request,
			amountSats,
			memo: options.memo === undefined ? '' : String(options.memo),
			expirySeconds: expirySeconds ?? 86400,
			addIndex: created.add_index ?? '0',
			paymentAddr: b64ToHex(created.payment_addr),
		};
	},
);
