/**
 * Store Lightning > Pay Invoice: decodes the invoice first, needs a max
 * amount, reports 202 answers as pending and never pays an invoice twice.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PayLightningInput } from '../../client/lightning';
import { bolt11InvoiceProperty, expectedNetworkField, maxAmountSatsProperty, noticeProperty, optionsProperty, show } from '../common';
import { collection, present, text } from '../format';
import { storeOperation } from '../operations';
import { R } from './common';

const properties: INodeProperties[] = [
	bolt11InvoiceProperty('bolt11', show(R, ['payInvoice']), 'lnbc...', 'BOLT11 Lightning invoice to pay'),
	noticeProperty('payNotice', "Money leaves the store's Lightning node. The invoice is decoded first; expired invoices, invoices for another network and amounts above Max Amount are refused, and an invoice the node already paid is not paid again.", show(R, ['payInvoice'])),
	maxAmountSatsProperty(
		R,
		['payInvoice'],
		'Largest amount this node may pay for one invoice, fees not included. Invoices asking for more are refused before anything is sent. Required: there is no unlimited default.',
	),
	optionsProperty('payOptions', R, ['payInvoice'], [
		{ displayName: 'Amount (Sats)', name: 'amountSats', type: 'number', default: 0, description: 'Amount to pay for an invoice without an amount' },
		expectedNetworkField(
			[
				{ name: 'Mainnet', value: 'mainnet' },
				{ name: 'Regtest', value: 'regtest' },
				{ name: 'Signet', value: 'signet' },
				{ name: 'Testnet', value: 'testnet' },
			],
			'Refuse invoices for another Bitcoin network than the store node runs on',
		),
		{ displayName: 'Max Fee (Sats)', name: 'maxFeeFlatSats', type: 'number', default: 10, description: 'Fee limit in sats' },
		{ displayName: 'Max Fee Percent', name: 'maxFeePercent', type: 'string', default: '1', placeholder: '0.5', description: 'Fee limit as a percentage of the amount' },
		{ displayName: 'Send Timeout (Seconds)', name: 'sendTimeoutSeconds', type: 'number', default: 30, description: 'Seconds after which the node stops trying to pay' },
	]),
];

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

export const payInvoice = storeOperation(
	{ name: 'Pay Invoice', action: 'Pay a lightning invoice', description: 'Pay a BOLT11 invoice from the store node (checked first, never paid twice)', properties },
	async (ctx, i, client, storeId) => {
		return { ...(await client.lightning.payInvoice(storeId, payInput(ctx, i))) } as IDataObject;
	},
);
