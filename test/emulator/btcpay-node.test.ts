/** The BTCPay Server node's execute() against the emulator: many items, concurrency, Continue On Fail. */
import type { IDataObject } from 'n8n-workflow';
import { BtcPay } from '../../nodes/BtcPay/BtcPay.node';
import { executeContext } from '../helpers/execute-context';
import { seedStore, startEmulator, type BtcPayEmulator } from '../btcpay-emulator';

jest.setTimeout(60_000);

let emu: BtcPayEmulator;
let store: { __rl: true; mode: string; value: string };

beforeAll(async () => {
	emu = await startEmulator({ latencyMs: 25 });
	store = { __rl: true, mode: 'id', value: seedStore(emu, { name: 'Node Shop' }).id };
});
afterAll(async () => {
	await emu.close();
});

async function run(parameters: (i: number) => IDataObject, items: number, continueOnFail = false) {
	const node = new BtcPay();
	const ctx = executeContext({
		nodeType: node,
		parameters,
		credentials: { btcPayApi: { url: emu.url, apiKey: emu.apiKey } },
		items: Array.from({ length: items }, (_, i) => ({ json: { i } })),
		continueOnFail,
	});
	const [out] = await node.execute.call(ctx);
	return out;
}

describe('BTCPay node on the emulator', () => {
	it.each([1, 5, 12])('creates 36 invoices with concurrency %i: in order, never more in flight', async (concurrency) => {
		emu.resetStats();
		const out = await run(
			(i) => ({ resource: 'invoice', operation: 'create', store, amount: `${i + 1}.25`, currency: 'EUR', additionalFields: { orderId: `c${concurrency}-${i}` }, concurrency }),
			36,
		);
		expect(out.map((o) => o.json.orderId)).toEqual(Array.from({ length: 36 }, (_, i) => `c${concurrency}-${i}`));
		expect(out.map((o) => o.json.amount)).toEqual(Array.from({ length: 36 }, (_, i) => `${i + 1}.25`));
		expect(out.map((o) => (o.pairedItem as { item: number }).item)).toEqual(Array.from({ length: 36 }, (_, i) => i));
		expect(emu.maxConcurrent).toBeLessThanOrEqual(concurrency);
		if (concurrency > 1) expect(emu.maxConcurrent).toBeGreaterThan(1);
		expect(emu.requestCount).toBe(36);
	});

	it('gets many with Return All across pages, and with a limit', async () => {
		const all = await run(() => ({ resource: 'invoice', operation: 'getAll', store, returnAll: true }), 1);
		expect(all.length).toBeGreaterThanOrEqual(108);
		const some = await run(() => ({ resource: 'invoice', operation: 'getAll', store, returnAll: false, limit: 7, filters: { status: ['New'] } }), 1);
		expect(some).toHaveLength(7);
	});

	it('Continue On Fail with a mix of good, invalid and missing items', async () => {
		emu.resetStats();
		const out = await run(
			(i) =>
				i === 1
					? { resource: 'invoice', operation: 'create', store, amount: '1.999', currency: 'USD' }
					: i === 2
						? { resource: 'invoice', operation: 'get', store, invoiceId: 'DoesNotExist1' }
						: { resource: 'server', operation: 'health' },
			4,
			true,
		);
		// an unknown invoice id is refused by BTCPay's authorization (403 missing-permission), not 404;
		// the key holds the permission, so the node reports it as an invoice not found in the store
		expect(out.map((o) => o.json.errorKind ?? 'ok')).toEqual(['ok', 'input', 'not_found', 'ok']);
		expect(out[1].json.field).toBe('Amount');
		// create, get (403), the key's own permissions (GET api-keys/current) to explain that 403, health
		expect(emu.requestCount).toBe(4);
	});

	it('has no OpenAPI violation', () => {
		emu.assertNoViolations();
	});
});
