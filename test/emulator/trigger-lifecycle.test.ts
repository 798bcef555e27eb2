/**
 * The BTCPay Trigger against the OpenAPI-checked emulator: activation creates
 * the store webhook, checkExists confirms it, deliveries from the emulator go
 * through the node's real webhook() over HTTP (raw bytes, BTCPay-Sig), invoice
 * events are confirmed with the API, redeliveries are emitted once, forged
 * deliveries get 401, deactivation deletes the webhook; a key without the
 * webhooks permission gets an activation error naming it.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, IWebhookResponseData } from 'n8n-workflow';
import { BtcPayTrigger } from '../../nodes/BtcPay/BtcPayTrigger.node';
import { BtcPayClient } from '../../nodes/BtcPay/client';
import { signBtcPayPayload } from '../../nodes/BtcPay/trigger/signing';
import { startEmulator, seedStore, payInvoice, type BtcPayEmulator } from '../btcpay-emulator';
import { sendWebhookEvent, settleDeliveries, webhooksOf } from '../btcpay-emulator/routes/webhooks';
import { hookContext, webhookContext } from '../unit/btcpay-trigger/fakes';

let emu: BtcPayEmulator;
let n8n: http.Server;
let webhookUrl: string;
const trigger = new BtcPayTrigger();
/** Items the trigger emitted (one array per execution). */
const executions: IDataObject[][] = [];
/** Shared by activation and every request, like n8n's workflow static data. */
let staticData: IDataObject = {};
let params: Record<string, unknown> = {};
let credentials: { url: string; apiKey: string };

beforeAll(async () => {
	emu = await startEmulator();
	credentials = { url: emu.url, apiKey: emu.apiKey };
	// Stands in for n8n's webhook endpoint: raw body in, node.webhook(), answer out.
	n8n = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
			const { ctx, response } = webhookContext({ rawBody: Buffer.concat(chunks), headers }, { params, staticData, credentials });
			trigger.webhook
				.call(ctx)
				.then((out: IWebhookResponseData) => {
					if (out.noWebhookResponse) {
						res.writeHead(response.statusCode ?? 500, { 'content-type': 'application/json' });
						res.end(JSON.stringify(response.body ?? {}));
						return;
					}
					if (out.workflowData) executions.push(out.workflowData[0].map((i) => i.json));
					res.writeHead(200, { 'content-type': 'application/json' });
					res.end(JSON.stringify(out.webhookResponse ?? { message: 'Workflow was started' }));
				})
				.catch((error: Error) => {
					res.writeHead(500);
					res.end(error.message);
				});
		});
	});
	await new Promise<void>((r) => n8n.listen(0, '127.0.0.1', () => r()));
	webhookUrl = `http://127.0.0.1:${(n8n.address() as AddressInfo).port}/webhook/5b3e/webhook`;
});

afterAll(async () => {
	await emu.close();
	n8n.closeAllConnections();
	await new Promise<void>((r) => n8n.close(() => r()));
});

afterEach(() => emu.assertNoViolations());

function setup(storeId: string, extra: Record<string, unknown> = {}) {
	executions.length = 0;
	staticData = {};
	params = { store: { __rl: true, mode: 'list', value: storeId }, events: ['InvoiceSettled', 'InvoiceReceivedPayment', 'PayoutApproved'], ...extra };
}

const hooks = () => trigger.webhookMethods.default;
const hookCtx = () => hookContext({ params, staticData, webhookUrl, credentials }).ctx;

