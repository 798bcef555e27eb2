/**
 * The L402 node's operations where no server is needed or LNbits is mocked (nock): the
 * description and credentials, input errors naming the field before any request, the root key
 * kept out of every output and message, Verify's settled check and usage counts, and Pay's
 * refusals before any payment. The real-LNbits side is test/lnbits/l402.test.ts.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { L402 } from '../../../nodes/L402/L402.node';
import { buildCaveats, mintMacaroon } from '../../../nodes/L402/lib';
import { encodeBolt11 } from '../../fixtures/bolt11-encode';
import { executeContext } from '../../helpers/execute-context';
import { apiPayment } from '../lnbits/fixtures';

const LNBITS = 'http://lnbits.test';
const ROOT_HEX = '3c'.repeat(32);
const lnbitsApi = { url: LNBITS, invoiceKey: 'inv-key', adminKey: 'admin-key' };

let folder: string;
beforeAll(() => {
	nock.disableNetConnect();
	nock.enableNetConnect('127.0.0.1');
});
beforeEach(() => {
	folder = fs.mkdtempSync(path.join(os.tmpdir(), 'l402-node-'));
});
afterEach(() => {
	nock.cleanAll();
	fs.rmSync(folder, { recursive: true, force: true });
});
afterAll(() => nock.enableNetConnect());

async function run(parameters: IDataObject, credentials: Record<string, IDataObject> = { l402Api: { rootKey: ROOT_HEX }, lnbitsApi }): Promise<IDataObject> {
	const node = new L402();
	const ctx = executeContext({ nodeType: node, parameters, credentials: credentials as never });
	const [[item]] = await node.execute.call(ctx);
	return item.json;
}

describe('description', () => {
	it('is a tool-usable node with the root key for the server side and the wallet credential by the wallet field', () => {
		const d = new L402().description;
		expect(d).toMatchObject({ name: 'l402', usableAsTool: true });
		expect(d.credentials).toEqual([
			{ name: 'l402Api', required: true, displayOptions: { show: { resource: ['server'] } } },
			{ name: 'lnbitsApi', required: true, testedBy: 'lnbitsApiTest', displayOptions: { show: { wallet: ['lnbits'] }, hide: { checkSettled: [false] } } },
			{ name: 'lndRestApi', required: true, testedBy: 'lndRestApiTest', displayOptions: { show: { wallet: ['lnd'] }, hide: { checkSettled: [false] } } },
			{ name: 'btcPayApi', required: true, testedBy: 'btcPayApiTest', displayOptions: { show: { wallet: ['btcpay'] }, hide: { checkSettled: [false] } } },
		]);
		const ops = d.properties.filter((p) => p.name === 'operation').flatMap((p) => (p.options as Array<{ value: string }>).map((o) => o.value));
		expect(ops.sort()).toEqual(['createChallenge', 'pay', 'verify']);
	});
});

describe('Create Challenge', () => {
	it('creates the invoice on LNbits and answers the exact header; the root key is in no output', async () => {
		const inv = encodeBolt11({ amountMsat: 21_000, network: 'mainnet' });
		let body: IDataObject = {};
		nock(LNBITS, { reqheaders: { 'x-api-key': 'inv-key' } })
			.post('/api/v1/payments', (b) => {
				body = b;
				return true;
			})
			.reply(201, apiPayment({ payment_hash: inv.paymentHash, bolt11: inv.bolt11, payment_request: inv.bolt11, amount: 21_000 }));
		const out = await run({ resource: 'server', operation: 'createChallenge', serviceName: 'quotes', amountSats: 21, challengeOptions: { spelling: 'both', capabilities: 'read, search', customCaveats: { pairs: [{ name: 'plan', value: 'pro' }] } } });
		expect(body).toMatchObject({ out: false, amount: 21, unit: 'sat', memo: 'quotes access', expiry: 600 });
		expect(out.wwwAuthenticate).toBe(`LSAT macaroon="${out.macaroon}", invoice="${inv.bolt11}", L402 macaroon="${out.macaroon}", invoice="${inv.bolt11}"`);
		expect(out).toMatchObject({ statusCode: 402, headers: { 'WWW-Authenticate': out.wwwAuthenticate }, paymentHash: inv.paymentHash, amountSats: 21 });
		expect((out.caveats as string[]).slice(2)).toEqual(['quotes_capabilities=read,search', 'plan=pro']);
		expect(JSON.stringify(out)).not.toContain(ROOT_HEX);
		// Its token verifies once paid (preimage from the fixture).
		const ok = await run({ resource: 'server', operation: 'verify', serviceName: 'quotes', authorization: `L402 ${out.macaroon}:${inv.preimage}`, verifyOptions: { capability: 'search', expectedCaveats: { pairs: [{ name: 'plan', value: 'pro' }] } } });
		expect(ok).toMatchObject({ valid: true, paymentHash: inv.paymentHash });
	});

	it('refuses before any request: a fiat price on a wallet without rates, a reserved caveat, a bad service name, a short root key (not repeated)', async () => {
		// nock has no interceptor: any request would fail with another message.
		await expect(run({ resource: 'server', operation: 'createChallenge', wallet: 'lnd', priceUnit: 'fiat', priceAmount: '1', priceCurrency: 'USD' }, { l402Api: { rootKey: ROOT_HEX }, lndRestApi: {} })).rejects.toThrow(
			/Price In: a fiat price is converted with the LNbits server's rates/,
		);
		await expect(run({ resource: 'server', operation: 'createChallenge', challengeOptions: { customCaveats: { pairs: [{ name: 'api_path', value: '/x' }] } } })).rejects.toThrow(/Custom Caveat 1: "api_path" is a reserved caveat name/);
		await expect(run({ resource: 'server', operation: 'createChallenge', serviceName: 'my api' })).rejects.toThrow(/Service Name: "my api"/);
		const short = 'too-short-a-secret';
		const error = await run({ resource: 'server', operation: 'createChallenge' }, { l402Api: { rootKey: short }, lnbitsApi }).catch((e: Error) => e);
		expect(String((error as Error).message)).toMatch(/Root Key: must be at least 32 bytes/);
		expect(JSON.stringify(error)).not.toContain(short);
	});
});

describe('Verify', () => {
	const preimage = '9f'.repeat(32);
	const hash = createHash('sha256').update(Buffer.from(preimage, 'hex')).digest('hex');
	const header = () => {
		const { macaroon } = mintMacaroon({ rootKey: Buffer.from(ROOT_HEX, 'hex'), paymentHash: hash, caveats: buildCaveats({ service: 'api', validUntil: Math.floor(Date.now() / 1000) + 600 }) });
		return `L402 ${macaroon}:${preimage}`;
	};

	it('asks the wallet when Check Invoice Settled is on: unpaid there is not_settled', async () => {
		const h = header();
		nock(LNBITS).get(`/api/v1/payments/${hash}`).reply(200, { paid: false, status: 'pending', details: apiPayment({ payment_hash: hash, status: 'pending', amount: 1000 }) });
		expect(await run({ resource: 'server', operation: 'verify', authorization: h, checkSettled: true })).toMatchObject({ valid: false, reason: 'not_settled', settled: false });
		nock(LNBITS).get(`/api/v1/payments/${hash}`).reply(200, { paid: true, status: 'success', preimage, details: apiPayment({ payment_hash: hash, status: 'success', amount: 1000 }) });
		expect(await run({ resource: 'server', operation: 'verify', authorization: h, checkSettled: true })).toMatchObject({ valid: true, settled: true });
	});

	it('counts uses up to Max Uses, and a refused token uses nothing up', async () => {
		const h = header();
		const params = { resource: 'server', operation: 'verify', authorization: h, usage: 'limited', maxUses: 3, verifyOptions: { storeFolder: folder } };
		const wrongPath = await run({ ...params, serviceName: 'other' });
		expect(wrongPath).toMatchObject({ valid: false, reason: 'wrong_service' });
		const uses = [];
		for (let n = 0; n < 4; n++) uses.push(await run(params));
		expect(uses.map((u) => [u.valid, u.use, u.usesLeft ?? null, u.reason])).toEqual([
			[true, 1, 2, null],
			[true, 2, 1, null],
			[true, 3, 0, null],
			[false, 3, null, 'already_used'],
		]);
		expect(await run({ ...params, authorization: '' })).toMatchObject({ valid: false, reason: 'missing_header' });
	});

	it('accepts a single-use token once when ten executions present it at the same moment', async () => {
		const params = { resource: 'server', operation: 'verify', authorization: header(), usage: 'single', verifyOptions: { storeFolder: folder } };
		const results = await Promise.all(Array.from({ length: 10 }, () => run(params)));
		expect(results.filter((r) => r.valid)).toHaveLength(1);
		expect(results.filter((r) => r.reason === 'already_used')).toHaveLength(9);
	});
});

describe('Pay', () => {
	let server: http.Server;
	let url: string;
	let answer: (req: http.IncomingMessage, res: http.ServerResponse) => void;
	const seen: Array<string | undefined> = [];
	beforeEach(async () => {
		seen.length = 0;
		server = http.createServer((req, res) => {
			seen.push(req.headers.authorization);
			answer(req, res);
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/paid`;
	});
	afterEach(() => new Promise((r) => server.close(r)));
	const pay = (extra: IDataObject = {}) => ({ resource: 'client', operation: 'pay', url, maxAmountSats: 100, ...extra, payOptions: { storeFolder: folder, ...((extra.payOptions as IDataObject) ?? {}) } });

	it('passes a free answer through without paying', async () => {
		answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"free":true}');
		expect(await run(pay(), { lnbitsApi })).toMatchObject({ statusCode: 200, paid: false, reusedToken: false, body: { free: true } });
	});

	it('refuses before any wallet request: no L402 challenge, an expired invoice, above Max Amount, Max Amount 0, an Authorization header of its own', async () => {
		answer = (_req, res) => res.writeHead(402, { 'www-authenticate': 'Bearer realm="x"' }).end();
		await expect(run(pay(), { lnbitsApi })).rejects.toThrow(/answered 402 without an L402 challenge/);
		const expired = encodeBolt11({ amountMsat: 10_000, network: 'mainnet', timestamp: Math.floor(Date.now() / 1000) - 7200, expiry: 60 });
		answer = (_req, res) => res.writeHead(402, { 'www-authenticate': `L402 macaroon="AgEA", invoice="${expired.bolt11}"` }).end();
		await expect(run(pay(), { lnbitsApi })).rejects.toThrow(/Invoice expired at/);
		const dear = encodeBolt11({ amountMsat: 101_000, network: 'mainnet' });
		answer = (_req, res) => res.writeHead(402, { 'www-authenticate': `L402 macaroon="AgEA", invoice="${dear.bolt11}"` }).end();
		await expect(run(pay(), { lnbitsApi })).rejects.toThrow(/asks for 101 sats, above the node's Max Amount of 100 sats/);
		await expect(run(pay({ maxAmountSats: 0 }), { lnbitsApi })).rejects.toThrow(/Max Amount \(Sats\): must be a whole number of sats greater than 0/);
		await expect(run(pay({ payOptions: { headers: { pairs: [{ name: 'Authorization', value: 'x' }] } } }), { lnbitsApi })).rejects.toThrow(/Header 1: the node sets Authorization itself/);
		// Nothing was remembered for a refused challenge.
		expect(fs.existsSync(path.join(folder, 'tokens')) ? fs.readdirSync(path.join(folder, 'tokens')) : []).toEqual([]);
	});

	it('pays with the LNbits admin key, retries with the token, and a pending payment is checked, not paid again, on the rerun', async () => {
		const inv = encodeBolt11({ amountMsat: 7_000, network: 'mainnet' });
		answer = (req, res) => {
			if (req.headers.authorization === `LSAT AgEAmac:${inv.preimage}`) res.writeHead(200, { 'content-type': 'text/plain' }).end('paid content');
			else res.writeHead(402, { 'www-authenticate': `LSAT macaroon="AgEAmac", invoice="${inv.bolt11}"` }).end();
		};
		// First run: LNbits says the payment is in flight.
		nock(LNBITS).get(`/api/v1/payments/${inv.paymentHash}`).reply(404, { detail: 'Payment does not exist.' });
		nock(LNBITS, { reqheaders: { 'x-api-key': 'admin-key' } })
			.post('/api/v1/payments', { out: true, bolt11: inv.bolt11 })
			.reply(201, apiPayment({ payment_hash: inv.paymentHash, amount: -7000, status: 'pending', bolt11: inv.bolt11 }));
		const first = await run(pay(), { lnbitsApi });
		expect(first).toMatchObject({ statusCode: 402, paid: false, pending: true, paymentHash: inv.paymentHash });
		expect(nock.isDone()).toBe(true);
		// Rerun: the same invoice is looked up (now settled) and not paid again; no new challenge asked.
		nock(LNBITS)
			.get(`/api/v1/payments/${inv.paymentHash}`)
			.reply(200, { paid: true, status: 'success', preimage: inv.preimage, details: apiPayment({ payment_hash: inv.paymentHash, amount: -7000, status: 'success', preimage: inv.preimage, bolt11: inv.bolt11 }) });
		const before = seen.length;
		const rerun = await run(pay(), { lnbitsApi });
		expect(rerun).toMatchObject({ statusCode: 200, body: 'paid content', paid: false, alreadyPaid: true, amountSats: 7 });
		expect(seen.slice(before)).toEqual([`LSAT AgEAmac:${inv.preimage}`]);
		// Third run: the remembered token, no wallet request at all.
		expect(await run(pay(), { lnbitsApi })).toMatchObject({ statusCode: 200, reusedToken: true, paid: false });
	});
});
