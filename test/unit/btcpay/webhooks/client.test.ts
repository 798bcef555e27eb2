import nock from 'nock';
import { createBtcPayHttp } from '../../../../nodes/BtcPay/client';
import { WebhooksApi, webhookBody, webhookEventsMatch, webhookSchema } from '../../../../nodes/BtcPay/client/webhooks';
import { caught } from '../../../helpers/caught';

const BASE = 'http://btcpay.test';
const KEY = 'apikey-webhooks-0123456789';
const api = () => new WebhooksApi(createBtcPayHttp({ url: BASE, apiKey: KEY, retryDelayMs: 1 }));

const hook = {
	id: 'Hook1',
	enabled: true,
	automaticRedelivery: true,
	url: 'https://n8n.example/webhook/abc/webhook',
	authorizedEvents: { everything: false, specificEvents: ['InvoiceSettled'] },
	secret: null,
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('WebhooksApi', () => {
	it('creates a webhook with specific events and returns the secret', async () => {
		const scope = nock(BASE, { reqheaders: { authorization: `token ${KEY}` } })
			.post('/api/v1/stores/Store1/webhooks', {
				url: hook.url,
				enabled: true,
				automaticRedelivery: true,
				authorizedEvents: { everything: false, specificEvents: ['InvoiceSettled', 'InvoiceProcessing'] },
			})
			.reply(200, { ...hook, secret: 'generated-secret' });
		const created = await api().create('Store1', { url: hook.url, events: ['InvoiceSettled', 'InvoiceProcessing', 'InvoiceSettled'] });
		expect(created.secret).toBe('generated-secret');
		expect(created.id).toBe('Hook1');
		scope.done();
	});

	it('asks for every event when no event is given', () => {
		expect(webhookBody({ url: hook.url })).toMatchObject({ authorizedEvents: { everything: true } });
	});

	it('fails clearly when the create answer carries no secret', async () => {
		nock(BASE).post('/api/v1/stores/Store1/webhooks').reply(200, hook);
		const err = await caught(api().create('Store1', { url: hook.url }));
		expect(err.kind).toBe('protocol');
		expect(err.message).toContain('secret');
	});

	it('gets, lists, updates and deletes', async () => {
		const scope = nock(BASE)
			.get('/api/v1/stores/Store1/webhooks/Hook1').reply(200, hook)
			.get('/api/v1/stores/Store1/webhooks').reply(200, [hook])
			.put('/api/v1/stores/Store1/webhooks/Hook1', (b) => b.enabled === false && b.authorizedEvents.everything === true)
			.reply(200, { ...hook, enabled: false, authorizedEvents: { everything: true, specificEvents: [] } })
			.delete('/api/v1/stores/Store1/webhooks/Hook1').reply(200);
		const a = api();
		expect((await a.get('Store1', 'Hook1')).url).toBe(hook.url);
		expect(await a.list('Store1')).toHaveLength(1);
		expect((await a.update('Store1', 'Hook1', { url: hook.url, enabled: false })).enabled).toBe(false);
		await expect(a.delete('Store1', 'Hook1')).resolves.toBeUndefined();
		scope.done();
	});

	it('maps 404 to a not_found error naming the webhook', async () => {
		nock(BASE).get('/api/v1/stores/Store1/webhooks/Gone').reply(404, { code: 'webhook-not-found', message: 'not found' });
		const err = await caught(api().get('Store1', 'Gone'));
		expect(err.kind).toBe('not_found');
		expect(err.message).toContain('Webhook "Gone"');
	});

	it('maps 403 to a message naming btcpay.store.webhooks.canmodifywebhooks', async () => {
		nock(BASE)
			.post('/api/v1/stores/Store1/webhooks')
			.reply(403, { code: 'missing-permission', missingPermission: 'btcpay.store.webhooks.canmodifywebhooks', message: 'nope' });
		const err = await caught(api().create('Store1', { url: hook.url }));
		expect(err.kind).toBe('permission');
		expect(err.missingPermission).toBe('btcpay.store.webhooks.canmodifywebhooks');
		expect(err.message).toContain('btcpay.store.webhooks.canmodifywebhooks');
		expect(err.message).not.toContain(KEY);
	});

	it('lists deliveries with count, reads one, its request, and redelivers', async () => {
		const delivery = { id: 'Del1', timestamp: 1763870000, deliveryTime: 1763870001, httpCode: 500, errorMessage: 'boom', status: 'HttpError' };
		const scope = nock(BASE)
			.get('/api/v1/stores/Store1/webhooks/Hook1/deliveries').query({ count: '5' }).reply(200, [delivery])
			.get('/api/v1/stores/Store1/webhooks/Hook1/deliveries/Del1').reply(200, delivery)
			.get('/api/v1/stores/Store1/webhooks/Hook1/deliveries/Del1/request').reply(200, { deliveryId: 'Del1', type: 'InvoiceSettled' })
			.post('/api/v1/stores/Store1/webhooks/Hook1/deliveries/Del1/redeliver').reply(200, '"Del2"', { 'Content-Type': 'application/json' });
		const a = api();
		expect(await a.listDeliveries('Store1', 'Hook1', 5)).toEqual([delivery]);
		expect((await a.getDelivery('Store1', 'Hook1', 'Del1')).status).toBe('HttpError');
		expect(await a.getDeliveryRequest('Store1', 'Hook1', 'Del1')).toEqual({ deliveryId: 'Del1', type: 'InvoiceSettled' });
		expect(await a.redeliver('Store1', 'Hook1', 'Del1')).toBe('Del2');
		scope.done();
	});

	it('does not retry redeliver on 503 (POST is not idempotent)', async () => {
		const scope = nock(BASE).post('/api/v1/stores/Store1/webhooks/Hook1/deliveries/Del1/redeliver').reply(503, {});
		const err = await caught(api().redeliver('Store1', 'Hook1', 'Del1'));
		expect(err.kind).toBe('server');
		expect(scope.isDone()).toBe(true);
	});

	it('refuses bad ids, urls and counts before any request', async () => {
		const a = api();
		expect((await caught(a.get('Store1', ''))).kind).toBe('input');
		expect((await caught(a.get('Store1', '../x'))).field).toBe('Webhook ID');
		expect((await caught(a.create('Store1', { url: 'ftp://x' }))).field).toBe('URL');
		expect((await caught(a.create('Store1', { url: 'not a url' }))).field).toBe('URL');
		expect((await caught(a.listDeliveries('Store1', 'Hook1', 0))).field).toBe('Limit');
		expect(nock.pendingMocks()).toHaveLength(0);
	});
});

describe('webhookEventsMatch', () => {
	const parse = (authorizedEvents: unknown) => webhookSchema.parse({ ...hook, authorizedEvents });
	it('compares event sets, everything vs specific', () => {
		expect(webhookEventsMatch(parse({ everything: true }), [])).toBe(true);
		expect(webhookEventsMatch(parse({ everything: true }), ['InvoiceSettled'])).toBe(false);
		expect(webhookEventsMatch(parse({ everything: false, specificEvents: ['B', 'A'] }), ['A', 'B'])).toBe(true);
		expect(webhookEventsMatch(parse({ everything: false, specificEvents: ['A'] }), ['A', 'B'])).toBe(false);
		expect(webhookEventsMatch(parse({ everything: false, specificEvents: ['A'] }), [])).toBe(false);
	});
});
