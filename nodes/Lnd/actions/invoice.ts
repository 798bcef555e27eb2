/** Resource "Invoice": receive over Lightning. */
import type { IDataObject } from 'n8n-workflow';
import { InputError } from '../../shared/errors';
import { parseSats } from '../../shared/amounts';
import { b64ToHex, simplifyInvoice } from '../client/simplify';
import { asData, isSimplified, listFiltersProperty, operationProperty, readListParameters, returnAllProperties, show, simplifyProperty, wholeNumber } from './common';
import type { LndResource } from './types';

const RESOURCE = 'invoice';

export const invoiceResource: LndResource = {
	value: RESOURCE,
	name: 'Invoice',
	description: 'Lightning invoices to receive payments',
	properties: [
		operationProperty(
			RESOURCE,
			[
				{ name: 'Create', value: 'create', action: 'Create an invoice', description: 'Create a BOLT11 invoice to receive sats' },
				{ name: 'Get', value: 'get', action: 'Get an invoice', description: 'Look up an invoice by its payment hash' },
				{ name: 'Get Many', value: 'getMany', action: 'Get many invoices', description: 'List invoices, newest first by default' },
			],
			'create',
		),
		{
			displayName: 'Amount (Sats)',
			name: 'amountSats',
			type: 'number',
			default: 0,
			required: true,
			typeOptions: { minValue: 0 },
			description: 'Amount to receive in sats. 0 creates an invoice the payer fills in (any amount).',
			displayOptions: show(RESOURCE, ['create']),
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: show(RESOURCE, ['create']),
			options: [
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
			],
		},
		{
			displayName: 'Payment Hash',
			name: 'paymentHash',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 0001020304050607080900010203040506070809000102030405060708090102',
			description: 'The invoice payment hash, 64 hex characters (the paymentHash output of Create)',
			displayOptions: show(RESOURCE, ['get']),
		},
		...returnAllProperties(RESOURCE, 'getMany'),
		listFiltersProperty(RESOURCE, 'getMany', 'invoices', [
			{
				displayName: 'Open Only',
				name: 'pendingOnly',
				type: 'boolean',
				default: false,
				description: 'Whether to return only invoices not yet paid (open or accepted)',
			},
		]),
		simplifyProperty(RESOURCE, ['create', 'get', 'getMany']),
	],
	async execute(ctx, client, operation, itemIndex) {
		const simple = isSimplified(ctx, itemIndex);
		switch (operation) {
			case 'create': {
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
			}
			case 'get': {
				const invoice = await client.lookupInvoice(String(ctx.getNodeParameter('paymentHash', itemIndex)));
				return asData(simple ? simplifyInvoice(invoice) : invoice);
			}
			case 'getMany': {
				const { filters, ...paging } = readListParameters(ctx, itemIndex);
				const invoices = await client.listInvoices({ ...paging, pendingOnly: filters.pendingOnly === true });
				return invoices.map((inv) => asData(simple ? simplifyInvoice(inv) : inv));
			}
			default:
				throw new InputError('Operation', `"${operation}" is not supported for Invoice`, 'LND');
		}
	},
};
