/**
 * Refund: refunds an invoice through a pull payment and returns its claim
 * link, which the customer opens to claim the refund on-chain or over Lightning.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { RefundInput, RefundVariant } from '../../client/pullPayments';
import { additionalFieldsProperty, defineBtcPayResource, parseList, paymentMethodsField, simplify, storeLocatorProperty } from '../common';
import { storeOperation } from '../operations';
import { collection, present, text } from '../format';
import { simplifyPullPayment } from '../pullPayment';

const R = 'refund';
const on = (operation: string[], extra: Record<string, string[]> = {}) => ({ show: { resource: [R], operation, ...extra } });

const fields: INodeProperties[] = [
	storeLocatorProperty(R),
	{ displayName: 'Invoice ID', name: 'invoiceId', type: 'string', default: '', required: true, displayOptions: on(['refundInvoice']) },
	{
		displayName: 'Refund Variant',
		name: 'refundVariant',
		type: 'options',
		default: 'RateThen',
		options: [
			{ name: 'Crypto at Current Rate', value: 'CurrentRate', description: 'The invoice amount converted to crypto at today\'s rate' },
			{ name: 'Crypto Paid (Rate Then)', value: 'RateThen', description: 'The crypto amount the customer paid' },
			{ name: 'Custom Amount', value: 'Custom', description: 'An amount and currency you choose' },
			{ name: 'Fiat Amount', value: 'Fiat', description: 'The invoice amount in its currency, converted when the refund is sent' },
			{ name: 'Overpaid Amount', value: 'OverpaidAmount', description: 'Only what was paid above the invoice amount' },
		],
		description: 'How the refund amount is computed',
		displayOptions: on(['refundInvoice']),
	},
	{
		displayName: 'Custom Amount',
		name: 'customAmount',
		type: 'string',
		default: '',
		required: true,
		placeholder: '5.00',
		description: 'Amount to refund, as a decimal number in the custom currency',
		displayOptions: on(['refundInvoice'], { refundVariant: ['Custom'] }),
	},
	{
		displayName: 'Custom Currency',
		name: 'customCurrency',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'USD',
		displayOptions: on(['refundInvoice'], { refundVariant: ['Custom'] }),
	},
	additionalFieldsProperty(R, ['refundInvoice'], [
		{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'Shown to the customer on the claim page' },
		{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'Name of the refund. Default: "Refund" and the invoice ID.' },
		paymentMethodsField('payoutMethods', 'Payout Methods', 'Methods the customer may claim with. Default (none chosen): the invoice payment method.'),
		{
			displayName: 'Subtract Percentage',
			name: 'subtractPercentage',
			type: 'string',
			default: '',
			placeholder: '2.5',
			description: 'Percentage taken off the refund, e.g. for fees (0 to below 100)',
		},
	]),
];

export function refundInput(ctx: IExecuteFunctions, i: number): RefundInput {
	const variant = ctx.getNodeParameter('refundVariant', i, 'RateThen') as RefundVariant;
	const fields = present(collection(ctx, 'additionalFields', i));
	const input: RefundInput = { refundVariant: variant };
	if (variant === 'Custom') {
		input.customAmount = text(ctx, 'customAmount', i);
		input.customCurrency = text(ctx, 'customCurrency', i);
	}
	if (fields.subtractPercentage !== undefined) input.subtractPercentage = fields.subtractPercentage as string;
	if (fields.name !== undefined) input.name = String(fields.name);
	if (fields.description !== undefined) input.description = String(fields.description);
	const methods = parseList(fields.payoutMethods);
	if (methods) input.payoutMethods = methods;
	return input;
}

export const refund = defineBtcPayResource({
	value: R,
	name: 'Refund',
	description: 'Refunds of invoices, claimed by the customer through a link',
	operations: {
		refundInvoice: storeOperation(
			{ name: 'Refund Invoice', simplify: true, action: 'Refund an invoice', description: 'Create a refund (pull payment) for an invoice and get the link the customer claims it with' },
			async (ctx, i, client, storeId) => {
				const invoiceId = text(ctx, 'invoiceId', i);
				const refund = await client.pullPayments.refundInvoice(storeId, invoiceId, refundInput(ctx, i));
				return simplify(ctx, i, refund, (pp) => ({ invoiceId, ...simplifyPullPayment(pp) }));
			},
		),
	},
	defaultOperation: 'refundInvoice',
	fields,
});
