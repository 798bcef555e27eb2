import {
	btcToSats,
	currencyDecimals,
	divideDecimal,
	formatMoney,
	formatMoneyFields,
	msatToSats,
	parseCurrencyAmount,
	parseDecimalAmount,
	parseSats,
	satsToBtc,
	satsToMsatString,
	sumDecimals,
} from '../../../nodes/shared/amounts';
import { InputError } from '../../../nodes/shared/errors';

function inputError(fn: () => unknown): InputError {
	try {
		fn();
	} catch (e) {
		if (e instanceof InputError) return e;
		throw e;
	}
	throw new Error('expected an InputError');
}

describe('decimal amounts', () => {
	it.each([
		['5.00', '5'],
		['5.10', '5.1'],
		[' 0012.5 ', '12.5'],
		[12.5, '12.5'],
		[1e-8, '0.00000001'],
		['1e3', '1000'],
		['1_000.25', '1000.25'],
		['.5', '0.5'],
	])('canonicalises %p to %p', (input, expected) => {
		expect(parseDecimalAmount(input, 'Amount')).toBe(expected);
	});

	it.each([
		['-1', 'must not be negative'],
		['abc', 'is not a number'],
		['1.2.3', 'is not a number'],
		['0', 'greater than 0'],
		['', 'is required'],
		[Number.NaN, 'finite'],
	])('rejects %p with a message naming the field', (input, message) => {
		const err = inputError(() => parseDecimalAmount(input, 'Amount'));
		expect(err.field).toBe('Amount');
		expect(err.message).toContain('Amount');
		expect(err.message).toContain(message);
	});

	it('enforces currency decimals', () => {
		expect(parseCurrencyAmount('10.25', 'usd', 'Amount')).toBe('10.25');
		expect(inputError(() => parseCurrencyAmount('10.255', 'USD', 'Amount')).message).toContain('USD allows 2 decimals');
		expect(inputError(() => parseCurrencyAmount('100.5', 'JPY', 'Amount')).message).toContain('JPY allows 0 decimals');
		expect(parseCurrencyAmount('0.12345678', 'BTC', 'Amount')).toBe('0.12345678');
		expect(() => parseCurrencyAmount('0.123456789', 'BTC', 'Amount')).toThrow(/8 decimals/);
		expect(currencyDecimals('KWD')).toBe(3);
		expect(currencyDecimals('SATS')).toBe(0);
	});

	it('sums and divides exactly (no float error)', () => {
		expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
		expect(sumDecimals(['10.10', '0.05', '3'])).toBe('13.15');
		expect(sumDecimals(['0.00000001', '0.1'], 8)).toBe('0.10000001');
		expect(sumDecimals([])).toBe('0');
		expect(divideDecimal('10', 3, 2)).toBe('3.33');
		expect(divideDecimal('20', 3, 2)).toBe('6.67');
		expect(divideDecimal('0.3', 2, 2)).toBe('0.15');
		expect(() => divideDecimal('1', 0, 2)).toThrow(RangeError);
	});
});

describe('sats and msat', () => {
	it('accepts whole sats only', () => {
		expect(parseSats('21000', 'Amount (Sats)')).toBe(21000);
		expect(parseSats(5, 'Amount (Sats)')).toBe(5);
		expect(inputError(() => parseSats('1.5', 'Amount (Sats)')).message).toContain('whole number of sats');
		expect(inputError(() => parseSats(0, 'Amount (Sats)')).message).toContain('greater than 0');
		expect(inputError(() => parseSats('-3', 'Amount (Sats)')).message).toContain('negative');
		expect(() => parseSats('99999999999999999999', 'Amount (Sats)')).toThrow(/too large/);
	});

	it('converts between BTC, sats and msat exactly', () => {
		expect(btcToSats('0.00012345')).toBe(12345);
		expect(btcToSats('21')).toBe(2_100_000_000);
		expect(satsToBtc(12345)).toBe('0.00012345');
		expect(satsToMsatString(2_100_000_000_000_000)).toBe('2100000000000000000');
		expect(msatToSats('1500')).toEqual({ sats: 1, remainderMsat: 500 });
		expect(msatToSats(2_000)).toEqual({ sats: 2, remainderMsat: 0 });
		expect(() => btcToSats('0.000000001')).toThrow(/8 decimals/);
	});
});

describe('formatMoney (outputs keep the currency decimals)', () => {
	it.each([
		['12.5', 'USD', '12.50'],
		['9.9', 'usd', '9.90'],
		['12.50', 'EUR', '12.50'],
		['10', 'EUR', '10.00'],
		['1500', 'JPY', '1500'],
		['1.5', 'KWD', '1.500'],
		['1', 'BTC', '1.00000000'],
		['0.0001', 'BTC', '0.00010000'],
		['0.123456789', 'BTC', '0.123456789'],
		['12.3456', 'USD', '12.3456'],
		['-3.1', 'USD', '-3.10'],
		['-0', 'USD', '0.00'],
		['1e-8', 'BTC', '0.00000001'],
		[12.5, 'USD', '12.50'],
		[0.1, 'USD', '0.10'],
		[21, 'SATS', '21'],
	])('%j %s → %s', (value, currency, expected) => {
		expect(formatMoney(value, currency)).toBe(expected);
	});

	it('leaves what is not an amount, or has no currency, unchanged', () => {
		expect(formatMoney('abc', 'USD')).toBe('abc');
		expect(formatMoney(null, 'USD')).toBeNull();
		expect(formatMoney('12.5', undefined)).toBe('12.5');
		expect(formatMoney('12.5', '')).toBe('12.5');
		expect(formatMoney(Number.NaN, 'USD')).toBeNaN();
	});

	it('formatMoneyFields formats the named fields in place', () => {
		const out = { amount: '12.5', paidAmount: '0', other: '1.5', missing: undefined };
		expect(formatMoneyFields(out, 'USD', ['amount', 'paidAmount', 'missing'])).toBe(out);
		expect(out).toEqual({ amount: '12.50', paidAmount: '0.00', other: '1.5', missing: undefined });
	});
});
