import {
	RevenueAggregator,
	classifyPaymentMethod,
	multiplyDecimals,
	percentOf,
	resolvePeriod,
	splitAmount,
	type ReportInvoice,
} from '../../../../nodes/BtcPay/client/reports';
import { InputError } from '../../../../nodes/shared/errors';

const chain = (paid: string, rate = '50000') => ({ paymentMethodId: 'BTC-CHAIN', currency: 'BTC', rate, paymentMethodPaid: paid });
const ln = (paid: string, rate = '50000') => ({ paymentMethodId: 'BTC-LN', currency: 'BTC', rate, paymentMethodPaid: paid });

function inv(id: string, amount: string, methods: ReportInvoice['paymentMethods'], extra: Partial<ReportInvoice> = {}): ReportInvoice {
	return { id, status: 'Settled', currency: 'USD', amount, createdTime: 1_700_000_000, paymentMethods: methods, ...extra };
}

describe('classifyPaymentMethod', () => {
	it.each([
		['BTC-CHAIN', 'onchain'],
		['BTC', 'onchain'],
		['btc-chain', 'onchain'],
		['BTC-LN', 'lightning'],
		['BTC-LNURL', 'lightning'],
		['BTC-LightningNetwork', 'lightning'],
		['BTC_LightningLike', 'lightning'],
		['LTC-CHAIN', 'other'],
		['USDT-CHAIN', 'other'],
	])('%s → %s', (id, channel) => expect(classifyPaymentMethod(id)).toBe(channel));
});

describe('exact decimal helpers', () => {
	it('multiplies decimal strings exactly', () => {
		expect(multiplyDecimals('0.00012345', '64392.23')).toBe('7.9492207935');
		expect(multiplyDecimals('0.1', '0.2')).toBe('0.02');
		expect(multiplyDecimals('3', '1')).toBe('3');
	});

	it('computes percentages with 2 decimals, null for a zero whole', () => {
		expect(percentOf('1', '3')).toBe('33.33');
		expect(percentOf('2', '3')).toBe('66.67');
		expect(percentOf('10.00', '10')).toBe('100.00');
		expect(percentOf('0', '0')).toBeNull();
	});

	it('splits an amount exactly over weighted channels (parts add up to the amount)', () => {
		const parts = splitAmount('10.00', 2, new Map([['onchain', '1'], ['lightning', '2']]));
		expect(parts.get('onchain')).toBe('3.33');
		expect(parts.get('lightning')).toBe('6.67');
		const three = splitAmount('0.01', 2, new Map([['onchain', '1'], ['lightning', '1'], ['other', '1']]));
		const cents = [...three.values()].map((v) => Math.round(Number(v) * 100));
		expect(cents.reduce((a, b) => a + b, 0)).toBe(1);
		expect(splitAmount('5', 2, new Map()).get('unattributed')).toBe('5.00');
		expect(splitAmount('5', 2, new Map([['lightning', '0.0001']])).get('lightning')).toBe('5.00');
	});
});

