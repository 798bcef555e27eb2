import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { LnbitsInvoice } from '../../client';
import { additionalFieldsProperty, amountSatsProperty, defineLnbitsOperation, defineLnbitsResource, fiatCurrencyProperty, getSimplify, optionalNumber, show } from '../common';

const R = 'invoice';

const fields: INodeProperties[] = [
	{
		displayName: 'Unit',
		name: 'unit',
		type: 'options',
		options: [
			{ name: 'Sats', value: 'sat' },
			{ name: 'Fiat Currency', value: 'fiat' },
		],
		default: 'sat',
		description: 'Whether the amount is in sats or in a fiat currency that LNbits converts at its current rate',
		displayOptions: show(R, ['create']),
	},
	amountSatsProperty({ show: { resource: [R], operation: ['create'], unit: ['sat'] } }, 'Whole sats to receive'),
	{
		displayName: 'Amount',
		name: 'fiatAmount',
		type: 'string',
		default: '',
		required: true,
		placeholder: '12.50',
		description: 'Amount in the fiat currency, as a decimal number',
		displayOptions: { show: { resource: [R], operation: ['create'], unit: ['fiat'] } },
	},
	fiatCurrencyProperty({ show: { resource: [R], operation: ['create'], unit: ['fiat'] } }, 'Fiat currency code known to the LNbits server (e.g. USD, EUR)'),
	{
		displayName: 'Memo',
		name: 'memo',
		type: 'string',
		default: '',
		description: 'Description the payer sees in their wallet',
		displayOptions: show(R, ['create']),
	},
	additionalFieldsProperty(R, ['create'], [
		{
			displayName: 'Description Hash',
			name: 'descriptionHash',
			type: 'string',
			default: '',
			description: 'Hex SHA-256 of a description; the invoice carries the hash instead of the memo (LNURL-pay servers)',
		},
		{
			displayName: 'Expiry (Seconds)',
			name: 'expiry',
			type: 'number',
			default: 3600,
			typeOptions: { minValue: 1, numberPrecision: 0 },
			description: 'Seconds until the invoice can no longer be paid',
		},
		{
			displayName: 'Extra (JSON)',
			name: 'extra',
			type: 'json',
			default: '{}',
			description: 'JSON object stored with the payment (visible in its details)',
		},
		{
			displayName: 'Webhook URL',
			name: 'webhook',
			type: 'string',
			default: '',
			placeholder: 'https://n8n.example.com/webhook/…',
			description: 'LNbits POSTs the payment once to this URL after the invoice is paid (no signature, no retries)',
		},
	]),
];

function invoiceOutput(p: LnbitsInvoice, simplify: boolean): IDataObject {
	if (!simplify) return { ...p } as unknown as IDataObject;
	const out: IDataObject = {
		paymentHash: p.paymentHash,
		bolt11: p.bolt11,
		amountSats: p.amountSats,
		amountMsat: p.amountMsat,
		memo: p.memo,
		status: p.status,
		expiresAt: p.expiry,
		createdAt: p.time,
	};
	if (p.fiatCurrency) {
		out.fiatCurrency = p.fiatCurrency;
		out.fiatAmount = p.fiatAmount;
	}
	return out;
}

export const invoice = defineLnbitsResource({
	value: R,
	name: 'Invoice',
	description: 'Receive: Lightning invoices for this wallet',
	operations: {
		create: defineLnbitsOperation(
			{ name: 'Create', simplify: true, description: 'Create a Lightning invoice to receive into the wallet', action: 'Create an invoice' },
			async (ctx, i, getClient) => {
				const unit = ctx.getNodeParameter('unit', i, 'sat') as string;
				const additional = ctx.getNodeParameter('additionalFields', i, {}) as IDataObject;
				const client = await getClient();
				const created = await client.createInvoice({
					amount: unit === 'fiat' ? ctx.getNodeParameter('fiatAmount', i, '') : ctx.getNodeParameter('amountSats', i, 0),
					unit: unit === 'fiat' ? (ctx.getNodeParameter('currency', i, '') as string) : 'sat',
					memo: ctx.getNodeParameter('memo', i, '') as string,
					expiry: optionalNumber(additional.expiry) as number | undefined,
					descriptionHash: additional.descriptionHash as string | undefined,
					webhook: additional.webhook as string | undefined,
					extra: additional.extra,
				});
				return invoiceOutput(created, getSimplify(ctx, i));
			},
		),
	},
	defaultOperation: 'create',
	fields,
});
