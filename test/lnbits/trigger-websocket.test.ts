/**
 * The LNbits Trigger node against a real LNbits 1.6.2 (FakeWallet): a payment
 * from wallet B to wallet A is emitted exactly once (LNbits sends its frame
 * twice), forged frames pushed through LNbits' own unauthenticated
 * POST /api/v1/ws/<key> are not emitted, and payments settled around an
 * LNbits restart are each emitted exactly once after the reconnect.
 */
import type { IDataObject, ITriggerResponse } from 'n8n-workflow';
import { LnbitsTrigger } from '../../nodes/Lnbits/LnbitsTrigger.node';
import { startLnbits, type LnbitsServer, type LnbitsWallet } from '../lnbits-server/server';
import { triggerHarness, type TriggerHarness } from '../helpers/n8n-trigger';
import { lnbitsCall, payBetween } from '../helpers/lnbits-api';

jest.setTimeout(180_000);

let lnbits: LnbitsServer;
const running: ITriggerResponse[] = [];

beforeAll(async () => {
	lnbits = await startLnbits();
}, 600_000);

afterEach(async () => {
	while (running.length) await running.pop()!.closeFunction?.();
});

afterAll(async () => {
	await lnbits?.stop();
});

function api(method: string, path: string, key: string, body?: unknown): Promise<any> {
	return lnbitsCall(lnbits.url, method, path, key, body);
}

function pay(from: LnbitsWallet, to: LnbitsWallet, sats: number, memo: string): Promise<string> {
	return payBetween(lnbits.url, from, to, sats, memo);
}

