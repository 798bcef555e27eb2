import { PaymentStream, type PaymentStreamOptions } from '../../../nodes/Lnbits/trigger/stream';
import type { StreamState } from '../../../nodes/Lnbits/trigger/state';
import type { PaymentEvent } from '../../../nodes/Lnbits/trigger/types';
import { TestWsServer } from '../../helpers/ws-server';
import { FakeWallet, TrackedTimers, frameFor, makePayment, settle, until } from './fixtures';

jest.setTimeout(30_000);

const PATH = '/api/v1/ws/invoicekey123';

let server: TestWsServer;
let wallet: FakeWallet;
let timers: TrackedTimers;
let events: PaymentEvent[];
let streams: PaymentStream[];

beforeEach(async () => {
	server = await TestWsServer.start();
	wallet = new FakeWallet();
	timers = new TrackedTimers();
	events = [];
	streams = [];
});

afterEach(async () => {
	for (const s of streams) await s.stop();
	await server.stop();
});

function makeStream(overrides: Partial<PaymentStreamOptions> = {}): PaymentStream {
	const stream = new PaymentStream({
		url: server.url(PATH),
		confirm: wallet.confirm,
		listSince: wallet.listSince,
		balance: wallet.balance,
		emit: (e) => events.push(e),
		filter: { direction: 'both', minAmountSats: 0, memoContains: '' },
		timers,
		random: () => 0.5,
		backoff: { initialMs: 20, maxMs: 160 },
		safetyCheckMs: 0,
		...overrides,
	});
	streams.push(stream);
	return stream;
}

/** Waits for connection number `connects` and its catch-up (start() runs one catch-up before connecting). */
async function connected(stream: PaymentStream, connects = 1): Promise<void> {
	await until(() => stream.stats.connects >= connects && server.open.length > 0, `connection ${connects}`);
	await until(() => stream.stats.catchUps >= connects + 1, 'catch-up after connect');
}
async function startFresh(overrides: Partial<PaymentStreamOptions> = {}): Promise<PaymentStream> {
	const stream = makeStream(overrides);
	await stream.start();
	await connected(stream);
	return stream;
}

