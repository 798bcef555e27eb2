/**
 * Payment requests against the OpenAPI-checked BTCPay emulator: the whole
 * life cycle (create → pay → invoice paid → Completed → archive), merged
 * updates, business errors and permissions; zero spec violations.
 */
import { BtcPayClient } from '../../nodes/BtcPay/client';
import type { IDataObject } from 'n8n-workflow';
import { runBtcPayNode } from '../helpers/btcpay-node';
import { caught } from '../helpers/caught';
import { payInvoice, seedStore, startEmulator, type BtcPayEmulator } from '../btcpay-emulator';

jest.setTimeout(60_000);

let emu: BtcPayEmulator;
let client: BtcPayClient;
let storeId: string;

beforeAll(async () => {
	emu = await startEmulator();
	client = new BtcPayClient({ url: emu.url, apiKey: emu.apiKey, retryDelayMs: 1 });
	storeId = seedStore(emu, { name: 'Consulting Shop', defaultCurrency: 'EUR' }).id;
});
afterAll(async () => {
	emu.assertNoViolations();
	await emu.close();
});

describe('payment requests on the emulator', () => {
	it('create → pay (invoice) → paid → Completed; pay again refused', async () => {
		const pr = await client.paymentRequests.create(storeId, { title: 'Website audit', amount: '150.00', currency: 'usd', email: 'client@example.com' });
		expect(pr).toMatchObject({ title: 'Website audit', amount: '150', currency: 'USD', status: 'Pending', storeId });

		const invoice = await client.paymentRequests.pay(storeId, pr.id);
		expect(invoice).toMatchObject({ amount: '150.00', currency: 'USD', status: 'New' });
		expect(invoice.metadata).toMatchObject({ paymentRequestId: pr.id });
		// the invoice is a real invoice of the store
		expect((await client.invoices.get(storeId, invoice.id)).id).toBe(invoice.id);

		const reused = await client.paymentRequests.pay(storeId, pr.id, { allowPendingInvoiceReuse: true });
		expect(reused.id).toBe(invoice.id);

		payInvoice(emu, invoice.id, { paymentMethodId: 'BTC-LN' });
		expect((await client.paymentRequests.get(storeId, pr.id)).status).toBe('Completed');

		const again = await caught(client.paymentRequests.pay(storeId, pr.id));
		expect(again).toMatchObject({ kind: 'business', code: 'already-paid', status: 400 });
		emu.assertNoViolations();
	});

	it('custom amounts only when allowed (422 names the field)', async () => {
		const fixed = await client.paymentRequests.create(storeId, { title: 'Fixed', amount: 10 });
		expect(fixed.currency).toBe('EUR');
		const err = await caught(client.paymentRequests.pay(storeId, fixed.id, { amount: '2' }));
		expect(err.kind).toBe('validation');
		expect(err.details[0]).toMatch(/^Amount:/);

		const flexible = await client.paymentRequests.create(storeId, { title: 'Flexible', amount: '10', allowCustomPaymentAmounts: true });
		const part = await client.paymentRequests.pay(storeId, flexible.id, { amount: '2.50' });
		expect(part.amount).toBe('2.5');
		payInvoice(emu, part.id);
		expect((await client.paymentRequests.get(storeId, flexible.id)).status).toBe('Pending');
		const rest = await client.paymentRequests.pay(storeId, flexible.id);
		expect(rest.amount).toBe('7.50');
	});

	it('update keeps the fields it does not change; list; archive hides it and refuses payment', async () => {
		const pr = await client.paymentRequests.create(storeId, {
			title: 'Retainer',
			amount: '500',
			currency: 'EUR',
			description: '<p>Monthly</p>',
			referenceId: 'R-1',
			expiryDate: new Date(Date.now() + 86_400_000).toISOString(),
		});
		const updated = await client.paymentRequests.update(storeId, pr.id, { amount: '450.00' });
		expect(updated).toMatchObject({ title: 'Retainer', amount: '450', description: '<p>Monthly</p>', referenceId: 'R-1', expiryDate: pr.expiryDate });
		expect((await client.paymentRequests.list(storeId)).map((p) => p.id)).toContain(pr.id);
		await client.paymentRequests.archive(storeId, pr.id);
		expect((await client.paymentRequests.list(storeId)).map((p) => p.id)).not.toContain(pr.id);
		const err = await caught(client.paymentRequests.pay(storeId, pr.id));
		expect(err.code).toBe('archived');
	});

	it('errors: unknown ID and other store (403), past expiry accepted, missing permission (403)', async () => {
		// unknown or other-store paymentRequestId: the authorization answers 403 (BuiltInPermissionScopeProvider.cs)
		expect(await caught(client.paymentRequests.get(storeId, 'nope'))).toMatchObject({ kind: 'not_found', status: 403, code: 'object-unreachable', message: expect.stringContaining('payment request "nope"') });
		const other = seedStore(emu, { name: 'Other' }).id;
		const pr = await client.paymentRequests.create(storeId, { title: 'Mine', amount: '1' });
		expect(await caught(client.paymentRequests.get(other, pr.id))).toMatchObject({ kind: 'not_found', status: 403, code: 'object-unreachable' });
		// BTCPay does not refuse a past expiry date: the request is created already Expired.
		const past = await client.paymentRequests.create(storeId, { title: 'Old', amount: '1', expiryDate: '2020-01-01T00:00:00Z' });
		expect(past.status).toBe('Expired');

		const viewer = emu.addApiKey({ label: 'viewer', permissions: [`btcpay.store.canviewpaymentrequests:${storeId}`] });
		const limited = new BtcPayClient({ url: emu.url, apiKey: viewer.apiKey, retryDelayMs: 1 });
		expect((await limited.paymentRequests.list(storeId)).length).toBeGreaterThan(0);
		const denied = await caught(limited.paymentRequests.create(storeId, { title: 'x', amount: '1' }));
		expect(denied).toMatchObject({ kind: 'permission', missingPermission: 'btcpay.store.canmodifypaymentrequests' });
		expect(denied.message).not.toContain(viewer.apiKey);
	});

	it('bad input sends nothing', async () => {
		const before = emu.requestCount;
		await expect(client.paymentRequests.create(storeId, { title: 'x', amount: '1.001', currency: 'EUR' })).rejects.toThrow(/^Amount:/);
		await expect(client.paymentRequests.pay(storeId, 'a/b')).rejects.toThrow(/^Payment Request ID:/);
		expect(emu.requestCount).toBe(before);
	});
});

