import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { BtcPayTrigger } from '../../../nodes/BtcPay/BtcPayTrigger.node';
import { signBtcPayPayload } from '../../../nodes/BtcPay/trigger/signing';
import { hookContext, webhookContext } from './fakes';
import { body, invoiceEvent, signed } from './fixtures';

const BASE = 'http://btcpay.test';
const STORE = 'Store1abc';
const URL_ = 'https://n8n.example/webhook/4f1c/webhook';
const hooks = () => new BtcPayTrigger().webhookMethods.default;

const remote = (over: Record<string, unknown> = {}) => ({
	id: 'Hook1',
	enabled: true,
	automaticRedelivery: true,
	url: URL_,
	authorizedEvents: { everything: false, specificEvents: ['InvoiceProcessing', 'InvoiceSettled'] },
	secret: null,
	...over,
});

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('BTCPay Trigger description', () => {
	it('has the documented name, credential, webhook and every documented event plus any', () => {
		const d = new BtcPayTrigger().description;
		expect(d.name).toBe('btcPayTrigger');
		expect(d.displayName).toBe('BTCPay Server Trigger');
		expect(d.credentials).toEqual([{ name: 'btcPayApi', required: true, testedBy: 'btcPayApiTest' }]);
		expect(d.webhooks?.[0]).toMatchObject({ name: 'default', httpMethod: 'POST', path: 'webhook' });
		const events = d.properties.find((p) => p.name === 'events');
		const values = (events?.options as Array<{ value: string }>).map((o) => o.value);
		// every type BTCPay v2.4.1 sends (WebhookEventType.cs, PendingTransactionTriggerProvider.cs, WebhookSubscriptionEvent.cs)
		expect(values).toEqual([
			'*',
			'InvoiceCreated',
			'InvoiceReceivedPayment',
			'InvoiceProcessing',
			'InvoiceExpired',
			'InvoiceSettled',
			'InvoiceInvalid',
			'InvoicePaymentSettled',
			'InvoiceExpiredPaidPartial',
			'InvoicePaidAfterExpiration',
			'InvoiceRefund',
			'PaymentRequestCreated',
			'PaymentRequestUpdated',
			'PaymentRequestArchived',
			'PaymentRequestStatusChanged',
			'PaymentRequestCompleted',
			'PayoutCreated',
			'PayoutApproved',
			'PayoutUpdated',
			'PendingTransactionCreated',
			'PendingTransactionSignatureCollected',
			'PendingTransactionBroadcast',
			'PendingTransactionCancelled',
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
		]);
		const labels = (events?.options as Array<{ name: string }>).map((o) => o.name);
		expect(new Set(labels).size).toBe(labels.length);
	});
});

