/**
 * The L402 node against a real LNbits 1.6.2 (FakeWallet: A receives, B is funded and pays;
 * offline fiat rates): Create Challenge on wallet A in sats and in USD, Verify with the invoice
 * settled on the wallet, and Pay (from B) against an L402 server written here independently of
 * the node: macaroons.js (a libmacaroons port, v1 serialization) and node:crypto, invoices from
 * LNbits' REST API. The payment guards refuse before paying, a rerun reuses the token, and a run
 * that stopped after paying is finished without a second payment.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { IDataObject } from 'n8n-workflow';
import MacaroonsBuilder from 'macaroons.js/lib/MacaroonsBuilder';
import MacaroonsVerifier from 'macaroons.js/lib/MacaroonsVerifier';
import { L402 } from '../../nodes/L402/L402.node';
import { TokenStore } from '../../nodes/L402/lib';
import { executeContext } from '../helpers/execute-context';
import { lnbitsCall } from '../helpers/lnbits-api';
import { startLnbits, type LnbitsServer } from '../lnbits-server/server';

jest.setTimeout(180_000);

const ROOT_HEX = '7e'.repeat(32);
let lnbits: LnbitsServer;
let folder: string;

beforeAll(async () => {
	lnbits = await startLnbits();
	folder = fs.mkdtempSync(path.join(os.tmpdir(), 'l402-lnbits-'));
}, 600_000);
afterAll(async () => {
	await lnbits?.stop();
	fs.rmSync(folder, { recursive: true, force: true });
});

const credA = () => ({ url: lnbits.url, invoiceKey: lnbits.walletA.invoiceKey });
const credB = () => ({ url: lnbits.url, invoiceKey: lnbits.walletB.invoiceKey, adminKey: lnbits.walletB.adminKey });

async function run(parameters: IDataObject, credentials: Record<string, IDataObject>): Promise<IDataObject> {
	const node = new L402();
	const ctx = executeContext({ nodeType: node, parameters, credentials: credentials as never });
	const [[item]] = await node.execute.call(ctx);
	return item.json;
}

async function outgoing(key: string): Promise<any[]> {
	const list = await lnbitsCall(lnbits.url, 'GET', '/api/v1/payments?limit=100', key);
	return list.filter((p: any) => p.amount < 0);
}

describe('server side on a real LNbits wallet', () => {
	test('Create Challenge in sats and in USD; the paid token verifies, with the invoice settled on the wallet', async () => {
		const challenge = await run(
			{ resource: 'server', operation: 'createChallenge', serviceName: 'quotes', amountSats: 21, path: '/api/quote' },
			{ l402Api: { rootKey: ROOT_HEX }, lnbitsApi: credA() },
		);
		expect(challenge).toMatchObject({ statusCode: 402, amountSats: 21, service: 'quotes', wallet: 'lnbits', paymentHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
		expect(challenge.wwwAuthenticate).toBe(`L402 macaroon="${challenge.macaroon}", invoice="${challenge.invoice}"`);
		expect(JSON.stringify(challenge)).not.toContain(ROOT_HEX);
		const onA = await lnbitsCall(lnbits.url, 'GET', `/api/v1/payments/${challenge.paymentHash}`, lnbits.walletA.invoiceKey);
		expect(onA.paid).toBe(false);

		const verifyParams = { resource: 'server', operation: 'verify', serviceName: 'quotes', requestPath: '/api/quote', checkSettled: true, usage: 'single', verifyOptions: { storeFolder: folder } };
		// Before paying: the preimage is unknown; a made-up one is refused.
		const unpaid = await run({ ...verifyParams, authorization: `L402 ${challenge.macaroon}:${'00'.repeat(32)}` }, { l402Api: { rootKey: ROOT_HEX }, lnbitsApi: credA() });
		expect(unpaid).toMatchObject({ valid: false, reason: 'wrong_preimage' });

		const paid = await lnbitsCall(lnbits.url, 'POST', '/api/v1/payments', lnbits.walletB.adminKey, { out: true, bolt11: challenge.invoice });
		const preimage = (await lnbitsCall(lnbits.url, 'GET', `/api/v1/payments/${paid.payment_hash}`, lnbits.walletB.adminKey)).preimage;
		const ok = await run({ ...verifyParams, authorization: `LSAT ${challenge.macaroon}:${preimage}` }, { l402Api: { rootKey: ROOT_HEX }, lnbitsApi: credA() });
		expect(ok).toMatchObject({ valid: true, settled: true, wallet: 'lnbits', use: 1, maxUses: 1, usesLeft: 0, scheme: 'LSAT', paymentHash: challenge.paymentHash });
		const replay = await run({ ...verifyParams, authorization: `L402 ${challenge.macaroon}:${preimage}` }, { l402Api: { rootKey: ROOT_HEX }, lnbitsApi: credA() });
		expect(replay).toMatchObject({ valid: false, reason: 'already_used' });

		const usd = await run(
			{ resource: 'server', operation: 'createChallenge', serviceName: 'quotes', priceUnit: 'fiat', priceAmount: '0.05', priceCurrency: 'usd' },
			{ l402Api: { rootKey: ROOT_HEX }, lnbitsApi: credA() },
		);
		// The harness's rate: 100 000 USD per BTC, 1000 sats per USD.
		expect(usd).toMatchObject({ amountSats: 50, price: { amount: '0.05', currency: 'USD', sats: 50 } });
	});
});

/** An L402 server that shares no code with the node: macaroons.js, node:crypto, LNbits REST. */
async function independentServer(priceSats: number) {
	const secret = 'independent-server-secret-0123456789';
	let challenges = 0;
	let served = 0;
	const server = http.createServer(async (req, res) => {
		const auth = req.headers.authorization ?? '';
		const m = /^L402 ([^:]+):([0-9a-f]{64})$/.exec(auth);
		if (m) {
			const mac = MacaroonsBuilder.deserialize(m[1]);
			const verifier = new MacaroonsVerifier(mac);
			verifier.satisfyExact('service=fortune');
			verifier.satisfyGeneral((c) => c.startsWith('expires=') && Number(c.slice(8)) > Date.now());
			const hash = createHash('sha256').update(Buffer.from(m[2], 'hex')).digest('hex');
			if (verifier.isValid(secret) && hash === mac.identifier) {
				served++;
				res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ fortune: 'You will be paid in sats', served }));
				return;
			}
		}
		const invoice = await lnbitsCall(lnbits.url, 'POST', '/api/v1/payments', lnbits.walletA.invoiceKey, { out: false, amount: priceSats, memo: 'fortune' });
		const mac = MacaroonsBuilder.modify(MacaroonsBuilder.create('http://fortune', secret, invoice.payment_hash))
			.add_first_party_caveat('service=fortune')
			.add_first_party_caveat(`expires=${Date.now() + 600_000}`)
			.getMacaroon();
		challenges++;
		res.writeHead(402, { 'www-authenticate': `L402 macaroon="${mac.serialize()}", invoice="${invoice.bolt11}"`, 'content-type': 'text/plain' }).end('Payment Required');
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fortune`;
	return { url, stats: () => ({ challenges, served }), close: () => new Promise((r) => server.close(r)) };
}

describe('client side: Pay from a real LNbits wallet to an independent L402 server', () => {
	const payParams = (url: string, extra: IDataObject = {}): IDataObject => ({
		resource: 'client',
		operation: 'pay',
		url,
		maxAmountSats: 50,
		...extra,
		payOptions: { storeFolder: folder, ...((extra.payOptions as IDataObject) ?? {}) },
	});

	test('pays once, then reuses the token on the rerun; refuses above Max Amount and for another network before paying', async () => {
		const srv = await independentServer(30);
		try {
			const before = (await outgoing(lnbits.walletB.adminKey)).length;
			await expect(run(payParams(srv.url, { maxAmountSats: 29 }), { lnbitsApi: credB() })).rejects.toThrow(/asks for 30 sats, above the node's Max Amount of 29 sats; not paid/);
			await expect(run(payParams(srv.url, { payOptions: { network: 'regtest' } }), { lnbitsApi: credB() })).rejects.toThrow(/is for mainnet but the LNbits wallet is on regtest; refusing to pay/);
			expect((await outgoing(lnbits.walletB.adminKey)).length).toBe(before);

			const first = await run(payParams(srv.url), { lnbitsApi: credB() });
			expect(first).toMatchObject({ statusCode: 200, paid: true, reusedToken: false, amountSats: 30, alreadyPaid: false, body: { fortune: 'You will be paid in sats', served: 1 } });
			expect(JSON.stringify(first)).not.toMatch(/L402 \S+:/);
			const again = await run(payParams(srv.url), { lnbitsApi: credB() });
			expect(again).toMatchObject({ statusCode: 200, paid: false, reusedToken: true, body: { served: 2 } });
			expect((await outgoing(lnbits.walletB.adminKey)).length).toBe(before + 1);
			expect(srv.stats()).toEqual({ challenges: 3, served: 2 });
		} finally {
			await srv.close();
		}
	});

	test('a run that stopped after paying is finished on the rerun with the same invoice: the wallet reports it paid, nothing is paid twice', async () => {
		const srv = await independentServer(12);
		try {
			// The first run remembered the challenge, paid it, and stopped before saving the token.
			const res = await fetch(srv.url);
			const header = res.headers.get('www-authenticate')!;
			const [, macaroon, invoice] = /macaroon="([^"]+)", invoice="([^"]+)"/.exec(header)!;
			const store = new TokenStore(folder);
			const key = `url:${new URL(srv.url).origin}${new URL(srv.url).pathname}`;
			store.put(key, { state: 'pending', scheme: 'L402', macaroon, invoice, paymentHash: '', preimage: null, url: srv.url, services: [], expiresAt: null, savedAt: new Date().toISOString(), amountSats: null });
			await lnbitsCall(lnbits.url, 'POST', '/api/v1/payments', lnbits.walletB.adminKey, { out: true, bolt11: invoice });
			const before = (await outgoing(lnbits.walletB.adminKey)).length;

			const rerun = await run(payParams(srv.url), { lnbitsApi: credB() });
			expect(rerun).toMatchObject({ statusCode: 200, paid: false, alreadyPaid: true, amountSats: 12, body: { served: 1 } });
			expect((await outgoing(lnbits.walletB.adminKey)).length).toBe(before);
			expect(store.get(key)).toMatchObject({ state: 'paid', amountSats: 12 });
			expect(srv.stats()).toEqual({ challenges: 1, served: 1 });
		} finally {
			await srv.close();
		}
	});
});