describe('through the BTCPay node', () => {
	async function run(parameters: Record<string, unknown>, continueOnFail = false) {
		return runBtcPayNode({ url: emu.url, apiKey: emu.apiKey, storeId, parameters: { resource: 'paymentRequest', ...parameters } as IDataObject, continueOnFail });
	}

	it('create, get, get many (limit), update, create invoice, archive', async () => {
		const [created] = await run({ operation: 'create', title: 'Node request', amount: '42.00', currency: 'USD', additionalFields: { referenceId: 'N-1', expiryDate: '2099-01-01T00:00:00Z' } });
		expect(created).toMatchObject({ title: 'Node request', amount: '42.00', currency: 'USD', status: 'Pending', referenceId: 'N-1', expiresAt: '2099-01-01T00:00:00.000Z' });
		expect(created.link).toBe(`${emu.url}/payment-requests/${String(created.id)}`);
		const id = String(created.id);
		expect((await run({ operation: 'get', paymentRequestId: id }))[0].id).toBe(id);
		expect(await run({ operation: 'getAll', returnAll: false, limit: 2 })).toHaveLength(2);
		const [updated] = await run({ operation: 'update', paymentRequestId: id, updateFields: { title: 'Renamed' } });
		expect(updated).toMatchObject({ title: 'Renamed', amount: '42.00', referenceId: 'N-1' });
		const [invoice] = await run({ operation: 'pay', paymentRequestId: id, payOptions: {} });
		expect(invoice).toMatchObject({ amount: '42.00', currency: 'USD', status: 'New' });
		expect(invoice.checkoutLink).toContain(String(invoice.id));
		expect(await run({ operation: 'archive', paymentRequestId: id })).toEqual([{ success: true, paymentRequestId: id, archived: true }]);
	});

	it('raw output with Simplify off; Continue On Fail turns a bad amount into an error item naming the field', async () => {
		const [raw] = await run({ operation: 'create', title: 'Raw', amount: '1', simplify: false });
		expect(raw).toHaveProperty('createdTime');
		const [bad] = await run({ operation: 'create', title: 'Bad', amount: '1.234', currency: 'USD' }, true);
		expect(bad).toMatchObject({ errorKind: 'input', field: 'Amount' });
	});
});
