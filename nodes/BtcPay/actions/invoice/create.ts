/** Invoice > Create: a fixed-amount or top-up invoice with checkout options. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { CreateInvoiceInput } from '../../client/invoices';
import { InputError } from '../../../shared/errors';
import { additionalFieldsProperty, optionalNumber, parseJsonParameter, parseList, paymentMethodsField, show, simplify, speedPolicyField, storeCurrencyProperty } from '../common';
import { text } from '../format';
import { storeOperation } from '../operations';
import { R, simplifyInvoice } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Amount Type',
		name: 'amountType',
		type: 'options',
		default: 'fixed',
		options: [
			{ name: 'Fixed Amount', value: 'fixed', description: 'The buyer pays the given amount' },
			{ name: 'Top-Up (Any Amount)', value: 'topUp', description: 'Any payment counts as full payment' },
		],
		displayOptions: show(R, ['create']),
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		default: '',
		required: true,
		placeholder: '12.50',
		description: 'Amount as a decimal number in the currency below, e.g. 12.50 (no more decimals than the currency allows)',
		displayOptions: { show: { resource: [R], operation: ['create'], amountType: ['fixed'] } },
	},
	storeCurrencyProperty(R, ['create'], 'Currency code such as USD, EUR, BTC or SATS. Empty: the store default currency.'),
	additionalFieldsProperty(R, ['create'], [
		{ displayName: 'Additional Search Terms', name: 'additionalSearchTerms', type: 'string', default: '', description: 'Comma-separated terms that find this invoice in text search' },
		{ displayName: 'Buyer Email', name: 'buyerEmail', type: 'string', placeholder: 'name@email.com', default: '' },
		{ displayName: 'Default Payment Method', name: 'defaultPaymentMethod', type: 'string', default: '', placeholder: 'BTC-LN', description: 'Payment method shown first at checkout' },
		{ displayName: 'Expiration (Minutes)', name: 'expirationMinutes', type: 'number', default: 15, typeOptions: { minValue: 1 }, description: 'Minutes until the invoice expires. Default: the store setting.' },
		{ displayName: 'Item Description', name: 'itemDesc', type: 'string', default: '' },
		{
			displayName: 'Metadata (JSON)',
			name: 'metadata',
			type: 'json',
			default: '{}',
			description: 'Free metadata stored with the invoice; Order ID, Buyer Email and Item Description are added to it',
		},
		{
			displayName: 'Metadata Fields',
			name: 'metadataFields',
			type: 'fixedCollection',
			default: {},
			placeholder: 'Add Metadata Field',
			typeOptions: { multipleValues: true },
			description: 'Metadata as key/value pairs (text values), merged over Metadata (JSON)',
			options: [
				{
					displayName: 'Field',
					name: 'field',
					values: [
						{ displayName: 'Key', name: 'key', type: 'string', default: '', placeholder: 'customerId' },
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					],
				},
			],
		},
		{ displayName: 'Order ID', name: 'orderId', type: 'string', default: '', description: 'Your order reference; invoices can be searched by it' },
		paymentMethodsField('paymentMethods', 'Payment Methods', 'Payment methods to offer. Default (none chosen): every method enabled in the store.'),
		{ displayName: 'Redirect Automatically', name: 'redirectAutomatically', type: 'boolean', default: false, description: 'Whether the checkout page redirects to the Redirect URL after payment' },
		{ displayName: 'Redirect URL', name: 'redirectURL', type: 'string', default: '', placeholder: 'https://shop.example.com/thanks', description: 'Where the buyer goes after paying' },
		speedPolicyField('Confirmations needed before an on-chain payment settles the invoice'),
	]),
];

/** Metadata Fields (key/value pairs, as n8n's Stripe node has them) as an object; an empty key is refused naming its row. */
export function metadataPairs(value: unknown): Record<string, string> {
	const rows = value && typeof value === 'object' ? ((value as IDataObject).field as IDataObject[] | undefined) : undefined;
	const out: Record<string, string> = {};
	(Array.isArray(rows) ? rows : []).forEach((row, index) => {
		const key = String(row.key ?? '').trim();
		if (!key) throw new InputError('Metadata Fields', `field ${index + 1} has no key`, 'BTCPay');
		out[key] = row.value === undefined || row.value === null ? '' : String(row.value);
	});
	return out;
}

/** Maps the create parameters of item `i` to the client input (validated by the client before sending). */
export function createInput(ctx: IExecuteFunctions, i: number): CreateInvoiceInput {
	const amountType = ctx.getNodeParameter('amountType', i, 'fixed') as string;
	const currency = text(ctx, 'currency', i);
	const fields = ctx.getNodeParameter('additionalFields', i, {}) as IDataObject;
	const input: CreateInvoiceInput = {};
	if (amountType === 'fixed') {
		const amount = ctx.getNodeParameter('amount', i, '') as unknown;
		if (amount === '' || amount === undefined || amount === null) throw new InputError('Amount', 'is required (or choose Amount Type "Top-Up")', 'BTCPay');
		input.amount = amount as string | number;
	} else if (amountType !== 'topUp') {
		throw new InputError('Amount Type', `"${amountType}" is not one of fixed, topUp`, 'BTCPay');
	}
	if (currency) input.currency = currency;
	const str = (key: string) => {
		const v = fields[key];
		return v === undefined || v === null || v === '' ? undefined : String(v);
	};
	if (str('orderId')) input.orderId = str('orderId');
	if (str('buyerEmail')) input.buyerEmail = str('buyerEmail');
	if (str('itemDesc')) input.itemDesc = str('itemDesc');
	const metadata = { ...((parseJsonParameter(fields.metadata, 'Metadata (JSON)') as Record<string, unknown> | undefined) ?? {}), ...metadataPairs(fields.metadataFields) };
	if (Object.keys(metadata).length) input.metadata = metadata;
	const terms = parseList(fields.additionalSearchTerms);
	if (terms) input.additionalSearchTerms = terms;
	const checkout: NonNullable<CreateInvoiceInput['checkout']> = {};
	if (str('speedPolicy')) checkout.speedPolicy = str('speedPolicy') as never;
	const methods = parseList(fields.paymentMethods);
	if (methods) checkout.paymentMethods = methods;
	if (str('defaultPaymentMethod')) checkout.defaultPaymentMethod = str('defaultPaymentMethod');
	const minutes = optionalNumber(fields.expirationMinutes, 'Expiration (Minutes)');
	if (minutes !== undefined) checkout.expirationMinutes = minutes;
	if (str('redirectURL')) checkout.redirectURL = str('redirectURL');
	if (fields.redirectAutomatically !== undefined) checkout.redirectAutomatically = fields.redirectAutomatically as boolean;
	if (Object.keys(checkout).length) input.checkout = checkout;
	return input;
}

export const create = storeOperation(
	{ name: 'Create', simplify: true, action: 'Create an invoice', description: 'Create an invoice', properties },
	async (ctx, i, client, storeId) => {
		const invoice = await client.invoices.create(storeId, createInput(ctx, i));
		return simplify(ctx, i, invoice, simplifyInvoice);
	},
);
