/**
 * The emulator's server rules, checked with raw HTTP (no client code in between),
 * each against the BTCPay v2.4.1 source it follows (see test/btcpay-emulator/README.md).
 */
import { seedStore, setStorePaymentMethods, simulatePayment, startEmulator, type BtcPayEmulator } from '../btcpay-emulator';
import { greenfieldSpec } from '../btcpay-emulator/openapi';

let emu: BtcPayEmulator;
beforeEach(async () => {
	emu = await startEmulator();
});
afterEach(async () => {
	emu.assertNoViolations();
	await emu.close();
});

async function call(method: string, path: string, body?: unknown, apiKey = emu.apiKey): Promise<{ status: number; body: any }> {
	const response = await fetch(`${emu.url}${path}`, {
		method,
		headers: { Authorization: `token ${apiKey}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const forbidden = (permission: string) => ({
	code: 'missing-permission',
	message: `Insufficient API Permissions. Please use an API key with permission "${permission}". You can create an API key in your account's settings / Api Keys.`,
	missingPermission: permission,
});

describe('store Lightning create invoice (GreenfieldLightningNodeApiController.CreateInvoice)', () => {
	it('has no default expiry: missing or 0 is 422 "Expiry should be more than 0"; amount 0 is an amountless invoice', async () => {
		const store = seedStore(emu, { name: 'LN' });
		const path = `/api/v1/stores/${store.id}/lightning/BTC/invoices`;
		expect(await call('POST', path, { amount: '1000', description: 'x' })).toEqual({ status: 422, body: [{ path: 'Expiry', message: 'Expiry should be more than 0' }] });
		expect(await call('POST', path, { amount: '1000', expiry: 0 })).toEqual({ status: 422, body: [{ path: 'Expiry', message: 'Expiry should be more than 0' }] });
		const ok = await call('POST', path, { amount: '0', description: 'tip', expiry: 600 });
		expect(ok.status).toBe(200);
		expect(ok.body).toMatchObject({ amount: '0', status: 'Unpaid' });
		expect(ok.body.expiresAt - Math.floor(Date.now() / 1000)).toBeGreaterThan(590);
	});
});

describe('invoice payment methods (GreenfieldInvoiceController.ToPaymentMethodModels, LNURLPayPaymentHandler)', () => {
	it('a default store gives BTC-CHAIN, BTC-LN and BTC-LNURL; LNURL has destination null until scanned', async () => {
		const store = seedStore(emu, { name: 'PM' });
		const inv = (await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '10', currency: 'USD' })).body;
		expect(inv.checkout.paymentMethods).toEqual(['BTC-CHAIN', 'BTC-LN', 'BTC-LNURL']);
		const methods = (await call('GET', `/api/v1/stores/${store.id}/invoices/${inv.id}/payment-methods`)).body;
		const lnurl = methods.find((m: any) => m.paymentMethodId === 'BTC-LNURL');
		expect(lnurl).toMatchObject({ destination: null, currency: 'BTC', activated: true });
		expect(lnurl.paymentLink).toMatch(/^lightning:LNURL/);
		expect(methods.find((m: any) => m.paymentMethodId === 'BTC-LN').destination).toMatch(/^lnbcrt/);
		simulatePayment(emu, inv.id, { paymentMethodId: 'BTC-LNURL' });
		const after = (await call('GET', `/api/v1/invoices/${inv.id}/payment-methods`)).body;
		const scanned = after.find((m: any) => m.paymentMethodId === 'BTC-LNURL');
		expect(scanned.destination).toMatch(/^lnbcrt/);
		expect(scanned.payments).toEqual([expect.objectContaining({ destination: scanned.destination, status: 'Settled' })]);
	});

	it('follows the store\'s enabled methods, refuses unknown ids with PascalCase indexed paths', async () => {
		const store = seedStore(emu, { name: 'Chain only' });
		setStorePaymentMethods(emu, store.id, ['BTC-CHAIN']);
		const inv = (await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '10', currency: 'USD' })).body;
		expect(inv.checkout.paymentMethods).toEqual(['BTC-CHAIN']);
		const bad = await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '-1', checkout: { paymentMethods: ['BTC-CHAIN', 'DOGE-CHAIN'] } });
		expect(bad).toEqual({
			status: 422,
			body: [
				{ path: 'Amount', message: 'The amount should be 0 or more.' },
				{ path: 'Checkout.PaymentMethods[1]', message: 'Invalid PaymentMethodId' },
			],
		});
		emu.violations.length = 0; // -1 and DOGE-CHAIN break the documented request shape on purpose
	});
});

