/**
 * Server > Create Challenge: an invoice on the wallet the user picks and a macaroon bound to its
 * payment hash, answered as HTTP 402 with `WWW-Authenticate: L402 macaroon="…", invoice="…"`.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { parseCurrencyAmount, parseSats } from '../../../shared/amounts';
import { InputError } from '../../../shared/errors';
import { createWalletInvoice, getWalletKind, walletProperties, type WalletKind } from '../../../shared/lightning-wallet';
import { optionsProperty, show, text } from '../../../shared/ui';
import { getLnbitsClient } from '../../../Lnbits/transport';
import { buildCaveats, buildWwwAuthenticate, mintMacaroon, normalizePath } from '../../lib';
import { defineL402Operation, getRootKey, getServiceName, pairs, pairsProperty, SERVICE, serviceNameProperty, wholeOption } from '../common';

const R = 'server';
const OP = ['createChallenge'];
export const RECEIVE_KINDS: readonly WalletKind[] = ['lnbits', 'lnd', 'btcpay'];

const properties: INodeProperties[] = [
	...walletProperties({ kinds: RECEIVE_KINDS, purpose: 'receive', displayOptions: show(R, OP) }),
	serviceNameProperty(R, OP, 'Name of your paid service, written in the token (services caveat). Verify checks it: use the same name there.'),
	{
		displayName: 'Price In',
		name: 'priceUnit',
		type: 'options',
		options: [
			{ name: 'Sats', value: 'sat' },
			{ name: 'Fiat Currency (LNbits Rate)', value: 'fiat', description: "Converted to sats at the LNbits server's exchange rate when the challenge is made" },
		],
		default: 'sat',
		displayOptions: show(R, OP),
	},
	{
		displayName: 'Price (Sats)',
		name: 'amountSats',
		type: 'number',
		default: 100,
		required: true,
		typeOptions: { minValue: 1, numberPrecision: 0 },
		description: 'What one paid call costs, in sats',
		displayOptions: { show: { resource: [R], operation: OP, priceUnit: ['sat'] } },
	},
	{
		displayName: 'Price',
		name: 'priceAmount',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 0.25',
		description: 'Price as a decimal in the currency below (exact: no rounding of the input)',
		displayOptions: { show: { resource: [R], operation: OP, priceUnit: ['fiat'] } },
	},
	{
		displayName: 'Currency',
		name: 'priceCurrency',
		type: 'string',
		default: 'USD',
		required: true,
		description: 'Fiat code the LNbits server can price, e.g. USD, EUR',
		displayOptions: { show: { resource: [R], operation: OP, priceUnit: ['fiat'] } },
	},
	{
		displayName: 'Token Valid For (Seconds)',
		name: 'validForSeconds',
		type: 'number',
		default: 3600,
		typeOptions: { minValue: 1, numberPrecision: 0 },
		description: 'How long the paid token is accepted after the challenge is made (an expiry caveat)',
		displayOptions: show(R, OP),
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '',
		placeholder: 'e.g. /webhook/paid-api',
		description: 'Only accept the token for this URL path and the paths under it. Empty: any path of the service.',
		displayOptions: show(R, OP),
	},
	optionsProperty('challengeOptions', R, OP, [
		{
			displayName: 'Capabilities',
			name: 'capabilities',
			type: 'string',
			default: '',
			placeholder: 'e.g. read,search',
			description: 'Comma-separated things the token allows (a capabilities caveat); Verify checks the one a request needs',
		},
		{ ...pairsProperty('Custom Caveats', 'customCaveats', 'More conditions written in the token; Verify accepts them only when its Expected Caveats hold the same value') },
		{
			displayName: 'Header Spelling',
			name: 'spelling',
			type: 'options',
			options: [
				{ name: 'L402', value: 'L402' },
				{ name: 'LSAT (Older Clients)', value: 'LSAT' },
				{ name: 'Both', value: 'both', description: 'An LSAT and an L402 challenge in one header, as Aperture offers' },
			],
			default: 'L402',
		},
		{
			displayName: 'Invoice Expiry (Seconds)',
			name: 'invoiceExpirySeconds',
			type: 'number',
			default: 600,
			typeOptions: { minValue: 60, numberPrecision: 0 },
			description: 'How long the invoice can be paid',
		},
		{ displayName: 'Memo', name: 'memo', type: 'string', default: '', description: 'Invoice description shown in the payer\'s wallet. Default: the service name and "access".' },
	]),
];

async function priceInSats(ctx: Parameters<typeof getWalletKind>[0], i: number, kind: WalletKind): Promise<{ sats: number; price?: IDataObject }> {
	const unit = ctx.getNodeParameter('priceUnit', i, 'sat') as string;
	if (unit !== 'fiat') return { sats: parseSats(ctx.getNodeParameter('amountSats', i), 'Price (Sats)') };
	if (kind !== 'lnbits') {
		throw new InputError('Price In', 'a fiat price is converted with the LNbits server\'s rates: choose an LNbits wallet, or a price in sats', SERVICE);
	}
	const currency = text(ctx, 'priceCurrency', i).toUpperCase();
	const amount = parseCurrencyAmount(ctx.getNodeParameter('priceAmount', i, ''), currency || 'XXX', 'Price');
	const client = await getLnbitsClient(ctx);
	const conversion = await client.convert({ amount, currency, direction: 'fiatToSat' });
	if (conversion.sats < 1) throw new InputError('Price', `${amount} ${currency} is less than 1 sat at the LNbits rate`, SERVICE);
	return { sats: conversion.sats, price: { amount, currency: conversion.from, sats: conversion.sats } };
}

export const createChallenge = defineL402Operation(
	{
		name: 'Create Challenge',
		action: 'Create an L402 payment challenge',
		description: 'Make an invoice and a token bound to it, answered as HTTP 402 with WWW-Authenticate',
		properties,
	},
	async (ctx, i, env) => {
		const kind = getWalletKind(ctx, i, RECEIVE_KINDS);
		const service = getServiceName(ctx, i);
		const options = ctx.getNodeParameter('challengeOptions', i, {}) as IDataObject;
		const validFor = wholeOption(ctx.getNodeParameter('validForSeconds', i, 3600), 3600, 'Token Valid For (Seconds)');
		const rawPath = text(ctx, 'path', i);
		const path = rawPath ? normalizePath(rawPath) : undefined;
		const capabilities = String(options.capabilities ?? '')
			.split(',')
			.map((c) => c.trim())
			.filter(Boolean);
		const custom = pairs(options.customCaveats, 'Custom Caveat');
		const now = env.now();
		const validUntil = Math.floor(now / 1000) + validFor;
		let caveats: string[] = [];
		let problem: string | undefined;
		try {
			caveats = buildCaveats({ service, validUntil, path, capabilities, custom });
		} catch (error) {
			problem = (error as Error).message;
		}
		if (problem !== undefined) throw new InputError('Caveats', problem, SERVICE);
		// The key is checked before an invoice exists.
		const rootKey = await getRootKey(ctx);
		const { sats, price } = await priceInSats(ctx, i, kind);
		const invoice = await createWalletInvoice(ctx, i, {
			amountSats: sats,
			memo: String(options.memo ?? '').trim() || `${service} access`,
			expirySeconds: wholeOption(options.invoiceExpirySeconds, 600, 'Invoice Expiry (Seconds)', 60),
			kinds: RECEIVE_KINDS,
		});
		const token = mintMacaroon({ rootKey, paymentHash: invoice.paymentHash, caveats });
		const spelling = (options.spelling as 'L402' | 'LSAT' | 'both' | undefined) ?? 'L402';
		const wwwAuthenticate = buildWwwAuthenticate(token.macaroon, invoice.bolt11, spelling);
		return {
			statusCode: 402,
			wwwAuthenticate,
			headers: { 'WWW-Authenticate': wwwAuthenticate },
			body: { error: 'Payment required', message: `Pay the Lightning invoice (${sats} sats), then send the header Authorization: L402 macaroon:preimage`, amountSats: sats },
			macaroon: token.macaroon,
			invoice: invoice.bolt11,
			paymentHash: invoice.paymentHash,
			tokenId: token.tokenId,
			amountSats: sats,
			...(price ? { price } : {}),
			service,
			caveats,
			tokenExpiresAt: new Date(validUntil * 1000).toISOString(),
			invoiceExpiresAt: invoice.expiresAt,
			wallet: kind,
		};
	},
);