describe('PaymentStream: frames', () => {
	test('connects to the channel URL and emits a confirmed payment once, although LNbits sends the frame twice', async () => {
		const stream = await startFresh();
		expect(server.open[0].path).toBe(PATH);
		const p = wallet.settle({ amountMsat: 21_000, memo: 'order 42' });
		server.send(frameFor(p));
		server.send(frameFor(p));
		await until(() => stream.stats.frames === 2 && events.length === 1, 'emission');
		await settle();
		expect(events).toHaveLength(1);
		expect(events[0].source).toBe('websocket');
		expect(events[0].payment).toMatchObject({ paymentHash: p.paymentHash, amountMsat: 21_000, amountSats: 21, memo: 'order 42' });
		expect(events[0].balance).toEqual({ balanceMsat: 21_000, balanceSats: 21 });
		expect(stream.stats.duplicates).toBe(1);
		expect(wallet.confirmCalls).toEqual([p.paymentHash]);
	});

	test('emits what LNbits confirms, not what the frame says', async () => {
		await startFresh();
		const p = wallet.settle({ amountMsat: 5_000, memo: 'real memo' });
		const frame = JSON.parse(frameFor(p));
		frame.payment.memo = 'forged memo';
		frame.payment.preimage = '0'.repeat(64);
		frame.wallet_balance = 999_999_999;
		server.send(JSON.stringify(frame));
		await until(() => events.length === 1, 'emission');
		expect(events[0].payment.memo).toBe('real memo');
		expect(events[0].payment.preimage).toBe(p.preimage);
		expect(events[0].balance?.balanceSats).toBe(5);
	});

	test('spoofed frames are dropped and counted: not JSON, no hash, unknown hash, unpaid invoice', async () => {
		const stream = await startFresh();
		const unpaid = wallet.add(makePayment({ status: 'pending' }));
		server.send('hello');
		server.send('{"wallet_balance": 1}');
		server.send(JSON.stringify({ payment: { payment_hash: 'not-a-hash', amount: 1000 } }));
		server.send(frameFor(makePayment())); // hash LNbits does not know
		server.send(frameFor({ ...unpaid, status: 'success' }));
		server.sendBinary(Buffer.from([0xff, 0x00, 0x01]));
		await until(() => stream.stats.frames === 6, 'six frames');
		await until(() => stream.stats.droppedInvalid + stream.stats.droppedUnconfirmed === 6, 'all dropped');
		expect(stream.stats.droppedInvalid).toBe(4);
		expect(stream.stats.droppedUnconfirmed).toBe(2);
		expect(events).toHaveLength(0);
		// A real payment afterwards still comes through.
		const p = wallet.settle();
		server.send(frameFor(p));
		await until(() => events.length === 1, 'real payment');
		expect(events[0].payment.paymentHash).toBe(p.paymentHash);
	});

	test('a frame whose amount differs from the record is dropped; the real payment is then emitted once from the API', async () => {
		const stream = await startFresh();
		const p = wallet.settle({ amountMsat: 1_000 });
		const forged = JSON.parse(frameFor(p));
		forged.payment.amount = 1_000_000_000;
		server.send(JSON.stringify(forged));
		await until(() => stream.stats.droppedMismatch === 1, 'mismatch counted');
		await until(() => events.length === 1, 'emission from catch-up');
		expect(events[0]).toMatchObject({ source: 'catch-up', payment: { amountMsat: 1_000 } });
		server.send(frameFor(p));
		await until(() => stream.stats.frames === 2, 'second frame');
		await settle();
		expect(events).toHaveLength(1);
	});

	test('frames claiming the wrong direction or another wallet are mismatches', async () => {
		const stream = await startFresh();
		const p = wallet.settle({ amountMsat: 3_000 });
		const wrongSign = JSON.parse(frameFor(p));
		wrongSign.payment.amount = -3_000;
		const otherWallet = JSON.parse(frameFor(p));
		otherWallet.payment.wallet_id = 'b'.repeat(32);
		server.send(JSON.stringify(wrongSign));
		await until(() => stream.stats.droppedMismatch === 1, 'first mismatch');
		await until(() => events.length === 1, 'catch-up emission');
		// Now known: a replay with another wallet id is a duplicate, not a second emission.
		server.send(JSON.stringify(otherWallet));
		await until(() => stream.stats.frames === 2, 'second frame');
		await settle();
		expect(events).toHaveLength(1);
	});

	test('outgoing payments (negative msat in the frame) are emitted with direction outgoing', async () => {
		await startFresh();
		const p = wallet.settle({ direction: 'outgoing', amountMsat: 7_000, checkingId: 'internal_x' });
		const frame = JSON.parse(frameFor(p));
		expect(frame.payment.amount).toBe(-7_000);
		server.send(frameFor(p));
		await until(() => events.length === 1, 'emission');
		expect(events[0].payment).toMatchObject({ direction: 'outgoing', amountMsat: 7_000 });
	});

	test('direction, minimum amount and memo options filter confirmed payments (counted, not emitted)', async () => {
		const stream = await startFresh({ filter: { direction: 'incoming', minAmountSats: 10, memoContains: 'Shop' } });
		const out = wallet.settle({ direction: 'outgoing', amountMsat: 50_000, memo: 'shop' });
		const small = wallet.settle({ amountMsat: 9_999, memo: 'shop' });
		const otherMemo = wallet.settle({ amountMsat: 50_000, memo: 'tips' });
		const ok = wallet.settle({ amountMsat: 10_000, memo: 'My SHOP order' });
		for (const p of [out, small, otherMemo, ok]) server.send(frameFor(p));
		await until(() => stream.stats.filtered === 3 && events.length === 1, 'filtering');
		expect(events[0].payment.paymentHash).toBe(ok.paymentHash);
		// Filtered payments are remembered too: a catch-up does not emit them.
		server.closeAll();
		await connected(stream, 2);
		expect(events).toHaveLength(1);
	});

	test('a replayed frame of a payment older than the catch-up window is dropped as stale', async () => {
		const old = wallet.settle({ timestamp: Math.floor(Date.now() / 1000) - 10 * 86_400 });
		const stream = await startFresh({ lookbackSeconds: 86_400 });
		server.send(frameFor(old));
		await until(() => stream.stats.droppedStale === 1, 'stale');
		expect(events).toHaveLength(0);
	});

	test('a flood of frames is not confirmed one by one beyond the limit; a real payment in it is still emitted once', async () => {
		const stream = await startFresh({ maxConcurrentConfirmations: 2 });
		wallet.confirmDelayMs = 100;
		const real = wallet.settle({ memo: 'real' });
		for (let i = 0; i < 6; i++) server.send(frameFor(makePayment()));
		server.send(frameFor(real));
		await until(() => stream.stats.frames === 7, 'frames');
		expect(stream.stats.droppedOverload).toBe(5);
		expect(wallet.confirmCalls.length).toBe(2);
		await until(() => events.length === 1, 'real payment via catch-up');
		expect(events[0].payment.paymentHash).toBe(real.paymentHash);
		await until(() => stream.stats.droppedUnconfirmed === 2, 'confirmations done');
		expect(events).toHaveLength(1);
	});

	test('a frame that arrives while LNbits still shows the payment pending is looked at again', async () => {
		const stream = await startFresh();
		const p = wallet.add(makePayment({ status: 'pending' }));
		server.send(frameFor({ ...p, status: 'success' }));
		await until(() => stream.stats.droppedUnconfirmed === 1, 'dropped while pending');
		p.status = 'success';
		await until(() => events.length === 1, 'emitted once settled');
		expect(events[0]).toMatchObject({ source: 'catch-up', payment: { paymentHash: p.paymentHash } });
	});

	test('a confirmation that fails for a network reason is retried through a catch-up', async () => {
		const stream = await startFresh();
		wallet.failConfirm = 1;
		const p = wallet.settle();
		server.send(frameFor(p));
		await until(() => events.length === 1, 'emission after retry');
		expect(stream.stats.confirmErrors).toBe(1);
		expect(events[0].source).toBe('catch-up');
	});
});

