/** Payout: create, get, get many, approve, cancel, mark paid. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { BtcPayClient } from '../../client';
import type { CreateStorePayoutInput, Payout } from '../../client/pullPayments';
import { InputError } from '../../../shared/errors';
import { getLimit, getStoreId, operationProperty, parseJsonParameter, pick, returnAllLimitProperties, show, simplify, simplifyProperty, storeLocatorProperty } from '../common';
import { collection, isoTime, limitList, present, text } from '../pullPayment/format';
import type { BtcPayResource, ItemResult } from '../types';

const R = 'payout';
const ONE = ['get', 'approve', 'cancel', 'markPaid'];

export const payoutProperties: INodeProperties[] = [
	operationProperty(
		R,
		[
			{ name: 'Approve', value: 'approve', action: 'Approve a payout', description: 'Approve a payout awaiting approval so it can be paid' },
			{ name: 'Cancel', value: 'cancel', action: 'Cancel a payout', description: 'Cancel a payout that is not completed' },
			{ name: 'Create', value: 'create', action: 'Create a payout', description: 'Create a payout from the store, optionally for a pull payment' },
			{ name: 'Get', value: 'get', action: 'Get a payout', description: 'Get a payout and its state' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many payouts', description: 'List the payouts of a store or of one pull payment' },
			{ name: 'Mark Paid', value: 'markPaid', action: 'Mark a payout as paid', description: 'Record that a payout was paid outside BTCPay' },
		],
		'create',
	),
	storeLocatorProperty(R),
	{ displayName: 'Payout ID', name: 'payoutId', type: 'string', default: '', required: true, displayOptions: show(R, ONE) },
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
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(R, ['create']),
		options: [
			{ displayName: 'Approved', name: 'approved', type: 'boolean', default: false, description: 'Whether the payout is approved at once' },
			{ displayName: 'Metadata (JSON)', name: 'metadata', type: 'json', default: '{}', description: 'Free metadata stored with the payout' },
			{ displayName: 'Pull Payment ID', name: 'pullPaymentId', type: 'string', default: '', description: 'The pull payment this payout claims from' },
		],
	},
	{
		displayName: 'Options',
		name: 'approveOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(R, ['approve']),
		options: [
			{ displayName: 'Rate Rule', name: 'rateRule', type: 'string', default: '', placeholder: 'kraken(BTC_USD)', description: 'Rate rule or fixed rate for the conversion. Default: the store rate settings.' },
			{ displayName: 'Revision', name: 'revision', type: 'number', default: 0, description: 'Revision of the payout you approve (refused if it changed meanwhile). Default: the current revision.' },
		],
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(R, ['getAll']),
		options: [
			{ displayName: 'Include Cancelled', name: 'includeCancelled', type: 'boolean', default: false, description: 'Whether to include cancelled payouts' },
			{ displayName: 'Pull Payment ID', name: 'pullPaymentId', type: 'string', default: '', description: 'Only the payouts of this pull payment' },
		],
	},
	...returnAllLimitProperties(R, ['getAll']),
	simplifyProperty(R, ['create', 'get', 'getAll', 'approve']),
];

export function simplifyPayout(payout: Payout): IDataObject {
	const out = pick(payout, [
		'id',
		'state',
		'pullPaymentId',
		'destination',
		'payoutMethodId',
		'originalAmount',
		'originalCurrency',
		'payoutAmount',
		'payoutCurrency',
		'revision',
	]);
	const created = isoTime(payout.date);
	if (created) out.createdAt = created;
	return out;
}

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

async function execute(ctx: IExecuteFunctions, client: BtcPayClient, operation: string, i: number): Promise<ItemResult> {
	const storeId = getStoreId(ctx, i);
	const payoutId = () => text(ctx, 'payoutId', i);
	switch (operation) {
		case 'create':
			return simplify(ctx, i, await client.pullPayments.createStorePayout(storeId, createInput(ctx, i)), simplifyPayout);
		case 'get':
			return simplify(ctx, i, await client.pullPayments.getPayout(storeId, payoutId()), simplifyPayout);
		case 'getAll': {
			const filters = present(collection(ctx, 'filters', i));
			const includeCancelled = filters.includeCancelled === true;
			const list = filters.pullPaymentId
				? await client.pullPayments.listPayouts(String(filters.pullPaymentId).trim(), { includeCancelled })
				: await client.pullPayments.listStorePayouts(storeId, { includeCancelled });
			return simplify(ctx, i, limitList(list, getLimit(ctx, i)), simplifyPayout);
		}
		case 'approve': {
			const options = present(collection(ctx, 'approveOptions', i));
			const payout = await client.pullPayments.approvePayout(storeId, payoutId(), {
				revision: options.revision as number | undefined,
				rateRule: options.rateRule as string | undefined,
			});
			return simplify(ctx, i, payout, simplifyPayout);
		}
		case 'cancel': {
			const id = payoutId();
			await client.pullPayments.cancelPayout(storeId, id);
			return { success: true, payoutId: id, state: 'Cancelled' };
		}
		case 'markPaid': {
			const id = payoutId();
			await client.pullPayments.markPayoutPaid(storeId, id);
			return { success: true, payoutId: id, state: 'Completed' };
		}
		default:
			throw new InputError('Operation', `"${operation}" is not supported for payouts`, 'BTCPay');
	}
}

export const payout: BtcPayResource = {
	value: R,
	name: 'Payout',
	description: 'Payments out of the store, from pull payments or directly',
	properties: payoutProperties,
	execute,
};
