import { isoFromUnixSeconds } from '../../../nodes/shared/time';

describe('isoFromUnixSeconds', () => {
	it('turns Unix seconds, as a number or a digit string, into ISO 8601 UTC', () => {
		expect(isoFromUnixSeconds(1_700_000_000)).toBe('2023-11-14T22:13:20.000Z');
		expect(isoFromUnixSeconds('1700000000')).toBe('2023-11-14T22:13:20.000Z');
		expect(isoFromUnixSeconds(0)).toBe('1970-01-01T00:00:00.000Z');
	});

	it('gives undefined for what is not a time', () => {
		for (const v of [undefined, null, '', 'soon', '12.5', '-1', Number.NaN, Number.POSITIVE_INFINITY, {}]) expect(isoFromUnixSeconds(v)).toBeUndefined();
	});

	it('with positiveOnly, reads 0 and less as "no date" (LND, BTCPay event timestamps)', () => {
		expect(isoFromUnixSeconds(0, { positiveOnly: true })).toBeUndefined();
		expect(isoFromUnixSeconds('0', { positiveOnly: true })).toBeUndefined();
		expect(isoFromUnixSeconds(-5, { positiveOnly: true })).toBeUndefined();
		expect(isoFromUnixSeconds('1700000000', { positiveOnly: true })).toBe('2023-11-14T22:13:20.000Z');
	});
});
