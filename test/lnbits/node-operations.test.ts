/**
 * The LNbits node's execute() against a real LNbits 1.6.2 (FakeWallet, two
 * wallets, B funded, offline fiat rates): every operation with its parameter
 * mapping, the payment guards and the error classes as the server produces them.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject } from 'n8n-workflow';
import { LnbitsClient } from '../../nodes/Lnbits/client';
import { COFFEE, DONATION } from '../fixtures/bolt11-spec';
import { startLnbits, type LnbitsServer } from '../lnbits-server/server';
import { runLnbits, runLnbitsError, type LnbitsCredentials } from '../helpers/lnbits-node';
import { caught } from '../helpers/caught';

jest.setTimeout(120_000);

let lnbits: LnbitsServer;
let credA: LnbitsCredentials; // invoice key only
let credAAdmin: LnbitsCredentials;
let credB: LnbitsCredentials; // funded, can spend
const started = Date.now();

beforeAll(async () => {
	lnbits = await startLnbits();
	credA = { url: lnbits.url, invoiceKey: lnbits.walletA.invoiceKey };
	credAAdmin = { ...credA, adminKey: lnbits.walletA.adminKey };
	credB = { url: `${lnbits.url}/`, invoiceKey: lnbits.walletB.invoiceKey, adminKey: lnbits.walletB.adminKey };
}, 600_000);

afterAll(async () => {
	await lnbits?.stop();
	// eslint-disable-next-line no-console
	console.log(`real-LNbits node suite: ${Date.now() - started} ms including server start (${lnbits?.setupMs} ms)`);
});

async function balanceMsat(key: string): Promise<number> {
	return (await new LnbitsClient({ url: lnbits.url, invoiceKey: key }).getWallet()).balanceMsat;
}

async function invoiceOnA(amountSats: number, memo: string): Promise<IDataObject> {
	const [out] = await runLnbits([{ resource: 'invoice', operation: 'create', unit: 'sat', amountSats, memo }], { credentials: credA });
	return out;
}

const pay = (bolt11: IDataObject[string], maxAmountSats: number, extra: IDataObject = {}): IDataObject => ({
	resource: 'payment',
	operation: 'pay',
	bolt11,
	maxAmountSats,
	...extra,
});

describe('client core (used by the trigger too)', () => {
	async function raw(method: string, path: string, key: string, body?: unknown): Promise<any> {
		const res = await fetch(lnbits.url + path, {
			method,
			headers: { 'x-api-key': key, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
		return JSON.parse(text);
	}

	test('getWallet: balance in msat and sats; id only with the admin key', async () => {
		const b = new LnbitsClient({ url: lnbits.url, invoiceKey: lnbits.walletB.invoiceKey });
		expect(await b.getWallet()).toEqual({ name: 'B', balanceMsat: lnbits.fundedSats * 1000, balanceSats: lnbits.fundedSats });
		const aAdmin = new LnbitsClient({ url: `${lnbits.url}/api/v1/`, invoiceKey: lnbits.walletA.invoiceKey, adminKey: lnbits.walletA.adminKey });
		expect(aAdmin.baseUrl).toBe(lnbits.url);
		expect(await aAdmin.getWallet({ key: 'admin' })).toMatchObject({ name: 'A', id: lnbits.walletA.id });
	});

	test('getPayment and listPayments read what the server stored', async () => {
		const a = new LnbitsClient({ url: lnbits.url, invoiceKey: lnbits.walletA.invoiceKey });
		const invoice = await raw('POST', '/api/v1/payments', lnbits.walletA.invoiceKey, { out: false, amount: 7, memo: 'core-1' });
		const before = await a.getPayment(invoice.payment_hash);
		expect(before).toMatchObject({ paid: false, status: 'pending', preimage: null });
		expect(before.details).toMatchObject({ direction: 'incoming', amountMsat: 7000, amountSats: 7, status: 'pending', memo: 'core-1' });

		await raw('POST', '/api/v1/payments', lnbits.walletB.adminKey, { out: true, bolt11: invoice.bolt11 });
		const after = await a.getPayment(invoice.payment_hash.toUpperCase());
		expect(after).toMatchObject({ paid: true, status: 'success' });
		expect(after.preimage).toMatch(/^[0-9a-f]{64}$/);
		expect(after.details?.paymentHash).toBe(invoice.payment_hash);
		expect(after.details?.expiry).toMatch(/Z$/);

		const list = await a.listPayments({ limit: 5 });
		expect(list[0].paymentHash).toBe(invoice.payment_hash);
		const outgoing = await new LnbitsClient({ url: lnbits.url, invoiceKey: lnbits.walletB.invoiceKey }).listPayments({ direction: 'outgoing', memo: 'core-1' });
		expect(outgoing).toHaveLength(1);
		expect(outgoing[0]).toMatchObject({ direction: 'outgoing', amountMsat: 7000, status: 'success', feeMsat: 0, checkingId: `internal_${invoice.payment_hash}` });

		const unknown = await caught(a.getPayment('0'.repeat(64)));
		expect(unknown.kind).toBe('not_found');
	});
});

describe('wallet', () => {
	test('get: name and balance in sats and msat; id with the admin key', async () => {
		const [b] = await runLnbits([{ resource: 'wallet', operation: 'get' }], { credentials: credB });
		const bMsat = await balanceMsat(lnbits.walletB.invoiceKey);
		expect(b).toEqual({ name: 'B', balanceSats: Math.floor(bMsat / 1000), balanceMsat: bMsat, id: lnbits.walletB.id });
		const [a] = await runLnbits([{ resource: 'wallet', operation: 'get' }], { credentials: credA });
		expect(a).toEqual({ name: 'A', balanceSats: 7, balanceMsat: 7000 }); // the 7 sat paid in the client core test
	});

	test('get checks the chosen wallet against the credential', async () => {
		const [ok] = await runLnbits([{ resource: 'wallet', operation: 'get', wallet: { mode: 'id', value: lnbits.walletB.id } }], { credentials: credB });
		expect(ok.id).toBe(lnbits.walletB.id);
		const err = await runLnbitsError([{ resource: 'wallet', operation: 'get', wallet: { mode: 'list', value: lnbits.walletA.id } }], { credentials: credB });
		expect(err.message).toContain(`belong to wallet ${lnbits.walletB.id}`);
	});

	test('rename needs the admin key and renames', async () => {
		const missing = await runLnbitsError([{ resource: 'wallet', operation: 'rename', newName: 'A2' }], { credentials: credA });
		expect(missing.message).toMatch(/^Admin Key: is needed to rename the wallet/);
		const wrongKind = await runLnbitsError([{ resource: 'wallet', operation: 'rename', newName: 'A2' }], { credentials: { ...credA, adminKey: credA.invoiceKey } });
		expect(wrongKind.message).toBe('LNbits refused: the Admin Key of the credential is not an admin key (403: Invalid adminkey.)');
		const [renamed] = await runLnbits([{ resource: 'wallet', operation: 'rename', newName: 'Shop A' }], { credentials: credAAdmin });
		expect(renamed).toMatchObject({ id: lnbits.walletA.id, name: 'Shop A' });
		const [a] = await runLnbits([{ resource: 'wallet', operation: 'get' }], { credentials: credA });
		expect(a.name).toBe('Shop A');
	});

	test('create account returns a working new wallet', async () => {
		const [w] = await runLnbits([{ resource: 'wallet', operation: 'createAccount', walletName: 'Fresh' }], { credentials: credA });
		expect(w).toMatchObject({ name: 'Fresh', balanceSats: 0 });
		expect(w.invoiceKey).toMatch(/^[0-9a-f]{32}$/);
		const [fresh] = await runLnbits([{ resource: 'wallet', operation: 'get' }], {
			credentials: { url: lnbits.url, invoiceKey: w.invoiceKey as string, adminKey: w.adminKey as string },
		});
		expect(fresh).toEqual({ name: 'Fresh', balanceSats: 0, balanceMsat: 0, id: w.id });
	});
});

describe('invoice', () => {
	test('create in sats: out:false, bolt11, hash, expiry, memo, webhook and extra stored', async () => {
		const [inv] = await runLnbits(
			[
				{
					resource: 'invoice',
					operation: 'create',
					unit: 'sat',
					amountSats: 21,
					memo: 'coffee',
					additionalFields: { expiry: 600, extra: '{"order":"A-1"}', webhook: 'http://127.0.0.1:9/hook' },
				},
			],
			{ credentials: credA },
		);
		expect(inv).toMatchObject({ amountSats: 21, amountMsat: 21000, memo: 'coffee', status: 'pending' });
		expect(inv.bolt11).toMatch(/^lnbc210n1/);
		expect(inv.paymentHash).toMatch(/^[0-9a-f]{64}$/);
		const [decoded] = await runLnbits([{ resource: 'payment', operation: 'decode', bolt11: inv.bolt11 }]);
		expect(decoded).toMatchObject({ expirySeconds: 600, amountSats: 21, description: 'coffee', paymentHash: inv.paymentHash });
		expect(Date.parse(inv.expiresAt as string)).toBe(Date.parse(decoded.expiresAt as string));
		const [full] = await runLnbits([{ resource: 'payment', operation: 'get', paymentHash: inv.paymentHash, simplify: false }], { credentials: credA });
		expect(full).toMatchObject({ direction: 'incoming', webhook: 'http://127.0.0.1:9/hook', paid: false, status: 'pending' });
		expect((full.extra as IDataObject).order).toBe('A-1');
	});

	test('create with a description hash puts the hash into the invoice', async () => {
		const hash = 'a'.repeat(64);
		const [inv] = await runLnbits(
			[{ resource: 'invoice', operation: 'create', unit: 'sat', amountSats: 5, additionalFields: { descriptionHash: hash } }],
			{ credentials: credA },
		);
		const [decoded] = await runLnbits([{ resource: 'payment', operation: 'decode', bolt11: inv.bolt11 }]);
		expect(decoded.descriptionHash).toBe(hash);
	});

	test('create in fiat converts at the server rate; unknown codes and fractional sats are refused', async () => {
		const [usd] = await runLnbits(
			[{ resource: 'invoice', operation: 'create', unit: 'fiat', fiatAmount: '2.50', currency: 'usd', memo: 'fiat' }],
			{ credentials: credA },
		);
		expect(usd).toMatchObject({ amountSats: 2500, fiatCurrency: 'USD', fiatAmount: '2.5' }); // 100 000 USD/BTC → 1000 sat per USD
		const unknown = await runLnbitsError([{ resource: 'invoice', operation: 'create', unit: 'fiat', fiatAmount: '1', currency: 'XYZ' }], {
			credentials: credA,
		});
		expect(unknown.message).toMatch(/^Currency: "XYZ" is not a fiat currency this LNbits server knows/);
		const frac = await runLnbitsError([{ resource: 'invoice', operation: 'create', unit: 'sat', amountSats: 1.5 }], { credentials: credA });
		expect(frac.message).toBe('Amount: must be a whole number of sats (got 1.5)');
		const zero = await runLnbitsError([{ resource: 'invoice', operation: 'create', unit: 'sat', amountSats: 0 }], { credentials: credA });
		expect(zero.message).toBe('Amount: must be greater than 0');
	});
});

describe('payment', () => {
	test('pay B → A settles internally; status by hash from both sides; decode of the real invoice', async () => {
		const aBefore = await balanceMsat(lnbits.walletA.invoiceKey);
		const bBefore = await balanceMsat(lnbits.walletB.invoiceKey);
		const inv = await invoiceOnA(100, 'pay-1');

		const [decoded] = await runLnbits([{ resource: 'payment', operation: 'decode', bolt11: `lightning:${inv.bolt11}` }]);
		expect(decoded).toMatchObject({ network: 'mainnet', amountSats: 100, amountMsat: '100000', paymentHash: inv.paymentHash, description: 'pay-1', expired: false, expirySeconds: 3600 });

		const [paid] = await runLnbits([pay(inv.bolt11, 100)], { credentials: credB });
		expect(paid).toMatchObject({ paymentHash: inv.paymentHash, status: 'success', paid: true, pending: false, alreadyPaid: false, amountSats: 100, feeMsat: 0 });
		expect(paid.preimage).toMatch(/^[0-9a-f]{64}$/);
		expect(await balanceMsat(lnbits.walletA.invoiceKey)).toBe(aBefore + 100_000);
		expect(await balanceMsat(lnbits.walletB.invoiceKey)).toBe(bBefore - 100_000);

		const [asPayee] = await runLnbits([{ resource: 'payment', operation: 'get', paymentHash: inv.paymentHash }], { credentials: credA });
		expect(asPayee).toMatchObject({ paid: true, status: 'success', direction: 'incoming', amountSats: 100, preimage: paid.preimage });
		const [asPayer] = await runLnbits([{ resource: 'payment', operation: 'get', paymentHash: inv.paymentHash }], { credentials: credB });
		expect(asPayer).toMatchObject({ paid: true, status: 'success', direction: 'outgoing' });
	});

	test('no double pay: a retried item and a repeated invoice in one run return the earlier payment', async () => {
		const inv = await invoiceOnA(30, 'retry');
		const bBefore = await balanceMsat(lnbits.walletB.invoiceKey);
		const out = await runLnbits([pay(inv.bolt11, 50), pay(inv.bolt11, 50)], { credentials: credB });
		expect(out.map((o) => o.alreadyPaid)).toEqual([false, true]);
		expect(out.map((o) => o.status)).toEqual(['success', 'success']);
		// A second execution (n8n retry of the item) pays nothing either.
		const [retry] = await runLnbits([pay(inv.bolt11, 50)], { credentials: credB });
		expect(retry).toMatchObject({ alreadyPaid: true, paid: true, paymentHash: inv.paymentHash });
		expect(await balanceMsat(lnbits.walletB.invoiceKey)).toBe(bBefore - 30_000);
	});

	test('max-amount guard, expired-amountless and own invoices are refused before anything is paid', async () => {
		const inv = await invoiceOnA(500, 'too much');
		const bBefore = await balanceMsat(lnbits.walletB.invoiceKey);
		const err = await runLnbitsError([pay(inv.bolt11, 499)], { credentials: credB });
		expect(err.message).toBe("Invoice asks for 500 sats, above the node's Max Amount of 499 sats; not paid");
		expect(err.description).toContain('Item 0, field "Max Amount (Sats)"');
		const noMax = await runLnbitsError([pay(inv.bolt11, 0)], { credentials: credB });
		expect(noMax.message).toMatch(/^Max Amount \(Sats\): is required: the largest invoice amount this node may pay/);
		const testnet = await runLnbitsError([pay(inv.bolt11, 1000, { payOptions: { network: 'testnet' } })], { credentials: credB });
		expect(testnet.message).toMatch(/is for mainnet but the LNbits wallet is on testnet/);
		const expired = await runLnbitsError([pay(COFFEE, 1_000_000)], { credentials: credB });
		expect(expired.message).toMatch(/^Invoice expired at 2017-06-01T10:58:38.000Z/);
		const own = await runLnbitsError([pay(inv.bolt11, 1000)], { credentials: credAAdmin });
		expect(own.message).toMatch(/created by this wallet/);
		expect(await balanceMsat(lnbits.walletB.invoiceKey)).toBe(bBefore);
		const [status] = await runLnbits([{ resource: 'payment', operation: 'get', paymentHash: inv.paymentHash }], { credentials: credA });
		expect(status).toMatchObject({ paid: false, status: 'pending' });
	});

	test('amountless invoices: LNbits will not make or pay them; the node refuses before sending', async () => {
		const raw = await fetch(`${lnbits.url}/api/v1/payments`, {
			method: 'POST',
			headers: { 'x-api-key': lnbits.walletA.invoiceKey, 'content-type': 'application/json' },
			body: JSON.stringify({ out: false, amount: 0, memo: 'any amount' }),
		});
		expect(raw.status).toBe(520);
		expect(await raw.json()).toEqual({ detail: 'Amountless invoices not supported.', status: 'failed' });
		const bBefore = await balanceMsat(lnbits.walletB.invoiceKey);
		const err = await runLnbitsError([pay(DONATION, 1000)], { credentials: credB });
		expect(err.message).toMatch(/^Invoice has no amount, and LNbits only pays invoices that state their amount/);
		expect(await balanceMsat(lnbits.walletB.invoiceKey)).toBe(bBefore);
	});

	test('insufficient balance (520), wrong key kind (403), unknown key (404), missing admin key', async () => {
		const big = await invoiceOnA(5_000_000, 'big');
		const broke = await runLnbitsError([pay(big.bolt11, 10_000_000)], { credentials: credB });
		expect(broke.message).toBe('LNbits could not complete the payment: Insufficient balance. (520)');
		expect(broke.description).toContain('Fund the wallet');

		const small = await invoiceOnA(3, 'kinds');
		const wrongKind = await runLnbitsError([pay(small.bolt11, 10)], {
			credentials: { url: lnbits.url, invoiceKey: lnbits.walletB.invoiceKey, adminKey: lnbits.walletB.invoiceKey },
		});
		expect(wrongKind.message).toMatch(/Admin Key of the credential is not an admin key \(403/);
		expect((wrongKind as unknown as { httpCode?: string }).httpCode).toBe('403');

		const noAdmin = await runLnbitsError([pay(small.bolt11, 10)], { credentials: { url: lnbits.url, invoiceKey: lnbits.walletB.invoiceKey } });
		expect(noAdmin.message).toMatch(/^Admin Key: is needed to pay invoices/);

		const unknownKey = 'f'.repeat(32);
		const unknown = await runLnbitsError([{ resource: 'wallet', operation: 'get' }], { credentials: { url: lnbits.url, invoiceKey: unknownKey } });
		expect(unknown.message).toBe('LNbits does not know the Invoice/Read Key of the credential (404 Wallet not found)');
		for (const e of [broke, wrongKind, noAdmin, unknown]) {
			const text = `${e.message} ${e.description ?? ''} ${JSON.stringify(e)}`;
			for (const key of [lnbits.walletB.adminKey, lnbits.walletB.invoiceKey, unknownKey]) expect(text).not.toContain(key);
		}
		expect(await balanceMsat(lnbits.walletB.invoiceKey)).toBeGreaterThan(0);
	});

	test('continueOnFail keeps the other items', async () => {
		const good = await invoiceOnA(2, 'cof');
		const out = await runLnbits([pay('lnbc1invalid', 10), pay(good.bolt11, 10)], { credentials: credB, continueOnFail: true });
		expect(out[0]).toMatchObject({ errorKind: 'input', field: 'Invoice' });
		expect(out[1]).toMatchObject({ status: 'success', paymentHash: good.paymentHash });
	});

	test('history: filters by direction, status, memo and time; Limit and Return All page through', async () => {
		const tag = `hist-${Date.now()}`;
		const made: IDataObject[] = [];
		for (let n = 1; n <= 5; n++) made.push(await invoiceOnA(n, `${tag} ${n}`));
		await runLnbits([pay(made[0].bolt11, 10), pay(made[1].bolt11, 10)], { credentials: credB });

		const list = (filters: IDataObject, extra: IDataObject = {}, cred = credA) =>
			runLnbits([{ resource: 'payment', operation: 'getMany', returnAll: true, filters, ...extra }], { credentials: cred });

		const mine = await list({ memo: tag });
		expect(mine.map((p) => p.memo)).toEqual([5, 4, 3, 2, 1].map((n) => `${tag} ${n}`)); // newest first
		expect((await list({ memo: tag, status: 'success' })).map((p) => p.amountSats)).toEqual([2, 1]);
		expect((await list({ memo: tag, status: 'pending' })).map((p) => p.amountSats)).toEqual([5, 4, 3]);
		expect(await list({ memo: tag, direction: 'outgoing' })).toEqual([]);
		const outB = await list({ memo: tag, direction: 'outgoing' }, {}, credB);
		expect(outB.map((p) => [p.direction, p.amountSats])).toEqual([
			['outgoing', 2],
			['outgoing', 1],
		]);

		const limited = await runLnbits([{ resource: 'payment', operation: 'getMany', returnAll: false, limit: 3, filters: { memo: tag } }], { credentials: credA });
		expect(limited.map((p) => p.amountSats)).toEqual([5, 4, 3]);

		const future = new Date(Date.now() + 3600_000).toISOString();
		expect(await list({ memo: tag, since: future })).toEqual([]);
		expect(await list({ memo: tag, until: '2020-01-01T00:00:00Z' })).toEqual([]);
		const firstTime = Date.parse(mine[4].time as string);
		const sinceFirst = await list({ memo: tag, since: new Date(firstTime).toISOString() });
		expect(sinceFirst).toHaveLength(5);

		// Paging with a small page size returns every payment once.
		const client = new LnbitsClient({ url: lnbits.url, invoiceKey: lnbits.walletA.invoiceKey });
		const paged = await client.listAllPayments({ memo: tag }, { pageSize: 2 });
		expect(paged.map((p) => p.amountSats)).toEqual([5, 4, 3, 2, 1]);
		const all = await client.listAllPayments({}, { pageSize: 3 });
		const total = (await client.listPaymentsPage({ limit: 1 })).total;
		expect(all).toHaveLength(total);
		expect(new Set(all.map((p) => p.checkingId)).size).toBe(total);
	});
});

describe('lnurl', () => {
	let link: string;

	beforeAll(async () => {
		// Wallet A's own Lightning address, served by LNbits at /.well-known/lnurlp/<name> (LUD-16/17).
		const res = await fetch(`${lnbits.url}/api/v1/wallet`, {
			method: 'PATCH',
			headers: { 'x-api-key': lnbits.walletA.adminKey, 'content-type': 'application/json' },
			body: '{}',
		});
		const w = (await res.json()) as { lightning_address: string };
		link = `lnurlp://127.0.0.1:${lnbits.port}/.well-known/lnurlp/${w.lightning_address}`;
	});

	test('scan tells what the link is and its limits', async () => {
		const [info] = await runLnbits([{ resource: 'lnurl', operation: 'scan', lnurl: link }], { credentials: credB });
		expect(info).toMatchObject({ kind: 'pay', tag: 'payRequest', domain: `127.0.0.1:${lnbits.port}` });
		expect(info.minSendableSats).toBeGreaterThanOrEqual(1);
		expect(info.maxSendableSats as number).toBeGreaterThan(info.minSendableSats as number);
	});

	test('pay sends the amount to the address; guards refuse amounts outside limits or above max', async () => {
		const aBefore = await balanceMsat(lnbits.walletA.invoiceKey);
		const [paid] = await runLnbits([{ resource: 'lnurl', operation: 'pay', lnurl: link, amountSats: 12, maxAmountSats: 20 }], { credentials: credB });
		expect(paid).toMatchObject({ status: 'success', paid: true, direction: 'outgoing', amountSats: 12 });
		expect(await balanceMsat(lnbits.walletA.invoiceKey)).toBe(aBefore + 12_000);

		const above = await runLnbitsError([{ resource: 'lnurl', operation: 'pay', lnurl: link, amountSats: 21, maxAmountSats: 20 }], { credentials: credB });
		expect(above.message).toBe("Amount of 21 sats is above the node's Max Amount of 20 sats; not paid");
		const [info] = await runLnbits([{ resource: 'lnurl', operation: 'scan', lnurl: link }], { credentials: credB });
		const tooBig = (info.maxSendableSats as number) + 1;
		const outside = await runLnbitsError([{ resource: 'lnurl', operation: 'pay', lnurl: link, amountSats: tooBig, maxAmountSats: tooBig }], {
			credentials: credB,
		});
		expect(outside.message).toMatch(/^Amount \(Sats\): \d+ sats is outside what 127\.0\.0\.1:\d+ accepts/);
		expect(await balanceMsat(lnbits.walletA.invoiceKey)).toBe(aBefore + 12_000);
	});
});

describe('lnurl withdraw', () => {
	let service: http.Server;
	let url: string;
	const claims: string[] = [];

	beforeAll(async () => {
		// A minimal LNURL-withdraw service (LUD-03) on 127.0.0.1 that pays the invoice it is
		// given from wallet B, once per k1.
		service = http.createServer((req, res) => {
			const u = new URL(req.url ?? '/', 'http://127.0.0.1');
			res.setHeader('content-type', 'application/json');
			if (u.pathname === '/withdraw') {
				res.end(
					JSON.stringify({
						tag: 'withdrawRequest',
						callback: `http://127.0.0.1:${(service.address() as AddressInfo).port}/cb`,
						k1: 'k1-once',
						minWithdrawable: 1000,
						maxWithdrawable: 40000,
						defaultDescription: 'test faucet',
					}),
				);
				return;
			}
			const pr = u.searchParams.get('pr') ?? '';
			if (u.pathname !== '/cb' || u.searchParams.get('k1') !== 'k1-once' || claims.length > 0) {
				res.end(JSON.stringify({ status: 'ERROR', reason: 'Link already used' }));
				return;
			}
			claims.push(pr);
			res.end(JSON.stringify({ status: 'OK' }));
			setTimeout(() => {
				void fetch(`${lnbits.url}/api/v1/payments`, {
					method: 'POST',
					headers: { 'x-api-key': lnbits.walletB.adminKey, 'content-type': 'application/json' },
					body: JSON.stringify({ out: true, bolt11: pr }),
				}).then((r) => r.arrayBuffer());
			}, 50);
		});
		await new Promise<void>((r) => service.listen(0, '127.0.0.1', () => r()));
		url = `lnurlw://127.0.0.1:${(service.address() as AddressInfo).port}/withdraw`;
	});

	afterAll(() => new Promise<void>((r) => service.close(() => r())));

	test('withdraw: LNbits hands the invoice to the service, which pays it into A; a used link is refused', async () => {
		const [scan] = await runLnbits([{ resource: 'lnurl', operation: 'scan', lnurl: url }], { credentials: credA });
		expect(scan).toMatchObject({ kind: 'withdraw', minWithdrawableSats: 1, maxWithdrawableSats: 40, defaultDescription: 'test faucet' });

		const aBefore = await balanceMsat(lnbits.walletA.invoiceKey);
		const [w] = await runLnbits([{ resource: 'lnurl', operation: 'withdraw', withdrawLnurl: url, withdrawAmountSats: 0 }], { credentials: credA });
		expect(w).toMatchObject({ accepted: true, amountSats: 40, direction: 'incoming', memo: 'test faucet' });
		expect(claims).toEqual([w.bolt11]);
		const deadline = Date.now() + 20_000;
		let status = '';
		while (Date.now() < deadline && status !== 'success') {
			status = (await new LnbitsClient({ url: lnbits.url, invoiceKey: lnbits.walletA.invoiceKey }).getPayment(w.paymentHash as string)).status;
			if (status !== 'success') await new Promise((r) => setTimeout(r, 100));
		}
		expect(status).toBe('success');
		expect(await balanceMsat(lnbits.walletA.invoiceKey)).toBe(aBefore + 40_000);

		const again = await runLnbitsError([{ resource: 'lnurl', operation: 'withdraw', withdrawLnurl: url, withdrawAmountSats: 5 }], { credentials: credA });
		expect(again.message).toBe(`127.0.0.1:${(service.address() as AddressInfo).port} did not accept the withdraw request: Link already used`);
		const outside = await runLnbitsError([{ resource: 'lnurl', operation: 'withdraw', withdrawLnurl: url, withdrawAmountSats: 41 }], { credentials: credA });
		expect(outside.message).toMatch(/^Amount \(Sats\): 41 sats is outside what 127\.0\.0\.1:\d+ pays out \(1 to 40 sats\)/);
	});
});

describe('fiat', () => {
	test('rate and conversions with the offline rates', async () => {
		const [rate] = await runLnbits([{ resource: 'fiat', operation: 'getRate', currency: 'EUR' }], { credentials: credA });
		expect(rate).toEqual({ currency: 'EUR', satsPerUnit: String(1e8 / 90_000), pricePerBtc: '90000' });
		const [toSats] = await runLnbits([{ resource: 'fiat', operation: 'convert', conversion: 'fiatToSat', amount: '12.5', currency: 'USD' }], {
			credentials: credA,
		});
		expect(toSats).toMatchObject({ from: 'USD', to: 'sat', amount: '12.50', sats: 12_500, btc: '0.00012500', result: '12500' });
		const [toUsd] = await runLnbits([{ resource: 'fiat', operation: 'convert', conversion: 'satToFiat', amount: '2000', currency: 'usd' }], {
			credentials: credA,
		});
		expect(toUsd).toMatchObject({ from: 'sat', to: 'USD', sats: 2000, result: '2.00' });
		const unknown = await runLnbitsError([{ resource: 'fiat', operation: 'getRate', currency: 'XYZ' }], { credentials: credA });
		expect(unknown.message).toMatch(/^Currency: "XYZ" is not a fiat currency this LNbits server knows \(e\.g\. /);
		expect(unknown.description).toContain('Item 0, field "Currency"');
	});
});
