/**
 * Store Lightning: the store's Lightning node through BTCPay. Amounts are
 * entered in sats (sent as msat); paying decodes the invoice first, needs a
 * max amount, reports 202 answers as pending and never pays an invoice twice.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { BtcPayClient } from '../../client';
import { msatToWholeSats, type LightningBalance, type LightningInvoice, type LightningPayment, type PayLightningInput } from '../../client/lightning';
import { InputError } from '../../../shared/errors';
import { getStoreId, maxAmountSatsProperty, operationProperty, pick, show, simplify, simplifyProperty, storeLocatorProperty } from '../common';
import { collection, isoTime, present, text } from '../pullPayment/format';
import type { BtcPayResource, ItemResult } from '../types';

const R = 'lightning';

export const lightningProperties: INodeProperties[] = [
	operationProperty(
		R,
		[
			{ name: 'Create Invoice', value: 'createInvoice', action: 'Create a lightning invoice', description: 'Create a BOLT11 invoice on the store node, amount in sats' },
			{ name: 'Get Balance', value: 'getBalance', action: 'Get the lightning node balance', description: 'On-chain and channel balances of the store node' },
			{ name: 'Get Info', value: 'getInfo', action: 'Get lightning node info', description: 'Alias, node URI, block height and channel counts' },
			{ name: 'Get Invoice', value: 'getInvoice', action: 'Get a lightning invoice', description: 'Status of a Lightning invoice of the store node' },
			{ name: 'Get Payment', value: 'getPayment', action: 'Get a lightning payment', description: 'Status of an outgoing payment by payment hash' },
			{
				name: 'Pay Invoice',
				value: 'payInvoice',
				action: 'Pay a lightning invoice',
				description: 'Pay a BOLT11 invoice from the store node (checked first, never paid twice)',
			},
		],
		'getInfo',
	),
	storeLocatorProperty(R),
	{
		displayName: 'Amount (Sats)',
		name: 'amountSats',
		type: 'number',
		default: 1000,
		required: true,
		typeOptions: { minValue: 1 },
		description: 'Invoice amount in satoshis (1 sat = 1000 msat)',
		displayOptions: show(R, ['createInvoice']),
	},
	{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'Shown to the payer in the wallet', displayOptions: show(R, ['createInvoice']) },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(R, ['createInvoice']),
		options: [
			{ displayName: 'Description Hash Only', name: 'descriptionHashOnly', type: 'boolean', default: false, description: 'Whether the invoice carries only a hash of the description' },
			{ displayName: 'Expiry (Seconds)', name: 'expirySeconds', type: 'number', default: 3600, typeOptions: { minValue: 1 }, description: 'Seconds until the invoice expires' },
			{ displayName: 'Private Route Hints', name: 'privateRouteHints', type: 'boolean', default: false, description: 'Whether to include hints for private channels' },
		],
	},
	{ displayName: 'Invoice ID', name: 'lightningInvoiceId', type: 'string', default: '', required: true, description: 'ID of the Lightning invoice (BTCPay returns it on creation)', displayOptions: show(R, ['getInvoice']) },
	{
		displayName: 'Payment Hash',
		name: 'paymentHash',
		type: 'string',
		default: '',
		required: true,
		placeholder: '64 hexadecimal characters',
		displayOptions: show(R, ['getPayment']),
	},
	{
		displayName: 'Invoice',
		name: 'bolt11',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'lnbc...',
		description: 'BOLT11 Lightning invoice to pay',
		displayOptions: show(R, ['payInvoice']),
	},
	{
		displayName:
			"Money leaves the store's Lightning node. The invoice is decoded first; expired invoices, invoices for another network and amounts above Max Amount are refused, and an invoice the node already paid is not paid again.",
		name: 'payNotice',
		type: 'notice',
		default: '',
		displayOptions: show(R, ['payInvoice']),
	},
	maxAmountSatsProperty(
		R,
		['payInvoice'],
		'Largest amount this node may pay for one invoice, fees not included. Invoices asking for more are refused before anything is sent. Required: there is no unlimited default.',
	),
	{
		displayName: 'Options',
		name: 'payOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(R, ['payInvoice']),
		options: [
			{ displayName: 'Amount (Sats)', name: 'amountSats', type: 'number', default: 0, description: 'Amount to pay for an invoice without an amount' },
			{
				displayName: 'Expected Network',
				name: 'expectedNetwork',
				type: 'options',
				default: 'mainnet',
				options: [
					{ name: 'Mainnet', value: 'mainnet' },
					{ name: 'Regtest', value: 'regtest' },
					{ name: 'Signet', value: 'signet' },
					{ name: 'Testnet', value: 'testnet' },
				],
				description: 'Refuse invoices for another Bitcoin network than the store node runs on',
			},
			{ displayName: 'Max Fee (Sats)', name: 'maxFeeFlatSats', type: 'number', default: 10, description: 'Fee limit in sats' },
			{ displayName: 'Max Fee Percent', name: 'maxFeePercent', type: 'string', default: '1', placeholder: '0.5', description: 'Fee limit as a percentage of the amount' },
			{ displayName: 'Send Timeout (Seconds)', name: 'sendTimeoutSeconds', type: 'number', default: 30, description: 'Seconds after which the node stops trying to pay' },
		],
	},
	simplifyProperty(R, ['createInvoice', 'getBalance', 'getInvoice', 'getPayment']),
];

function simplifyInvoice(invoice: LightningInvoice & { amountSats: number | null }): IDataObject {
	const out = pick(invoice, ['id', 'status', 'BOLT11', 'paymentHash', 'amountSats', 'amount', 'amountReceived', 'preimage']);
	out.amountReceivedSats = msatToWholeSats(invoice.amountReceived);
	const expires = isoTime(invoice.expiresAt);
	if (expires) out.expiresAt = expires;
	const paid = isoTime(invoice.paidAt);
	if (paid) out.paidAt = paid;
	return out;
}

function simplifyPayment(payment: LightningPayment): IDataObject {
	const out = pick(payment, ['id', 'status', 'paymentHash', 'preimage', 'totalAmount', 'feeAmount', 'BOLT11']);
	out.totalAmountSats = msatToWholeSats(payment.totalAmount);
	out.feeSats = msatToWholeSats(payment.feeAmount);
	const created = isoTime(payment.createdAt);
	if (created) out.createdAt = created;
	return out;
}

function simplifyBalance(balance: LightningBalance): IDataObject {
	const sats = (v: string | null | undefined) => (v === null || v === undefined ? null : /^\d+$/.test(v) ? Number(v) : null);
	return {
		onchainConfirmedSats: sats(balance.onchain?.confirmed),
		onchainUnconfirmedSats: sats(balance.onchain?.unconfirmed),
		onchainReservedSats: sats(balance.onchain?.reserved),
		lightningLocalSats: msatToWholeSats(balance.offchain?.local),
		lightningRemoteSats: msatToWholeSats(balance.offchain?.remote),
		lightningOpeningSats: msatToWholeSats(balance.offchain?.opening),
		lightningClosingSats: msatToWholeSats(balance.offchain?.closing),
		lightningLocalMsat: balance.offchain?.local ?? null,
	};
}

function payInput(ctx: IExecuteFunctions, i: number): PayLightningInput {
	const options = present(collection(ctx, 'payOptions', i));
	const input: PayLightningInput = { invoice: text(ctx, 'bolt11', i), maxAmountSats: ctx.getNodeParameter('maxAmountSats', i, 0) as number };
	if (options.amountSats !== undefined && options.amountSats !== 0) input.amountSats = options.amountSats as number;
	if (options.maxFeePercent !== undefined) input.maxFeePercent = options.maxFeePercent as string;
	if (options.maxFeeFlatSats !== undefined) input.maxFeeFlatSats = options.maxFeeFlatSats as number;
	if (options.sendTimeoutSeconds !== undefined) input.sendTimeoutSeconds = options.sendTimeoutSeconds as number;
	if (options.expectedNetwork !== undefined) input.expectedNetwork = options.expectedNetwork as PayLightningInput['expectedNetwork'];
	return input;
}

async function execute(ctx: IExecuteFunctions, client: BtcPayClient, operation: string, i: number): Promise<ItemResult> {
	const storeId = getStoreId(ctx, i);
	switch (operation) {
		case 'getInfo':
			return { ...(await client.lightning.getInfo(storeId)) } as IDataObject;
		case 'getBalance':
			return simplify(ctx, i, await client.lightning.getBalance(storeId), simplifyBalance);
		case 'createInvoice': {
			const f = present(collection(ctx, 'additionalFields', i));
			const invoice = await client.lightning.createInvoice(storeId, {
				amountSats: ctx.getNodeParameter('amountSats', i, '') as number,
				description: text(ctx, 'description', i),
				expirySeconds: f.expirySeconds as number | undefined,
				descriptionHashOnly: f.descriptionHashOnly as boolean | undefined,
				privateRouteHints: f.privateRouteHints as boolean | undefined,
			});
			return simplify(ctx, i, invoice, simplifyInvoice);
		}
		case 'getInvoice':
			return simplify(ctx, i, await client.lightning.getInvoice(storeId, text(ctx, 'lightningInvoiceId', i)), simplifyInvoice);
		case 'getPayment':
			return simplify(ctx, i, await client.lightning.getPayment(storeId, text(ctx, 'paymentHash', i)), simplifyPayment);
		case 'payInvoice':
			return { ...(await client.lightning.payInvoice(storeId, payInput(ctx, i))) } as IDataObject;
		default:
			throw new InputError('Operation', `"${operation}" is not supported for store Lightning`, 'BTCPay');
	}
}

export const lightning: BtcPayResource = {
	value: R,
	name: 'Store Lightning',
	description: "The store's Lightning node: invoices, payments, balance",
	properties: lightningProperties,
	execute,
};
