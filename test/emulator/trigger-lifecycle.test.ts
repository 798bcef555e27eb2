/**
 * The BTCPay Trigger against the OpenAPI-checked emulator, fed by the emulator's
 * webhook sender (deliveries generated from state changes, one after another per
 * webhook, BTCPay's retry schedule scaled down): activation creates the store
 * webhook, checkExists confirms it (and sees one deleted in BTCPay as gone),
 * deliveries go through the node's real webhook() over HTTP (raw bytes, BTCPay-Sig),
 * payments and status events are confirmed with the API, forged and foreign
 * deliveries are answered but not emitted, a 503 is cured by BTCPay's own retry,
 * a redelivery is acknowledged only, deactivation deletes the webhook.
 *
 * Hand-built payloads go only through `sendWebhookEvent`, the emulator-only hook for
 * forged deliveries; every genuine event comes from simulatePayment, confirmPayment,
 * the clock, or the API.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, IWebhookResponseData } from 'n8n-workflow';
import { BtcPayTrigger } from '../../nodes/BtcPay/BtcPayTrigger.node';
import { BtcPayClient } from '../../nodes/BtcPay/client';
import { signBtcPayPayload } from '../../nodes/BtcPay/trigger/signing';
import {
	confirmPayment,
	deliveryAttempts,
	seedStore,
	sendWebhookEvent,
	settleDeliveries,
	simulatePayment,
	startEmulator,
	webhooksOf,
	type BtcPayEmulator,
} from '../btcpay-emulator';
import { hookContext, webhookContext } from '../unit/btcpay-trigger/fakes';

/**
 * Factor on BTCPay's retry waits (10 s, 1 min, 10 min...) and its 100 s answer timeout.
 * 0.02 makes the first retry come after 0.2 s and leaves the trigger 2 s to answer,
 * more than its 503 path needs (two reads with the client's quick retry) on a busy machine.
 */
const TIME_SCALE = 0.02;

let emu: BtcPayEmulator;
let api: BtcPayClient;
let n8n: http.Server;
let webhookUrl: string;
const trigger = new BtcPayTrigger();
/** Items the trigger emitted (one array per execution), as n8n would start them. */
const executions: IDataObject[][] = [];
/** Every answer the fake n8n gave, in order. */
const answers: Array<{ status: number; body: any }> = [];
/** Shared by activation and every request, like n8n's workflow static data. */
let staticData: IDataObject = {};
let params: Record<string, unknown> = {};
let credentials: { url: string; apiKey: string };

beforeAll(async () => {
	// Stands in for n8n's webhook endpoint: raw body in, node.webhook(), then what n8n
	// does with the result: an execution for workflowData (also with noWebhookResponse),
	// and the answer the node wrote to the response object (else n8n's own answer).
	n8n = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
			const { ctx, response } = webhookContext({ rawBody: Buffer.concat(chunks), headers }, { params, staticData, credentials });
			trigger.webhook
				.call(ctx)
				.then((out: IWebhookResponseData) => {
					if (out.workflowData) executions.push(out.workflowData[0].map((i) => i.json));
					let status = 200;
					let body: unknown = out.webhookResponse ?? { message: 'Workflow was started' };
					if (out.noWebhookResponse) {
						status = response.statusCode ?? 500;
						body = response.body ?? {};
					}
					answers.push({ status, body });
					res.writeHead(status, { 'content-type': 'application/json' });
					res.end(JSON.stringify(body));
				})
				.catch((error: Error) => {
					answers.push({ status: 500, body: error.message });
					res.writeHead(500);
					res.end(error.message);
				});
		});
	});
	await new Promise<void>((r) => n8n.listen(0, '127.0.0.1', () => r()));
	webhookUrl = `http://127.0.0.1:${(n8n.address() as AddressInfo).port}/webhook/5b3e/webhook`;
});

afterAll(async () => {
	n8n.closeAllConnections();
	await new Promise<void>((r) => n8n.close(() => r()));
});

beforeEach(async () => {
	emu = await startEmulator({ webhookTimeScale: TIME_SCALE });
	api = new BtcPayClient({ url: emu.url, apiKey: emu.apiKey });
	credentials = { url: emu.url, apiKey: emu.apiKey };
	executions.length = 0;
	answers.length = 0;
});

afterEach(async () => {
	emu.assertNoViolations();
	await emu.close();
});

