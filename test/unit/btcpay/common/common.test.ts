import type { IExecuteFunctions } from 'n8n-workflow';
import { collectPages, getLimit, getStoreId, parseJsonParameter, parseList, optionalNumber } from '../../../../nodes/BtcPay/actions/common';
import { InputError } from '../../../../nodes/shared/errors';

const STORE = '9CiNzKoANXxmk5ayZngSXrHTiVvvgCrwrpFQd4m2K776';
const ctx = (params: Record<string, unknown>) =>
	({ getNodeParameter: (name: string, _i: number, fallback?: unknown) => (name in params ? params[name] : fallback) }) as unknown as IExecuteFunctions;

describe('collectPages', () => {
	const source = Array.from({ length: 23 }, (_, i) => i);
	const calls: Array<[number, number]> = [];
	const fetchPage = async (skip: number, take: number) => {
		calls.push([skip, take]);
		return source.slice(skip, skip + take);
	};
	beforeEach(() => (calls.length = 0));

	it('fetches every page until a short one', async () => {
		expect(await collectPages(fetchPage, { pageSize: 10 })).toEqual(source);
		expect(calls).toEqual([
			[0, 10],
			[10, 10],
			[20, 10],
		]);
	});

	it('stops at the limit and asks for no more than needed', async () => {
		expect(await collectPages(fetchPage, { pageSize: 10, limit: 15 })).toEqual(source.slice(0, 15));
		expect(calls).toEqual([
			[0, 10],
			[10, 5],
		]);
	});

	it('makes one more request when the last page is exactly full', async () => {
		expect(await collectPages(async (skip, take) => source.slice(0, 20).slice(skip, skip + take), { pageSize: 10 })).toHaveLength(20);
	});

	it('ignores servers that return more than asked', async () => {
		expect(await collectPages(async () => source, { pageSize: 5, limit: 3 })).toEqual([0, 1, 2]);
	});
});

describe('getStoreId', () => {
	it.each([
		[{ __rl: true, mode: 'list', value: STORE }],
		[{ __rl: true, mode: 'id', value: ` ${STORE} ` }],
		[{ __rl: true, mode: 'url', value: `https://pay.example.com/stores/${STORE}/invoices?x=1` }],
		[STORE],
	])('accepts %j', (value) => {
		expect(getStoreId(ctx({ store: value }), 0)).toBe(STORE);
	});

	it.each([
		[{ __rl: true, mode: 'id', value: '' }, /required/],
		[{ __rl: true, mode: 'id', value: 'has space' }, /not a BTCPay store ID/],
		[{ __rl: true, mode: 'url', value: 'https://pay.example.com/apps/abc' }, /not a BTCPay store URL/],
		[42, /text ID/],
	])('refuses %j naming the Store field', (value, message) => {
		let error: unknown;
		try {
			getStoreId(ctx({ store: value }), 0);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(InputError);
		expect((error as InputError).field).toBe('Store');
		expect((error as InputError).message).toMatch(message);
	});
});

describe('parameter parsers', () => {
	it('parseJsonParameter parses strings, passes objects, names the field', () => {
		expect(parseJsonParameter('{"a":1}', 'Metadata')).toEqual({ a: 1 });
		expect(parseJsonParameter({ a: 2 }, 'Metadata')).toEqual({ a: 2 });
		expect(parseJsonParameter('  ', 'Metadata')).toBeUndefined();
		expect(() => parseJsonParameter('{a:1}', 'Metadata')).toThrow(/^Metadata: is not valid JSON/);
		expect(() => parseJsonParameter('[1]', 'Metadata')).toThrow(/Metadata: must be a JSON object/);
		expect(parseJsonParameter('[1]', 'Items', 'array')).toEqual([1]);
		expect(() => parseJsonParameter('{}', 'Items', 'array')).toThrow(/Items: must be a JSON array/);
	});

	it('parseList splits commas and newlines', () => {
		expect(parseList('a, b,\nc,,')).toEqual(['a', 'b', 'c']);
		expect(parseList(['x', ' y '])).toEqual(['x', 'y']);
		expect(parseList('')).toBeUndefined();
	});

	it('optionalNumber', () => {
		expect(optionalNumber('', 'N')).toBeUndefined();
		expect(optionalNumber(' 12 ', 'N')).toBe(12);
		expect(() => optionalNumber('12a', 'N')).toThrow(/^N: "12a" is not a number/);
	});

	it('getLimit reads Return All / Limit', () => {
		expect(getLimit(ctx({ returnAll: true }), 0)).toBeUndefined();
		expect(getLimit(ctx({ returnAll: false, limit: 20 }), 0)).toBe(20);
		expect(() => getLimit(ctx({ returnAll: false, limit: 0 }), 0)).toThrow(/Limit/);
	});
});
