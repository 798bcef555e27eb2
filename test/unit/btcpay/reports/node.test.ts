/** The Report and Refund resources of the BTCPay node with nock: parameter mapping and errors per item. */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { getTimezones } from '../../../../nodes/BtcPay/methods/getTimezones';
import { runBtcPayNode } from '../../../helpers/btcpay-node';

const BASE = 'http://btcpay.test';
const KEY = 'nodekey0123456789abcdef';
const STORE = 'Store1234';

async function run(parameters: (i: number) => IDataObject, items = 1, continueOnFail = false, timezone?: string) {
	return runBtcPayNode({ url: BASE, apiKey: KEY, storeId: STORE, parameters: (i) => ({ concurrency: 1, ...parameters(i) }), items, continueOnFail, timezone });
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Report resource', () => {
	it('maps a week period to the invoice query and returns one item per currency', async () => {
		let query: Record<string, string> = {};
		nock(BASE)
			.get(`/api/v1/stores/${STORE}/invoices`)
			.query((q) => {
				query = q as Record<string, string>;
				return true;
			})
			.reply(200, [
				{ id: 'a', amount: '10.00', currency: 'USD', status: 'Settled', createdTime: Date.UTC(2026, 2, 10) / 1000, paymentMethods: [{ paymentMethodId: 'BTC-LN', rate: '100000', paymentMethodPaid: '0.0001', payments: [] }] },
				{ id: 'b', amount: '5', currency: 'EUR', status: 'Settled', createdTime: Date.UTC(2026, 2, 11) / 1000, paymentMethods: [{ paymentMethodId: 'BTC-CHAIN', rate: '90000', paymentMethodPaid: '0.00005556', payments: [] }] },
			]);
		const out = await run(() => ({ resource: 'report', operation: 'revenue', period: 'week', previous: false, date: '2026-03-11T12:00:00Z', output: 'perCurrency' }));
		expect(query).toMatchObject({ status: 'Settled', startDate: String(Date.UTC(2026, 2, 9) / 1000), endDate: String(Date.UTC(2026, 2, 16) / 1000 - 1), skip: '0', take: '100' });
		expect(out).toEqual([
			expect.objectContaining({ currency: 'EUR', total: '5.00', onchain: { invoiceCount: 1, total: '5.00', sharePercent: '100.00' }, from: '2026-03-09T00:00:00.000Z' }),
			expect.objectContaining({ currency: 'USD', total: '10.00', lightningSharePercent: '100.00' }),
		]);
	});

	it('days start in the workflow time zone by default; the Time Zone option overrides it', async () => {
		const queries: Array<Record<string, string>> = [];
		nock(BASE)
			.get(`/api/v1/stores/${STORE}/invoices`)
			.times(2)
			.query((q) => {
				queries.push(q as Record<string, string>);
				return true;
			})
			.reply(200, []);
		const day = { resource: 'report', operation: 'revenue', period: 'day', previous: true, date: '2026-03-11T12:00:00Z' };
		const [berlin] = await run(() => day, 1, false, 'Europe/Berlin');
		expect(berlin).toMatchObject({ period: 'day', timezone: 'Europe/Berlin', from: '2026-03-09T23:00:00.000Z', to: '2026-03-10T23:00:00.000Z' });
		const [tokyo] = await run(() => ({ ...day, reportOptions: { timezone: 'Asia/Tokyo' } }), 1, false, 'Europe/Berlin');
		expect(tokyo).toMatchObject({ timezone: 'Asia/Tokyo', from: '2026-03-09T15:00:00.000Z' });
		expect(queries.map((q) => q.startDate)).toEqual([String(Date.UTC(2026, 2, 9, 23) / 1000), String(Date.UTC(2026, 2, 9, 15) / 1000)]);
	});

	it('Simplify shows the period and totals first and hides the paging counters; off shows them', async () => {
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices`).query(true).times(2).reply(200, []);
		const params = { resource: 'report', operation: 'revenue', period: 'day', date: '2026-03-11T12:00:00Z' };
		const [simple] = await run(() => params);
		expect(Object.keys(simple)).toEqual(['period', 'from', 'to', 'timezone', 'invoiceCount', 'currencies', 'storeId']);
		const [raw] = await run(() => ({ ...params, simplify: false }));
		expect(raw).toMatchObject({ pagesFetched: 1, invoicesScanned: 0, paymentMethodLookups: 0, start: Date.UTC(2026, 2, 10) / 1000 });
	});

	it('a custom range without To fails that item only (Continue On Fail), naming the field; nothing is sent', async () => {
		const out = await run((i) => ({ resource: 'report', operation: 'revenue', period: 'custom', from: '2026-01-01T00:00:00Z', to: i === 0 ? '' : '2026-01-02T00:00:00Z' }), 2, true);
		expect(out[0]).toMatchObject({ errorKind: 'input', field: 'To' });
		expect(out[1]).toMatchObject({ errorKind: 'network' });
	});
});

describe('Refund resource', () => {
	it('sends the variant, percentage and payout methods, and returns the claim link', async () => {
		const scope = nock(BASE)
			.post(`/api/v1/stores/${STORE}/invoices/inv7/refund`, { refundVariant: 'CurrentRate', subtractPercentage: '1.5', payoutMethods: ['BTC-CHAIN', 'BTC-LN'], name: 'Sorry' })
			.reply(200, { id: 'pp7', name: 'Sorry', currency: 'BTC', amount: '0.00010000', viewLink: `${BASE}/pull-payments/pp7`, archived: false });
		const [out] = await run(() => ({
			resource: 'refund',
			operation: 'refundInvoice',
			invoiceId: 'inv7',
			refundVariant: 'CurrentRate',
			additionalFields: { subtractPercentage: '1.50', payoutMethods: 'BTC-CHAIN, BTC-LN', name: 'Sorry' },
		}));
		expect(out).toMatchObject({ invoiceId: 'inv7', id: 'pp7', amount: '0.00010000', claimLink: `${BASE}/pull-payments/pp7` });
		scope.done();
	});

	it('maps 403 to an error item naming the missing permission, without the key', async () => {
		nock(BASE).post(`/api/v1/stores/${STORE}/invoices/inv7/refund`).reply(403, { code: 'missing-permission', missingPermission: 'btcpay.store.cancreatepullpayments' });
		const [out] = await run(() => ({ resource: 'refund', operation: 'refundInvoice', invoiceId: 'inv7', refundVariant: 'Fiat' }), 1, true);
		expect(out).toMatchObject({ errorKind: 'permission', httpCode: 403, missingPermission: 'btcpay.store.cancreatepullpayments' });
		expect(JSON.stringify(out)).not.toContain(KEY);
	});
});

describe('Time Zone options', () => {
	it('lists the workflow time zone first (empty value), then UTC and the IANA zones', async () => {
		const ctx = { getTimezone: () => 'America/New_York' } as unknown as ThisParameterType<typeof getTimezones>;
		const options = await getTimezones.call(ctx);
		expect(options[0]).toMatchObject({ name: 'Workflow Time Zone (America/New_York)', value: '' });
		expect(options[1]).toEqual({ name: 'UTC', value: 'UTC' });
		expect(options).toContainEqual({ name: 'Europe/Berlin', value: 'Europe/Berlin' });
		expect(options).toContainEqual({ name: 'America/Los Angeles', value: 'America/Los_Angeles' });
		expect(options.filter((o) => o.value === 'UTC')).toHaveLength(1);
	});
});