function setup(storeId: string, extra: Record<string, unknown> = {}) {
	staticData = {};
	params = { store: { __rl: true, mode: 'list', value: storeId }, events: ['InvoiceSettled', 'InvoiceReceivedPayment', 'PayoutApproved'], ...extra };
}

const hooks = () => trigger.webhookMethods.default;
const hookCtx = () => hookContext({ params, staticData, webhookUrl, credentials }).ctx;
const emitted = () => executions.map((e) => e[0]);
const emittedTypes = () => emitted().map((i) => i.type);
const hookId = () => String(staticData.webhookId);

/** A store with the trigger activated on it (automatic registration). */
async function activated(name: string, extra: Record<string, unknown> = {}) {
	const store = seedStore(emu, { name });
	setup(store.id, extra);
	expect(await hooks().checkExists.call(hookCtx())).toBe(false);
	expect(await hooks().create.call(hookCtx())).toBe(true);
	return store;
}

async function invoice(storeId: string, body: Record<string, unknown> = {}) {
	return await api.invoices.create(storeId, { amount: '10', currency: 'USD', ...body });
}

/** Waits for something that happens on a timer (the invoice watcher after statusDelayMs). */
async function eventually(what: string, fn: () => boolean, timeoutMs = 10_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!fn()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

describe('BTCPay Trigger lifecycle against the emulator', () => {
	it('activates, refuses forged and unsigned deliveries, deactivates', async () => {
		const store = await activated('Trigger shop');
		expect(staticData).toMatchObject({ storeId: store.id });
		const registered = webhooksOf(emu).get(hookId());
		expect(registered).toMatchObject({ url: webhookUrl, enabled: true, automaticRedelivery: true, authorizedEvents: { everything: false, specificEvents: ['InvoiceReceivedPayment', 'InvoiceSettled', 'PayoutApproved'] } });
		expect(registered?.secret).toBe(staticData.secret);
		expect(await hooks().checkExists.call(hookCtx())).toBe(true);

		const inv = await invoice(store.id);
		const forged = JSON.stringify({ deliveryId: 'Forged1', webhookId: staticData.webhookId, originalDeliveryId: 'Forged1', isRedelivery: false, type: 'InvoiceSettled', timestamp: 1, storeId: store.id, invoiceId: inv.id }, null, 2);
		const res = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'BTCPay-Sig': signBtcPayPayload('not-the-secret', forged) }, body: forged });
		expect(res.status).toBe(401);
		const unsigned = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: forged });
		expect(unsigned.status).toBe(401);
		expect(executions).toHaveLength(0);

		expect(await hooks().delete.call(hookCtx())).toBe(true);
		expect(webhooksOf(emu).has(String(registered?.id))).toBe(false);
		expect(staticData.webhookId).toBeUndefined();
	});

	it('replaces its webhook when the events change, and recreates one deleted in BTCPay (404 while the owner is cached, 403 after)', async () => {
		const store = await activated('Trigger changes');
		const firstId = hookId();
		const lastRead = (id: string) => emu.requestLog.filter((r) => r.method === 'GET' && r.path.endsWith(`/webhooks/${id}`)).at(-1)?.status;
		params.events = ['*'];
		expect(await hooks().checkExists.call(hookCtx())).toBe(false);
		expect(webhooksOf(emu).has(firstId)).toBe(false);
		await hooks().create.call(hookCtx());
		expect(webhooksOf(emu).get(hookId())?.authorizedEvents.everything).toBe(true);
		expect(await hooks().checkExists.call(hookCtx())).toBe(true);

		// Deleted in BTCPay's UI right after the trigger read it: the owner lookup is still cached (404).
		const deleted = hookId();
		await api.webhooks.delete(store.id, deleted);
		expect(await hooks().checkExists.call(hookCtx())).toBe(false);
		expect(lastRead(deleted)).toBe(404);
		expect(staticData.webhookId).toBeUndefined();
		expect(await hooks().create.call(hookCtx())).toBe(true);
		expect(await hooks().checkExists.call(hookCtx())).toBe(true);

		// Deleted and the owner cache expired (10 min): BTCPay answers 403 for an unknown webhook id.
		const gone = hookId();
		await api.webhooks.delete(store.id, gone);
		const start = Math.floor(Date.now() / 1000);
		emu.setClock(() => start + 11 * 60);
		expect(await hooks().checkExists.call(hookCtx())).toBe(false);
		expect(lastRead(gone)).toBe(403);
		expect(staticData.webhookId).toBeUndefined();
		emu.setClock(undefined);

		// Recreated, and the new webhook delivers.
		expect(await hooks().create.call(hookCtx())).toBe(true);
		expect([...webhooksOf(emu).values()].filter((h) => h.storeId === store.id).map((h) => h.id)).toEqual([hookId()]);
		const inv = await invoice(store.id);
		await settleDeliveries(emu);
		expect(emitted()).toEqual([expect.objectContaining({ type: 'InvoiceCreated', invoiceId: inv.id, confirmed: true, invoiceStatus: 'New' })]);
		await hooks().delete.call(hookCtx());
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
});

