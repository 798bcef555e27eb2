/**
 * Checks the real-LNbits harness (test/lnbits-server/server.ts) with raw fetch and WebSocket:
 * wallets, funding, internal payments, payment lookup, the wallet WebSocket, invoice webhooks,
 * fiat amounts from the local rate server, and restart on the same data folder.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLnbits, type LnbitsServer } from '../lnbits-server/server';

jest.setTimeout(120_000);

let lnbits: LnbitsServer;

beforeAll(async () => {
	lnbits = await startLnbits();
	// eslint-disable-next-line no-console
	console.log(
		`LNbits up at ${lnbits.url}: process answered after ${lnbits.startupMs} ms, ` +
			`ready with wallets after ${lnbits.setupMs} ms`,
	);
}, 600_000); // the first run on a fresh machine also installs LNbits (~70 s)

afterAll(async () => {
	await lnbits?.stop();
});

function headers(key: string): Record<string, string> {
	return { 'x-api-key': key, 'content-type': 'application/json' };
}

async function call(
	method: string,
	path: string,
	key?: string,
	body?: unknown,
): Promise<{ status: number; body: any }> {
	const res = await fetch(lnbits.url + path, {
		method,
		headers: key ? headers(key) : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function balanceMsat(key: string): Promise<number> {
	const r = await call('GET', '/api/v1/wallet', key);
	expect(r.status).toBe(200);
	return r.body.balance;
}

async function createInvoice(key: string, body: Record<string, unknown>) {
	const r = await call('POST', '/api/v1/payments', key, { out: false, ...body });
	expect(r.status).toBe(201);
	return r.body;
}

async function pay(adminKey: string, bolt11: string) {
	return call('POST', '/api/v1/payments', adminKey, { out: true, bolt11 });
}

test('wallets A and B exist; B is funded', async () => {
	const a = await call('GET', '/api/v1/wallet', lnbits.walletA.adminKey);
	expect(a.status).toBe(200);
	expect(a.body).toEqual({ id: lnbits.walletA.id, name: 'A', balance: 0 });

	// With the invoice key the id is left out.
	const b = await call('GET', '/api/v1/wallet', lnbits.walletB.invoiceKey);
	expect(b.status).toBe(200);
	expect(b.body).toEqual({ name: 'B', balance: lnbits.fundedSats * 1000 });
	expect(lnbits.superToken).toMatch(/^ey/);
	expect(lnbits.superUserId).toMatch(/^[0-9a-f]{32}$/);
});

test('invoice on A paid from B settles internally', async () => {
	const aBefore = await balanceMsat(lnbits.walletA.invoiceKey);
	const bBefore = await balanceMsat(lnbits.walletB.invoiceKey);

	const invoice = await createInvoice(lnbits.walletA.invoiceKey, { amount: 100, memo: 'x' });
	expect(invoice.bolt11).toMatch(/^lnbc1u1/);
	expect(invoice.payment_request).toBe(invoice.bolt11);
	expect(invoice).toMatchObject({ amount: 100_000, status: 'pending', memo: 'x', wallet_id: lnbits.walletA.id });
	expect(invoice.payment_hash).toMatch(/^[0-9a-f]{64}$/);

	const paid = await pay(lnbits.walletB.adminKey, invoice.bolt11);
	expect(paid.status).toBe(201);
	expect(paid.body).toMatchObject({
		payment_hash: invoice.payment_hash,
		amount: -100_000,
		fee: 0,
		status: 'success',
		checking_id: `internal_${invoice.payment_hash}`,
	});

	expect(await balanceMsat(lnbits.walletA.invoiceKey)).toBe(aBefore + 100_000);
	expect(await balanceMsat(lnbits.walletB.invoiceKey)).toBe(bBefore - 100_000);

	const status = await call('GET', `/api/v1/payments/${invoice.payment_hash}`, lnbits.walletA.invoiceKey);
	expect(status.status).toBe(200);
	expect(status.body.paid).toBe(true);
	expect(status.body.preimage).toMatch(/^[0-9a-f]{64}$/);
	expect(status.body.details).toMatchObject({ status: 'success', amount: 100_000 });

	// Without a key only {paid, preimage}.
	const anon = await call('GET', `/api/v1/payments/${invoice.payment_hash}`);
	expect(anon.status).toBe(200);
	expect(Object.keys(anon.body).sort()).toEqual(['paid', 'preimage']);

	// Paying twice fails with 520.
	const again = await pay(lnbits.walletB.adminKey, invoice.bolt11);
	expect(again.status).toBe(520);
	expect(again.body).toEqual({ detail: 'Internal invoice already paid.', status: 'failed' });
});

test('error statuses', async () => {
	expect((await call('GET', '/api/v1/wallet')).status).toBe(401);
	expect((await call('GET', '/api/v1/wallet', '0'.repeat(32))).status).toBe(404);
	const invoice = await createInvoice(lnbits.walletA.invoiceKey, { amount: 1, memo: 'err' });
	expect((await pay(lnbits.walletB.invoiceKey, invoice.bolt11)).status).toBe(403);
	const tooBig = await createInvoice(lnbits.walletA.invoiceKey, { amount: 5_000_000 });
	const broke = await pay(lnbits.walletB.adminKey, tooBig.bolt11);
	expect(broke.status).toBe(520);
	expect(broke.body).toEqual({ detail: 'Insufficient balance.', status: 'failed' });
	const invalid = await call('POST', '/api/v1/payments', lnbits.walletA.invoiceKey, { out: false, amount: 'abc' });
	expect(invalid.status).toBe(400);
	expect(Array.isArray(invalid.body.detail)).toBe(true);
	const unknown = await call('GET', `/api/v1/payments/${'0'.repeat(64)}`, lnbits.walletA.invoiceKey);
	expect(unknown.status).toBe(404);
});

test('wallet WebSocket receives the payment when an invoice is paid', async () => {
	const ws = new WebSocket(`${lnbits.url.replace(/^http/, 'ws')}/api/v1/ws/${lnbits.walletA.invoiceKey}`);
	const frames: any[] = [];
	ws.addEventListener('message', (ev) => frames.push(JSON.parse(String(ev.data))));
	await new Promise<void>((resolve, reject) => {
		ws.addEventListener('open', () => resolve(), { once: true });
		ws.addEventListener('error', () => reject(new Error('WebSocket error')), { once: true });
	});
	try {
		const aBefore = await balanceMsat(lnbits.walletA.invoiceKey);
		const invoice = await createInvoice(lnbits.walletA.invoiceKey, { amount: 21, memo: 'ws' });
		expect((await pay(lnbits.walletB.adminKey, invoice.bolt11)).status).toBe(201);

		const deadline = Date.now() + 10_000;
		while (!frames.some((f) => f.payment?.payment_hash === invoice.payment_hash) && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 50));
		}
		const frame = frames.find((f) => f.payment?.payment_hash === invoice.payment_hash);
		expect(frame).toBeDefined();
		// wallet_balance is in sats, payment.amount in msat.
		expect(frame.wallet_balance).toBe((aBefore + 21_000) / 1000);
		expect(frame.payment).toMatchObject({ amount: 21_000, status: 'success', memo: 'ws', wallet_id: lnbits.walletA.id });
	} finally {
		ws.close();
	}
});

test('invoice webhook reaches a server on 127.0.0.1 with the payment JSON encoded twice', async () => {
	const received: { body: string; headers: http.IncomingHttpHeaders }[] = [];
	const hook = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			received.push({ body, headers: req.headers });
			res.end('ok');
		});
	});
	await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
	try {
		const port = (hook.address() as AddressInfo).port;
		const invoice = await createInvoice(lnbits.walletA.invoiceKey, {
			amount: 5,
			memo: 'hook',
			webhook: `http://127.0.0.1:${port}/hook`,
		});
		expect((await pay(lnbits.walletB.adminKey, invoice.bolt11)).status).toBe(201);
		const deadline = Date.now() + 10_000;
		while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
		// LNbits 1.6.2 sometimes calls an invoice's webhook twice for one internal payment (observed here and
		// in real n8n; see test/lnbits/trigger-webhook.test.ts): one or two calls, each the same payment.
		await new Promise((r) => setTimeout(r, 300));
		expect(received.length).toBeGreaterThanOrEqual(1);
		expect(received.length).toBeLessThanOrEqual(2);
		for (const call of received) {
			const outer = JSON.parse(call.body);
			expect(typeof outer).toBe('string');
			expect(JSON.parse(outer)).toMatchObject({ payment_hash: invoice.payment_hash, amount: 5000, status: 'success' });
		}

		const after = await call('GET', `/api/v1/payments/${invoice.payment_hash}`, lnbits.walletA.invoiceKey);
		expect(after.body.details.webhook_status).toBe('200');
	} finally {
		hook.close();
	}
});

test('fiat amounts use the local rate server', async () => {
	const rate = await call('GET', '/api/v1/rate/USD', lnbits.walletA.invoiceKey);
	expect(rate).toEqual({ status: 200, body: { rate: 1000, price: 100_000 } });
	const invoice = await createInvoice(lnbits.walletA.invoiceKey, { amount: 1, unit: 'USD', memo: 'usd' });
	expect(invoice.amount).toBe(1_000_000); // 1 USD = 1000 sat at 100 000 USD/BTC
});

test('restart keeps wallets and balances on the same data folder and port', async () => {
	const a = await balanceMsat(lnbits.walletA.invoiceKey);
	const b = await balanceMsat(lnbits.walletB.invoiceKey);
	const url = lnbits.url;
	const oldToken = lnbits.superToken;

	const t0 = Date.now();
	await lnbits.restart();
	// eslint-disable-next-line no-console
	console.log(`restart took ${Date.now() - t0} ms (process answered after ${lnbits.startupMs} ms)`);

	expect(lnbits.url).toBe(url);
	expect(await balanceMsat(lnbits.walletA.adminKey)).toBe(a);
	expect(await balanceMsat(lnbits.walletB.adminKey)).toBe(b);

	// The old token still works (the JWT secret lives in the data folder); so does the new one.
	for (const token of [oldToken, lnbits.superToken]) {
		const r = await fetch(`${url}/users/api/v1/balance`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ id: lnbits.walletA.id, amount: 1 }),
		});
		expect(r.status).toBe(200);
		expect(await r.json()).toEqual({ success: true, message: 'Balance updated.' });
	}
	expect(await balanceMsat(lnbits.walletA.invoiceKey)).toBe(a + 2000);

	// Payments still settle after the restart.
	const invoice = await createInvoice(lnbits.walletA.invoiceKey, { amount: 10 });
	expect((await pay(lnbits.walletB.adminKey, invoice.bolt11)).status).toBe(201);
});

test('stop() ends the server', async () => {
	await lnbits.stop();
	await expect(fetch(`${lnbits.url}/api/v1/health`)).rejects.toThrow();
	await lnbits.stop(); // twice is harmless
});
