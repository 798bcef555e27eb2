import nock from 'nock';
import { createBtcPayHttp } from '../../../../nodes/BtcPay/client';
import { ReportsApi } from '../../../../nodes/BtcPay/client/reports';
import { caught } from '../../../helpers/caught';

const BASE = 'http://btcpay.test';
const KEY = 'reportskey01234567890';
const STORE = 'Store1234';
const INV = `/api/v1/stores/${STORE}/invoices`;
// March 2026 in UTC
const START = Date.UTC(2026, 2, 1) / 1000;
const END = Date.UTC(2026, 3, 1) / 1000;
const NOW = Date.UTC(2026, 2, 18) / 1000;

const api = () => new ReportsApi(createBtcPayHttp({ url: BASE, apiKey: KEY, retryDelayMs: 1, retries: 1 }));

function invoice(n: number, lightning: boolean, extra: Record<string, unknown> = {}) {
	return {
		id: `inv${n}`,
		storeId: STORE,
		amount: '1.10',
		currency: 'USD',
		status: 'Settled',
		createdTime: START + n,
		paymentMethods: [
			{ paymentMethodId: 'BTC-CHAIN', currency: 'BTC', rate: '55000', paymentMethodPaid: lightning ? '0' : '0.00002', payments: [] },
			{ paymentMethodId: 'BTC-LN', currency: 'BTC', rate: '55000', paymentMethodPaid: lightning ? '0.00002' : '0', payments: [] },
		],
		...extra,
	};
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('ReportsApi.revenue', () => {
	it('pages with skip/take over settled invoices of the period and aggregates exactly', async () => {
		const all = Array.from({ length: 25 }, (_, i) => invoice(i, i % 5 !== 0));
		const seen: Array<Record<string, string>> = [];
		const scope = nock(BASE)
			.get(INV)
			.query(true)
			.times(3)
			.reply(function (uri) {
				const q = Object.fromEntries(new URL(uri, BASE).searchParams);
				seen.push(q);
				const skip = Number(q.skip);
				return [200, all.slice(skip, skip + Number(q.take))];
			});
		const report = await api().revenue(STORE, { period: 'month', pageSize: 10, now: NOW });
		scope.done();
		expect(seen.map((q) => [q.skip, q.take])).toEqual([['0', '10'], ['10', '10'], ['20', '10']]);
		expect(seen[0]).toMatchObject({ status: 'Settled', startDate: String(START), endDate: String(END - 1), includePaymentMethods: 'true' });
		// archived invoices are hidden from lists by default, but their revenue counts
		expect(seen.every((q) => q.includeArchived === 'true')).toBe(true);
		expect(report).toMatchObject({
			storeId: STORE,
			period: 'month',
			from: '2026-03-01T00:00:00.000Z',
			to: '2026-04-01T00:00:00.000Z',
			invoiceCount: 25,
			pagesFetched: 3,
			maxInvoicesInMemory: 10,
			paymentMethodLookups: 0,
		});
		expect(report.currencies).toEqual([
			expect.objectContaining({
				currency: 'USD',
				invoiceCount: 25,
				total: '27.50',
				average: '1.10',
				onchain: { invoiceCount: 5, total: '5.50', sharePercent: '20.00' },
				lightning: { invoiceCount: 20, total: '22.00', sharePercent: '80.00' },
				lightningSharePercent: '80.00',
			}),
		]);
	});

	it('looks up payment methods when the list does not include them, and ignores non-settled rows', async () => {
		const page = [
			{ ...invoice(1, true), paymentMethods: undefined },
			{ ...invoice(2, false), paymentMethods: undefined },
			{ ...invoice(3, true), status: 'Expired', paymentMethods: undefined },
		];
		const scope = nock(BASE)
			.get(INV)
			.query(true)
			.reply(200, page)
			.get(`${INV}/inv1/payment-methods`)
			.query({ onlyAccountedPayments: 'true' })
			.reply(200, invoice(1, true).paymentMethods)
			.get(`${INV}/inv2/payment-methods`)
			.query({ onlyAccountedPayments: 'true' })
			.reply(200, invoice(2, false).paymentMethods);
		const report = await api().revenue(STORE, { period: 'custom', from: START, to: END, pageSize: 50 });
		scope.done();
		expect(report.paymentMethodLookups).toBe(2);
		expect(report.invoiceCount).toBe(2);
		expect(report.currencies[0]).toMatchObject({ total: '2.20', lightningSharePercent: '50.00' });
	});

	it('an empty period gives an empty report with one request', async () => {
		const scope = nock(BASE).get(INV).query(true).reply(200, []);
		const report = await api().revenue(STORE, { period: 'day', previous: true, now: NOW });
		scope.done();
		expect(report).toMatchObject({ invoiceCount: 0, currencies: [], pagesFetched: 1, from: '2026-03-17T00:00:00.000Z' });
	});

	it('refuses bad options before any request, and maps API errors', async () => {
		expect((await caught(api().revenue(STORE, { period: 'week', pageSize: 5000 }))).field).toBe('Page Size');
		expect((await caught(api().revenue(STORE, { period: 'custom', from: START }))).field).toBe('To');
		expect((await caught(api().revenue('', { period: 'day' }))).field).toBe('Store');
		expect(nock.pendingMocks()).toHaveLength(0);
		nock(BASE).get(INV).query(true).reply(403, { code: 'missing-permission', missingPermission: `btcpay.store.canviewinvoices:${STORE}` });
		const err = await caught(api().revenue(STORE, { period: 'day' }));
		expect(err.kind).toBe('permission');
		expect(err.message).toContain('View invoices');
	});
});