describe('invoice list (InvoiceRepository.GetInvoices)', () => {
	it('textSearch is a case-sensitive prefix match over the creation terms; metadata text is not searchable', async () => {
		const store = seedStore(emu, { name: 'Search' });
		const create = (body: unknown) => call('POST', `/api/v1/stores/${store.id}/invoices`, body).then((r) => r.body);
		const a = await create({ amount: '12.5', currency: 'USD', metadata: { orderId: 'ORD-1001', buyerEmail: 'alice@example.com', itemDesc: 'Blue mug' } });
		const b = await create({ amount: '7', currency: 'USD', metadata: { orderId: 'ord-2002' }, additionalSearchTerms: ['campaign-x'] });
		const search = async (text: string) =>
			(await call('GET', `/api/v1/stores/${store.id}/invoices?textSearch=${encodeURIComponent(text)}`)).body.map((i: any) => i.id).sort();
		expect(await search('ORD-')).toEqual([a.id]);
		expect(await search('ord-')).toEqual([b.id]);
		expect(await search('alice@')).toEqual([a.id]);
		expect(await search('example.com')).toEqual([]); // not a prefix
		expect(await search('Blue')).toEqual([]); // itemDesc is not a search term
		expect(await search('12.5')).toEqual([a.id]); // the price
		expect(await search('campaign')).toEqual([b.id]);
		expect(await search(a.id.slice(0, 8))).toEqual([a.id]);
		expect(await search(store.id.slice(0, 10))).toEqual([a.id, b.id].sort());
	});

	it('hides archived invoices unless includeArchived=true', async () => {
		const store = seedStore(emu, { name: 'Archive' });
		const inv = (await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '1', currency: 'USD' })).body;
		expect((await call('DELETE', `/api/v1/stores/${store.id}/invoices/${inv.id}`)).status).toBe(200);
		expect((await call('GET', `/api/v1/stores/${store.id}/invoices`)).body).toEqual([]);
		expect((await call('GET', `/api/v1/stores/${store.id}/invoices?includeArchived=true`)).body.map((i: any) => i.id)).toEqual([inv.id]);
	});
});

describe('mark status and unarchive (GreenfieldInvoiceController, InvoiceEntity.InvoiceState)', () => {
	it('a paid Settled invoice cannot be marked Invalid (422); one marked Settled by hand can', async () => {
		const store = seedStore(emu, { name: 'Mark' });
		const paid = (await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '1', currency: 'USD' })).body;
		simulatePayment(emu, paid.id, { paymentMethodId: 'BTC-LN' });
		expect((await call('GET', `/api/v1/invoices/${paid.id}`)).body).toMatchObject({ status: 'Settled', availableStatusesForManualMarking: [] });
		expect(await call('POST', `/api/v1/invoices/${paid.id}/status`, { status: 'Invalid' })).toEqual({
			status: 422,
			body: [{ path: 'Status', message: 'Status can only be marked to invalid or settled within certain conditions.' }],
		});
		const marked = (await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '1', currency: 'USD' })).body;
		expect((await call('POST', `/api/v1/invoices/${marked.id}/status`, { status: 'Settled' })).body).toMatchObject({ status: 'Settled', additionalStatus: 'Marked', availableStatusesForManualMarking: ['Invalid'] });
		expect((await call('POST', `/api/v1/invoices/${marked.id}/status`, { status: 'Invalid' })).body).toMatchObject({ status: 'Invalid', additionalStatus: 'Marked' });
	});

	it('unarchiving an invoice that is not archived is 400 already-unarchived', async () => {
		const store = seedStore(emu, { name: 'Unarchive' });
		const inv = (await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '1', currency: 'USD' })).body;
		expect(await call('POST', `/api/v1/stores/${store.id}/invoices/${inv.id}/unarchive`)).toEqual({ status: 400, body: { code: 'already-unarchived', message: 'Invoice is already unarchived' } });
	});
});

describe('pull payments (GreenfieldPullPaymentController.CreatePullPayment)', () => {
	it('a name over 50 characters is 422 on Name', async () => {
		const store = seedStore(emu, { name: 'PP' });
		const r = await call('POST', `/api/v1/stores/${store.id}/pull-payments`, { name: 'x'.repeat(51), amount: '1', currency: 'BTC' });
		expect(r).toEqual({ status: 422, body: [{ path: 'Name', message: 'The name should be maximum 50 characters.' }] });
		expect((await call('POST', `/api/v1/stores/${store.id}/pull-payments`, { name: 'x'.repeat(50), amount: '1', currency: 'BTC' })).status).toBe(200);
	});
});