describe('BTCPay Trigger fed by the emulator’s sender', () => {
	it('on-chain: ReceivedPayment while the invoice still reads New is confirmed by payments[]; confirmation brings PaymentSettled and Settled, each emitted once', async () => {
		const store = await activated('Trigger on-chain', { events: ['InvoiceReceivedPayment', 'InvoiceProcessing', 'InvoicePaymentSettled', 'InvoiceSettled'] });
		const inv = await invoice(store.id, { metadata: { orderId: 'A-77' } });
		const { payment } = simulatePayment(emu, inv.id, { paymentMethodId: 'BTC-CHAIN', statusDelayMs: 1_500 });
		await eventually('InvoiceProcessing', () => emittedTypes().includes('InvoiceProcessing'));
		await settleDeliveries(emu);
		expect(emittedTypes()).toEqual(['InvoiceReceivedPayment', 'InvoiceProcessing']);
		expect(emitted()[0]).toMatchObject({
			type: 'InvoiceReceivedPayment',
			invoiceId: inv.id,
			orderId: 'A-77',
			confirmed: true,
			invoiceStatus: 'New',
			paymentId: payment.id,
			paymentValue: payment.value,
			confirmedPaymentId: payment.id,
			confirmedPaymentStatus: 'Processing',
			afterExpiration: false,
		});
		expect(emitted()[1]).toMatchObject({ confirmed: true, invoiceStatus: 'Processing' });

		confirmPayment(emu, inv.id, payment.id);
		await settleDeliveries(emu);
		expect(emittedTypes()).toEqual(['InvoiceReceivedPayment', 'InvoiceProcessing', 'InvoicePaymentSettled', 'InvoiceSettled']);
		expect(emitted()[2]).toMatchObject({ invoiceId: inv.id, confirmed: true, paymentId: payment.id, confirmedPaymentStatus: 'Settled' });
		expect(emitted()[3]).toMatchObject({ invoiceId: inv.id, confirmed: true, invoiceStatus: 'Settled', invoiceAmount: '10.00', invoiceCurrency: 'USD', manuallyMarked: false });
		// every delivery answered 200 on the first attempt with the documented JSON
		const attempts = deliveryAttempts(emu, hookId());
		expect(attempts.map((a) => [a.type, a.httpCode, a.isRedelivery])).toEqual([
			['InvoiceReceivedPayment', 200, false],
			['InvoiceProcessing', 200, false],
			['InvoicePaymentSettled', 200, false],
			['InvoiceSettled', 200, false],
		]);
		expect(attempts.map((a) => JSON.parse(a.responseBody ?? '{}'))).toEqual(attempts.map((a) => ({ received: true, emitted: true, deliveryId: a.deliveryId })));

		// A manual redelivery from BTCPay (Store > Webhooks > Redeliver): acknowledged, not emitted again.
		const settled = attempts[3];
		const redeliveryId = await api.webhooks.redeliver(store.id, hookId(), settled.deliveryId);
		await settleDeliveries(emu);
		const again = deliveryAttempts(emu, hookId()).at(-1);
		expect(again).toMatchObject({ deliveryId: redeliveryId, originalDeliveryId: settled.deliveryId, isRedelivery: true, httpCode: 200 });
		expect(JSON.parse(again?.responseBody ?? '{}')).toMatchObject({ received: true, emitted: false, reason: 'duplicate' });
		expect(executions).toHaveLength(4);
		const deliveries = await api.webhooks.listDeliveries(store.id, hookId());
		expect(deliveries).toHaveLength(5);
		expect(deliveries.every((d) => d.status === 'HttpSuccess')).toBe(true);
		await hooks().delete.call(hookCtx());
	});

	it('Lightning under Any Event: InvoiceCreated, then PaymentSettled, ReceivedPayment, Processing, Settled, all confirmed, once each', async () => {
		const store = await activated('Trigger Lightning', { events: ['*'] });
		const inv = await invoice(store.id);
		const { payment } = simulatePayment(emu, inv.id, { paymentMethodId: 'BTC-LN' });
		await settleDeliveries(emu);
		expect(emittedTypes()).toEqual(['InvoiceCreated', 'InvoicePaymentSettled', 'InvoiceReceivedPayment', 'InvoiceProcessing', 'InvoiceSettled']);
		expect(emitted().every((i) => i.confirmed === true && i.invoiceId === inv.id)).toBe(true);
		expect(emitted()[1]).toMatchObject({ paymentMethodId: 'BTC-LN', paymentId: payment.id, confirmedPaymentStatus: 'Settled' });
		expect(emitted()[2]).toMatchObject({ paymentMethodId: 'BTC-LN', paymentId: payment.id, paymentDestination: payment.destination });
		expect(emitted()[4]).toMatchObject({ invoiceStatus: 'Settled' });
		expect(deliveryAttempts(emu, hookId()).map((a) => a.httpCode)).toEqual([200, 200, 200, 200, 200]);
		await hooks().delete.call(hookCtx());
	});

	it('expiry: the clock passing the expiration time brings InvoiceExpired, confirmed', async () => {
		const store = await activated('Trigger expiry', { events: ['InvoiceExpired', 'InvoiceSettled'] });
		const inv = await invoice(store.id, { checkout: { expirationMinutes: 15 } });
		emu.setClock(() => Number(inv.expirationTime) + 1);
		try {
			await settleDeliveries(emu);
			expect(emitted()).toEqual([expect.objectContaining({ type: 'InvoiceExpired', invoiceId: inv.id, confirmed: true, invoiceStatus: 'Expired', partiallyPaid: false })]);
		} finally {
			emu.setClock(undefined);
		}
		await hooks().delete.call(hookCtx());
	});

	it('a forged InvoiceSettled for a New invoice, or for an invoice BTCPay does not know, is answered 200 and not emitted', async () => {
		const store = await activated('Trigger forged');
		const inv = await invoice(store.id);
		const [forged] = await sendWebhookEvent(emu, store.id, { type: 'InvoiceSettled', invoiceId: inv.id, manuallyMarked: false, overPaid: false });
		const [unknown] = await sendWebhookEvent(emu, store.id, { type: 'InvoiceSettled', invoiceId: 'NoSuchInvoice1' });
		// forged payment: a payment BTCPay does not list for the invoice
		const [payment] = await sendWebhookEvent(emu, store.id, { type: 'InvoiceReceivedPayment', invoiceId: inv.id, afterExpiration: false, paymentMethodId: 'BTC-CHAIN', payment: { id: 'ab'.repeat(32) + '-0', value: '0.0001', status: 'Settled' } });
		await settleDeliveries(emu);
		for (const sent of [forged, unknown, payment]) {
			expect(sent.httpCode).toBe(200);
			expect(JSON.parse(sent.responseBody ?? '{}')).toEqual({ received: true, emitted: false, deliveryId: sent.deliveryId, reason: 'unconfirmed' });
		}
		expect(executions).toHaveLength(0);
		// no retry for a 200: one attempt each
		expect(deliveryAttempts(emu, hookId())).toHaveLength(3);
		await hooks().delete.call(hookCtx());
	});

	it('an event naming another store is not emitted, whatever its type', async () => {
		const store = await activated('Trigger own store', { events: ['*'] });
		const other = seedStore(emu, { name: 'Someone else' });
		const theirs = await invoice(other.id);
		simulatePayment(emu, theirs.id, { paymentMethodId: 'BTC-LN' });
		const sent = [
			...(await sendWebhookEvent(emu, store.id, { type: 'PayoutApproved', storeId: other.id, payoutId: 'Payout1', pullPaymentId: 'Pull1', payoutState: 'AwaitingPayment' })),
			...(await sendWebhookEvent(emu, store.id, { type: 'PaymentRequestCreated', storeId: other.id, paymentRequestId: 'Request1', status: 'Pending' })),
			...(await sendWebhookEvent(emu, store.id, { type: 'InvoiceSettled', storeId: other.id, invoiceId: theirs.id, manuallyMarked: false, overPaid: false })),
		];
		await settleDeliveries(emu);
		expect(sent.map((s) => [s.httpCode, JSON.parse(s.responseBody ?? '{}').reason])).toEqual([
			[200, 'other_store'],
			[200, 'other_store'],
			[200, 'other_store'],
		]);
		expect(executions).toHaveLength(0);
		await hooks().delete.call(hookCtx());
	});

	it('a type in another case with an invoiceId is confirmed before it is emitted: confirmed:false under Any Event, dropped for an unknown invoice', async () => {
		const store = await activated('Trigger case', { events: ['*'] });
		const inv = await invoice(store.id);
		await settleDeliveries(emu);
		expect(emittedTypes()).toEqual(['InvoiceCreated']);
		const [lower] = await sendWebhookEvent(emu, store.id, { type: 'invoicesettled', invoiceId: inv.id });
		const [unknown] = await sendWebhookEvent(emu, store.id, { type: 'invoicesettled', invoiceId: 'NoSuchInvoice1' });
		await settleDeliveries(emu);
		expect(JSON.parse(lower.responseBody ?? '{}')).toMatchObject({ emitted: true });
		expect(JSON.parse(unknown.responseBody ?? '{}')).toMatchObject({ emitted: false, reason: 'unconfirmed' });
		expect(emitted()).toEqual([
			expect.objectContaining({ type: 'InvoiceCreated', confirmed: true }),
			expect.objectContaining({ type: 'invoicesettled', invoiceId: inv.id, confirmed: false, invoiceStatus: 'New' }),
		]);
		await hooks().delete.call(hookCtx());
	});

	it('answers 503 while BTCPay cannot be read; BTCPay’s own retry (10 s, scaled) then gets the event emitted once', async () => {
		const store = await activated('Trigger retry', { events: ['InvoiceSettled'] });
		const inv = await invoice(store.id);
		// the confirmation client tries twice (one quick retry): both fail
		emu.failNext({ method: 'GET', path: '/api/v1/stores/{storeId}/invoices/{invoiceId}', status: 502, times: 2 });
		simulatePayment(emu, inv.id, { paymentMethodId: 'BTC-LN' });
		await settleDeliveries(emu);
		const attempts = deliveryAttempts(emu, hookId());
		expect(attempts.map((a) => [a.type, a.httpCode, a.isRedelivery])).toEqual([
			['InvoiceSettled', 503, false],
			['InvoiceSettled', 200, true],
		]);
		expect(JSON.parse(attempts[0].responseBody ?? '{}')).toEqual({ received: false, error: 'confirmation_unavailable', deliveryId: attempts[0].deliveryId });
		expect(attempts[1].originalDeliveryId).toBe(attempts[0].deliveryId);
		// BTCPay waited its first retry delay (10 s × the time scale) inside the webhook's slot
		expect(attempts[1].startedAt - attempts[0].endedAt).toBeGreaterThanOrEqual(10_000 * TIME_SCALE - 5);
		expect(emitted()).toEqual([expect.objectContaining({ type: 'InvoiceSettled', invoiceId: inv.id, confirmed: true, invoiceStatus: 'Settled' })]);
		await hooks().delete.call(hookCtx());
	});

	it('manual mode: a webhook created by the user in BTCPay, secret pasted; genuine events confirmed, deactivation keeps the webhook', async () => {
		const store = seedStore(emu, { name: 'Trigger manual' });
		const own = await api.webhooks.create(store.id, { url: webhookUrl, events: ['InvoiceSettled', 'InvoiceExpired'] });
		setup(store.id, { registration: 'manual', webhookSecret: own.secret, events: ['*'] });
		expect(await hooks().checkExists.call(hookCtx())).toBe(true);
		expect(await hooks().create.call(hookCtx())).toBe(true);
		expect(webhooksOf(emu).size).toBe(1);
		const paid = await invoice(store.id);
		simulatePayment(emu, paid.id, { paymentMethodId: 'BTC-LN' });
		await settleDeliveries(emu);
		expect(emitted()).toEqual([expect.objectContaining({ type: 'InvoiceSettled', invoiceId: paid.id, confirmed: true, invoiceStatus: 'Settled' })]);
		// a forged settlement signed with the pasted secret still needs BTCPay's agreement
		const unpaid = await invoice(store.id);
		const [forged] = await sendWebhookEvent(emu, store.id, { type: 'InvoiceSettled', invoiceId: unpaid.id });
		expect(JSON.parse(forged.responseBody ?? '{}')).toMatchObject({ emitted: false, reason: 'unconfirmed' });
		// a wrong pasted secret: every delivery is refused with 401 (not retried by BTCPay)
		params.webhookSecret = 'not-the-secret';
		const [refused] = await sendWebhookEvent(emu, store.id, { type: 'InvoiceSettled', invoiceId: paid.id });
		expect(refused.httpCode).toBe(401);
		await settleDeliveries(emu);
		expect(executions).toHaveLength(1);
		expect(await hooks().delete.call(hookCtx())).toBe(true);
		expect(webhooksOf(emu).has(own.id)).toBe(true);
	});
});