describe('PaymentStream: catch-up and persistence', () => {
	test('first start records existing payments and emits none of them', async () => {
		wallet.settle();
		wallet.settle();
		const stream = await startFresh();
		await settle();
		expect(events).toHaveLength(0);
		expect(stream.stats.catchUps).toBe(2); // baseline + after connect
	});

	test('payments settled while the connection was down are emitted once after reconnect', async () => {
		const stream = await startFresh();
		await server.stop();
		await until(() => stream.stats.disconnects === 1, 'disconnect');
		const missed = [wallet.settle({ memo: 'm1' }), wallet.settle({ memo: 'm2' }), wallet.settle({ memo: 'm3' })];
		await server.restart();
		await connected(stream, 2);
		await until(() => events.length === 3, 'caught up');
		expect(events.map((e) => e.source)).toEqual(['catch-up', 'catch-up', 'catch-up']);
		expect(new Set(events.map((e) => e.payment.paymentHash))).toEqual(new Set(missed.map((p) => p.paymentHash)));
		expect(events[0].balance).not.toBeNull();
		// LNbits may still deliver their frames late: no second emission.
		for (const p of missed) server.send(frameFor(p));
		await until(() => stream.stats.duplicates === 3, 'duplicates');
		expect(events).toHaveLength(3);
		expect(stream.stats.caughtUp).toBe(3);
	});

	test('the catch-up lists from the last alive moment minus the lookback window', async () => {
		const stream = await startFresh({ lookbackSeconds: 3600 });
		const first = wallet.listCalls[0];
		server.closeAll();
		await connected(stream, 2);
		const last = wallet.listCalls[wallet.listCalls.length - 1];
		expect(last).toBeGreaterThanOrEqual(first);
		expect(Math.floor(Date.now() / 1000) - 3600 - last).toBeLessThanOrEqual(5);
	});

	test('state saved by one run lets the next run emit only what is new (workflow restart)', async () => {
		let saved: StreamState | undefined;
		const s1 = await startFresh({ save: (s) => (saved = s), wallet: 'w1' });
		const p1 = wallet.settle();
		server.send(frameFor(p1));
		await until(() => events.length === 1, 'first run emission');
		await s1.stop();
		expect(saved?.seen).toContain(p1.paymentHash);
		expect(saved?.wallet).toBe('w1');

		const p2 = wallet.settle({ memo: 'while stopped' });
		events = [];
		const s2 = makeStream({ state: saved, save: (s) => (saved = s) });
		await s2.start();
		await connected(s2, 1);
		await until(() => events.length === 1, 'second run catch-up');
		expect(events[0].payment.paymentHash).toBe(p2.paymentHash);
		await settle();
		expect(events).toHaveLength(1);
	});

	test('dedupe memory is bounded', async () => {
		let saved: StreamState | undefined;
		const stream = await startFresh({ seenCapacity: 3, save: (s) => (saved = s) });
		for (let i = 0; i < 5; i++) {
			const p = wallet.settle();
			server.send(frameFor(p));
			await until(() => events.length === i + 1, `emission ${i}`);
		}
		expect(saved?.seen).toHaveLength(3);
		expect(saved?.seen).toEqual(events.slice(2).map((e) => e.payment.paymentHash));
		expect(stream.stats.emitted).toBe(5);
	});

	test('a failing catch-up is retried until it succeeds', async () => {
		const stream = await startFresh();
		const p = wallet.settle();
		wallet.failList = 2;
		server.closeAll();
		await until(() => events.length === 1, 'emitted after retries');
		expect(events[0].payment.paymentHash).toBe(p.paymentHash);
		expect(stream.stats.connects).toBe(2);
	});
});

