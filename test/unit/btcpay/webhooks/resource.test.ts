import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { BtcPay } from '../../../../nodes/BtcPay/BtcPay.node';
import { executeContext } from '../../../helpers/execute-context';

const BASE = 'http://btcpay.test';
const KEY = 'apikey-webhook-resource-0123';
const STORE = '9CiNzKoANXxmk5ayZngSXrHTiVvvgCrwrpFQd4m2K776';
const storeRl = { __rl: true, mode: 'list', value: STORE };
const hook = { id: 'Hook1', enabled: true, automaticRedelivery: true, url: 'https://n8n.example/webhook/x/webhook', authorizedEvents: { everything: true, specificEvents: [] }, secret: 'should-never-leak' };

async function run(parameters: IDataObject, continueOnFail = false) {
	const node = new BtcPay();
	const ctx = executeContext({ nodeType: node, parameters: { resource: 'webhook', store: storeRl, ...parameters }, credentials: { btcPayApi: { url: BASE, apiKey: KEY } }, continueOnFail });
	const [out] = await node.execute.call(ctx);
	return out.map((i) => i.json);
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('BTCPay node, Webhook resource', () => {
	it('lists webhooks without ever passing a secret on', async () => {
		nock(BASE).get(`/api/v1/stores/${STORE}/webhooks`).reply(200, [hook, { ...hook, id: 'Hook2', secret: null }]);
		const out = await run({ operation: 'getAll' });
		expect(out.map((h) => h.id)).toEqual(['Hook1', 'Hook2']);
		expect(JSON.stringify(out)).not.toContain('should-never-leak');
	});

	it('gets one webhook', async () => {
		nock(BASE).get(`/api/v1/stores/${STORE}/webhooks/Hook1`).reply(200, hook);
		const [out] = await run({ operation: 'get', webhookId: 'Hook1' });
		expect(out).toMatchObject({ id: 'Hook1', url: hook.url });
		expect(out).not.toHaveProperty('secret');
	});

	it('lists deliveries with Limit as count, one item per delivery', async () => {
		const d = (id: string, status: string) => ({ id, timestamp: 1763870000, deliveryTime: 1763870001, httpCode: status === 'HttpSuccess' ? 200 : 401, status });
		nock(BASE).get(`/api/v1/stores/${STORE}/webhooks/Hook1/deliveries`).query({ count: '2' }).reply(200, [d('D2', 'HttpError'), d('D1', 'HttpSuccess')]);
		const out = await run({ operation: 'getDeliveries', webhookId: 'Hook1', returnAll: false, limit: 2 });
		expect(out).toEqual([
			expect.objectContaining({ id: 'D2', status: 'HttpError', httpCode: 401, webhookId: 'Hook1' }),
			expect.objectContaining({ id: 'D1', status: 'HttpSuccess' }),
		]);
	});

	it('returns all deliveries without count when Return All is on', async () => {
		nock(BASE).get(`/api/v1/stores/${STORE}/webhooks/Hook1/deliveries`).query((q) => !('count' in q)).reply(200, [{ id: 'D1', status: 'Failed' }]);
		expect(await run({ operation: 'getDeliveries', webhookId: 'Hook1', returnAll: true })).toHaveLength(1);
	});

	it('redelivers and returns the new delivery id', async () => {
		nock(BASE).post(`/api/v1/stores/${STORE}/webhooks/Hook1/deliveries/D1/redeliver`).reply(200, '"D9"', { 'Content-Type': 'application/json' });
		expect(await run({ operation: 'redeliver', webhookId: 'Hook1', deliveryId: 'D1' })).toEqual([{ webhookId: 'Hook1', redeliveredDeliveryId: 'D1', deliveryId: 'D9' }]);
	});

	it('gets the request body of a delivery; a pruned one (409) becomes a clear error item with Continue On Fail', async () => {
		nock(BASE).get(`/api/v1/stores/${STORE}/webhooks/Hook1/deliveries/D1/request`).reply(200, { deliveryId: 'D1', type: 'InvoiceSettled' });
		expect(await run({ operation: 'getDeliveryRequest', webhookId: 'Hook1', deliveryId: 'D1' })).toEqual([{ deliveryId: 'D1', type: 'InvoiceSettled' }]);
		nock(BASE).get(`/api/v1/stores/${STORE}/webhooks/Hook1/deliveries/D0/request`).reply(409, { code: 'webhookdelivery-pruned', message: 'This webhook delivery has been pruned' });
		const [err] = await run({ operation: 'getDeliveryRequest', webhookId: 'Hook1', deliveryId: 'D0' }, true);
		expect(String(err.error)).toContain('pruned');
	});

	it('names the missing field before any request', async () => {
		const [err] = await run({ operation: 'redeliver', webhookId: 'Hook1', deliveryId: '  ' }, true);
		expect(String(err.error)).toContain('Delivery ID');
		expect(nock.pendingMocks()).toHaveLength(0);
	});

	it('names the webhooks permission on 403', async () => {
		nock(BASE).get(`/api/v1/stores/${STORE}/webhooks`).reply(403, { code: 'missing-permission', missingPermission: 'btcpay.store.webhooks.canmodifywebhooks', message: 'x' });
		await expect(run({ operation: 'getAll' })).rejects.toThrow(/btcpay\.store\.webhooks\.canmodifywebhooks/);
	});
});