describe('authorization before lookup (BuiltInPermissionHandler, BuiltInPermissionScopeProvider)', () => {
	it('an unknown store is 403 missing-permission on every store route, even with an unrestricted key', async () => {
		const unknown = 'UnknownStore11111111111111111111111111111111';
		expect(await call('GET', `/api/v1/stores/${unknown}`)).toEqual({ status: 403, body: forbidden('btcpay.store.canviewstoresettings') });
		expect(await call('GET', `/api/v1/stores/${unknown}/invoices`)).toEqual({ status: 403, body: forbidden('btcpay.store.canviewinvoices') });
		expect(await call('POST', `/api/v1/stores/${unknown}/invoices`, { amount: '1' })).toEqual({ status: 403, body: forbidden('btcpay.store.cancreateinvoice') });
		expect((await call('GET', `/api/v1/stores/${unknown}/webhooks`)).status).toBe(403);
		expect((await call('GET', `/api/v1/stores/${unknown}/lightning/BTC/info`)).status).toBe(403);
		expect((await call('GET', `/api/v1/stores/${unknown}/payment-requests`)).status).toBe(403);
		expect((await call('GET', `/api/v1/stores/${unknown}/payouts`)).status).toBe(403);
	});

	it('objects of another store, or unknown ids, through nested or flat routes are 403 too', async () => {
		const a = seedStore(emu, { name: 'A' });
		const b = seedStore(emu, { name: 'B' });
		const inB = (await call('POST', `/api/v1/stores/${b.id}/invoices`, { amount: '1', currency: 'USD' })).body;
		const hookB = (await call('POST', `/api/v1/stores/${b.id}/webhooks`, { url: 'http://127.0.0.1:9/x' })).body;
		const prB = (await call('POST', `/api/v1/stores/${b.id}/payment-requests`, { title: 'T', amount: '1' })).body;
		expect(await call('GET', `/api/v1/stores/${a.id}/invoices/${inB.id}`)).toEqual({ status: 403, body: forbidden('btcpay.store.canviewinvoices') });
		expect((await call('GET', `/api/v1/stores/${a.id}/webhooks/${hookB.id}`)).status).toBe(403);
		expect((await call('GET', `/api/v1/stores/${a.id}/payment-requests/${prB.id}`)).status).toBe(403);
		expect((await call('GET', `/api/v1/invoices/NoSuchInvoice1`)).status).toBe(403);
		expect((await call('GET', `/api/v1/stores/${b.id}/invoices/NoSuchInvoice1`)).status).toBe(403);
		// the owner lookup is cached (10 min): right after a delete the action itself answers 404
		expect((await call('GET', `/api/v1/stores/${b.id}/webhooks/${hookB.id}`)).status).toBe(200);
		expect((await call('DELETE', `/api/v1/stores/${b.id}/webhooks/${hookB.id}`)).status).toBe(200);
		expect(await call('GET', `/api/v1/stores/${b.id}/webhooks/${hookB.id}`)).toEqual({ status: 404, body: { code: 'webhook-not-found', message: 'The webhook was not found' } });
		// a key scoped to store A sees store B as missing-permission as well
		const scoped = emu.addApiKey({ permissions: [`btcpay.store.canviewinvoices:${a.id}`] });
		expect((await call('GET', `/api/v1/stores/${b.id}/invoices`, undefined, scoped.apiKey)).status).toBe(403);
		expect((await call('GET', `/api/v1/stores/${a.id}/invoices`, undefined, scoped.apiKey)).status).toBe(200);
	});
});

describe('OpenAPI spec', () => {
	it('includes swagger.template.subscriptions.json and compiles its schemas', () => {
		const spec = greenfieldSpec();
		const op = spec.operations.find((o) => o.method === 'GET' && o.template === '/api/v1/stores/{storeId}/offerings/{offeringId}/subscribers/{customerSelector}/credits/{currency}');
		expect(op).toBeDefined();
		expect(op?.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['storeId', 'offeringId', 'customerSelector', 'currency']));
		for (const pointer of Object.values(op?.responses ?? {})) if (pointer) expect(() => spec.validator(pointer)).not.toThrow();
	});
});
