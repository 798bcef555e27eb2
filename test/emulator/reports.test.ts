/**
 * Revenue report against the OpenAPI-checked BTCPay emulator: invoices spread
 * over several months, paid on-chain, over Lightning or both; the report for
 * one month pages through them with a small page size and must match totals
 * computed independently (archived invoices included: revenue is revenue);
 * zero spec violations.
 */
import { BtcPayClient } from '../../nodes/BtcPay/client';
import type { IDataObject } from 'n8n-workflow';
import { runBtcPayNode } from '../helpers/btcpay-node';
import { payInvoice, seedStore, startEmulator, type BtcPayEmulator } from '../btcpay-emulator';

jest.setTimeout(120_000);

let emu: BtcPayEmulator;
let client: BtcPayClient;
let storeId: string;

const MARCH = Date.UTC(2026, 2, 1) / 1000;
const APRIL = Date.UTC(2026, 3, 1) / 1000;

/** Expected results, computed in integer cents alongside the seeding. */
const expected = { usdCents: 0, usdCount: 0, lnCents: 0, chainCents: 0, lnCount: 0, chainCount: 0, eurCents: 0, eurCount: 0 };

beforeAll(async () => {
	emu = await startEmulator();
	client = new BtcPayClient({ url: emu.url, apiKey: emu.apiKey, retryDelayMs: 1 });
	storeId = seedStore(emu, { name: 'Report Shop' }).id;
	let t = MARCH - 3 * 86_400; // starts in February
	for (let i = 0; i < 60; i++) {
		t += 37_000 + (i % 7) * 1_000; // about 11 hours apart, crosses into April
		emu.setClock(() => t);
		const cents = 101 + ((i * 37) % 900);
		const currency = i % 10 === 9 ? 'EUR' : 'USD';
		const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
		const inv = await client.invoices.create(storeId, { amount, currency });
		const kind = i % 6; // 0,1,2 Lightning; 3,4 on-chain; 5 left unpaid
		if (kind === 5) continue;
		payInvoice(emu, inv.id, { paymentMethodId: kind < 3 ? 'BTC-LN' : 'BTC-CHAIN' });
		// Archived invoices are hidden from BTCPay's list unless asked for: their revenue still counts.
		if (i % 4 === 1) await client.invoices.archive(storeId, inv.id);
		if (t < MARCH || t >= APRIL) continue;
		if (currency === 'EUR') {
			expected.eurCents += cents;
			expected.eurCount++;
			continue;
		}
		expected.usdCents += cents;
		expected.usdCount++;
		if (kind < 3) {
			expected.lnCents += cents;
			expected.lnCount++;
		} else {
			expected.chainCents += cents;
			expected.chainCount++;
		}
	}
	emu.setClock(() => Date.UTC(2026, 3, 15) / 1000);
});
afterAll(async () => {
	emu.assertNoViolations();
	await emu.close();
});

const money = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

describe('revenue report on the emulator', () => {
	it('last month, paged 7 at a time: exact totals per currency and channel', async () => {
		emu.resetStats();
		const report = await client.reports.revenue(storeId, { period: 'month', previous: true, pageSize: 7, now: Date.UTC(2026, 3, 15) / 1000 });
		expect(report).toMatchObject({ period: 'month', from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' });
		expect(report.invoiceCount).toBe(expected.usdCount + expected.eurCount);
		const usd = report.currencies.find((c) => c.currency === 'USD');
		const eur = report.currencies.find((c) => c.currency === 'EUR');
		expect(usd).toMatchObject({
			invoiceCount: expected.usdCount,
			total: money(expected.usdCents),
			lightning: { invoiceCount: expected.lnCount, total: money(expected.lnCents) },
			onchain: { invoiceCount: expected.chainCount, total: money(expected.chainCents) },
			mixedPaymentInvoices: 0,
		});
		const avgCents = Math.round(expected.usdCents / expected.usdCount); // half-up for these positive values
		expect(usd?.average).toBe(money(avgCents));
		const share = ((expected.lnCents * 10000) / expected.usdCents / 100).toFixed(2);
		expect(usd?.lightningSharePercent).toBe(share);
		expect(eur).toMatchObject({ invoiceCount: expected.eurCount, total: money(expected.eurCents) });

		// bounded memory: never more than one page of invoices at once
		expect(report.maxInvoicesInMemory).toBeLessThanOrEqual(7);
		// payment methods come with the list (includePaymentMethods): no request per invoice
		expect(report.paymentMethodLookups).toBe(0);
		expect(emu.requestLog.some((r) => r.path.endsWith('/payment-methods'))).toBe(false);
		const listCalls = emu.requestLog.filter((r) => r.method === 'GET' && /\/invoices$/.test(r.path));
		expect(listCalls.length).toBe(report.pagesFetched);
		expect(listCalls.map((r) => new URLSearchParams(r.query).get('skip'))).toEqual(listCalls.map((_, i) => String(i * 7)));
		expect(new URLSearchParams(listCalls[0].query).getAll('status')).toEqual(['Settled']);
	});

	it('a mixed payment splits exactly; an empty custom period gives an empty report', async () => {
		emu.setClock(() => Date.UTC(2026, 4, 2, 12) / 1000);
		const inv = await client.invoices.create(storeId, { amount: '30.00', currency: 'USD' });
		payInvoice(emu, inv.id, { paymentMethodId: 'BTC-CHAIN', btc: '0.0001' }); // 10 USD
		payInvoice(emu, inv.id, { paymentMethodId: 'BTC-LN', btc: '0.0002' }); // 20 USD
		const day = await client.reports.revenue(storeId, { period: 'day', date: '2026-05-02T08:00:00Z' });
		expect(day.currencies).toEqual([
			expect.objectContaining({
				currency: 'USD',
				total: '30.00',
				onchain: { invoiceCount: 1, total: '10.00', sharePercent: '33.33' },
				lightning: { invoiceCount: 1, total: '20.00', sharePercent: '66.67' },
				mixedPaymentInvoices: 1,
				lightningSharePercent: '66.67',
			}),
		]);
		const none = await client.reports.revenue(storeId, { period: 'custom', from: '2020-01-01T00:00:00Z', to: '2020-02-01T00:00:00Z' });
		expect(none).toMatchObject({ invoiceCount: 0, currencies: [], pagesFetched: 1 });
	});
});

describe('through the BTCPay node', () => {
	async function run(parameters: Record<string, unknown>) {
		return runBtcPayNode({ url: emu.url, apiKey: emu.apiKey, storeId, parameters: { resource: 'report', operation: 'revenue', ...parameters } as IDataObject });
	}

	it('custom range as one summary item, and one item per currency', async () => {
		const [summary] = await run({ period: 'custom', from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z', reportOptions: { pageSize: 25 } });
		expect(summary).toMatchObject({ period: 'custom', invoiceCount: expected.usdCount + expected.eurCount });
		const rows = await run({ period: 'month', previous: false, date: '2026-03-10T00:00:00Z', output: 'perCurrency' });
		expect(rows.map((r) => r.currency).sort()).toEqual(['EUR', 'USD']);
		expect(rows.find((r) => r.currency === 'USD')).toMatchObject({ total: money(expected.usdCents), from: '2026-03-01T00:00:00.000Z' });
	});
});
