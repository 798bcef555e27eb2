/**
 * Store Wallet > Send and Preview Send: one on-chain transaction from the
 * store's hot wallet. Max Amount is required and compared exactly; every
 * address is checked against the wallet's own network; the fee is an explicit
 * rate or a block target; the Reference is written as the label
 * `n8n:<reference>` on the transaction, and a transaction already carrying it
 * is reported instead of sending again (client/wallet.ts explains why).
 * Preview runs the same checks and lets BTCPay build an unsigned PSBT.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { SendInput } from '../../client/wallet';
import type { BitcoinNetwork } from '../../../shared/bitcoin';
import { expectedNetworkField, noticeProperty, optionsProperty, show } from '../common';
import { collection, present, text } from '../format';
import { storeOperation } from '../operations';
import { paymentMethodOf, R, simplifyTransaction } from './common';

const OPS = ['send', 'previewSend'];

export const sendProperties: INodeProperties[] = [
	noticeProperty(
		'sendNotice',
		'Money leaves the store wallet (Preview Send only builds an unsigned transaction). Totals above Max Amount and addresses of another network are refused before anything is sent, and a transaction already labelled with this Reference is reported instead of sending again.',
		show(R, ['send']),
	),
	{
		displayName: 'Destinations',
		name: 'destinations',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		required: true,
		placeholder: 'Add Destination',
		description: 'Addresses and amounts to pay',
		displayOptions: show(R, OPS),
		options: [
			{
				displayName: 'Destination',
				name: 'destination',
				values: [
					{ displayName: 'Address', name: 'address', type: 'string', default: '', placeholder: 'bc1q…', description: 'Bitcoin address (checked against the wallet network before sending)' },
					{ displayName: 'Amount (BTC)', name: 'amount', type: 'string', default: '', placeholder: '0.0125', description: 'Amount in BTC, up to 8 decimals' },
					{ displayName: 'Subtract Fees', name: 'subtractFees', type: 'boolean', default: false, description: 'Whether the fee is taken from this amount (one destination at most)' },
				],
			},
		],
	},
	{
		displayName: 'Max Amount (BTC)',
		name: 'maxAmountBtc',
		type: 'string',
		default: '',
		required: true,
		placeholder: '0.05',
		description: 'Largest total this node may send in one transaction, fees not included, compared exactly. Required: there is no unlimited default.',
		displayOptions: show(R, OPS),
	},
	{
		displayName: 'Reference',
		name: 'reference',
		type: 'string',
		default: '',
		required: true,
		placeholder: "={{ 'sweep-' + $now.toFormat('yyyy-MM-dd') }}",
		description: 'Stable ID of this payment (at most 46 characters). Written on the transaction as the label n8n:(reference); a rerun with the same reference finds it and sends nothing.',
		displayOptions: show(R, OPS),
	},
	{
		displayName: 'Fee',
		name: 'feeMode',
		type: 'options',
		default: 'feeRate',
		options: [
			{ name: 'Fee Rate (Sat/vB)', value: 'feeRate', description: 'A fixed fee rate' },
			{ name: 'Block Target', value: 'blockTarget', description: "BTCPay's fee estimate to confirm within this many blocks" },
		],
		description: 'How the fee is chosen: always explicit',
		displayOptions: show(R, OPS),
	},
	{ displayName: 'Fee Rate (Sat/vB)', name: 'feeRate', type: 'string', default: '', required: true, placeholder: '5', description: 'Fee rate in sat/vB', displayOptions: { show: { ...show(R, OPS).show, feeMode: ['feeRate'] } } },
	{ displayName: 'Block Target', name: 'blockTarget', type: 'number', default: 6, typeOptions: { minValue: 1, maxValue: 1008 }, description: 'Confirm within this many blocks', displayOptions: { show: { ...show(R, OPS).show, feeMode: ['blockTarget'] } } },
	optionsProperty('sendOptions', R, OPS, [
		{ displayName: 'Comment', name: 'comment', type: 'string', default: '', description: 'Comment written on the transaction (at most 200 characters)' },
		{ displayName: 'Exclude Unconfirmed', name: 'excludeUnconfirmed', type: 'boolean', default: false, description: 'Whether to spend confirmed coins only' },
		expectedNetworkField(
			[
				{ name: 'Mainnet', value: 'mainnet' },
				{ name: 'Regtest', value: 'regtest' },
				{ name: 'Testnet / Signet', value: 'testnet' },
			],
			"Refuse addresses of another network before any request (the wallet's own network is checked anyway)",
		),
		{ displayName: 'Replace-By-Fee', name: 'rbf', type: 'boolean', default: true, description: 'Whether the transaction signals RBF (its fee can be bumped later)' },
	]),
];

function sendInput(ctx: IExecuteFunctions, i: number): SendInput {
	const rows = (collection(ctx, 'destinations', i).destination as IDataObject[] | undefined) ?? [];
	const options = present(collection(ctx, 'sendOptions', i));
	const mode = ctx.getNodeParameter('feeMode', i, 'feeRate') as string;
	return {
		destinations: rows.map((row) => ({ address: String(row.address ?? ''), amount: row.amount as string, subtractFees: row.subtractFees === true })),
		maxAmount: text(ctx, 'maxAmountBtc', i),
		reference: text(ctx, 'reference', i),
		feeRate: mode === 'feeRate' ? text(ctx, 'feeRate', i) : undefined,
		blockTarget: mode === 'blockTarget' ? (ctx.getNodeParameter('blockTarget', i, 6) as number) : undefined,
		comment: options.comment as string | undefined,
		excludeUnconfirmed: options.excludeUnconfirmed as boolean | undefined,
		rbf: options.rbf as boolean | undefined,
		expectedNetwork: options.expectedNetwork as BitcoinNetwork | undefined,
	};
}

export const send = storeOperation(
	{ name: 'Send', action: 'Send from the store wallet', description: 'Create, sign and broadcast an on-chain transaction, at most once per reference' },
	async (ctx, i, client, storeId) => {
		const result = await client.wallet.send(storeId, sendInput(ctx, i), paymentMethodOf(ctx, i));
		const { transaction, ...rest } = result;
		return { ...rest, transaction: simplifyTransaction(transaction) } as IDataObject;
	},
);

export const previewSend = storeOperation(
	{ name: 'Preview Send', action: 'Preview a send from the store wallet', description: 'Run every Send check and let BTCPay build an unsigned transaction (PSBT); nothing is signed or broadcast' },
	async (ctx, i, client, storeId) => ({ ...(await client.wallet.preview(storeId, sendInput(ctx, i), paymentMethodOf(ctx, i))) }) as unknown as IDataObject,
);