describe('BTCPay Trigger: subscription events from the emulator’s subscriptions', () => {
	const SUBSCRIPTION_EVENTS = [
		'SubscriberCreated',
		'SubscriberCredited',
		'SubscriberCharged',
		'SubscriberActivated',
		'SubscriberPhaseChanged',
		'SubscriberDisabled',
		'SubscriberNeedUpgrade',
		'PaymentReminder',
		'PlanStarted',
		'CreditRefunded',
	];
	const DAY = 86_400;
	let now = 1_767_225_600; // 2026-01-01T00:00:00Z

	afterEach(() => emu.setClock(undefined));

	/** Moves the emulator clock (its poll runs the time-driven changes) and waits for the deliveries. */
	async function at(unix: number) {
		now = unix;
		emu.tick();
		await settleDeliveries(emu);
	}

	it('a paid plan checkout → Created, Credited, Charged, PlanStarted, PhaseChanged, Activated, each once and confirmed; renewal, reminder, grace and expiry follow the clock', async () => {
		now = 1_767_225_600;
		emu.setClock(() => now);
		const store = seedStore(emu, { name: 'Letters', defaultCurrency: 'EUR' });
		setup(store.id, { events: SUBSCRIPTION_EVENTS });
		expect(await hooks().create.call(hookCtx())).toBe(true);
		const offering = await api.subscriptions.createOffering(store.id, { appName: 'Newsletter' });
		const plan = await api.subscriptions.createPlan(store.id, offering.id, { name: 'Monthly', price: '9.90', currency: 'EUR', recurringType: 'Monthly', gracePeriodDays: 3 });
		const checkout = await api.subscriptions.createPlanCheckout({ storeId: store.id, offeringId: offering.id, planId: plan.id, newSubscriberEmail: 'ann@example.com' });
		const proceeded = await api.subscriptions.proceedPlanCheckout(checkout.id);
		simulatePayment(emu, String(proceeded.invoiceId), { paymentMethodId: 'BTC-LN' });
		await settleDeliveries(emu);

		expect(emittedTypes()).toEqual(['SubscriberCreated', 'SubscriberCredited', 'SubscriberCharged', 'PlanStarted', 'SubscriberPhaseChanged', 'SubscriberActivated']);
		expect(executions.every((e) => e.length === 1)).toBe(true);
		const subscriber = await api.subscriptions.getSubscriber(store.id, offering.id, 'ann@example.com');
		const customerId = subscriber.customer.id;
		for (const item of emitted()) {
			expect(item).toMatchObject({ confirmed: true, storeId: store.id, customerId, customerEmail: 'ann@example.com', offeringId: offering.id, planId: plan.id, planName: 'Monthly' });
		}
		const [, credited, charged, , phase, activated] = emitted();
		expect(credited).toMatchObject({ amount: '9.90', total: '9.90', currency: 'EUR' });
		expect(charged).toMatchObject({ amount: '9.90', total: '0.00', currency: 'EUR' });
		expect(phase).toMatchObject({ previousPhase: 'Expired', currentPhase: 'Normal', confirmedPhase: 'Normal' });
		expect(activated).toMatchObject({ isActive: true, confirmedIsActive: true, periodEnd: subscriber.periodEnd, confirmedPeriodEnd: subscriber.periodEnd });
		// every delivery answered 200 emitted, none twice
		expect(answers.map((a) => [a.status, a.body.emitted])).toEqual(Array(6).fill([200, true]));

		// Renewal: credit for the next period, the period ends, BTCPay charges the credit.
		executions.length = 0;
		await api.subscriptions.updateCredit(store.id, offering.id, customerId, 'EUR', { credit: '9.90', description: 'renewal' });
		await settleDeliveries(emu);
		const firstEnd = Number(subscriber.periodEnd);
		await at(firstEnd + 60);
		expect(emittedTypes()).toEqual(['SubscriberCredited', 'SubscriberCharged', 'PlanStarted']);
		expect(emitted().map((i) => i.confirmed)).toEqual([true, true, true]);
		expect(emitted()[1]).toMatchObject({ amount: '9.90', total: '0.00', phase: 'Normal' });
		expect(emitted()[2]).toMatchObject({ autoRenew: true });
		const renewed = await api.subscriptions.getSubscriber(store.id, offering.id, customerId);
		expect(Number(renewed.periodEnd)).toBeGreaterThan(firstEnd);

		// No credit left: a reminder 3 days before the end, then grace, then expiry.
		executions.length = 0;
		const secondEnd = Number(renewed.periodEnd);
		await at(secondEnd - 3 * DAY + 60);
		expect(emittedTypes()).toEqual(['PaymentReminder']);
		await at(secondEnd + 60);
		expect(emittedTypes()).toEqual(['PaymentReminder', 'SubscriberPhaseChanged']);
		expect(emitted()[1]).toMatchObject({ previousPhase: 'Normal', currentPhase: 'Grace', confirmed: true, isActive: true });
		await at(Number(renewed.gracePeriodEnd) + 60);
		expect(emittedTypes()).toEqual(['PaymentReminder', 'SubscriberPhaseChanged', 'SubscriberPhaseChanged', 'SubscriberDisabled']);
		expect(emitted()[2]).toMatchObject({ previousPhase: 'Grace', currentPhase: 'Expired', confirmed: true });
		expect(emitted()[3]).toMatchObject({ reason: 'Expired', isActive: false, confirmed: true, confirmedIsActive: false });
		await hooks().delete.call(hookCtx());
	});

	it('a forged SubscriberActivated for an expired subscriber, or one naming an unknown customer, is answered but not emitted', async () => {
		now = 1_767_225_600;
		emu.setClock(() => now);
		const store = seedStore(emu, { name: 'Forged subs', defaultCurrency: 'EUR' });
		setup(store.id, { events: SUBSCRIPTION_EVENTS });
		expect(await hooks().create.call(hookCtx())).toBe(true);
		const offering = await api.subscriptions.createOffering(store.id, { appName: 'Club' });
		const plan = await api.subscriptions.createPlan(store.id, offering.id, { name: 'Monthly', price: '5', currency: 'EUR', recurringType: 'Monthly', gracePeriodDays: 0 });
		const checkout = await api.subscriptions.createPlanCheckout({ storeId: store.id, offeringId: offering.id, planId: plan.id, newSubscriberEmail: 'bob@example.com' });
		const proceeded = await api.subscriptions.proceedPlanCheckout(checkout.id);
		simulatePayment(emu, String(proceeded.invoiceId), { paymentMethodId: 'BTC-LN' });
		await settleDeliveries(emu);
		const sub = await api.subscriptions.getSubscriber(store.id, offering.id, 'bob@example.com');
		await at(Number(sub.periodEnd) + 60);
		// jumping past the reminder date and the period end at once: one poll, all three
		expect(emittedTypes().slice(-3)).toEqual(['SubscriberPhaseChanged', 'PaymentReminder', 'SubscriberDisabled']);
		const before = executions.length;

		const expired = await api.subscriptions.getSubscriber(store.id, offering.id, sub.customer.id);
		const [fakeActive] = await sendWebhookEvent(emu, store.id, { type: 'SubscriberActivated', subscriber: { ...expired, isActive: true, phase: 'Normal' } });
		expect(fakeActive.httpCode).toBe(200);
		expect(JSON.parse(fakeActive.responseBody ?? '{}')).toMatchObject({ emitted: false, reason: 'unconfirmed' });
		const ghost = { ...expired, customer: { ...expired.customer, id: 'cust_NoSuchCustomer1' } };
		const [fakeCharge] = await sendWebhookEvent(emu, store.id, { type: 'SubscriberCharged', subscriber: ghost, total: 0, amount: 5, currency: 'EUR' });
		expect(JSON.parse(fakeCharge.responseBody ?? '{}')).toMatchObject({ emitted: false, reason: 'unconfirmed' });
		await settleDeliveries(emu);
		expect(executions).toHaveLength(before);
		await hooks().delete.call(hookCtx());
	});
});
