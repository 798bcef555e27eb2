import type { INodeProperties } from 'n8n-workflow';
import { formatMoney } from '../../../shared/amounts';
import { defineLnbitsResource, fiatCurrencyProperty, show, withClient } from '../common';

const R = 'fiat';

const fields: INodeProperties[] = [
	{
		displayName: 'Conversion',
		name: 'conversion',
		type: 'options',
		options: [
			{ name: 'Fiat to Sats', value: 'fiatToSat' },
			{ name: 'Sats to Fiat', value: 'satToFiat' },
		],
		default: 'fiatToSat',
		displayOptions: show(R, ['convert']),
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		default: '',
		required: true,
		placeholder: '12.50',
		description: 'Sats (whole number) or a fiat amount (decimal), depending on the conversion',
		displayOptions: show(R, ['convert']),
	},
	fiatCurrencyProperty(show(R, ['convert', 'getRate']), 'Fiat currency code known to the LNbits server'),
];

export const fiat = defineLnbitsResource({
	value: R,
	name: 'Fiat',
	description: 'Exchange rates and conversions',
	operations: {
		getRate: withClient({ name: 'Get Rate', description: 'Get the exchange rate of a fiat currency', action: 'Get an exchange rate' }, async (ctx, i, client) => {
			const rate = await client.getRate(ctx.getNodeParameter('currency', i, '') as string);
			return { currency: rate.currency, satsPerUnit: String(rate.satsPerUnit), pricePerBtc: String(rate.pricePerBtc) };
		}),
		convert: {
			name: 'Convert',
			description: 'Convert sats to a fiat currency or a fiat amount to sats at the server\'s rate',
			action: 'Convert an amount',
			async execute(ctx, i, getClient) {
				const conversion = ctx.getNodeParameter('conversion', i, 'fiatToSat') as string;
				const client = await getClient();
				const result = await client.convert({
					amount: ctx.getNodeParameter('amount', i, ''),
					currency: ctx.getNodeParameter('currency', i, '') as string,
					direction: conversion === 'satToFiat' ? 'satToFiat' : 'fiatToSat',
				});
				// The fiat side keeps its currency's decimals ("12.50 USD"), the sats side is whole.
				if (result.from !== 'sat') return { ...result, amount: formatMoney(result.amount, result.from) as string };
				return { ...result, result: formatMoney(result.result, result.to) as string };
			},
		},
	},
	defaultOperation: 'getRate',
	fields,
});
