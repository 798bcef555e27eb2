/** Payout > Create: a payout from the store, optionally for a pull payment. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { CreateStorePayoutInput } from '../../client/pullPayments';
import { additionalFieldsProperty, parseJsonParameter, show, simplify } from '../common';
import { collection, present, text } from '../format';
import { storeOperation } from '../operations';
import { R, simplifyPayout } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Destination',
		name: 'destination',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'bc1q... or lnbc...',
		description: 'Bitcoin address, BIP21 URI, BOLT11 invoice or Lightning address',
		displayOptions: show(R, ['create']),
	},
	{
		displayName: 'Payout Method',
		name: 'payoutMethodId',
		type: 'options',
		default: 'BTC-CHAIN',
		options: [
			{ name: 'Bitcoin On-Chain', value: 'BTC-CHAIN' },
			{ name: 'Lightning', value: 'BTC-LN' },
		],
		displayOptions: show(R, ['create']),
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		default: '',
		placeholder: '0.001',
		description: 'Decimal amount in the pull payment currency (BTC without a pull payment). Empty for a pull payment: what is left of it.',
		displayOptions: show(R, ['create']),
	},
	additionalFieldsProperty(R, ['create'], [
		{ displayName: 'Approved', name: 'approved', type: 'boolean', default: false, description: 'Whether the payout is approved at once' },
		{ displayName: 'Metadata (JSON)', name: 'metadata', type: 'json', default: '{}', description: 'Free metadata stored with the payout' },
		{ displayName: 'Pull Payment ID', name: 'pullPaymentId', type: 'string', default: '', description: 'The pull payment this payout claims from' },
	]),
];

function createInput(ctx: IExecuteFunctions, i: number): CreateStorePayoutInput {
	const f = present(collection(ctx, 'additionalFields', i));
	const input: CreateStorePayoutInput = {
		destination: text(ctx, 'destination', i),
		payoutMethodId: text(ctx, 'payoutMethodId', i),
	};
	const amount = text(ctx, 'amount', i);
	if (amount) input.amount = amount;
	if (f.pullPaymentId !== undefined) input.pullPaymentId = String(f.pullPaymentId).trim();
	if (f.approved !== undefined) input.approved = f.approved as boolean;
	const metadata = parseJsonParameter(f.metadata, 'Metadata (JSON)') as Record<string, unknown> | undefined;
	if (metadata && Object.keys(metadata).length) input.metadata = metadata;
	return input;
}

export const create = storeOperation(
	{ name: 'Create', simplify: true, action: 'Create a payout', description: 'Create a payout from the store, optionally for a pull payment', properties },
	async (ctx, i, client, storeId) => {
		return simplify(ctx, i, await client.pullPayments.createStorePayout(storeId, createInput(ctx, i)), simplifyPayout);
	},
);
