import { backoffDelay } from '../../../nodes/Lnbits/trigger/backoff';
import { claimMatches, parseFrame, parseWebhookBody } from '../../../nodes/Lnbits/trigger/frames';
import { listSettledSince, websocketUrl } from '../../../nodes/Lnbits/trigger/lnbits';
import { loadState, saveState, walletFingerprint } from '../../../nodes/Lnbits/trigger/state';
import { passesFilter } from '../../../nodes/Lnbits/trigger/filter';
import type { TriggerPayment } from '../../../nodes/Lnbits/trigger/types';
import { frameFor, makePayment, rawPayment } from './fixtures';

describe('websocketUrl', () => {
	test.each([
		['http://127.0.0.1:5000', 'ws://127.0.0.1:5000/api/v1/ws/k1'],
		['https://lnbits.example.com', 'wss://lnbits.example.com/api/v1/ws/k1'],
		['https://example.com/lnbits', 'wss://example.com/lnbits/api/v1/ws/k1'],
	])('%s → %s', (base, ws) => expect(websocketUrl(base, 'k1')).toBe(ws));
});

describe('backoffDelay', () => {
	test('doubles from the initial delay, stays within [step/2, step] and never exceeds the maximum', () => {
		const opts = { initialMs: 1000, maxMs: 30_000 };
		expect([0, 1, 2, 3, 4, 5, 6, 20].map((a) => backoffDelay(a, () => 0.999999, opts))).toEqual([
			1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
		]);
		expect([0, 1, 2, 5, 50].map((a) => backoffDelay(a, () => 0, opts))).toEqual([500, 1000, 2000, 15_000, 15_000]);
	});

	test('jitter spreads delays', () => {
		const values = new Set([0.1, 0.4, 0.7].map((r) => backoffDelay(3, () => r)));
		expect(values.size).toBe(3);
	});
});

describe('parseFrame / parseWebhookBody / claimMatches', () => {
	const p = makePayment({ amountMsat: 5000 });

	test('reads the hash and claims of a real frame (text, bytes)', () => {
		const claim = parseFrame(frameFor(p));
		expect(claim).toEqual({ paymentHash: p.paymentHash, amountMsat: 5000, walletId: p.walletId, status: 'success' });
		expect(parseFrame(Buffer.from(frameFor(p)))).toEqual(claim);
		expect(claimMatches(claim!, p)).toBe(true);
	});

	test('rejects what is not a payment frame', () => {
		for (const bad of ['hello', '', '[]', '{"payment": null}', '{"payment": {"payment_hash": "xyz"}}', '{"pending": false, "status": "success"}', 42]) {
			expect(parseFrame(bad)).toBeNull();
		}
	});

	test('claims that differ from the record do not match', () => {
		const claim = parseFrame(frameFor(p))!;
		const other: TriggerPayment = { ...p, amountMsat: 5001 };
		expect(claimMatches(claim, other)).toBe(false);
		expect(claimMatches(claim, { ...p, direction: 'outgoing' })).toBe(false);
		expect(claimMatches(claim, { ...p, walletId: 'b'.repeat(32) })).toBe(false);
		expect(claimMatches(claim, { ...p, status: 'pending' })).toBe(false);
		expect(claimMatches({ paymentHash: p.paymentHash }, p)).toBe(true);
	});

	test('webhook body: twice-encoded JSON as bytes, once-decoded string, or an object', () => {
		const once = JSON.stringify(rawPayment(p));
		const twice = JSON.stringify(once);
		for (const body of [Buffer.from(twice), twice, once, JSON.parse(once)]) {
			expect(parseWebhookBody(body)?.paymentHash).toBe(p.paymentHash);
		}
		expect(parseWebhookBody('{')).toBeNull();
		expect(parseWebhookBody(undefined)).toBeNull();
	});
});

describe('filter', () => {
	test('minimum amount is compared exactly in msat', () => {
		const f = { direction: 'both' as const, minAmountSats: 10, memoContains: '' };
		expect(passesFilter(makePayment({ amountMsat: 9_999 }), f)).toBe(false);
		expect(passesFilter(makePayment({ amountMsat: 10_000 }), f)).toBe(true);
	});
	test('memo filter ignores case and treats a missing memo as empty', () => {
		const f = { direction: 'both' as const, minAmountSats: 0, memoContains: 'Tip' };
		expect(passesFilter(makePayment({ memo: 'a TIP for you' }), f)).toBe(true);
		expect(passesFilter(makePayment({ memo: null }), f)).toBe(false);
	});
});

describe('state', () => {
	test('round-trips through static data and is ignored for another wallet', () => {
		const store: Record<string, unknown> = {};
		const w = walletFingerprint('https://x', 'key1');
		expect(w).not.toContain('key1');
		saveState(store, { v: 1, wallet: w, aliveAt: 123, seen: ['a', 'b'] });
		expect(loadState(store, w)).toEqual({ v: 1, wallet: w, aliveAt: 123, seen: ['a', 'b'] });
		expect(loadState(store, walletFingerprint('https://x', 'key2'))).toBeUndefined();
		expect(loadState({ lnbitsStream: { v: 99 } }, w)).toBeUndefined();
	});
});

describe('listSettledSince', () => {
	test('pages until the last page, asking for settled payments since the cursor', async () => {
		const all = Array.from({ length: 7 }, (_, i) => makePayment({ timestamp: 1000 + i }));
		const calls: unknown[] = [];
		const client = {
			listPaymentsPage: async (q: { limit?: number; offset?: number; since?: number; status?: string }) => {
				calls.push(q);
				const offset = q.offset ?? 0;
				return { data: all.slice(offset, offset + (q.limit ?? 50)), total: all.length };
			},
		};
		const out = await listSettledSince(client as never, 999.7, 3);
		expect(out.map((p) => p.paymentHash)).toEqual(all.map((p) => p.paymentHash));
		expect(calls).toEqual([
			{ status: 'success', since: 999, limit: 3, offset: 0 },
			{ status: 'success', since: 999, limit: 3, offset: 3 },
			{ status: 'success', since: 999, limit: 3, offset: 6 },
		]);
	});

	test('stops at the page limit and skips payments repeated across pages', async () => {
		const a = makePayment();
		const client = { listPaymentsPage: async () => ({ data: [a, a], total: 1000 }) };
		const out = await listSettledSince(client as never, 0, 2, 4);
		expect(out).toHaveLength(1);
	});
});
