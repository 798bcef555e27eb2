import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { InputError } from '../../../shared/errors';
import { decodeBolt11, type LightningNetwork } from '../../../shared/bolt11';
import type { ListPaymentsQuery, LnbitsClient, LnbitsPayment, PayResult } from '../../client';
import {
	getLimit,
	getMaxAmountSats,
	getSimplify,
	maxAmountProperty,
	paymentOutput,
	paymentState,
	returnAllLimitProperties,
	show,
	simplifyProperty,
	type LnbitsResource,
	operationProperty,
} from '../common';

const R = 'payment';

const properties: INodeProperties[] = [
	operationProperty(
		R,
		[
			{
				name: 'Decode',
				value: 'decode',
				description: 'Read a BOLT11 invoice offline: amount, description, payment hash, expiry, payee',
				action: 'Decode an invoice',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the wallet\'s payments, newest first',
				action: 'Get many payments',
			},
			{
				name: 'Get Status',
				value: 'get',
				description: 'Get the status of a payment by its payment hash',
				action: 'Get a payment status',
			},
			{
				name: 'Pay Invoice',
				value: 'pay',
				description: 'Pay a BOLT11 invoice from the wallet (needs the admin key)',
				action: 'Pay an invoice',
			},
		],
		'get',
	),
	{
		displayName: 'Payment Hash',
		name: 'paymentHash',
		type: 'string',
		default: '',
		required: true,
		placeholder: '64 hex characters',
		displayOptions: show(R, ['get']),
	},
	{
		displayName: 'Invoice',
		name: 'bolt11',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'lnbc…',
		description: 'BOLT11 payment request (a lightning: prefix is fine)',
		displayOptions: show(R, ['pay', 'decode']),
	},
	{
		displayName:
			'Money leaves the wallet. The invoice is decoded first; expired invoices, invoices for another network and amounts above Max Amount are refused, and an invoice this wallet already paid is not paid again.',
		name: 'payNotice',
		type: 'notice',
		default: '',
		displayOptions: show(R, ['pay']),
	},
	maxAmountProperty(R, ['pay']),
	{
		displayName: 'Options',
		name: 'payOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(R, ['pay']),
		options: [
			{
				displayName: 'Extra (JSON)',
				name: 'extra',
				type: 'json',
				default: '{}',
				description: 'JSON object stored with the outgoing payment',
			},
			{
				displayName: 'Wallet Network',
				name: 'network',
				type: 'options',
				options: [
					{ name: 'Any (Do Not Check)', value: 'any', description: 'Pay invoices of any network' },
					{ name: 'Mainnet', value: 'mainnet', description: 'Invoices start with lnbc' },
					{ name: 'Regtest', value: 'regtest', description: 'Invoices start with lnbcrt' },
					{ name: 'Signet', value: 'signet', description: 'Invoices start with lntbs' },
					{ name: 'Testnet', value: 'testnet', description: 'Invoices start with lntb' },
				],
				default: 'mainnet',
				description: 'Network of the LNbits funding source; invoices for another network are refused',
			},
		],
	},
	...returnAllLimitProperties(R, ['getMany']),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(R, ['getMany']),
		options: [
			{
				displayName: 'Direction',
				name: 'direction',
				type: 'options',
				options: [
					{ name: 'Incoming', value: 'incoming' },
					{ name: 'Outgoing', value: 'outgoing' },
				],
				default: 'incoming',
			},
			{
				displayName: 'Memo Contains',
				name: 'memo',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Since',
				name: 'since',
				type: 'dateTime',
				default: '',
				description: 'Only payments at or after this time',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Failed', value: 'failed' },
					{ name: 'Pending', value: 'pending' },
					{ name: 'Success', value: 'success' },
				],
				default: 'success',
			},
			{
				displayName: 'Until',
				name: 'until',
				type: 'dateTime',
				default: '',
				description: 'Only payments at or before this time',
			},
		],
	},
	simplifyProperty(R, ['get', 'getMany', 'pay']),
];

