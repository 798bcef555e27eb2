/**
 * The client's full store/invoice/server operation set against the BTCPay
 * emulator; every request and response is checked against the OpenAPI spec.
 */
import { BtcPayClient } from '../../nodes/BtcPay/client';
import { caught } from '../helpers/caught';
import { payInvoice, seedStore, startEmulator, type BtcPayEmulator } from '../btcpay-emulator';

jest.setTimeout(60_000);

let emu: BtcPayEmulator;
let client: BtcPayClient;
let storeId: string;

beforeAll(async () => {
	emu = await startEmulator();
	client = new BtcPayClient({ url: emu.url, apiKey: emu.apiKey, retryDelayMs: 1 });
	storeId = seedStore(emu, { name: 'Emulated Shop' }).id;
});
afterAll(async () => {
	await emu.close();
});
afterEach(() => {
	emu.clearForcedErrors();
	emu.latencyMs = 0;
});

describe('full operation set with zero OpenAPI violations', () => {
	it('server: health and current key', async () => {
		expect(await client.server.health()).toEqual({ synchronized: true });
		const key = await client.server.currentApiKey();
		expect(key.permissions).toEqual(['unrestricted']);
		expect(JSON.stringify(key)).not.toContain(emu.apiKey);
	});

	it('stores: create, get, get many, update keeps other settings', async () => {
		const created = await client.stores.create({ name: 'Second', defaultCurrency: 'eur', invoiceExpiration: 1800, speedPolicy: 'LowSpeed' });
		expect(created).toMatchObject({ name: 'Second', defaultCurrency: 'EUR', invoiceExpiration: 1800, speedPolicy: 'LowSpeed' });
		expect((await client.stores.get(created.id)).name).toBe('Second');
		expect((await client.stores.list()).map((s) => s.name)).toEqual(expect.arrayContaining(['Emulated Shop', 'Second']));
		const updated = await client.stores.update(created.id, { website: 'https://second.example' });
		expect(updated).toMatchObject({ name: 'Second', website: 'https://second.example', defaultCurrency: 'EUR', invoiceExpiration: 1800, speedPolicy: 'LowSpeed' });
	});

	it('invoices: create, get, list with filters and paging, payment methods, mark, archive, unarchive', async () => {
		const a = await client.invoices.create(storeId, {
			amount: '12.50',
			currency: 'USD',
			orderId: 'order-a',
			buyerEmail: 'a@example.com',
			itemDesc: 'Green tea',
			metadata: { channel: 'web' },
			additionalSearchTerms: ['matcha'],
			checkout: { speedPolicy: 'HighSpeed', paymentMethods: ['BTC-CHAIN', 'BTC-LN'], expirationMinutes: 30, redirectURL: 'https://shop.example/ok', redirectAutomatically: true },
		});
		expect(a).toMatchObject({ amount: '12.5', currency: 'USD', status: 'New', type: 'Standard', metadata: { orderId: 'order-a', channel: 'web' } });
		const topUp = await client.invoices.create(storeId, { currency: 'EUR', orderId: 'order-b' });
		expect(topUp.type).toBe('TopUp');
		const c = await client.invoices.create(storeId, { amount: '0.001', currency: 'BTC', orderId: 'order-c' });

		expect((await client.invoices.get(storeId, a.id)).id).toBe(a.id);
		const all = await client.invoices.list(storeId);
		expect(all.map((i) => i.id)).toEqual([c.id, topUp.id, a.id]);
		expect((await client.invoices.list(storeId, { orderId: ['order-a', 'order-c'] })).map((i) => i.id)).toEqual([c.id, a.id]);
		expect((await client.invoices.list(storeId, { textSearch: 'matcha' })).map((i) => i.id)).toEqual([a.id]);
		expect((await client.invoices.list(storeId, { skip: 1, take: 1 })).map((i) => i.id)).toEqual([topUp.id]);
		expect(await client.invoices.list(storeId, { startDate: new Date(Date.now() + 3_600_000) })).toEqual([]);

		payInvoice(emu, c.id, { paymentMethodId: 'BTC-CHAIN' });
		expect((await client.invoices.list(storeId, { status: ['Settled'] })).map((i) => i.id)).toEqual([c.id]);
		const methods = await client.invoices.paymentMethods(storeId, c.id, { onlyAccountedPayments: true });
		expect(methods.map((m) => m.paymentMethodId)).toEqual(['BTC-CHAIN', 'BTC-LN', 'BTC-LNURL']);
		expect(methods[2].destination).toBeNull(); // LNURL: no destination until the customer scans it
		expect(methods[0].payments).toHaveLength(1);
		expect(methods[0].payments[0].value).toBe('0.00100000');
		expect(methods[0].due).toBe('0.00000000');

		const settled = await client.invoices.markStatus(storeId, a.id, 'Settled');
		expect(settled).toMatchObject({ status: 'Settled', additionalStatus: 'Marked' });
		const invalid = await client.invoices.markStatus(storeId, a.id, 'Invalid');
		expect(invalid.status).toBe('Invalid');

		await client.invoices.archive(storeId, topUp.id);
		expect((await client.invoices.get(storeId, topUp.id)).archived).toBe(true);
		expect((await client.invoices.unarchive(storeId, topUp.id)).archived).toBe(false);
	});

	it('has recorded no OpenAPI violation so far', () => {
		emu.assertNoViolations();
		expect(emu.violations).toEqual([]);
	});
});