describe('PaymentStream: reconnect and backoff', () => {
	test('reconnects after the server drops the TCP connection without a close frame', async () => {
		const stream = await startFresh();
		server.dropAll();
		await connected(stream, 2);
		const p = wallet.settle();
		server.send(frameFor(p));
		await until(() => events.length === 1, 'emission on new connection');
		expect(server.attempts).toHaveLength(2);
	});

	test('refused upgrades back off exponentially, bounded, then connect', async () => {
		const stream = await startFresh();
		timers.delays.length = 0;
		server.refuseNext = 5;
		server.closeAll();
		await connected(stream, 2);
		expect(server.attempts).toHaveLength(1 + 6);
		// random() = 0.5 → 3/4 of each step; steps 20, 40, 80, 160, 160, 160 (bounded by maxMs)
		const reconnectDelays = timers.delays.filter((d) => d !== 15_000);
		expect(reconnectDelays.slice(0, 6)).toEqual([15, 30, 60, 120, 120, 120]);
	});

	test('a connection that stays up resets the backoff', async () => {
		const stream = await startFresh({ stableAfterMs: 0 });
		server.refuseNext = 2;
		server.closeAll();
		await connected(stream, 2);
		timers.delays.length = 0;
		server.closeAll();
		await connected(stream, 3);
		expect(timers.delays.filter((d) => d !== 15_000)[0]).toBe(15);
	});

	test('a handshake that never completes times out and is retried', async () => {
		const stream = makeStream({ openTimeoutMs: 100 });
		server.hangNext = 1;
		await stream.start();
		await connected(stream);
		expect(server.attempts.length).toBe(2);
	});

	test('start rejects when LNbits refuses the key, and leaves nothing running', async () => {
		wallet.unauthorized = true;
		const stream = makeStream();
		await expect(stream.start()).rejects.toMatchObject({ kind: 'auth' });
		expect(stream.pendingTimers).toBe(0);
		expect(timers.live.size).toBe(0);
		expect(server.attempts).toHaveLength(0);
	});

	test('LNbits down at start: keeps retrying in the background, records existing payments once it is reachable', async () => {
		wallet.settle();
		wallet.failList = 1;
		await server.stop();
		const stream = makeStream();
		await stream.start();
		await settle(100);
		await server.restart();
		await until(() => stream.stats.connects === 1 && stream.stats.catchUps >= 1, 'connected');
		await settle();
		expect(events).toHaveLength(0);
		const p = wallet.settle();
		server.send(frameFor(p));
		await until(() => events.length === 1, 'new payment');
	});
});

describe('PaymentStream: shutdown', () => {
	test('stop closes the socket and leaves no timers', async () => {
		const stream = await startFresh({ safetyCheckMs: 60_000 });
		expect(timers.live.size).toBe(1); // the periodic check
		await stream.stop();
		await server.waitFor(() => server.open.length === 0, 5000, 'socket closed');
		expect(stream.pendingTimers).toBe(0);
		expect(timers.live.size).toBe(0);
		expect(stream.connected).toBe(false);
		// Nothing reconnects afterwards.
		await settle(200);
		expect(server.attempts).toHaveLength(1);
	});

	test('stop while waiting to reconnect cancels the retry', async () => {
		const stream = await startFresh({ backoff: { initialMs: 5_000, maxMs: 5_000 } });
		await server.stop();
		await until(() => stream.pendingTimers === 1, 'reconnect scheduled');
		await stream.stop();
		expect(timers.live.size).toBe(0);
	});

	test('a confirmation still running at stop does not emit afterwards', async () => {
		const stream = await startFresh();
		let release!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		const p = wallet.settle();
		const confirm = wallet.confirm;
		wallet.confirm = async (hash) => {
			await gate;
			return confirm(hash);
		};
		(stream as unknown as { opts: PaymentStreamOptions }).opts.confirm = wallet.confirm;
		server.send(frameFor(p));
		await until(() => stream.stats.frames === 1, 'frame');
		const stopping = stream.stop();
		release();
		await stopping;
		expect(events).toHaveLength(0);
		expect(timers.live.size).toBe(0);
	});

	test('manual runs stop emitting after the first payment', async () => {
		const stream = await startFresh({ maxEmits: 1 });
		const a = wallet.settle();
		const b = wallet.settle();
		server.send(frameFor(a));
		server.send(frameFor(b));
		await until(() => stream.stats.frames === 2 && wallet.confirmCalls.length === 2, 'frames');
		await settle();
		expect(events).toHaveLength(1);
		expect(events[0].payment.paymentHash).toBe(a.paymentHash);
	});
});