describe('webhook lifecycle (automatic registration)', () => {
	it('create registers the webhook for this URL and events and keeps id, secret and store in static data', async () => {
		const scope = nock(BASE)
			.get(`/api/v1/stores/${STORE}/invoices`).query({ take: '1' }).reply(200, [])
			.post(`/api/v1/stores/${STORE}/webhooks`, {
				url: URL_,
				enabled: true,
				automaticRedelivery: true,
				authorizedEvents: { everything: false, specificEvents: ['InvoiceProcessing', 'InvoiceSettled'] },
			})
			.reply(200, remote({ secret: 'server-made-secret' }));
		const { ctx, staticData } = hookContext();
		await expect(hooks().create.call(ctx)).resolves.toBe(true);
		expect(staticData).toMatchObject({ webhookId: 'Hook1', secret: 'server-made-secret', storeId: STORE });
		scope.done();
	});

	it('create asks for every event with "any event" selected', async () => {
		const scope = nock(BASE)
			.get(`/api/v1/stores/${STORE}/invoices`).query({ take: '1' }).reply(200, [])
			.post(`/api/v1/stores/${STORE}/webhooks`, (b) => b.authorizedEvents.everything === true && !('specificEvents' in b.authorizedEvents))
			.reply(200, remote({ authorizedEvents: { everything: true }, secret: 's3cr3t-value' }));
		const { ctx } = hookContext({ params: { events: ['*', 'InvoiceSettled'] } });
		await hooks().create.call(ctx);
		scope.done();
	});

	it('a delivery BTCPay sends before n8n has saved the activation still finds the secret (same process)', async () => {
		nock(BASE)
			.get(`/api/v1/stores/${STORE}/invoices`).query({ take: '1' }).reply(200, [])
			.post(`/api/v1/stores/${STORE}/webhooks`).reply(200, remote({ secret: 'fresh-secret-77' }))
			.get(`/api/v1/stores/${STORE}/invoices/InvEarly1`).reply(200, { id: 'InvEarly1', storeId: STORE, amount: '5.00', currency: 'USD', status: 'Settled', additionalStatus: 'None', metadata: {} });
		deliveryRecords();
		const { ctx } = hookContext({ workflowId: 'wf-early' });
		await hooks().create.call(ctx);
		// n8n loads static data from its database for the call: not saved yet, so no secret in it
		const event = invoiceEvent('InvoiceSettled', { storeId: STORE, invoiceId: 'InvEarly1' });
		const early = webhookContext({ ...withSig(event, 'fresh-secret-77') }, { staticData: {}, workflowId: 'wf-early' });
		const out = await new BtcPayTrigger().webhook.call(early.ctx);
		expect(out.webhookResponse).toMatchObject({ received: true, emitted: true });
		expect(out.workflowData?.[0]).toHaveLength(1);
		// after deactivation the secret is forgotten: an unsigned-for-us call is refused again
		nock(BASE).delete(`/api/v1/stores/${STORE}/webhooks/Hook1`).reply(200);
		await hooks().delete.call(hookContext({ workflowId: 'wf-early', staticData: { webhookId: 'Hook1', secret: 'fresh-secret-77', storeId: STORE } }).ctx);
		const late = webhookContext({ ...withSig({ ...event, deliveryId: 'Late1' }, 'fresh-secret-77') }, { staticData: {}, workflowId: 'wf-early' });
		await new BtcPayTrigger().webhook.call(late.ctx);
		expect(late.response).toMatchObject({ statusCode: 401, body: { received: false, error: 'no_secret' } });
	});

	it('checkExists is false without a stored webhook and sends nothing', async () => {
		const { ctx } = hookContext();
		await expect(hooks().checkExists.call(ctx)).resolves.toBe(false);
		expect(nock.pendingMocks()).toHaveLength(0);
	});

	it('checkExists is true when the stored webhook still exists with the same URL and events', async () => {
		const scope = nock(BASE).get(`/api/v1/stores/${STORE}/webhooks/Hook1`).reply(200, remote());
		const { ctx, staticData } = hookContext({ staticData: { webhookId: 'Hook1', secret: 'abc123secret', storeId: STORE } });
		await expect(hooks().checkExists.call(ctx)).resolves.toBe(true);
		expect(staticData.webhookId).toBe('Hook1');
		scope.done();
	});

	it('checkExists replaces a webhook whose URL or events changed (deletes ours, returns false)', async () => {
		for (const changed of [remote({ url: 'https://old.example/webhook' }), remote({ authorizedEvents: { everything: true } }), remote({ enabled: false })]) {
			const scope = nock(BASE)
				.get(`/api/v1/stores/${STORE}/webhooks/Hook1`).reply(200, changed)
				.delete(`/api/v1/stores/${STORE}/webhooks/Hook1`).reply(200);
			const { ctx, staticData } = hookContext({ staticData: { webhookId: 'Hook1', secret: 'abc123secret', storeId: STORE } });
			await expect(hooks().checkExists.call(ctx)).resolves.toBe(false);
			expect(staticData.webhookId).toBeUndefined();
			expect(staticData.secret).toBeUndefined();
			scope.done();
		}
	});

	it('checkExists forgets a webhook deleted in BTCPay (404)', async () => {
		nock(BASE).get(`/api/v1/stores/${STORE}/webhooks/Hook1`).reply(404, { code: 'webhook-not-found' });
		const { ctx, staticData } = hookContext({ staticData: { webhookId: 'Hook1', secret: 'abc123secret', storeId: STORE } });
		await expect(hooks().checkExists.call(ctx)).resolves.toBe(false);
		expect(staticData).toEqual({});
	});

	it('checkExists removes the webhook from the previous store when the store changed', async () => {
		const scope = nock(BASE).delete('/api/v1/stores/OldStore99/webhooks/Hook1').reply(200);
		const { ctx, staticData } = hookContext({ staticData: { webhookId: 'Hook1', secret: 'abc123secret', storeId: 'OldStore99' } });
		await expect(hooks().checkExists.call(ctx)).resolves.toBe(false);
		expect(staticData).toEqual({});
		scope.done();
	});

	it('delete removes the webhook and clears static data; a webhook already gone is fine', async () => {
		const scope = nock(BASE).delete(`/api/v1/stores/${STORE}/webhooks/Hook1`).reply(200);
		const { ctx, staticData } = hookContext({ staticData: { webhookId: 'Hook1', secret: 'abc123secret', storeId: STORE, seenDeliveries: ['x'] } });
		await expect(hooks().delete.call(ctx)).resolves.toBe(true);
		expect(staticData.webhookId).toBeUndefined();
		expect(staticData.secret).toBeUndefined();
		scope.done();

		nock(BASE).delete(`/api/v1/stores/${STORE}/webhooks/Hook2`).reply(404, {});
		const second = hookContext({ staticData: { webhookId: 'Hook2', secret: 'abc123secret', storeId: STORE } });
		await expect(hooks().delete.call(second.ctx)).resolves.toBe(true);
	});

	it('create explains a 403 by naming btcpay.store.webhooks.canmodifywebhooks, with or without missingPermission in the body', async () => {
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices`).query(true).times(2).reply(200, []);
		nock(BASE)
			.post(`/api/v1/stores/${STORE}/webhooks`)
			.reply(403, { code: 'missing-permission', missingPermission: 'btcpay.store.webhooks.canmodifywebhooks', message: 'x' });
		const { ctx } = hookContext();
		await expect(hooks().create.call(ctx)).rejects.toThrow(/btcpay\.store\.webhooks\.canmodifywebhooks/);

		nock(BASE).post(`/api/v1/stores/${STORE}/webhooks`).reply(403, {});
		const again = hookContext();
		const error = await hooks().create.call(again.ctx).catch((e: Error) => e);
		expect(String((error as Error).message)).toContain('btcpay.store.webhooks.canmodifywebhooks');
		expect(String((error as Error).message)).not.toContain('apikey-trigger');
	});

	it('create refuses early when Confirm With API is on but the key cannot read invoices; with the option off it does not ask', async () => {
		nock(BASE)
			.get(`/api/v1/stores/${STORE}/invoices`).query(true)
			.reply(403, { code: 'missing-permission', missingPermission: 'btcpay.store.canviewinvoices', message: 'x' });
		const { ctx, staticData } = hookContext();
		await expect(hooks().create.call(ctx)).rejects.toThrow(/btcpay\.store\.canviewinvoices/);
		expect(staticData.webhookId).toBeUndefined();
		expect(nock.pendingMocks()).toHaveLength(0);

		const scope = nock(BASE).post(`/api/v1/stores/${STORE}/webhooks`).reply(200, remote({ secret: 'server-made-secret' }));
		const off = hookContext({ params: { options: { confirmWithApi: false } } });
		await expect(hooks().create.call(off.ctx)).resolves.toBe(true);
		scope.done();
	});

	it('with subscription events selected, create checks the key can read offerings (confirming reads the subscriber back)', async () => {
		nock(BASE)
			.get(`/api/v1/stores/${STORE}/offerings`)
			.reply(403, { code: 'missing-permission', missingPermission: 'btcpay.store.canviewofferings', message: 'x' });
		const params = { events: ['SubscriberActivated', 'SubscriberDisabled'] };
		const { ctx, staticData } = hookContext({ params });
		await expect(hooks().create.call(ctx)).rejects.toThrow(/Confirm With API needs the permission "btcpay\.store\.canviewofferings"/);
		expect(staticData.webhookId).toBeUndefined();

		nock(BASE).get(`/api/v1/stores/${STORE}/offerings`).reply(200, []);
		const scope = nock(BASE)
			.post(`/api/v1/stores/${STORE}/webhooks`, (b) => b.authorizedEvents.specificEvents.includes('SubscriberActivated'))
			.reply(200, remote({ secret: 'server-made-secret' }));
		const ok = hookContext({ params });
		await expect(hooks().create.call(ok.ctx)).resolves.toBe(true);
		scope.done();
		expect(nock.pendingMocks()).toHaveLength(0);
	});

	it('create says the store does not exist (not a missing permission) when the key holds the permission but BTCPay answers 403', async () => {
		nock(BASE)
			.get(`/api/v1/stores/${STORE}/invoices`).query(true)
			.reply(403, { code: 'missing-permission', missingPermission: `btcpay.store.canviewinvoices:${STORE}`, message: 'x' });
		nock(BASE).get('/api/v1/api-keys/current').reply(200, { permissions: ['btcpay.store.canmodifystoresettings'] });
		const { ctx, staticData } = hookContext();
		const error = (await hooks().create.call(ctx).catch((e: Error) => e)) as Error;
		expect(error.message).toContain(`The BTCPay store "${STORE}" does not exist or this API key cannot see it`);
		expect(error.message).not.toContain('apikey-trigger');
		expect(staticData.webhookId).toBeUndefined();
	});

	it('manual registration never calls the API', async () => {
		const { ctx } = hookContext({ params: { registration: 'manual', webhookSecret: 'pasted-secret' } });
		await expect(hooks().checkExists.call(ctx)).resolves.toBe(true);
		await expect(hooks().create.call(ctx)).resolves.toBe(true);
		await expect(hooks().delete.call(ctx)).resolves.toBe(true);
		expect(nock.pendingMocks()).toHaveLength(0);
	});
});

/** BTCPay's delivery records of webhook Hook1 (trigger/ledger.ts): none unless a test adds some. */
function deliveryRecords(records: Array<{ id: string; httpCode?: number; timestamp?: number; request?: Record<string, unknown> }> = []): number[] {
	const listed: number[] = [];
	const byId = new Map(records.map((r) => [r.id, r]));
	nock(BASE)
		.persist()
		.get(new RegExp(`^/api/v1/stores/${STORE}/webhooks/Hook1/deliveries/([^/]+)$`))
		.reply((uri) => {
			const r = byId.get(decodeURIComponent(uri.split('/').pop() ?? ''));
			return r ? [200, { id: r.id, timestamp: r.timestamp ?? 1, status: 'HttpSuccess', httpCode: r.httpCode ?? 200 }] : [404, { code: 'webhookdelivery-not-found', message: 'The webhook delivery was not found' }];
		})
		.get(new RegExp(`^/api/v1/stores/${STORE}/webhooks/Hook1/deliveries/([^/]+)/request$`))
		.reply((uri) => {
			const r = byId.get(decodeURIComponent(uri.split('/').slice(-2)[0]));
			return r?.request ? [200, r.request] : [404, { code: 'webhookdelivery-not-found', message: 'x' }];
		})
		.get(`/api/v1/stores/${STORE}/webhooks/Hook1/deliveries`)
		.query(true)
		.reply(200, (uri) => {
			const count = Number(new URL(uri, BASE).searchParams.get('count') ?? records.length);
			listed.push(count);
			return records.slice(0, count).map((r) => ({ id: r.id, timestamp: r.timestamp ?? 1, status: 'HttpSuccess', httpCode: r.httpCode ?? 200 }));
		});
	return listed;
}

describe('webhook() with the raw request', () => {
	const trigger = new BtcPayTrigger();
	beforeEach(() => deliveryRecords());
	const registered = () => ({ webhookId: 'Hook1', secret: 'stored-secret-42', storeId: STORE });
	const invoiceJson = (id: string, status: string) => ({ id, storeId: STORE, amount: '21.00', currency: 'USD', status, additionalStatus: 'None', metadata: { orderId: 'srv' } });

	it('emits one confirmed item for a signed delivery, then acknowledges its redelivery without emitting', async () => {
		const event = invoiceEvent('InvoiceSettled', { storeId: STORE, invoiceId: 'InvAbc1' });
		const staticData = registered();
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices/InvAbc1`).reply(200, invoiceJson('InvAbc1', 'Settled'));
		const first = webhookContext({ ...withSig(event, 'stored-secret-42') }, { staticData });
		const out = await trigger.webhook.call(first.ctx);
		expect(out.workflowData?.[0]).toHaveLength(1);
		// the documented answer, which n8n sends (status 200) once it has queued the execution
		expect(out.noWebhookResponse).toBeUndefined();
		expect(out.webhookResponse).toEqual({ received: true, emitted: true, deliveryId: event.deliveryId });
		expect(first.response.statusCode).toBeUndefined();
		expect(out.workflowData?.[0][0].json).toMatchObject({ type: 'InvoiceSettled', invoiceId: 'InvAbc1', confirmed: true, invoiceStatus: 'Settled', invoiceAmount: '21.00' });
		expect((staticData as Record<string, unknown>).seenDeliveries).toEqual([event.deliveryId]);

		const redelivery = { ...event, deliveryId: 'Redel1', isRedelivery: true, originalDeliveryId: event.deliveryId };
		const second = webhookContext({ ...withSig(redelivery, 'stored-secret-42') }, { staticData });
		const again = await trigger.webhook.call(second.ctx);
		expect(again).toEqual({ noWebhookResponse: true });
		expect(second.response).toMatchObject({ statusCode: 200, body: { received: true, emitted: false, reason: 'duplicate' } });
	});

	// n8n loads static data from its database for every call and, after a call that started an
	// execution, does not save what webhook() wrote: each call below gets its own copy, as in n8n.
	it('runs the workflow once for two identical deliveries handled at the same time', async () => {
		const event = invoiceEvent('InvoiceSettled', { storeId: STORE, invoiceId: 'InvTwin1' });
		const redelivery = { ...event, deliveryId: 'Twin2', isRedelivery: true, originalDeliveryId: event.deliveryId };
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices/InvTwin1`).times(2).delay(100).reply(200, invoiceJson('InvTwin1', 'Settled'));
		const a = webhookContext({ ...withSig(event, 'stored-secret-42') }, { staticData: registered(), workflowId: 'wf-twins' });
		const b = webhookContext({ ...withSig(redelivery, 'stored-secret-42') }, { staticData: registered(), workflowId: 'wf-twins' });
		const outs = await Promise.all([trigger.webhook.call(a.ctx), trigger.webhook.call(b.ctx)]);
		expect(outs.filter((o) => o.workflowData !== undefined)).toHaveLength(1);
		expect([a.response.body, b.response.body]).toContainEqual(expect.objectContaining({ emitted: false, reason: 'duplicate' }));
		expect(outs.map((o) => o.webhookResponse).filter(Boolean)).toEqual([expect.objectContaining({ emitted: true })]);
	});

	it('acknowledges a redelivery without running the workflow even when static data was not saved', async () => {
		const event = invoiceEvent('InvoiceSettled', { storeId: STORE, invoiceId: 'InvLost1' });
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices/InvLost1`).reply(200, invoiceJson('InvLost1', 'Settled'));
		const first = webhookContext({ ...withSig(event, 'stored-secret-42') }, { staticData: registered(), workflowId: 'wf-lost' });
		expect((await trigger.webhook.call(first.ctx)).workflowData?.[0]).toHaveLength(1);
		// what n8n's database still holds: only the registration
		const redelivery = { ...event, deliveryId: 'Lost2', isRedelivery: true, originalDeliveryId: event.deliveryId };
		const stale = registered();
		const second = webhookContext({ ...withSig(redelivery, 'stored-secret-42') }, { staticData: stale, workflowId: 'wf-lost' });
		const again = await trigger.webhook.call(second.ctx);
		expect(again.workflowData).toBeUndefined();
		expect(second.response.body).toMatchObject({ emitted: false, reason: 'duplicate' });
		// the memory is written to static data again
		expect((stale as Record<string, unknown>).seenDeliveries).toEqual([event.deliveryId]);
	});

	it('processes the redelivery of a delivery that was answered with an error', async () => {
		const event = invoiceEvent('InvoiceSettled', { storeId: STORE, invoiceId: 'InvRetry1' });
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices/InvRetry1`).times(10).reply(502, { message: 'bad gateway' });
		const first = webhookContext({ ...withSig(event, 'stored-secret-42') }, { staticData: registered(), workflowId: 'wf-retry' });
		const failed = await trigger.webhook.call(first.ctx);
		expect(failed).toEqual({ noWebhookResponse: true });
		expect(first.response.statusCode).toBe(503);
		nock.cleanAll();
		deliveryRecords([{ id: event.deliveryId as string, httpCode: 503 }]);
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices/InvRetry1`).reply(200, invoiceJson('InvRetry1', 'Settled'));
		const redelivery = { ...event, deliveryId: 'Retry2', isRedelivery: true, originalDeliveryId: event.deliveryId };
		const second = webhookContext({ ...withSig(redelivery, 'stored-secret-42') }, { staticData: registered(), workflowId: 'wf-retry' });
		const out = await trigger.webhook.call(second.ctx);
		expect(out.workflowData?.[0][0].json).toMatchObject({ invoiceId: 'InvRetry1', confirmed: true });
	});

	// Another n8n process (queue mode: another webhook process) has a memory of its own: each
	// test below uses a fresh workflow id, so only BTCPay's delivery records can tell.
	it('acknowledges a redelivery emitted by another process: BTCPay recorded a 2xx for the original', async () => {
		const event = invoiceEvent('InvoiceSettled', { storeId: STORE, invoiceId: 'InvOther1' });
		nock.cleanAll();
		deliveryRecords([{ id: event.deliveryId as string, httpCode: 200 }]);
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices/InvOther1`).reply(200, invoiceJson('InvOther1', 'Settled'));
		const redelivery = { ...event, deliveryId: 'Other2', isRedelivery: true, originalDeliveryId: event.deliveryId };
		const second = webhookContext({ ...withSig(redelivery, 'stored-secret-42') }, { staticData: registered(), workflowId: 'wf-other-process' });
		const out = await trigger.webhook.call(second.ctx);
		expect(out.workflowData).toBeUndefined();
		expect(second.response).toMatchObject({ statusCode: 200, body: { emitted: false, reason: 'duplicate' } });
	});

	it('acknowledges a manual Redeliver of a chain whose original failed and whose retry was emitted elsewhere', async () => {
		const event = invoiceEvent('InvoiceSettled', { storeId: STORE, invoiceId: 'InvChain1' });
		const original = event.deliveryId as string;
		nock.cleanAll();
		deliveryRecords([
			{ id: 'Unrelated9', httpCode: 200, timestamp: 20, request: { deliveryId: 'Unrelated9', originalDeliveryId: 'Unrelated9' } },
			{ id: 'Retry1', httpCode: 200, timestamp: 15, request: { deliveryId: 'Retry1', originalDeliveryId: original, isRedelivery: true } },
			{ id: original, httpCode: 503, timestamp: 10 },
		]);
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices/InvChain1`).reply(200, invoiceJson('InvChain1', 'Settled'));
		const manual = { ...event, deliveryId: 'Manual3', isRedelivery: true, originalDeliveryId: original };
		const call = webhookContext({ ...withSig(manual, 'stored-secret-42') }, { staticData: registered(), workflowId: 'wf-chain' });
		const out = await trigger.webhook.call(call.ctx);
		expect(out.workflowData).toBeUndefined();
		expect(call.response.body).toMatchObject({ emitted: false, reason: 'duplicate' });
	});

	it('finds the emitted retry of a manual Redeliver further back than the first page of records', async () => {
		const event = invoiceEvent('InvoiceSettled', { storeId: STORE, invoiceId: 'InvDeep1' });
		const original = event.deliveryId as string;
		nock.cleanAll();
		const newer = Array.from({ length: 60 }, (_, i) => ({ id: `Newer${i}`, httpCode: 200, timestamp: 100 - i, request: { deliveryId: `Newer${i}`, originalDeliveryId: `Newer${i}` } }));
		const listed = deliveryRecords([
			...newer,
			{ id: 'DeepRetry1', httpCode: 200, timestamp: 15, request: { deliveryId: 'DeepRetry1', originalDeliveryId: original, isRedelivery: true } },
			{ id: original, httpCode: 503, timestamp: 10 },
			{ id: 'Older1', httpCode: 200, timestamp: 5 },
		]);
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices/InvDeep1`).reply(200, invoiceJson('InvDeep1', 'Settled'));
		const manual = { ...event, deliveryId: 'DeepManual3', isRedelivery: true, originalDeliveryId: original };
		const call = webhookContext({ ...withSig(manual, 'stored-secret-42') }, { staticData: registered(), workflowId: 'wf-deep' });
		const out = await trigger.webhook.call(call.ctx);
		expect(out.workflowData).toBeUndefined();
		expect(call.response.body).toMatchObject({ emitted: false, reason: 'duplicate' });
		expect(listed).toEqual([25, 100]);
	});

	it('emits an automatic retry whose earlier attempts all failed', async () => {
		const event = invoiceEvent('InvoiceSettled', { storeId: STORE, invoiceId: 'InvFailed1' });
		const original = event.deliveryId as string;
		nock.cleanAll();
		deliveryRecords([
			{ id: 'Other7', httpCode: 200, timestamp: 30, request: { deliveryId: 'Other7', originalDeliveryId: 'Other7' } },
			{ id: original, httpCode: 503, timestamp: 10 },
		]);
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices/InvFailed1`).reply(200, invoiceJson('InvFailed1', 'Settled'));
		const retry = { ...event, deliveryId: 'Auto2', isRedelivery: true, originalDeliveryId: original };
		const call = webhookContext({ ...withSig(retry, 'stored-secret-42') }, { staticData: registered(), workflowId: 'wf-failed' });
		const out = await trigger.webhook.call(call.ctx);
		expect(out.workflowData?.[0][0].json).toMatchObject({ invoiceId: 'InvFailed1', deliveryId: 'Auto2' });
	});

	it('does not emit a delivery BTCPay already recorded (it stopped waiting: a stalled process resumed)', async () => {
		const event = invoiceEvent('InvoiceSettled', { storeId: STORE, invoiceId: 'InvStale1' });
		nock.cleanAll();
		deliveryRecords([{ id: event.deliveryId as string, httpCode: 502 }]);
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices/InvStale1`).reply(200, invoiceJson('InvStale1', 'Settled'));
		const call = webhookContext({ ...withSig(event, 'stored-secret-42') }, { staticData: registered(), workflowId: 'wf-stale' });
		const out = await trigger.webhook.call(call.ctx);
		expect(out.workflowData).toBeUndefined();
		expect(call.response).toMatchObject({ statusCode: 503, body: { received: false, error: 'answer_too_late' } });
		// and the redelivery BTCPay sends next is emitted
		const retry = { ...event, deliveryId: 'StaleRetry2', isRedelivery: true, originalDeliveryId: event.deliveryId };
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices/InvStale1`).reply(200, invoiceJson('InvStale1', 'Settled'));
		const next = webhookContext({ ...withSig(retry, 'stored-secret-42') }, { staticData: registered(), workflowId: 'wf-stale' });
		expect((await trigger.webhook.call(next.ctx)).workflowData?.[0]).toHaveLength(1);
	});

	it('answers 503 when BTCPay\'s delivery records cannot be read (a retry can succeed), and falls back to its memory when the key may not read them', async () => {
		const event = invoiceEvent('InvoiceSettled', { storeId: STORE, invoiceId: 'InvNoRec1' });
		nock.cleanAll();
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices/InvNoRec1`).reply(200, invoiceJson('InvNoRec1', 'Settled'));
		nock(BASE).get(new RegExp(`/webhooks/Hook1/deliveries/`)).times(2).reply(502, { message: 'bad gateway' });
		const down = webhookContext({ ...withSig(event, 'stored-secret-42') }, { staticData: registered(), workflowId: 'wf-norec' });
		expect((await trigger.webhook.call(down.ctx)).workflowData).toBeUndefined();
		expect(down.response).toMatchObject({ statusCode: 503, body: { error: 'delivery_records_unavailable' } });
		nock.cleanAll();
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices/InvNoRec1`).reply(200, invoiceJson('InvNoRec1', 'Settled'));
		nock(BASE)
			.get(new RegExp(`/webhooks/Hook1/deliveries/`))
			.reply(403, { code: 'missing-permission', missingPermission: 'btcpay.store.webhooks.canmodifywebhooks', message: 'x' });
		const denied = webhookContext({ ...withSig(event, 'stored-secret-42') }, { staticData: registered(), workflowId: 'wf-norec' });
		expect((await trigger.webhook.call(denied.ctx)).workflowData?.[0]).toHaveLength(1);
	});

	// Without the records, the memory of this process is all there is: it must reach n8n's
	// database, which n8n does only when the node answers before the execution is started.
	it('answers first (through the response object) when the key may not read the delivery records, so n8n saves the memory', async () => {
		const event = invoiceEvent('InvoiceSettled', { storeId: STORE, invoiceId: 'InvDenied1' });
		nock.cleanAll();
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices/InvDenied1`).reply(200, invoiceJson('InvDenied1', 'Settled'));
		const forbidden = { code: 'missing-permission', missingPermission: 'btcpay.store.webhooks.canmodifywebhooks', message: 'x' };
		nock(BASE).get(new RegExp(`/webhooks/Hook1/deliveries/`)).times(3).reply(403, forbidden);
		const staticData = registered();
		const call = webhookContext({ ...withSig(event, 'stored-secret-42') }, { staticData, workflowId: 'wf-denied' });
		const out = await trigger.webhook.call(call.ctx);
		expect(out.noWebhookResponse).toBe(true);
		expect(out.webhookResponse).toBeUndefined();
		expect(out.workflowData?.[0][0].json).toMatchObject({ invoiceId: 'InvDenied1', confirmed: true });
		expect(call.response).toMatchObject({ statusCode: 200, body: { received: true, emitted: true, deliveryId: event.deliveryId } });
		expect((staticData as Record<string, unknown>).seenDeliveries).toEqual([event.deliveryId]);
		expect(call.warn.mock.calls.map((c) => String(c[0])).join('\n')).toContain('btcpay.store.webhooks.canmodifywebhooks');

		// after a restart (a fresh process memory: another workflow id here), the saved memory recognises the redelivery
		const redelivery = { ...event, deliveryId: 'Denied2', isRedelivery: true, originalDeliveryId: event.deliveryId };
		const saved = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		const next = webhookContext({ ...withSig(redelivery, 'stored-secret-42') }, { staticData: saved, workflowId: 'wf-denied-restarted' });
		const again = await trigger.webhook.call(next.ctx);
		expect(again).toEqual({ noWebhookResponse: true });
		expect(next.response).toMatchObject({ statusCode: 200, body: { emitted: false, reason: 'duplicate' } });
	});

	it('reads BTCPay\'s record of the delivery while the invoice is being confirmed (not after)', async () => {
		const event = invoiceEvent('InvoiceSettled', { storeId: STORE, invoiceId: 'InvSide1' });
		nock.cleanAll();
		const order: string[] = [];
		nock(BASE)
			.get(`/api/v1/stores/${STORE}/webhooks/Hook1/deliveries/${event.deliveryId as string}`)
			.reply(() => {
				order.push('record asked');
				return [404, { code: 'webhookdelivery-not-found', message: 'The webhook delivery was not found' }];
			});
		nock(BASE)
			.get(`/api/v1/stores/${STORE}/invoices/InvSide1`)
			.delay(200)
			.reply(() => {
				order.push('invoice answered');
				return [200, invoiceJson('InvSide1', 'Settled')];
			});
		const call = webhookContext({ ...withSig(event, 'stored-secret-42') }, { staticData: registered(), workflowId: 'wf-side' });
		const out = await trigger.webhook.call(call.ctx);
		expect(out.webhookResponse).toMatchObject({ emitted: true });
		expect(order).toEqual(['record asked', 'invoice answered']);
	});

	it('keeps the memories of two trigger nodes (or stores) apart', async () => {
		const event = invoiceEvent('InvoiceSettled', { storeId: STORE, invoiceId: 'InvApart1' });
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices/InvApart1`).times(2).reply(200, invoiceJson('InvApart1', 'Settled'));
		const a = webhookContext({ ...withSig(event, 'stored-secret-42') }, { staticData: registered(), workflowId: 'wf-apart-a' });
		const b = webhookContext({ ...withSig(event, 'stored-secret-42') }, { staticData: registered(), workflowId: 'wf-apart-b' });
		expect((await trigger.webhook.call(a.ctx)).workflowData).toBeDefined();
		expect((await trigger.webhook.call(b.ctx)).workflowData).toBeDefined();
	});

	it('answers 401 itself and starts nothing for a forged delivery', async () => {
		const event = invoiceEvent('InvoiceSettled', { storeId: STORE });
		const { ctx, response } = webhookContext({ ...withSig(event, 'guessed-secret') }, { staticData: registered() });
		const out = await trigger.webhook.call(ctx);
		expect(out).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(401);
	});

	it('answers 401 when the header is missing and 400 for an oversized body', async () => {
		const raw = body(invoiceEvent('InvoiceSettled'));
		const a = webhookContext({ rawBody: raw, headers: {} }, { staticData: registered() });
		expect(await trigger.webhook.call(a.ctx)).toEqual({ noWebhookResponse: true });
		expect(a.response.statusCode).toBe(401);
		const b = webhookContext({ ...withSig(invoiceEvent('InvoiceSettled'), 'stored-secret-42') }, { staticData: registered(), params: { options: { maxBodySizeKb: 0.1 } } });
		await trigger.webhook.call(b.ctx);
		expect(b.response.statusCode).toBe(400);
	});

	it('reads the body through readRawBody() when n8n has not read it yet', async () => {
		const event = invoiceEvent('PayoutApproved', { storeId: STORE, invoiceId: undefined, payoutId: 'Po9' });
		const { ctx } = webhookContext({ ...withSig(event, 'stored-secret-42'), lazy: true }, { staticData: registered(), params: { events: ['*'] } });
		const out = await trigger.webhook.call(ctx);
		expect(out.workflowData?.[0][0].json).toMatchObject({ type: 'PayoutApproved', payoutId: 'Po9' });
	});

	it('uses the pasted secret in manual mode', async () => {
		const event = invoiceEvent('InvoiceSettled', { storeId: STORE, invoiceId: 'InvManual1' });
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices/InvManual1`).reply(200, invoiceJson('InvManual1', 'Settled'));
		const params = { registration: 'manual', webhookSecret: 'pasted-secret-77' };
		const ok = webhookContext({ ...withSig(event, 'pasted-secret-77') }, { params });
		expect((await trigger.webhook.call(ok.ctx)).workflowData?.[0][0].json).toMatchObject({ invoiceId: 'InvManual1', confirmed: true });
		const wrong = webhookContext({ ...withSig(event, 'stored-secret-42') }, { params, staticData: registered() });
		await trigger.webhook.call(wrong.ctx);
		expect(wrong.response.statusCode).toBe(401);
	});

	it('does not emit when BTCPay says the invoice is not settled, and logs why', async () => {
		const event = invoiceEvent('InvoiceSettled', { storeId: STORE, invoiceId: 'InvFake1' });
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices/InvFake1`).reply(200, invoiceJson('InvFake1', 'New'));
		const { ctx, warn, response } = webhookContext({ ...withSig(event, 'stored-secret-42') }, { staticData: registered() });
		const out = await trigger.webhook.call(ctx);
		expect(out.workflowData).toBeUndefined();
		expect(response.body).toMatchObject({ emitted: false, reason: 'unconfirmed' });
		expect(warn).toHaveBeenCalledWith(expect.stringContaining('BTCPay says New'));
	});

	// Was 500, which BTCPay retries for about an hour while holding back the store's later events.
	it('answers 401 (not 5xx) without a secret (not registered yet) and logs an error', async () => {
		const { ctx, response, error } = webhookContext({ ...withSig(invoiceEvent('InvoiceSettled', { storeId: STORE }), 'x-secret-value') }, {});
		await trigger.webhook.call(ctx);
		expect(response).toMatchObject({ statusCode: 401, body: { received: false, error: 'no_secret' } });
		expect(error).toHaveBeenCalledWith(expect.stringContaining('no webhook secret'));
	});

	it('answers 403 (not 5xx) and logs an error when the key cannot read invoices', async () => {
		const event = invoiceEvent('InvoiceSettled', { storeId: STORE, invoiceId: 'InvDenied1' });
		nock(BASE)
			.get(`/api/v1/stores/${STORE}/invoices/InvDenied1`)
			.reply(403, { code: 'missing-permission', missingPermission: `btcpay.store.canviewinvoices:${STORE}`, message: 'x' });
		nock(BASE).get('/api/v1/api-keys/current').reply(200, { permissions: [`btcpay.store.webhooks.canmodifywebhooks:${STORE}`] });
		const { ctx, response, error } = webhookContext({ ...withSig(event, 'stored-secret-42') }, { staticData: registered() });
		const out = await trigger.webhook.call(ctx);
		expect(out.workflowData).toBeUndefined();
		expect(response).toMatchObject({ statusCode: 403, body: { emitted: false, error: 'confirmation_failed' } });
		expect(error).toHaveBeenCalledWith(expect.stringContaining('btcpay.store.canviewinvoices'));
		expect(String(error.mock.calls[0][0])).not.toContain('stored-secret-42');
		expect(String(error.mock.calls[0][0])).not.toContain('apikey-trigger');
	});

	it('answers 503 within its budget when BTCPay keeps failing (one quick retry, no 3 x 30 s)', async () => {
		const event = invoiceEvent('InvoiceSettled', { storeId: STORE, invoiceId: 'InvSlow1' });
		const scope = nock(BASE).get(`/api/v1/stores/${STORE}/invoices/InvSlow1`).times(2).reply(503, {}, { 'Retry-After': '120' });
		const { ctx, response } = webhookContext({ ...withSig(event, 'stored-secret-42') }, { staticData: registered(), workflowId: 'wf-slow' });
		const started = Date.now();
		await trigger.webhook.call(ctx);
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(response.statusCode).toBe(503);
		expect(nock.pendingMocks().filter((m) => m.includes('/invoices/')).length).toBeLessThanOrEqual(1);
		void scope;
	});
});

function withSig(event: unknown, secret: string) {
	const { rawBody } = signed(event, secret);
	return { rawBody, headers: { 'btcpay-sig': signBtcPayPayload(secret, rawBody) } };
}
