/** Resource "Payment": decode, pay (at most once), list. */
import type { IDataObject } from 'n8n-workflow';
import { InputError } from '../../shared/errors';
import { parseSats } from '../../shared/amounts';
import { simplifyPayReq, simplifyPayment } from '../client/simplify';
import { asData, isSimplified, listFiltersProperty, maxAmountSatsProperty, operationProperty, readListParameters, returnAllProperties, show, simplifyProperty, wholeNumber } from './common';
import type { LndResource } from './types';

const RESOURCE = 'payment';

export const paymentResource: LndResource = {
	value: RESOURCE,
	name: 'Payment',
	description: 'Pay Lightning invoices and see outgoing payments',
	properties: [
		operationProperty(
			RESOURCE,
			[
				{ name: 'Decode Invoice', value: 'decode', action: 'Decode an invoice', description: 'Read amount, payee, description and expiry of a BOLT11 invoice' },
				{ name: 'Get Many', value: 'getMany', action: 'Get many payments', description: 'List outgoing payments, newest first by default' },
				{ name: 'Pay Invoice', value: 'pay', action: 'Pay an invoice', description: 'Pay a BOLT11 invoice, at most once, within a max amount and fee limit' },
			],
			'decode',
		),
		{
			displayName: 'Invoice',
			name: 'paymentRequest',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'lnbc1...',
			description: 'The BOLT11 invoice (payment request); a lightning: prefix is accepted',
			displayOptions: show(RESOURCE, ['decode', 'pay']),
		},
		{
			displayName:
				'Paying sends real money. The invoice is decoded first; expired invoices, invoices for another network and amounts above Max Amount are refused, and an invoice this node already paid (or is still paying) is never paid again.',
			name: 'payNotice',
			type: 'notice',
			default: '',
			displayOptions: show(RESOURCE, ['pay']),
		},
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
		{
			displayName: 'Options',
			name: 'payOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: show(RESOURCE, ['pay']),
			options: [
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
			],
		},
		...returnAllProperties(RESOURCE, 'getMany'),
		listFiltersProperty(RESOURCE, 'getMany', 'payments', [
			{
				displayName: 'Include Incomplete',
				name: 'includeIncomplete',
				type: 'boolean',
				default: true,
				description: 'Whether to include payments still in flight and failed ones',
			},
		]),
		simplifyProperty(RESOURCE, ['decode', 'pay', 'getMany']),
	],
	async execute(ctx, client, operation, itemIndex) {
		const simple = isSimplified(ctx, itemIndex);
		switch (operation) {
			case 'decode': {
				const payReq = String(ctx.getNodeParameter('paymentRequest', itemIndex) ?? '');
				const decoded = await client.decodePayReq(payReq);
				return asData(simple ? simplifyPayReq(decoded, payReq.trim().replace(/^lightning:/i, '').toLowerCase()) : decoded);
			}
			case 'pay': {
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
			}
			case 'getMany': {
				const { filters, ...paging } = readListParameters(ctx, itemIndex);
				const payments = await client.listPayments({ ...paging, includeIncomplete: filters.includeIncomplete !== false });
				return payments.map((p) => asData(simple ? simplifyPayment(p) : p));
			}
			default:
				throw new InputError('Operation', `"${operation}" is not supported for Payment`, 'LND');
		}
	},
};
