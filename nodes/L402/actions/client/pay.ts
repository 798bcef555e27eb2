/**
 * Client > Pay: request an L402-protected URL; on 402, read the challenge, pay its invoice from
 * the chosen wallet (decoded first: above Max Amount, wrong network or expired is refused before
 * any payment) and repeat the request with `Authorization: L402 <macaroon>:<preimage>`.
 * Tokens are remembered on disk at once (TokenStore) by URL and by the service the macaroon
 * names, so a rerun reuses them; the challenge is remembered *before* paying, so a rerun after a
 * crash asks the wallet about that same invoice (it reports it paid, with the preimage) instead
 * of paying a new one.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { decodeBolt11, planPayment, type LightningNetwork } from '../../../shared/bolt11';
import { InputError, ServiceError } from '../../../shared/errors';
import { getWalletKind, payFromWallet, walletProperties, type WalletKind } from '../../../shared/lightning-wallet';
import { maxAmountSatsProperty, noticeProperty, optionsProperty, show, text, walletNetworkOption } from '../../../shared/ui';
import {
	buildAuthorization,
	decodeMacaroon,
	expiryOf,
	parseWwwAuthenticate,
	servicesOf,
	TokenStore,
	type Challenge,
	type StoredToken,
} from '../../lib';
import { defineL402Operation, SERVICE, storeFolder, storeFolderOption, wholeOption, type L402Env } from '../common';

const R = 'client';
const OP = ['pay'];
export const PAY_KINDS: readonly WalletKind[] = ['lnbits', 'lnd', 'btcpay'];
const WALLET_NAMES: Record<WalletKind, string> = { lnbits: 'LNbits', lnd: 'LND', btcpay: 'BTCPay' };
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const properties: INodeProperties[] = [
	noticeProperty(
		'payNotice',
		'Money leaves the wallet when the URL answers 402. The invoice is decoded first; above Max Amount, another network or expired is refused, and a token already paid for this URL or service is used instead of paying again.',
		show(R, OP),
	),
	{ displayName: 'URL', name: 'url', type: 'string', default: '', required: true, placeholder: 'https://api.example.com/paid', displayOptions: show(R, OP) },
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: METHODS.map((m) => ({ name: m, value: m })),
		// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-options -- the options are built from METHODS; GET is one of them
		default: 'GET',
		displayOptions: show(R, OP),
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'string',
		default: '',
		typeOptions: { rows: 3 },
		description: 'Request body, sent as is (valid JSON goes with Content-Type application/JSON unless a header says otherwise)',
		displayOptions: { show: { resource: [R], operation: OP, method: ['POST', 'PUT', 'PATCH', 'DELETE'] } },
	},
	maxAmountSatsProperty(R, OP, 'Largest invoice this node may pay for one call, in sats (routing fees come on top). Required: there is no unlimited default.'),
	...walletProperties({ kinds: PAY_KINDS, purpose: 'pay', displayOptions: show(R, OP) }),
	optionsProperty('payOptions', R, OP, [
		{
			displayName: 'Headers',
			name: 'headers',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			options: [
				{
					displayName: 'Header',
					name: 'pairs',
					values: [
						{ displayName: 'Name', name: 'name', type: 'string', default: '' },
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					],
				},
			],
		},
		{
			displayName: 'Max Fee (Sats)',
			name: 'maxFeeSats',
			type: 'number',
			default: 10,
			typeOptions: { minValue: 0, numberPrecision: 0 },
			description: 'Routing fee limit (LND node, BTCPay store); LNbits applies its own fee reserve',
		},
		walletNetworkOption('Network', "Network of the paying wallet; a challenge's invoice for another network is refused (an LND node checks its own)"),
		{
			displayName: 'Remember Paid Access',
			name: 'rememberAccess',
			type: 'boolean',
			default: true,
			description: 'Whether to keep paid tokens (on disk, at once) and reuse them for this URL and service, so a rerun does not pay again',
		},
		storeFolderOption,
		{ displayName: 'Timeout (Seconds)', name: 'timeoutSeconds', type: 'number', default: 30, typeOptions: { minValue: 1, numberPrecision: 0 } },
	]),
];

interface Request {
	url: URL;
	method: string;
	headers: Record<string, string>;
	body: string | undefined;
	timeoutMs: number;
}

function readRequest(ctx: Parameters<L402Operation['execute']>[0], i: number, options: IDataObject): Request {
	const raw = text(ctx, 'url', i);
	const url = URL.canParse(raw) ? new URL(raw) : undefined;
	if (!url) throw new InputError('URL', `"${raw}" is not a URL`, SERVICE);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InputError('URL', 'must start with https:// or http://', SERVICE);
	const method = String(ctx.getNodeParameter('method', i, 'GET'));
	if (!(METHODS as readonly string[]).includes(method)) throw new InputError('Method', `"${method}" is not supported`, SERVICE);
	const headers: Record<string, string> = {};
	for (const [index, h] of (((options.headers as IDataObject | undefined)?.pairs ?? []) as IDataObject[]).entries()) {
		const name = String(h.name ?? '').trim();
		if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new InputError(`Header ${index + 1}`, `"${name}" is not a header name`, SERVICE);
		if (name.toLowerCase() === 'authorization') throw new InputError(`Header ${index + 1}`, 'the node sets Authorization itself (the L402 token)', SERVICE);
		headers[name.toLowerCase()] = String(h.value ?? '');
	}
	const bodyRaw = method === 'GET' ? '' : (ctx.getNodeParameter('body', i, '') as unknown);
	const body = typeof bodyRaw === 'string' ? bodyRaw : bodyRaw && typeof bodyRaw === 'object' ? JSON.stringify(bodyRaw) : '';
	if (body && !headers['content-type']) {
		try {
			JSON.parse(body);
			headers['content-type'] = 'application/json';
		} catch {
			headers['content-type'] = 'text/plain; charset=utf-8';
		}
	}
	return { url, method, headers, body: body || undefined, timeoutMs: wholeOption(options.timeoutSeconds, 30, 'Timeout (Seconds)') * 1000 };
}

type L402Operation = import('../common').L402Operation;

async function send(env: L402Env, req: Request, authorization?: string): Promise<Response> {
	const sent = env.fetch(req.url, {
		method: req.method,
		headers: { ...req.headers, ...(authorization ? { authorization } : {}) },
		body: req.body,
		signal: AbortSignal.timeout(req.timeoutMs),
	});
	const outcome = await sent.then(
		(res) => ({ res }),
		(error: Error) => ({ error }),
	);
	if ('res' in outcome) return outcome.res;
	const timeout = outcome.error.name === 'TimeoutError';
	throw new ServiceError(`${req.method} ${req.url.origin}${req.url.pathname}: ${timeout ? 'no answer in time' : outcome.error.message}`, {
		kind: timeout ? 'timeout' : 'network',
		service: SERVICE,
		cause: outcome.error,
	});
}

async function responseOutput(res: Response): Promise<IDataObject> {
	const text = await res.text();
	let body: unknown = text;
	if (/json/i.test(res.headers.get('content-type') ?? '') && text) {
		try {
			body = JSON.parse(text);
		} catch {
			// kept as text
		}
	}
	const headers: IDataObject = {};
	res.headers.forEach((value, name) => {
		headers[name] = value;
	});
	return { statusCode: res.status, ok: res.ok, body: body as IDataObject, headers };
}

/**
 * A remembered challenge is finished on the next run while its invoice can still be paid. Once it
 * has expired the wallet refuses it before looking it up, so it is dropped and a new challenge is
 * asked for (a payment made just before the expiry whose run then stopped cannot be recovered).
 */