describe('RevenueAggregator', () => {
	it('groups by currency and channel with exact totals, averages and Lightning share', () => {
		const agg = new RevenueAggregator();
		agg.add(inv('a', '10.00', [chain('0.0002'), ln('0')]));
		agg.add(inv('b', '20.00', [chain('0'), ln('0.0004')]));
		agg.add(inv('c', '0.10', [ln('0.000002')]));
		agg.add(inv('d', '0.20', [ln('0.000004')]));
		agg.add(inv('e', '1', [chain('0.00001')], { currency: 'EUR' }));
		const [usd, eur] = agg.summary();
		expect(usd).toMatchObject({
			currency: 'USD',
			invoiceCount: 4,
			total: '30.30',
			average: '7.58',
			onchain: { invoiceCount: 1, total: '10.00', sharePercent: '33.00' },
			lightning: { invoiceCount: 3, total: '20.30', sharePercent: '67.00' },
			mixedPaymentInvoices: 0,
			lightningSharePercent: '67.00',
			lightningInvoiceSharePercent: '75.00',
		});
		// 0.1 + 0.2 in floats would be 0.30000000000000004
		expect(eur).toMatchObject({ currency: 'EUR', invoiceCount: 1, total: '1.00', average: '1.00' });
		expect(agg.stats.invoicesCounted).toBe(5);
	});

	it('adds up many small amounts exactly (no float drift)', () => {
		const agg = new RevenueAggregator();
		for (let i = 0; i < 1000; i++) agg.add(inv(`i${i}`, '0.10', [ln('0.000002')]));
		const [usd] = agg.summary();
		expect(usd.total).toBe('100.00');
		expect(usd.average).toBe('0.10');
		expect(usd.lightning.total).toBe('100.00');
	});

	it('splits mixed on-chain + Lightning invoices by what each method paid, converted with its rate', () => {
		const agg = new RevenueAggregator();
		// 0.0001 BTC on-chain at 50 000 = 5 USD; 0.0003 BTC over Lightning = 15 USD
		agg.add(inv('m', '20.00', [chain('0.0001'), ln('0.0003')]));
		const [usd] = agg.summary();
		expect(usd.onchain).toMatchObject({ invoiceCount: 1, total: '5.00' });
		expect(usd.lightning).toMatchObject({ invoiceCount: 1, total: '15.00' });
		expect(usd.mixedPaymentInvoices).toBe(1);
		expect(usd.lightningSharePercent).toBe('75.00');
	});

	it('falls back to the payments list when paymentMethodPaid is missing, and to unattributed for marked invoices', () => {
		const agg = new RevenueAggregator();
		agg.add(inv('p', '7.00', [{ paymentMethodId: 'BTC-LN', currency: 'BTC', rate: '70000', payments: [{ value: '0.0001', status: 'Settled' }] }]));
		agg.add(inv('marked', '3.00', []));
		agg.add(inv('nomethods', '1.00', undefined));
		const [usd] = agg.summary();
		expect(usd.lightning.total).toBe('7.00');
		expect(usd.unattributed).toMatchObject({ invoiceCount: 2, total: '4.00' });
		expect(usd.total).toBe('11.00');
	});

	it('uses 0 decimals for JPY and 8 for BTC invoices', () => {
		const agg = new RevenueAggregator();
		agg.add(inv('j1', '1000', [ln('0.0001', '10000000')], { currency: 'JPY' }));
		agg.add(inv('j2', '501', [chain('0.0000501', '10000000')], { currency: 'JPY' }));
		agg.add(inv('b1', '0.00012345', [ln('0.00012345', '1')], { currency: 'BTC' }));
		const byCur = Object.fromEntries(agg.summary().map((s) => [s.currency, s]));
		expect(byCur.JPY.total).toBe('1501');
		expect(byCur.JPY.average).toBe('751');
		expect(byCur.BTC.total).toBe('0.00012345');
		expect(byCur.BTC.lightning.total).toBe('0.00012345');
	});

	it('skips duplicates (overlapping pages), non-settled invoices and invoices outside the period', () => {
		const agg = new RevenueAggregator({ start: 100, end: 200 });
		expect(agg.add(inv('x', '1', [], { createdTime: 150 }))).toBe(true);
		expect(agg.add(inv('x', '1', [], { createdTime: 150 }))).toBe(false);
		expect(agg.add(inv('y', '1', [], { createdTime: 150, status: 'Expired' }))).toBe(false);
		expect(agg.add(inv('z', '1', [], { createdTime: 200 }))).toBe(false);
		expect(agg.add(inv('w', '1', [], { createdTime: 99 }))).toBe(false);
		expect(agg.stats).toEqual({ invoicesSeen: 5, invoicesCounted: 1, duplicatesSkipped: 1, notSettledSkipped: 1, outOfPeriodSkipped: 2 });
	});
});

