/**
 * Server > Verify: is the request's `Authorization: L402 <macaroon>:<preimage>` (or LSAT) a paid,
 * unaltered token for this service and path? Answers valid/invalid with the reason and every
 * caveat, so an IF node can branch; an invalid token is an output, not an error.
 * Optional: the invoice is settled on the wallet, and a use count remembered durably.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { getWalletInvoiceState, getWalletKind, walletProperties } from '../../../shared/lightning-wallet';
import { optionsProperty, show, text } from '../../../shared/ui';
import { UsageLedger, verifyToken } from '../../lib';
import { defineL402Operation, getRootKey, getServiceName, pairs, pairsProperty, serviceNameProperty, storeFolder, storeFolderOption, wholeOption } from '../common';
import { RECEIVE_KINDS } from './createChallenge';

const R = 'server';
const OP = ['verify'];

const properties: INodeProperties[] = [
	{
		displayName: 'Authorization Header',
		name: 'authorization',
		type: 'string',
		default: '={{ $json.headers?.authorization }}',
		description: 'The request\'s Authorization header: "L402 macaroon:preimage" (older clients send LSAT). From a Webhook node: {{ $JSON.headers.authorization }}.',
		displayOptions: show(R, OP),
	},
	serviceNameProperty(R, OP, 'The service this request is for; the token must name it (the Service Name of Create Challenge)'),
	{
		displayName: 'Request Path',
		name: 'requestPath',
		type: 'string',
		default: '',
		placeholder: 'e.g. /webhook/paid-api',
		description: 'Path (or URL) of the request, checked against a path caveat. A token with a path caveat is refused when this is empty.',
		displayOptions: show(R, OP),
	},
	{
		displayName: 'Usage',
		name: 'usage',
		type: 'options',
		options: [
			{ name: 'Unlimited Until Expiry', value: 'unlimited' },
			{ name: 'Single Use', value: 'single', description: 'Accepted once; a replay is refused (remembered on disk at once)' },
			{ name: 'Limited Number of Uses', value: 'limited' },
		],
		default: 'unlimited',
		displayOptions: show(R, OP),
	},
	{
		displayName: 'Max Uses',
		name: 'maxUses',
		type: 'number',
		default: 10,
		typeOptions: { minValue: 1, maxValue: 100000, numberPrecision: 0 },
		displayOptions: { show: { resource: [R], operation: OP, usage: ['limited'] } },
	},
	{
		displayName: 'Check Invoice Settled',
		name: 'checkSettled',
		type: 'boolean',
		default: false,
		description: 'Whether to also ask the wallet that the invoice is settled (one request; the preimage already proves payment)',
		displayOptions: show(R, OP),
	},
	...walletProperties({ kinds: RECEIVE_KINDS, purpose: 'receive', displayOptions: { show: { resource: [R], operation: OP, checkSettled: [true] } } }),
	optionsProperty('verifyOptions', R, OP, [
		{ displayName: 'Capability', name: 'capability', type: 'string', default: '', placeholder: 'e.g. search', description: 'A capability this request needs; a token with a capabilities caveat must list it' },
		{ ...pairsProperty('Expected Caveats', 'expectedCaveats', 'Values the custom caveats must have; a custom caveat not listed here is refused') },
		storeFolderOption,
	]),
];

export const verify = defineL402Operation(
	{
		name: 'Verify',
		action: 'Verify an L402 token',
		description: 'Check the signature, caveats and preimage of an Authorization header',
		properties,
	},
	async (ctx, i, env) => {
		const rootKey = await getRootKey(ctx);
		const service = getServiceName(ctx, i);
		const options = ctx.getNodeParameter('verifyOptions', i, {}) as IDataObject;
		const expected: Record<string, string> = {};
		for (const { name, value } of pairs(options.expectedCaveats, 'Expected Caveat')) expected[name] = value;
		const usage = ctx.getNodeParameter('usage', i, 'unlimited') as string;
		const maxUses = usage === 'single' ? 1 : usage === 'limited' ? wholeOption(ctx.getNodeParameter('maxUses', i, 10), 10, 'Max Uses') : null;
		const checkSettled = ctx.getNodeParameter('checkSettled', i, false) as boolean;
		const authorization = ctx.getNodeParameter('authorization', i, '') as unknown;
		const result = verifyToken(typeof authorization === 'string' ? authorization : '', rootKey, {
			service,
			now: env.now(),
			path: text(ctx, 'requestPath', i) || undefined,
			capability: String(options.capability ?? '').trim() || undefined,
			expected,
		});
		const out: IDataObject = { ...result, caveats: result.caveats as unknown as IDataObject[] };
		if (!result.valid) return out;
		if (checkSettled) {
			const state = await getWalletInvoiceState(ctx, i, result.paymentHash!, RECEIVE_KINDS);
			out.settled = state.settled;
			out.wallet = getWalletKind(ctx, i, RECEIVE_KINDS);
			if (!state.settled) return { ...out, valid: false, reason: 'not_settled', message: 'The wallet does not show this invoice as settled' };
		}
		// Counted last: a token refused for another reason uses nothing up.
		if (maxUses !== null) {
			const claim = new UsageLedger(storeFolder(options)).claim(result.tokenId!, maxUses, env.now());
			out.use = claim.use;
			out.maxUses = maxUses;
			if (!claim.accepted) {
				return {
					...out,
					valid: false,
					reason: 'already_used',
					message: maxUses === 1 ? 'This single-use token was already used' : `This token was already used ${maxUses} times (its limit)`,
				};
			}
			out.usesLeft = maxUses - claim.use;
		}
		return out;
	},
);
