/** Payment > Pay Invoice: at most once, within a max amount and a fee limit. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { parseSats } from '../../../shared/amounts';
import { simplifyPayment } from '../../client/simplify';
import { asData, isSimplified, maxAmountSatsProperty, noticeProperty, optionsProperty, show, wholeNumber } from '../common';
import { defineLndOperation } from '../types';

const RESOURCE = 'payment';

const properties: INodeProperties[] = [
	noticeProperty('payNotice', 'Paying sends real money. The invoice is decoded first; expired invoices, invoices for another network and amounts above Max Amount are refused, and an invoice this node already paid (or is still paying) is never paid again.', show(RESOURCE, ['pay'])),
	maxAmountSatsProperty(
		RESOURCE,
		['pay'],
		'Largest invoice amount this node may pay, in sats (fees are limited separately). Required: there is no unlimited default.',
		{ minValue: 0 },
	),
	{
		displayName: 'Fee Limit (Sats)',
		name: 'feeLimitSats',
		type: 'number',
		default: 10,
		required: true,
		typeOptions: { minValue: 0 },
		description: 'Most routing fee to pay, in sats. 0 only uses fee-free routes.',
		displayOptions: show(RESOURCE, ['pay']),
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		default: 60,
		typeOptions: { minValue: 1 },
		description: 'How long LND tries routes. A payment still in flight afterwards is returned with status "pending" (do not pay it again).',
		displayOptions: show(RESOURCE, ['pay']),
	},
	optionsProperty('payOptions', RESOURCE, ['pay'], [
		{
			displayName: 'Amount (Sats)',
			name: 'amountSats',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 1 },
			description: 'Amount to pay for an invoice without an amount ("any amount" invoice). Ignored when the invoice has an amount.',
		},
		{
			displayName: 'Check Network',
			name: 'checkNetwork',
			type: 'boolean',
			default: true,
			description: 'Whether to refuse invoices for another network than the node (asks the node with Get Info)',
		},
	]),
];

export const pay = defineLndOperation(
	{ name: 'Pay Invoice', simplify: true, action: 'Pay an invoice', description: 'Pay a BOLT11 invoice, at most once, within a max amount and fee limit', properties },
	async (ctx, itemIndex, client) => {
		const simple = isSimplified(ctx, itemIndex);
		const options = ctx.getNodeParameter('payOptions', itemIndex, {}) as IDataObject;
		const result = await client.payInvoice({
			paymentRequest: String(ctx.getNodeParameter('paymentRequest', itemIndex) ?? ''),
			maxAmountSats: parseSats(ctx.getNodeParameter('maxAmountSats', itemIndex), 'Max Amount (Sats)'),
			feeLimitSats: parseSats(ctx.getNodeParameter('feeLimitSats', itemIndex), 'Fee Limit (Sats)', { allowZero: true }),
			timeoutSeconds: wholeNumber(ctx.getNodeParameter('timeoutSeconds', itemIndex, 60), 'Timeout (Seconds)', { min: 1 }),
			// 0 (the option's default) means "not set": only "any amount" invoices use it.
			amountSats: options.amountSats === undefined || options.amountSats === 0 ? undefined : parseSats(options.amountSats, 'Amount (Sats)'),
			checkNetwork: options.checkNetwork !== false,
		});
		if (!simple) return { ...asData(result.payment), alreadyPaid: result.alreadyPaid };
		return {
			...simplifyPayment(result.payment),
			status: result.state,
			alreadyPaid: result.alreadyPaid,
			description: result.plan.invoice.description ?? '',
			payee: result.plan.invoice.payee ?? '',
		};
	},
);