describe('resolvePeriod', () => {
	// Wednesday 2026-03-18 15:30 UTC
	const now = Date.UTC(2026, 2, 18, 15, 30) / 1000;
	const iso = (s: number) => new Date(s * 1000).toISOString();

	it('day / week (Monday start) / month in UTC, current and previous', () => {
		const day = resolvePeriod({ period: 'day' }, now);
		expect([iso(day.start), iso(day.end)]).toEqual(['2026-03-18T00:00:00.000Z', '2026-03-19T00:00:00.000Z']);
		const yesterday = resolvePeriod({ period: 'day', previous: true }, now);
		expect(iso(yesterday.start)).toBe('2026-03-17T00:00:00.000Z');
		const week = resolvePeriod({ period: 'week' }, now);
		expect([iso(week.start), iso(week.end)]).toEqual(['2026-03-16T00:00:00.000Z', '2026-03-23T00:00:00.000Z']);
		const lastWeek = resolvePeriod({ period: 'week', previous: true }, now);
		expect(iso(lastWeek.start)).toBe('2026-03-09T00:00:00.000Z');
		const month = resolvePeriod({ period: 'month' }, now);
		expect([iso(month.start), iso(month.end)]).toEqual(['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']);
		const jan = resolvePeriod({ period: 'month', previous: true, date: '2026-01-10T00:00:00Z' }, now);
		expect([iso(jan.start), iso(jan.end)]).toEqual(['2025-12-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']);
	});

	it('Sunday belongs to the week that started on Monday', () => {
		const sunday = Date.UTC(2026, 2, 22, 23, 59) / 1000;
		expect(iso(resolvePeriod({ period: 'week' }, sunday).start)).toBe('2026-03-16T00:00:00.000Z');
	});

	it('days, weeks and months start at local midnight in a time zone, across daylight saving changes', () => {
		// 2026-03-29 01:00 UTC: Europe/Berlin switches from UTC+1 to UTC+2
		const sunday = Date.UTC(2026, 2, 29, 12) / 1000;
		const day = resolvePeriod({ period: 'day', timezone: 'Europe/Berlin' }, sunday);
		expect([iso(day.start), iso(day.end)]).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
		expect(day.end - day.start).toBe(23 * 3600);
		const week = resolvePeriod({ period: 'week', timezone: 'Europe/Berlin' }, sunday);
		expect([iso(week.start), iso(week.end)]).toEqual(['2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
		const month = resolvePeriod({ period: 'month', previous: true, timezone: 'America/New_York' }, Date.UTC(2026, 0, 1, 3) / 1000);
		// 03:00 UTC on Jan 1 is still Dec 31 in New York, so "previous month" is November
		expect([iso(month.start), iso(month.end)]).toEqual(['2025-11-01T04:00:00.000Z', '2025-12-01T05:00:00.000Z']);
		const kolkata = resolvePeriod({ period: 'day', timezone: 'Asia/Kolkata' }, now);
		expect(iso(kolkata.start)).toBe('2026-03-17T18:30:00.000Z');
		expect(() => resolvePeriod({ period: 'day', timezone: 'Mars/Olympus' })).toThrow(/^Time Zone: "Mars\/Olympus" is not a time zone/);
	});

	it('custom needs From < To and names the field', () => {
		expect(resolvePeriod({ period: 'custom', from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' })).toEqual({
			period: 'custom',
			start: Date.UTC(2026, 0, 1) / 1000,
			end: Date.UTC(2026, 0, 2) / 1000,
			timezone: 'UTC',
		});
		expect(() => resolvePeriod({ period: 'custom', to: '2026-01-02' })).toThrow(/^From: is required/);
		expect(() => resolvePeriod({ period: 'custom', from: '2026-01-02', to: '2026-01-01' })).toThrow(/^To: must be after From/);
		expect(() => resolvePeriod({ period: 'year' as never })).toThrow(InputError);
		expect(() => resolvePeriod({ period: 'day', date: 'not a date' })).toThrow(/^Date:/);
	});
});
