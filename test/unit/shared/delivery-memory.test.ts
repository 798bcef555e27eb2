import {
	DeliveryMemory,
	MAX_SCOPES,
	deliveryMemoryFor,
	deliveryScope,
	needsPersisting,
	persistedKeys,
} from '../../../nodes/shared/delivery-memory';

describe('DeliveryMemory', () => {
	it('lets only the first of two claims for a key through, until it is released', () => {
		const m = new DeliveryMemory(10);
		expect(m.claim('d1')).toBe(true);
		expect(m.claim('d1')).toBe(false);
		m.release('d1');
		expect(m.has('d1')).toBe(false);
		expect(m.claim('d1')).toBe(true);
	});

	it('remembers a settled key for good, bounded, oldest forgotten first', () => {
		const m = new DeliveryMemory(2);
		for (const k of ['a', 'b', 'c']) {
			m.claim(k);
			m.settle(k);
		}
		expect(m.persistable()).toEqual(['b', 'c']);
		expect(m.claim('c')).toBe(false);
		m.release('c'); // releasing someone else's settled key changes nothing
		expect(m.claim('c')).toBe(false);
		expect(m.claim('a')).toBe(true);
	});

	it('persists only settled keys, and only when the stored copy differs', () => {
		const m = new DeliveryMemory(5, ['x']);
		m.claim('pending');
		expect(m.persistable()).toEqual(['x']);
		expect(needsPersisting(['x'], m)).toBe(false);
		expect(needsPersisting(undefined, m)).toBe(true);
		expect(needsPersisting(undefined, new DeliveryMemory(5))).toBe(false);
		expect(needsPersisting(['y'], m)).toBe(true);
		expect(persistedKeys([1, 'ok', null])).toEqual(['ok']);
		expect(persistedKeys('oops')).toEqual([]);
	});

	it('keeps the newest keys when resized', () => {
		const m = new DeliveryMemory(5, ['a', 'b', 'c', 'd']);
		m.resize(2);
		expect(m.persistable()).toEqual(['c', 'd']);
		expect(m.capacity).toBe(2);
	});
});

describe('deliveryMemoryFor', () => {
	it('gives every call of one scope the same memory, loading persisted keys only once', () => {
		const scope = deliveryScope('test', 'wf-shared', 'node-1', 'store');
		let loads = 0;
		const load = () => {
			loads++;
			return ['old'];
		};
		const a = deliveryMemoryFor(scope, 10, load);
		const b = deliveryMemoryFor(scope, 10, () => []);
		expect(b).toBe(a);
		expect(loads).toBe(1);
		expect(b.has('old')).toBe(true);
		// two concurrent calls: the check and the claim happen with no await in between
		expect([a.claim('k'), b.claim('k')]).toEqual([true, false]);
	});

	it('keeps scopes apart and names them unambiguously', () => {
		expect(deliveryScope('a', 'b:c')).not.toBe(deliveryScope('a:b', 'c'));
		expect(deliveryScope('x', undefined)).toBe(deliveryScope('x', ''));
		const one = deliveryMemoryFor(deliveryScope('test', 'wf-1', 'n'), 10, () => []);
		const two = deliveryMemoryFor(deliveryScope('test', 'wf-2', 'n'), 10, () => []);
		one.claim('k');
		expect(two.claim('k')).toBe(true);
	});

	it('remembers at most MAX_SCOPES scopes, dropping the least recently used', () => {
		const first = deliveryMemoryFor(deliveryScope('bound', 'first'), 10, () => []);
		const busy = deliveryMemoryFor(deliveryScope('bound', 'busy'), 10, () => []);
		for (let i = 0; i < MAX_SCOPES - 1; i++) {
			deliveryMemoryFor(deliveryScope('bound', String(i)), 10, () => []);
			if (i % 100 === 0) deliveryMemoryFor(deliveryScope('bound', 'busy'), 10, () => []);
		}
		expect(deliveryMemoryFor(deliveryScope('bound', 'busy'), 10, () => [])).toBe(busy);
		expect(deliveryMemoryFor(deliveryScope('bound', 'first'), 10, () => [])).not.toBe(first);
	});
});

describe('DeliveryMemory.whenSettled', () => {
	it('wakes a waiter when the holder settles or releases, and times out otherwise', async () => {
		const m = new DeliveryMemory(10);
		expect(m.claim('a')).toBe(true);
		const woke = m.whenSettled('a', 5_000).then(() => 'woke');
		m.release('a');
		await expect(woke).resolves.toBe('woke');
		expect(m.claim('a')).toBe(true);
		const settled = m.whenSettled('a', 5_000);
		m.settle('a');
		await settled;
		expect(m.isDone('a')).toBe(true);

		expect(m.claim('b')).toBe(true);
		const started = Date.now();
		await m.whenSettled('b', 50);
		expect(Date.now() - started).toBeGreaterThanOrEqual(40);
		expect(m.has('b')).toBe(true);
		await expect(m.whenSettled('nobody-holds-this', 5_000)).resolves.toBeUndefined();
	});
});
