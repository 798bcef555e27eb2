/** Pull Payment > Create: funds that someone can claim up to an amount. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { CreatePullPaymentInput } from '../../client/pullPayments';
import { additionalFieldsProperty, parseList, paymentMethodsField, show, simplify } from '../common';
import { collection, present, text } from '../format';
import { storeOperation } from '../operations';
import { R, simplifyPullPayment } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		default: '',
		required: true,
		placeholder: '100.00',
		description: 'Most that can be claimed in total, as a decimal number in the currency below',
		displayOptions: show(R, ['create']),
	},
	{ displayName: 'Currency', name: 'currency', type: 'string', default: 'BTC', required: true, placeholder: 'USD', displayOptions: show(R, ['create']) },
	additionalFieldsProperty(R, ['create'], [
		{ displayName: 'Auto Approve Claims', name: 'autoApproveClaims', type: 'boolean', default: false, description: 'Whether payouts skip the approval step' },
		{
			displayName: 'BOLT11 Expiration (Days)',
			name: 'BOLT11Expiration',
			type: 'number',
			default: 30,
			typeOptions: { minValue: 0 },
			description: 'Refuse Lightning invoices that expire sooner than this many days',
		},
		{ displayName: 'Description', name: 'description', type: 'string', default: '' },
		{ displayName: 'Expires At', name: 'expiresAt', type: 'dateTime', default: '', description: 'After this time nothing more can be claimed' },
		{ displayName: 'Name', name: 'name', type: 'string', default: '' },
		paymentMethodsField('payoutMethods', 'Payout Methods', 'Methods the pull payment can be claimed with. Default (none chosen): all enabled methods.'),
		{ displayName: 'Starts At', name: 'startsAt', type: 'dateTime', default: '', description: 'Claims are possible from this time on' },
	]),
];

function createInput(ctx: IExecuteFunctions, i: number): CreatePullPaymentInput {
	const f = present(collection(ctx, 'additionalFields', i));
	const input: CreatePullPaymentInput = { amount: text(ctx, 'amount', i), currency: text(ctx, 'currency', i) };
	if (f.name !== undefined) input.name = String(f.name);
	if (f.description !== undefined) input.description = String(f.description);
	if (f.autoApproveClaims !== undefined) input.autoApproveClaims = f.autoApproveClaims as boolean;
	if (f.BOLT11Expiration !== undefined) input.BOLT11Expiration = f.BOLT11Expiration as number;
	if (f.startsAt !== undefined) input.startsAt = f.startsAt as string;
	if (f.expiresAt !== undefined) input.expiresAt = f.expiresAt as string;
	const methods = parseList(f.payoutMethods);
	if (methods) input.payoutMethods = methods;
	return input;
}

export const create = storeOperation(
	{ name: 'Create', simplify: true, action: 'Create a pull payment', description: 'Create funds that someone can claim up to an amount', properties },
	async (ctx, i, client, storeId) => {
		return simplify(ctx, i, await client.pullPayments.create(storeId, createInput(ctx, i)), simplifyPullPayment);
	},
);