function pendingStillPayable(t: StoredToken, now: number): boolean {
	try {
		return decodeBolt11(t.invoice).expiresAt * 1000 > now;
	} catch {
		return false;
	}
}

const usable = (t: StoredToken | null, now: number): t is StoredToken =>
	t !== null && t.state === 'paid' && t.preimage !== null && (t.expiresAt === null || t.expiresAt > now);

export const pay = defineL402Operation(
	{
		name: 'Pay',
		action: 'Pay for an L402-protected URL',
		description: 'Request a URL; when it answers 402, pay its invoice and repeat the request with the token',
		properties,
	},
	async (ctx, i, env) => {
		const options = ctx.getNodeParameter('payOptions', i, {}) as IDataObject;
		const req = readRequest(ctx, i, options);
		const maxAmountSats = Number(ctx.getNodeParameter('maxAmountSats', i, 0));
		if (!Number.isSafeInteger(maxAmountSats) || maxAmountSats <= 0) {
			throw new InputError('Max Amount (Sats)', 'must be a whole number of sats greater than 0', SERVICE);
		}
		const networkOption = (options.network as string | undefined) ?? 'mainnet';
		const network = networkOption === 'any' ? undefined : (networkOption as LightningNetwork);
		const maxFeeSats = options.maxFeeSats === undefined ? undefined : wholeOption(options.maxFeeSats, 10, 'Max Fee (Sats)', 0);
		const store = options.rememberAccess === false ? null : new TokenStore(storeFolder(options));
		const urlKey = `url:${req.url.origin}${req.url.pathname}`;
		const serviceKey = (service: string) => `service:${req.url.origin}:${service}`;
		const now = env.now();

		const remembered = store?.get(urlKey) ?? null;
		let res: Response;
		let challenge: Challenge | null = null;
		if (remembered?.state === 'pending' && pendingStillPayable(remembered, now)) {
			// An earlier run stopped between remembering this challenge and saving its token: pay
			// (or find paid) that same invoice, never a new one.
			challenge = { scheme: remembered.scheme, macaroon: remembered.macaroon, invoice: remembered.invoice, params: {} };
		} else {
			res = usable(remembered, now) ? await send(env, req, buildAuthorization(remembered.macaroon, remembered.preimage!, remembered.scheme)) : await send(env, req);
			if (res.status !== 402) {
				return { ...(await responseOutput(res)), paid: false, reusedToken: usable(remembered, now), paymentHash: usable(remembered, now) ? remembered.paymentHash : null };
			}
			challenge = parseWwwAuthenticate(res.headers.get('www-authenticate'));
			if (!challenge) {
				const out = await responseOutput(res);
				throw new ServiceError(`${req.url.origin}${req.url.pathname} answered 402 without an L402 challenge (WWW-Authenticate: L402 macaroon="…", invoice="…")`, {
					kind: 'protocol',
					service: SERVICE,
					status: 402,
					details: [`WWW-Authenticate: ${String((out.headers as IDataObject)['www-authenticate'] ?? '(none)').slice(0, 200)}`],
				});
			}
			// A token paid for the same service (another URL of it) may be accepted here.
			const services = servicesOf(decodeMacaroon(challenge.macaroon)?.caveats ?? []);
			for (const service of services) {
				const known = store?.get(serviceKey(service)) ?? null;
				if (!usable(known, now) || (usable(remembered, now) && known.macaroon === remembered.macaroon)) continue;
				const again = await send(env, req, buildAuthorization(known.macaroon, known.preimage!, known.scheme));
				if (again.status !== 402) {
					store!.put(urlKey, known);
					return { ...(await responseOutput(again)), paid: false, reusedToken: true, paymentHash: known.paymentHash };
				}
				challenge = parseWwwAuthenticate(again.headers.get('www-authenticate')) ?? challenge;
			}
		}

		// The guards first (decoded; Max Amount, network, expiry): a refused challenge is not remembered.
		const walletName = WALLET_NAMES[getWalletKind(ctx, i, PAY_KINDS)];
		planPayment(challenge.invoice, { maxAmountSats, expectedNetwork: network, service: walletName, field: 'Invoice', now: Math.floor(now / 1000) });
		const decoded = decodeMacaroon(challenge.macaroon);
		const services = servicesOf(decoded?.caveats ?? []);
		const record: StoredToken = {
			state: 'pending',
			scheme: challenge.scheme,
			macaroon: challenge.macaroon,
			invoice: challenge.invoice,
			paymentHash: '',
			preimage: null,
			url: `${req.url.origin}${req.url.pathname}`,
			services,
			expiresAt: decoded ? services.map((s) => expiryOf(decoded.caveats, s)).find((e) => e !== null) ?? null : null,
			savedAt: new Date(now).toISOString(),
			amountSats: null,
		};
		// Remembered before paying (see the top of this file).
		store?.put(urlKey, record);
		const payment = await payFromWallet(ctx, i, { bolt11: challenge.invoice, maxAmountSats, maxFeeSats, network, kinds: PAY_KINDS });
		const paymentOut = { paymentHash: payment.paymentHash, amountSats: payment.amountSats, feeSats: payment.feeSats, alreadyPaid: payment.alreadyPaid, wallet: payment.wallet };
		if (payment.status !== 'success' || !payment.preimage) {
			if (payment.status === 'failed') store?.delete(urlKey);
			return {
				statusCode: 402,
				ok: false,
				paid: false,
				pending: payment.status === 'pending',
				...paymentOut,
				message:
					payment.status === 'pending'
						? 'The payment is in flight; run again later: the same invoice is checked, not paid again'
						: 'The payment failed; nothing was paid',
			};
		}
		const paid: StoredToken = { ...record, state: 'paid', paymentHash: payment.paymentHash, preimage: payment.preimage, amountSats: payment.amountSats };
		store?.put(urlKey, paid);
		for (const service of services) store?.put(serviceKey(service), paid);
		const final = await send(env, req, buildAuthorization(challenge.macaroon, payment.preimage, challenge.scheme));
		const out = await responseOutput(final);
		return {
			...out,
			paid: !payment.alreadyPaid,
			reusedToken: false,
			...paymentOut,
			...(final.status === 402 ? { message: 'Paid, but the server did not accept the token; it is remembered and sent again on the next run' } : {}),
		};
	},
);
