/**
 * Store Wallet: the store's on-chain wallet (balance, addresses,
 * transactions, UTXOs) and guarded sends. The reads without fields of their
 * own are declared here; Get Many Transactions, Update Transaction and
 * Send / Preview Send have their own files.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { Histogram, ReceiveAddress, WalletOverview } from '../../client/wallet';
import { defineBtcPayResource, show, simplify, storeLocatorProperty } from '../common';
import { storeObjectQuery, storeOperation } from '../operations';
import type { BtcPayOperation } from '../types';
import { btcToSatsExact, paymentMethodOf, paymentMethodProperty, R, simplifyTransaction, simplifyUtxo } from './common';
import { getTransactions } from './getTransactions';
import { previewSend, send, sendProperties } from './send';
import { updateTransaction } from './updateTransaction';

function simplifyOverview(o: WalletOverview): IDataObject {
	return {
		balance: o.balance,
		confirmedBalance: o.confirmedBalance ?? null,
		unconfirmedBalance: o.unconfirmedBalance ?? null,
		balanceSats: btcToSatsExact(o.balance),
		confirmedBalanceSats: btcToSatsExact(o.confirmedBalance),
	};
}

const getOverview = storeOperation(
	{ name: 'Get Overview', simplify: true, action: 'Get the store wallet balance', description: 'Total, confirmed and unconfirmed balance of the store wallet' },
	async (ctx, i, client, storeId) => simplify(ctx, i, await client.wallet.overview(storeId, paymentMethodOf(ctx, i)), simplifyOverview),
);

const histogramType: INodeProperties = {
	displayName: 'Period',
	name: 'histogramType',
	type: 'options',
	default: 'Week',
	options: [
		{ name: 'Week', value: 'Week' },
		{ name: 'Month', value: 'Month' },
		{ name: 'Year', value: 'Year' },
	],
	description: 'Timespan of the balance history',
	displayOptions: show(R, ['getHistogram']),
};

const getHistogram = storeOperation(
	{ name: 'Get Balance Histogram', action: 'Get the store wallet balance history', description: 'Balances of the store wallet over a week, month or year', properties: [histogramType] },
	async (ctx, i, client, storeId) => {
		const h: Histogram = await client.wallet.histogram(storeId, ctx.getNodeParameter('histogramType', i, 'Week') as string, paymentMethodOf(ctx, i));
		return { ...h } as IDataObject;
	},
);

const blockTarget: INodeProperties = {
	displayName: 'Block Target',
	name: 'feeBlockTarget',
	type: 'number',
	default: 0,
	typeOptions: { minValue: 0 },
	description: "Confirm within this many blocks (0: the store's default target)",
	displayOptions: show(R, ['getFeeRate']),
};

const getFeeRate = storeOperation(
	{ name: 'Get Fee Rate', action: 'Get the recommended fee rate', description: "BTCPay's fee estimate in sat/vB for a confirmation target", properties: [blockTarget] },
	async (ctx, i, client, storeId) => {
		const target = ctx.getNodeParameter('feeBlockTarget', i, 0) as number;
		return { ...(await client.wallet.feeRate(storeId, target > 0 ? target : undefined, paymentMethodOf(ctx, i))) } as IDataObject;
	},
);

const reserve: INodeProperties = {
	displayName: 'Reserve New Address',
	name: 'forceGenerate',
	type: 'boolean',
	default: false,
	description: 'Whether to reserve a new, unused address instead of returning the current one',
	displayOptions: show(R, ['getReceiveAddress']),
};

const getReceiveAddress = storeOperation(
	{ name: 'Get Receive Address', action: 'Get a receive address of the store wallet', description: 'The current (or a newly reserved) deposit address and its payment link', properties: [reserve] },
	async (ctx, i, client, storeId) => {
		const address: ReceiveAddress = await client.wallet.receiveAddress(storeId, ctx.getNodeParameter('forceGenerate', i, false) as boolean, paymentMethodOf(ctx, i));
		return { ...address } as IDataObject;
	},
);

const unreserveAddress = storeOperation(
	{ name: 'Unreserve Address', action: 'Unreserve the receive address', description: 'Give the reserved receive address back so it can be handed out again' },
	async (ctx, i, client, storeId) => {
		await client.wallet.unreserveAddress(storeId, paymentMethodOf(ctx, i));
		return { success: true };
	},
);

const transactionId: INodeProperties = {
	displayName: 'Transaction ID',
	name: 'transactionId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '64 hexadecimal characters',
	description: 'ID (hash) of the wallet transaction',
	displayOptions: show(R, ['getTransaction', 'updateTransaction']),
};

const getTransaction = storeObjectQuery(
	{ name: 'Get Transaction', simplify: true, action: 'Get a wallet transaction', description: 'One transaction of the store wallet with its labels and comment' },
	'transactionId',
	(client, storeId, id, ctx, i) => client.wallet.getTransaction(storeId, id, paymentMethodOf(ctx, i)),
	simplifyTransaction,
);

const getUtxos = storeOperation(
	{ name: 'Get Many UTXOs', simplify: true, action: 'Get the unspent outputs of the store wallet', description: 'The coins the store wallet can spend' },
	async (ctx, i, client, storeId) => simplify(ctx, i, await client.wallet.listUtxos(storeId, paymentMethodOf(ctx, i)), simplifyUtxo),
);

const operations: Record<string, BtcPayOperation> = {
	getOverview,
	getHistogram,
	getFeeRate,
	getReceiveAddress,
	unreserveAddress,
	getTransactions,
	getTransaction,
	updateTransaction,
	getUtxos,
	send,
	previewSend,
};

const fields: INodeProperties[] = [storeLocatorProperty(R), paymentMethodProperty(Object.keys(operations)), transactionId, ...sendProperties];

export const storeWallet = defineBtcPayResource({
	value: R,
	name: 'Store Wallet',
	description: "The store's on-chain wallet: balance, addresses, transactions, guarded sends",
	operations,
	defaultOperation: 'getOverview',
	fields,
});
