import nock from 'nock';
import { HttpClient } from '../../../nodes/shared/http';
import { ServiceError } from '../../../nodes/shared/errors';
import { z } from 'zod';
import { caught } from '../../helpers/caught';

const BASE = 'http://btcpay.test';
const KEY = 'supersecretapikey123';

function client(extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
	return new HttpClient({
		service: 'BTCPay',
		baseUrl: BASE,
		headers: { Authorization: `token ${KEY}` },
		secrets: [KEY],
		retryDelayMs: 1,
		...extra,
	});
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('HttpClient', () => {
	it('sends auth header, repeated query values, and validates the response', async () => {
		const scope = nock(BASE, { reqheaders: { authorization: `token ${KEY}` } })
			.get('/api/v1/things')
			.query((q) => JSON.stringify(q.status) === JSON.stringify(['New', 'Settled']) && q.take === '5')
			.reply(200, [{ id: 'a', extra: 1 }]);
		const out = await client().request('GET', '/api/v1/things', {
			query: { status: ['New', 'Settled'], take: 5, skip: undefined },
			schema: z.array(z.object({ id: z.string() }).passthrough()),
		});
		expect(out).toEqual([{ id: 'a', extra: 1 }]);
		scope.done();
	});

	it('retries GET on 503 honouring Retry-After, then succeeds', async () => {
		const scope = nock(BASE)
			.get('/x').reply(503, 'busy', { 'Retry-After': '0' })
			.get('/x').reply(200, { ok: true });
		await expect(client().request('GET', '/x')).resolves.toEqual({ ok: true });
		scope.done();
	});

	it('never retries POST', async () => {
		const scope = nock(BASE).post('/x').reply(503, { message: 'down' });
		const err = await caught(client().request('POST', '/x', { json: {} }));
		expect(err).toBeInstanceOf(ServiceError);
		expect(err.kind).toBe('server');
		expect(scope.isDone()).toBe(true);
		expect(nock.pendingMocks()).toHaveLength(0);
	});

	it('maps 422 field lists and redacts the key from messages', async () => {
		nock(BASE).post('/x').reply(422, [{ path: 'amount', message: `bad ${KEY}` }]);
		const err = await caught(client().request('POST', '/x', { json: {} }));
		expect(err.kind).toBe('validation');
		expect(err.message).toContain('amount: bad ***');
		expect(err.message).not.toContain(KEY);
		expect(err.details).toEqual(['amount: bad ***']);
	});

	it('reports a connection failure as a network error without the key', async () => {
		nock.enableNetConnect('127.0.0.1');
		const c = client({ baseUrl: 'http://127.0.0.1:9', retries: 0 });
		const err = await caught(c.request('GET', '/x'));
		expect(err.kind).toBe('network');
		expect(err.message).toContain('127.0.0.1:9');
		nock.disableNetConnect();
	});

	it('rejects a response that does not match the schema', async () => {
		nock(BASE).get('/x').reply(200, { id: 5 });
		const err = await caught(client().request('GET', '/x', { schema: z.object({ id: z.string() }) }));
		expect(err.kind).toBe('protocol');
		expect(err.message).toContain('id');
	});
});