describe('errors from the emulator', () => {
	it('422 when a state does not allow marking', async () => {
		const inv = await client.invoices.create(storeId, { amount: '1', currency: 'USD' });
		await client.invoices.markStatus(storeId, inv.id, 'Settled');
		const error = await caught(client.invoices.markStatus(storeId, inv.id, 'Settled'));
		expect(error.kind).toBe('validation');
		// BTCPay's 422 paths are the C# property names (GreenfieldInvoiceController.MarkInvoiceStatus).
		expect(error.details[0]).toMatch(/^Status: /);
	});

	it('403 missing-permission for an unknown invoice and an unknown store (v2.4.1 authorizes before any lookup)', async () => {
		// the key holds the permission, so the client explains the 403 as an unknown invoice / store
		const unknownInvoice = await caught(client.invoices.get(storeId, 'UnknownInvoice1'));
		expect(unknownInvoice).toMatchObject({ kind: 'not_found', status: 403, code: 'object-unreachable' });
		expect(unknownInvoice.message).toBe(`The invoice "UnknownInvoice1" was not found in the BTCPay store "${storeId}" (403 Forbidden)`);
		const unknownStore = await caught(client.stores.get('UnknownStore0000001'));
		expect(unknownStore).toMatchObject({ kind: 'not_found', status: 403, code: 'store-unreachable' });
		expect(unknownStore.message).toBe('The BTCPay store "UnknownStore0000001" does not exist or this API key cannot see it (403 Forbidden)');
	});

	it('401 for an unknown key', async () => {
		const bad = new BtcPayClient({ url: emu.url, apiKey: 'not-a-real-key-123456' });
		const error = await caught(bad.invoices.list(storeId));
		expect(error.kind).toBe('auth');
		expect(error.message).not.toContain('not-a-real-key-123456');
	});

	it('403 names the permission the key lacks; store-scoped keys work on their store only', async () => {
		const other = seedStore(emu, { name: 'Other' });
		const key = emu.addApiKey({ label: 'viewer', permissions: [`btcpay.store.canviewinvoices:${storeId}`] });
		const viewer = new BtcPayClient({ url: emu.url, apiKey: key.apiKey });
		await expect(viewer.invoices.list(storeId)).resolves.toBeInstanceOf(Array);
		const create = await caught(viewer.invoices.create(storeId, { amount: '1', currency: 'USD' }));
		expect(create.kind).toBe('permission');
		expect(create.missingPermission).toBe('btcpay.store.cancreateinvoice');
		const otherStore = await caught(viewer.invoices.list(other.id));
		expect(otherStore.missingPermission).toBe('btcpay.store.canviewinvoices');
		const storeCreate = await caught(viewer.stores.create({ name: 'x' }));
		expect(storeCreate.missingPermission).toBe('btcpay.store.canmodifystoresettings');
	});

	it('a scoped store-settings key lists only its store', async () => {
		const key = emu.addApiKey({ permissions: [`btcpay.store.canviewstoresettings:${storeId}`] });
		const scoped = new BtcPayClient({ url: emu.url, apiKey: key.apiKey });
		expect((await scoped.stores.list()).map((s) => s.id)).toEqual([storeId]);
	});

	it('429 with Retry-After is retried (GET) and then answered', async () => {
		emu.failNext({ method: 'GET', path: '/api/v1/stores/{storeId}/invoices', status: 429, headers: { 'Retry-After': '1' } });
		const before = emu.requestCount;
		await expect(client.invoices.list(storeId)).resolves.toBeInstanceOf(Array);
		expect(emu.requestCount - before).toBe(2);
		const log = emu.requestLog.slice(-2);
		expect(log.map((l) => l.status)).toEqual([429, 200]);
		expect(log[1].startedAt - log[0].startedAt).toBeGreaterThanOrEqual(900);
	});

	it('5xx on POST is not retried; on GET it is retried until the limit', async () => {
		emu.failNext({ method: 'POST', path: /\/invoices$/, status: 500, times: 5 });
		const before = emu.requestCount;
		expect((await caught(client.invoices.create(storeId, { amount: '1', currency: 'USD' }))).kind).toBe('server');
		expect(emu.requestCount - before).toBe(1);
		emu.clearForcedErrors();
		emu.failNext({ method: 'GET', path: '/api/v1/health', status: 503, times: 10 });
		const before2 = emu.requestCount;
		expect((await caught(client.server.health())).kind).toBe('server');
		expect(emu.requestCount - before2).toBe(3);
	});

	it('the request log never holds the API key', () => {
		expect(JSON.stringify(emu.requestLog)).not.toContain(emu.apiKey);
	});

	it('still no OpenAPI violation', () => {
		emu.assertNoViolations();
	});
});