async function until(cond: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!cond()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function activate(wallet: LnbitsWallet, params: IDataObject, staticData?: IDataObject): Promise<TriggerHarness> {
	const h = triggerHarness({
		credentials: { url: lnbits.url, invoiceKey: wallet.invoiceKey, adminKey: '' },
		params: { direction: 'incoming', options: { safetyCheckMinutes: 0 }, ...params },
		staticData,
		nodeType: 'n8n-nodes-btcpay-lnbits.lnbitsTrigger',
	});
	running.push(await new LnbitsTrigger().trigger.call(h.fns));
	await until(() => h.logs.some((l) => /Connected to LNbits/.test(l.message)), 'connection');
	await until(() => h.logs.some((l) => /Catch-up \(connect\)/.test(l.message)), 'first catch-up');
	return h;
}

function hashesOf(h: TriggerHarness): string[] {
	return h.items().map((i) => String(i.paymentHash));
}

function countOf(list: string[], value: string): number {
	return list.filter((v) => v === value).length;
}

test('a payment from wallet B to wallet A is emitted exactly once on each side', async () => {
	const a = await activate(lnbits.walletA, { direction: 'incoming' });
	const b = await activate(lnbits.walletB, { direction: 'outgoing' });
	const before = await api('GET', '/api/v1/wallet', lnbits.walletA.invoiceKey);

	const hash = await pay(lnbits.walletB, lnbits.walletA, 210, 'exactly once');
	await until(() => a.items().length >= 1 && b.items().length >= 1, 'emissions');
	// LNbits sends the payee's frame twice; give the second one time to arrive and be dropped.
	await sleep(1500);

	expect(a.items()).toHaveLength(1);
	expect(a.items()[0]).toMatchObject({
		paymentHash: hash,
		direction: 'incoming',
		amountSats: 210,
		amountMsat: 210_000,
		memo: 'exactly once',
		status: 'success',
		walletBalanceMsat: before.balance + 210_000,
		source: 'websocket',
	});
	expect(String(a.items()[0].preimage)).toMatch(/^[0-9a-f]{64}$/);
	expect(b.items()).toHaveLength(1);
	expect(b.items()[0]).toMatchObject({ paymentHash: hash, direction: 'outgoing', amountMsat: 210_000 });
});

test('forged frames pushed through POST /api/v1/ws/<key> are not emitted', async () => {
	const a = await activate(lnbits.walletA, { direction: 'both' });
	const emittedHash = await pay(lnbits.walletB, lnbits.walletA, 5, 'real one');
	await until(() => a.items().length === 1, 'real emission');

	const unpaid = await api('POST', '/api/v1/payments', lnbits.walletA.invoiceKey, { out: false, amount: 1000, memo: 'never paid' });
	const template = {
		wallet_balance: 1_000_000,
		payment: {
			checking_id: 'x',
			payment_hash: 'ab'.repeat(32),
			wallet_id: lnbits.walletA.id,
			amount: 1_000_000_000,
			fee: 0,
			status: 'success',
			memo: 'forged',
			preimage: '00'.repeat(32),
			time: new Date().toISOString(),
			extra: {},
		},
	};
	const forged = [
		'hello',
		JSON.stringify(template), // unknown hash
		JSON.stringify({ ...template, payment: { ...template.payment, payment_hash: unpaid.payment_hash, amount: 1_000_000 } }), // unpaid invoice
		JSON.stringify({ ...template, payment: { ...template.payment, payment_hash: emittedHash, amount: 5000 } }), // replay of a real one
	];
	for (const data of forged) {
		const res = await fetch(`${lnbits.url}/api/v1/ws/${lnbits.walletA.invoiceKey}?data=${encodeURIComponent(data)}`, {
			method: 'POST',
		});
		expect(res.status).toBe(200);
	}
	// Two frames are dropped after asking LNbits; "hello" at once; the replay as a duplicate.
	await until(() => a.logs.filter((l) => /Dropped a frame/.test(l.message)).length >= 3, 'forged frames dropped');
	await sleep(500);
	expect(hashesOf(a)).toEqual([emittedHash]);
	expect(a.items().some((i) => i.memo === 'forged')).toBe(false);
});

test('payments settled around an LNbits restart are each emitted exactly once after the reconnect', async () => {
	const a = await activate(lnbits.walletA, { direction: 'incoming', options: { safetyCheckMinutes: 0, maxReconnectDelaySeconds: 8 } });
	const first = await pay(lnbits.walletB, lnbits.walletA, 11, 'before restart');
	await until(() => hashesOf(a).includes(first), 'first payment');

	// Keep paying while LNbits stops and starts again: some payments settle just before it goes
	// down (their frames may never be sent), some while the trigger waits to reconnect.
	const settled = [first];
	let paying = true;
	let n = 0;
	const payer = (async () => {
		while (paying) {
			n++;
			try {
				settled.push(await pay(lnbits.walletB, lnbits.walletA, 100 + n, `around restart ${n}`));
			} catch {
				await sleep(100); // LNbits is down
			}
		}
	})();
	await sleep(300);
	await lnbits.restart();
	await sleep(1500);
	paying = false;
	await payer;
	const beforeReconnect = settled.length;
	expect(beforeReconnect).toBeGreaterThan(2);
	await until(() => settled.every((h) => hashesOf(a).includes(h)), 'every settled payment emitted', 90_000);
	// A new payment on the new connection comes through its frame as usual.
	const last = await pay(lnbits.walletB, lnbits.walletA, 16, 'on the new connection');
	settled.push(last);
	await until(() => hashesOf(a).includes(last), 'payment after reconnect');
	await sleep(1500);

	const emitted = hashesOf(a);
	for (const h of settled) expect(countOf(emitted, h)).toBe(1);
	expect(emitted).toHaveLength(settled.length);
	expect(a.logs.filter((l) => /Connected to LNbits/.test(l.message)).length).toBeGreaterThanOrEqual(2);
	const sources = a.items().map((i) => `${i.memo}: ${i.source}`);
	console.log(`restart test: ${settled.length} payments (${beforeReconnect} before the last one), emitted via ${sources.join(', ')}`);
});

test('a workflow reactivated with the same static data emits the payments settled while it was off, once', async () => {
	const a1 = await activate(lnbits.walletA, { direction: 'incoming' });
	const p1 = await pay(lnbits.walletB, lnbits.walletA, 21, 'while active');
	await until(() => hashesOf(a1).includes(p1), 'first');
	await running.pop()!.closeFunction!();

	const off = [await pay(lnbits.walletB, lnbits.walletA, 22, 'while off 1'), await pay(lnbits.walletB, lnbits.walletA, 23, 'while off 2')];
	const a2 = await activate(lnbits.walletA, { direction: 'incoming' }, a1.staticData);
	await until(() => off.every((h) => hashesOf(a2).includes(h)), 'caught up');
	await sleep(1000);
	expect(hashesOf(a2).sort()).toEqual([...off].sort());
	expect(a2.items().every((i) => i.source === 'catch-up')).toBe(true);
});