describe('BTCPay Trigger lifecycle against the emulator', () => {
	it('activates, receives a confirmed settled invoice once (redelivery acknowledged only), refuses a forged one, deactivates', async () => {
		const store = seedStore(emu, { name: 'Trigger shop' });
		setup(store.id);

		expect(await hooks().checkExists.call(hookCtx())).toBe(false);
		expect(await hooks().create.call(hookCtx())).toBe(true);
		expect(staticData).toMatchObject({ storeId: store.id });
		const registered = webhooksOf(emu).get(String(staticData.webhookId));
		expect(registered).toMatchObject({ url: webhookUrl, enabled: true, authorizedEvents: { everything: false, specificEvents: ['InvoiceReceivedPayment', 'InvoiceSettled', 'PayoutApproved'] } });
		expect(registered?.secret).toBe(staticData.secret);
		expect(await hooks().checkExists.call(hookCtx())).toBe(true);

		const api = new BtcPayClient({ url: emu.url, apiKey: emu.apiKey });
		const invoice = await api.invoices.create(store.id, { amount: '10', currency: 'USD', metadata: { orderId: 'A-77' } });
		payInvoice(emu, invoice.id);

		const [first] = await sendWebhookEvent(emu, store.id, { type: 'InvoiceSettled', invoiceId: invoice.id, metadata: { orderId: 'A-77' }, manuallyMarked: false, overPaid: false });
		expect(first.httpCode).toBe(200);
		expect(executions).toHaveLength(1);
		expect(executions[0]).toEqual([
			expect.objectContaining({ type: 'InvoiceSettled', invoiceId: invoice.id, orderId: 'A-77', confirmed: true, isTest: false, invoiceStatus: 'Settled', invoiceAmount: invoice.amount, invoiceCurrency: 'USD' }),
		]);

		// BTCPay redelivers (new deliveryId, same originalDeliveryId): acknowledged, not emitted again
		await api.webhooks.redeliver(store.id, String(staticData.webhookId), first.deliveryId);
		await settleDeliveries(emu);
		const deliveries = await api.webhooks.listDeliveries(store.id, String(staticData.webhookId));
		expect(deliveries.map((d) => d.status)).toEqual(['HttpSuccess', 'HttpSuccess']);
		expect(executions).toHaveLength(1);

		// Forged: right shape, wrong secret -> 401, nothing emitted
		const forged = JSON.stringify({ deliveryId: 'Forged1', webhookId: staticData.webhookId, originalDeliveryId: 'Forged1', isRedelivery: false, type: 'InvoiceSettled', timestamp: 1, storeId: store.id, invoiceId: invoice.id }, null, 2);
		const res = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'BTCPay-Sig': signBtcPayPayload('not-the-secret', forged) }, body: forged });
		expect(res.status).toBe(401);
		const unsigned = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: forged });
		expect(unsigned.status).toBe(401);
		expect(executions).toHaveLength(1);

		expect(await hooks().delete.call(hookCtx())).toBe(true);
		expect(webhooksOf(emu).has(String(registered?.id))).toBe(false);
		expect(staticData.webhookId).toBeUndefined();
	});

	it('does not emit a settled event for an unpaid invoice, nor for an invoice that does not exist', async () => {
		const store = seedStore(emu, { name: 'Trigger fake payments' });
		setup(store.id);
		await hooks().create.call(hookCtx());
		const api = new BtcPayClient({ url: emu.url, apiKey: emu.apiKey });
		const unpaid = await api.invoices.create(store.id, { amount: '5', currency: 'USD' });
		const [a] = await sendWebhookEvent(emu, store.id, { type: 'InvoiceSettled', invoiceId: unpaid.id });
		const [b] = await sendWebhookEvent(emu, store.id, { type: 'InvoiceSettled', invoiceId: 'NoSuchInvoice1' });
		expect([a.httpCode, b.httpCode]).toEqual([200, 200]);
		expect(JSON.parse(a.responseBody ?? '{}')).toMatchObject({ emitted: false, reason: 'unconfirmed' });
		expect(executions).toHaveLength(0);
		// a partial payment is a genuine InvoiceReceivedPayment
		payInvoice(emu, unpaid.id, { btc: '0.00001' });
		await sendWebhookEvent(emu, store.id, { type: 'InvoiceReceivedPayment', invoiceId: unpaid.id, afterExpiration: false, paymentMethodId: 'BTC-CHAIN', payment: { id: 'p1', value: '0.00001', status: 'Settled' } });
		expect(executions).toEqual([[expect.objectContaining({ type: 'InvoiceReceivedPayment', confirmed: true, invoiceAdditionalStatus: 'PaidPartial', paymentValue: '0.00001' })]]);
		await hooks().delete.call(hookCtx());
	});

	it('answers 503 while BTCPay cannot confirm, so the automatic redelivery is emitted later', async () => {
		const store = seedStore(emu, { name: 'Trigger retry' });
		setup(store.id);
		await hooks().create.call(hookCtx());
		const api = new BtcPayClient({ url: emu.url, apiKey: emu.apiKey });
		const invoice = await api.invoices.create(store.id, { amount: '3', currency: 'USD' });
		payInvoice(emu, invoice.id);
		// BTCPay retries a 5xx itself (10 s later), inside the webhook's queue slot; scaled to 1 s here
		// (which scales its 100 s answer timeout to 10 s)
		emu.webhookTimeScale = 0.1;
		emu.failNext({ method: 'GET', path: '/api/v1/stores/{storeId}/invoices/{invoiceId}', status: 502, times: 3 });
		const [first] = await sendWebhookEvent(emu, store.id, { type: 'InvoiceSettled', invoiceId: invoice.id });
		expect(first.httpCode).toBe(503);
		expect(executions).toHaveLength(0);
		await api.webhooks.redeliver(store.id, String(staticData.webhookId), first.deliveryId);
		await settleDeliveries(emu);
		emu.webhookTimeScale = 1;
		expect(executions).toHaveLength(1);
		await hooks().delete.call(hookCtx());
	}, 30_000);

	it('replaces its webhook when the events change, and recreates one deleted in BTCPay', async () => {
		const store = seedStore(emu, { name: 'Trigger changes' });
		setup(store.id);
		await hooks().create.call(hookCtx());
		const firstId = String(staticData.webhookId);
		params.events = ['*'];
		expect(await hooks().checkExists.call(hookCtx())).toBe(false);
		expect(webhooksOf(emu).has(firstId)).toBe(false);
		await hooks().create.call(hookCtx());
		expect(webhooksOf(emu).get(String(staticData.webhookId))?.authorizedEvents.everything).toBe(true);
		webhooksOf(emu).delete(String(staticData.webhookId));
		expect(await hooks().checkExists.call(hookCtx())).toBe(false);
		expect(staticData.webhookId).toBeUndefined();
	});

	it('fails activation with a message naming btcpay.store.webhooks.canmodifywebhooks when the key lacks it', async () => {
		const store = seedStore(emu, { name: 'Trigger 403' });
		setup(store.id);
		const viewer = emu.addApiKey({ label: 'viewer', permissions: [`btcpay.store.canviewinvoices:${store.id}`] });
		const ctx = hookContext({ params, staticData, webhookUrl, credentials: { url: emu.url, apiKey: viewer.apiKey } }).ctx;
		await expect(hooks().create.call(ctx)).rejects.toThrow(/btcpay\.store\.webhooks\.canmodifywebhooks/);
		expect([...webhooksOf(emu).values()].some((w) => w.storeId === store.id)).toBe(false);
	});

	it('fails activation naming btcpay.store.canviewinvoices when Confirm With API is on and the key cannot read invoices', async () => {
		const store = seedStore(emu, { name: 'Trigger no invoices' });
		setup(store.id);
		const hooksOnly = emu.addApiKey({ label: 'hooks only', permissions: [`btcpay.store.webhooks.canmodifywebhooks:${store.id}`] });
		const creds = { url: emu.url, apiKey: hooksOnly.apiKey };
		await expect(hooks().create.call(hookContext({ params, staticData, webhookUrl, credentials: creds }).ctx)).rejects.toThrow(/btcpay\.store\.canviewinvoices/);
		expect([...webhooksOf(emu).values()].some((w) => w.storeId === store.id)).toBe(false);
		params.options = { confirmWithApi: false };
		expect(await hooks().create.call(hookContext({ params, staticData, webhookUrl, credentials: creds }).ctx)).toBe(true);
		expect(await hooks().delete.call(hookContext({ params, staticData, webhookUrl, credentials: creds }).ctx)).toBe(true);
	});

	it('manual mode: a webhook created by the user in BTCPay, secret pasted, test delivery passes marked isTest', async () => {
		const store = seedStore(emu, { name: 'Trigger manual' });
		const api = new BtcPayClient({ url: emu.url, apiKey: emu.apiKey });
		const own = await api.webhooks.create(store.id, { url: webhookUrl });
		setup(store.id, { registration: 'manual', webhookSecret: own.secret, events: ['*'] });
		expect(await hooks().checkExists.call(hookCtx())).toBe(true);
		await sendWebhookEvent(emu, store.id, { type: 'InvoiceSettled', invoiceId: '__test__7c1d__test__' });
		expect(executions).toEqual([[expect.objectContaining({ isTest: true, confirmed: false })]]);
		expect(await hooks().delete.call(hookCtx())).toBe(true);
		expect(webhooksOf(emu).has(own.id)).toBe(true);
	});
});
