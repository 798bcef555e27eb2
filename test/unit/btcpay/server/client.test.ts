import nock from 'nock';
import { BtcPayClient } from '../../../../nodes/BtcPay/client';
import { caught } from '../../../helpers/caught';

const BASE = 'http://btcpay.test';
const KEY = 'apikey-server-0123456789abcdef';
const client = () => new BtcPayClient({ url: `${BASE}/api/v1/`, apiKey: KEY, retryDelayMs: 1 });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('ServerApi', () => {
	it('reads health (a pasted /api/v1 suffix is ignored)', async () => {
		const scope = nock(BASE).get('/api/v1/health').reply(200, { synchronized: false });
		expect(await client().server.health()).toEqual({ synchronized: false });
		scope.done();
	});

	it('reads the current API key without returning the key itself', async () => {
		const scope = nock(BASE)
			.get('/api/v1/api-keys/current')
			.reply(200, { apiKey: KEY, label: 'n8n', permissions: ['btcpay.store.canviewinvoices'] });
		const info = await client().server.currentApiKey();
		expect(info).toEqual({ label: 'n8n', permissions: ['btcpay.store.canviewinvoices'] });
		expect(JSON.stringify(info)).not.toContain(KEY);
		scope.done();
	});

	it('health 5xx is retried then reported', async () => {
		const scope = nock(BASE).get('/api/v1/health').times(3).reply(500, { message: 'down' });
		const error = await caught(client().server.health());
		expect(error.kind).toBe('server');
		expect(error.message).toContain('down');
		scope.done();
	});

	it('rejects an empty key before any request', () => {
		expect(() => new BtcPayClient({ url: BASE, apiKey: '  ' })).toThrow(/API Key/);
	});
});
