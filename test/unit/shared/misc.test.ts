import { mapLimit } from '../../../nodes/shared/concurrency';
import { BoundedMap, BoundedSet } from '../../../nodes/shared/dedupe';
import { normalizeServerUrl } from '../../../nodes/shared/url';
import { redact } from '../../../nodes/shared/errors';

describe('mapLimit', () => {
	it('keeps order, caps concurrency and captures failures per item', async () => {
		let inFlight = 0;
		let max = 0;
		const results = await mapLimit([5, 1, 4, 2, 3, 0], 3, async (n, i) => {
			inFlight++;
			max = Math.max(max, inFlight);
			await new Promise((r) => setTimeout(r, n));
			inFlight--;
			if (i === 2) throw new Error('boom');
			return n * 10;
		});
		expect(max).toBe(3);
		expect(results.map((r) => (r.ok ? r.value : 'err'))).toEqual([50, 10, 'err', 20, 30, 0]);
	});
});

describe('BoundedSet', () => {
	it('forgets the oldest keys beyond capacity', () => {
		const set = new BoundedSet(2, ['a']);
		expect(set.add('a')).toBe(false);
		expect(set.add('b')).toBe(true);
		expect(set.add('c')).toBe(true);
		expect(set.has('a')).toBe(false);
		expect(set.toArray()).toEqual(['b', 'c']);
		expect(() => new BoundedSet(0)).toThrow(RangeError);
	});
});

describe('BoundedMap', () => {
	it('forgets the oldest entries beyond capacity; an update keeps its place', () => {
		const map = new BoundedMap<number>(2);
		map.set('a', 1);
		map.set('b', 2);
		map.set('a', 3);
		expect(map.size).toBe(2);
		map.set('c', 4);
		expect(map.get('a')).toBeUndefined();
		expect([map.get('b'), map.get('c')]).toEqual([2, 4]);
		let made = 0;
		expect(map.getOrAdd('c', () => ++made)).toBe(4);
		expect(map.getOrAdd('d', () => ++made)).toBe(1);
		expect(made).toBe(1);
		expect(map.get('b')).toBeUndefined();
		expect(() => new BoundedMap(0)).toThrow(RangeError);
	});
});

describe('normalizeServerUrl', () => {
	it.each([
		['btcpay.example.com', 'https://btcpay.example.com', false],
		['https://btcpay.example.com///', 'https://btcpay.example.com', false],
		['https://host/btcpay/api/v1/', 'https://host/btcpay', false],
		['http://127.0.0.1:14142', 'http://127.0.0.1:14142', true],
	])('%s → %s', (input, baseUrl, insecure) => {
		expect(normalizeServerUrl(input)).toEqual({ baseUrl, insecure });
	});

	it('rejects empty and non-http URLs', () => {
		expect(() => normalizeServerUrl('')).toThrow(/required/);
		expect(() => normalizeServerUrl('ftp://x')).toThrow(/https/);
	});
});

describe('redact', () => {
	it('removes every secret occurrence but ignores very short values', () => {
		expect(redact('key=abcdefgh and abcdefgh', ['abcdefgh', 'ab'])).toBe('key=*** and ***');
	});
});