function toUnixSeconds(value: unknown, field: string): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const ms = typeof value === 'number' ? value : Date.parse(String(value));
	if (!Number.isFinite(ms)) throw new InputError(field, `"${String(value)}" is not a date and time`, 'LNbits');
	return Math.floor((typeof value === 'number' && value < 1e11 ? value * 1000 : ms) / 1000);
}

function listQuery(filters: IDataObject): Omit<ListPaymentsQuery, 'limit' | 'offset'> {
	const since = toUnixSeconds(filters.since, 'Since');
	const until = toUnixSeconds(filters.until, 'Until');
	if (since !== undefined && until !== undefined && since > until) throw new InputError('Until', 'is before Since', 'LNbits');
	return {
		direction: (filters.direction as ListPaymentsQuery['direction']) || undefined,
		status: (filters.status as ListPaymentsQuery['status']) || undefined,
		memo: (filters.memo as string)?.trim() || undefined,
		since,
		until,
	};
}

function payOutput(result: PayResult, simplify: boolean): IDataObject {
	const p: LnbitsPayment = result.payment;
	const base = simplify
		? {
				paymentHash: p.paymentHash,
				status: p.status,
				alreadyPaid: result.alreadyPaid,
				amountSats: p.amountSats,
				amountMsat: p.amountMsat,
				feeMsat: p.feeMsat,
				preimage: p.status === 'success' ? p.preimage : null,
				memo: p.memo,
				time: p.time,
			}
		: { ...(p as unknown as IDataObject), alreadyPaid: result.alreadyPaid };
	return { ...base, ...paymentState(p) };
}

async function getMany(ctx: IExecuteFunctions, i: number, client: LnbitsClient) {
	const q = listQuery(ctx.getNodeParameter('filters', i, {}) as IDataObject);
	const limit = getLimit(ctx, i, 'LNbits');
	const payments: LnbitsPayment[] =
		limit === undefined ? await client.listAllPayments(q) : await client.listAllPayments(q, { max: limit, pageSize: Math.min(limit, 1000) });
	const simplify = getSimplify(ctx, i);
	return payments.map((p) => paymentOutput(p, simplify));
}

export const payment: LnbitsResource = {
	value: R,
	name: 'Payment',
	description: 'Look up, list, pay and decode payments',
	properties,
	operations: {
		async get(ctx, i, getClient) {
			const hash = ctx.getNodeParameter('paymentHash', i, '') as string;
			const client = await getClient();
			const s = await client.getPayment(hash);
			const out: IDataObject = { paymentHash: hash.trim().toLowerCase(), paid: s.paid, status: s.status, preimage: s.preimage };
			if (s.details) Object.assign(out, paymentOutput(s.details, getSimplify(ctx, i)), { paid: s.paid, status: s.status, preimage: s.preimage });
			return out;
		},
		async getMany(ctx, i, getClient) {
			return getMany(ctx, i, await getClient());
		},
		async pay(ctx, i, getClient) {
			const options = ctx.getNodeParameter('payOptions', i, {}) as IDataObject;
			const network = (options.network as string | undefined) ?? 'mainnet';
			const maxAmountSats = getMaxAmountSats(ctx, i);
			const client = await getClient();
			const result = await client.payInvoice({
				bolt11: ctx.getNodeParameter('bolt11', i, '') as string,
				maxAmountSats,
				expectedNetwork: network === 'any' ? undefined : (network as LightningNetwork),
				extra: options.extra,
			});
			return payOutput(result, getSimplify(ctx, i));
		},
		async decode(ctx, i) {
			const d = decodeBolt11(ctx.getNodeParameter('bolt11', i, '') as string, 'Invoice');
			const now = Math.floor(Date.now() / 1000);
			return {
				network: d.network,
				amountSats: d.amountSats,
				amountMsat: d.amountMsat,
				paymentHash: d.paymentHash,
				description: d.description,
				descriptionHash: d.descriptionHash,
				payee: d.payee,
				createdAt: new Date(d.timestamp * 1000).toISOString(),
				expirySeconds: d.expiry,
				expiresAt: new Date(d.expiresAt * 1000).toISOString(),
				expired: d.expiresAt <= now,
				minFinalCltvExpiry: d.minFinalCltvExpiry,
				paymentRequest: d.paymentRequest,
			};
		},
	},
};
