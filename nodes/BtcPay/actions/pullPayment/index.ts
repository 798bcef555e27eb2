/** Pull Payment: create, get, get many, archive. Payouts against it are under Payout. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { BtcPayClient } from '../../client';
import type { CreatePullPaymentInput, PullPaymentWithLink } from '../../client/pullPayments';
import { InputError } from '../../../shared/errors';
import { getLimit, getStoreId, operationProperty, parseList, pick, returnAllLimitProperties, show, simplify, simplifyProperty, storeLocatorProperty } from '../common';
import { collection, limitList, present, text } from './format';
import type { BtcPayResource, ItemResult } from '../types';

const R = 'pullPayment';

export const pullPaymentProperties: INodeProperties[] = [
	operationProperty(
		R,
		[
			{ name: 'Archive', value: 'archive', action: 'Archive a pull payment', description: 'Close a pull payment; unapproved payouts are cancelled' },
			{ name: 'Create', value: 'create', action: 'Create a pull payment', description: 'Create funds that someone can claim up to an amount' },
			{ name: 'Get', value: 'get', action: 'Get a pull payment', description: 'Get a pull payment and its claim link' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many pull payments', description: 'List the pull payments of a store' },
		],
		'create',
	),
	storeLocatorProperty(R, ['create', 'getAll', 'archive']),
	{ displayName: 'Pull Payment ID', name: 'pullPaymentId', type: 'string', default: '', required: true, displayOptions: show(R, ['get', 'archive']) },
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
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(R, ['create']),
		options: [
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
			{
				displayName: 'Payout Methods',
				name: 'payoutMethods',
				type: 'string',
				default: '',
				placeholder: 'BTC-CHAIN, BTC-LN',
				description: 'Comma-separated methods that can be claimed with. Default: all enabled methods.',
			},
			{ displayName: 'Starts At', name: 'startsAt', type: 'dateTime', default: '', description: 'Claims are possible from this time on' },
		],
	},
	{
		displayName: 'Options',
		name: 'listOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(R, ['getAll']),
		options: [{ displayName: 'Include Archived', name: 'includeArchived', type: 'boolean', default: false, description: 'Whether to include archived pull payments' }],
	},
	...returnAllLimitProperties(R, ['getAll']),
	simplifyProperty(R, ['create', 'get', 'getAll']),
];

export function simplifyPullPayment(pp: PullPaymentWithLink): IDataObject {
	return pick(pp, ['id', 'name', 'description', 'amount', 'currency', 'claimLink', 'autoApproveClaims', 'archived', 'BOLT11Expiration']);
}

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

async function execute(ctx: IExecuteFunctions, client: BtcPayClient, operation: string, i: number): Promise<ItemResult> {
	switch (operation) {
		case 'create': {
			const storeId = getStoreId(ctx, i);
			return simplify(ctx, i, await client.pullPayments.create(storeId, createInput(ctx, i)), simplifyPullPayment);
		}
		case 'get':
			return simplify(ctx, i, await client.pullPayments.get(text(ctx, 'pullPaymentId', i)), simplifyPullPayment);
		case 'getAll': {
			const storeId = getStoreId(ctx, i);
			const options = collection(ctx, 'listOptions', i);
			const list = await client.pullPayments.list(storeId, { includeArchived: options.includeArchived === true });
			return simplify(ctx, i, limitList(list, getLimit(ctx, i)), simplifyPullPayment);
		}
		case 'archive': {
			const storeId = getStoreId(ctx, i);
			const id = text(ctx, 'pullPaymentId', i);
			await client.pullPayments.archive(storeId, id);
			return { success: true, pullPaymentId: id, archived: true };
		}
		default:
			throw new InputError('Operation', `"${operation}" is not supported for pull payments`, 'BTCPay');
	}
}

export const pullPayment: BtcPayResource = {
	value: R,
	name: 'Pull Payment',
	description: 'Funds that someone claims through payouts (bounties, salaries, refunds)',
	properties: pullPaymentProperties,
	execute,
};
