import nock from 'nock';
import { NodeApiError, NodeOperationError, type IExecuteFunctions, type INode } from 'n8n-workflow';
import { Lnd, testLndCredential } from '../../../nodes/Lnd/Lnd.node';
import { LndRestApi } from '../../../credentials/LndRestApi.credentials';
import { BASE, COFFEE, HASH_B64, HASH_B64URL, HASH_HEX, INFO, MACAROON_HEX, lndInvoice, lndPayment, streamBody } from './fixtures';
import { DONATION, SPEC_TIMESTAMP } from '../../fixtures/bolt11-spec';

const node: INode = { id: '1', name: 'LND', type: 'n8n-nodes-btcpay-lnbits.lnd', typeVersion: 1, position: [0, 0], parameters: {} };
const credentials = { url: BASE, macaroon: MACAROON_HEX, tlsCert: '' };

function context(items: Array<Record<string, unknown>>, continueOnFail = false): IExecuteFunctions {
	return {
		getInputData: () => items.map((_, i) => ({ json: { i } })),
		getNode: () => node,
		continueOnFail: () => continueOnFail,
		getCredentials: async (name: string) => {
			expect(name).toBe('lndRestApi');
			return credentials;
		},
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const params = items[itemIndex];
			return name in params ? params[name] : fallback;
		},
	} as unknown as IExecuteFunctions;
}

async function run(items: Array<Record<string, unknown>>, continueOnFail = false) {
	const [out] = await new Lnd().execute.call(context(items, continueOnFail));
	return out;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	nock.cleanAll();
	jest.useRealTimers();
});
afterAll(() => {
	nock.enableNetConnect();
	nock.restore();
});

describe('LND node description', () => {
	it('is usable as a tool, uses the credential with a node-side test, and lists every operation', () => {
		const d = new Lnd().description;
		expect(d.name).toBe('lnd');
		expect(d.usableAsTool).toBe(true);
		expect(d.credentials).toEqual([{ name: 'lndRestApi', required: true, testedBy: 'lndRestApiTest' }]);
		const ops = d.properties.filter((p) => p.name === 'operation').flatMap((p) => (p.options as Array<{ value: string }>).map((o) => `${p.displayOptions?.show?.resource}:${o.value}`));
		expect(ops.sort()).toEqual(
			['invoice:create', 'invoice:get', 'invoice:getMany', 'node:channelBalance', 'node:getInfo', 'node:walletBalance', 'payment:decode', 'payment:getMany', 'payment:pay'].sort(),
		);
		expect(typeof new Lnd().methods.credentialTest.lndRestApiTest).toBe('function');
		const cred = new LndRestApi();
		expect(cred.name).toBe('lndRestApi');
		expect(cred.properties.map((p) => p.name)).toEqual(['url', 'httpNotice', 'macaroon', 'tlsCert', 'tlsNotice']);
		expect(cred.properties.find((p) => p.name === 'macaroon')?.typeOptions?.password).toBe(true);
	});
});

describe('LND node operations', () => {
	it('creates an invoice and returns the hash as hex', async () => {
		nock(BASE).post('/v1/invoices', { value: '21', memo: 'tip', expiry: '600' }).reply(200, { r_hash: HASH_B64, payment_request: 'lnbc210n1pnew', add_index: '9', payment_addr: HASH_B64 });
		const out = await run([{ resource: 'invoice', operation: 'create', amountSats: 21, options: { memo: 'tip', expirySeconds: 600 } }]);
		expect(out[0].json).toEqual({ paymentHash: HASH_HEX, paymentRequest: 'lnbc210n1pnew', amountSats: 21, memo: 'tip', expirySeconds: 600, addIndex: '9', paymentAddr: HASH_HEX });
		expect(out[0].pairedItem).toEqual({ item: 0 });
	});

	it('returns the raw LND data when Simplify is off', async () => {
		nock(BASE).get(`/v1/invoice/${HASH_HEX}`).reply(200, lndInvoice());
		const out = await run([{ resource: 'invoice', operation: 'get', paymentHash: HASH_HEX, simplify: false }]);
		expect(out[0].json).toMatchObject({ r_hash: HASH_B64, value: '1000', state: 'OPEN' });
	});

	it('gets many invoices with a limit', async () => {
		nock(BASE)
			.get('/v1/invoices')
			.query({ index_offset: '0', num_max_invoices: '2', reversed: 'true' })
			.reply(200, { invoices: [lndInvoice({ add_index: '4' }), lndInvoice({ add_index: '5' })], first_index_offset: '4', last_index_offset: '5' });
		const out = await run([{ resource: 'invoice', operation: 'getMany', returnAll: false, limit: 2, filters: {} }]);
		expect(out.map((o) => o.json.addIndex)).toEqual(['5', '4']);
	});

	it('gets all payments, oldest first when asked', async () => {
		nock(BASE)
			.get('/v1/payments')
			.query({ index_offset: '0', max_payments: '500', reversed: 'false', include_incomplete: 'false' })
			.reply(200, { payments: [lndPayment('SUCCEEDED')], first_index_offset: '42', last_index_offset: '42', total_num_payments: '0' });
		const out = await run([{ resource: 'payment', operation: 'getMany', returnAll: true, filters: { newestFirst: false, includeIncomplete: false } }]);
		expect(out).toHaveLength(1);
		expect(out[0].json).toMatchObject({ status: 'succeeded', paymentIndex: '42', feeSats: 3 });
	});

	it('reads info and balances', async () => {
		nock(BASE).get('/v1/getinfo').reply(200, INFO).get('/v1/balance/blockchain').reply(200, { total_balance: '5', confirmed_balance: '5', unconfirmed_balance: '0' });
		const out = await run([
			{ resource: 'node', operation: 'getInfo' },
			{ resource: 'node', operation: 'walletBalance' },
		]);
		expect(out[0].json).toMatchObject({ alias: 'mynode', network: 'mainnet' });
		expect(out[1].json).toMatchObject({ totalSats: 5, confirmedSats: 5 });
	});

	it('pays an invoice and reports a payment still in flight as pending', async () => {
		jest.useFakeTimers({ now: (SPEC_TIMESTAMP + 5) * 1000, doNotFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'nextTick', 'queueMicrotask', 'setInterval', 'clearInterval'] });
		nock(BASE)
			.get('/v1/getinfo')
			.reply(200, INFO)
			.get(`/v2/router/track/${HASH_B64URL}`)
			.reply(404, { error: { code: 5, message: "payment isn't initiated" } })
			.post('/v2/router/send', (b) => b.fee_limit_sat === '5' && b.timeout_seconds === 20)
			.reply(200, streamBody(lndPayment('IN_FLIGHT')));
		const out = await run([{ resource: 'payment', operation: 'pay', paymentRequest: `lightning:${COFFEE}`, maxAmountSats: 250000, feeLimitSats: 5, timeoutSeconds: 20, payOptions: {} }]);
		expect(out[0].json).toMatchObject({ status: 'pending', lndStatus: 'IN_FLIGHT', alreadyPaid: false, paymentHash: HASH_HEX, amountSats: 250000, description: '1 cup coffee', preimage: null });
	});

	it('pays the same invoice in two items only once', async () => {
		jest.useFakeTimers({ now: (SPEC_TIMESTAMP + 5) * 1000, doNotFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'nextTick', 'queueMicrotask', 'setInterval', 'clearInterval'] });
		const scope = nock(BASE)
			.get('/v1/getinfo')
			.twice()
			.reply(200, INFO)
			.get(`/v2/router/track/${HASH_B64URL}`)
			.reply(404, { error: { code: 5, message: "payment isn't initiated" } })
			.post('/v2/router/send')
			.once()
			.reply(200, streamBody(lndPayment('IN_FLIGHT'), lndPayment('SUCCEEDED')))
			.get(`/v2/router/track/${HASH_B64URL}`)
			.reply(200, streamBody(lndPayment('SUCCEEDED')));
		const item = { resource: 'payment', operation: 'pay', paymentRequest: COFFEE, maxAmountSats: 250000, feeLimitSats: 5, timeoutSeconds: 20, payOptions: {} };
		const out = await run([item, item]);
		expect(out.map((o) => [o.json.status, o.json.alreadyPaid])).toEqual([
			['succeeded', false],
			['succeeded', true],
		]);
		scope.done();
	});

	it('requires a max amount: nothing is sent without one', async () => {
		const error = await run([{ resource: 'payment', operation: 'pay', paymentRequest: COFFEE, maxAmountSats: 0, feeLimitSats: 5, timeoutSeconds: 20, payOptions: {} }]).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toMatch(/Max Amount \(Sats\)/);
	});

	it('names the item and field for bad input, and keeps going with Continue On Fail', async () => {
		nock(BASE).get('/v1/getinfo').reply(200, INFO);
		const out = await run(
			[
				{ resource: 'invoice', operation: 'create', amountSats: -5, options: {} },
				{ resource: 'node', operation: 'getInfo' },
			],
			true,
		);
		expect(out[0].json).toMatchObject({ errorKind: 'input', field: 'Amount (Sats)' });
		expect(String(out[0].json.description)).toContain('Item 0');
		expect(out[1].json).toMatchObject({ alias: 'mynode' });
	});

	it('refuses a non-numeric Start After Index before any request', async () => {
		const error = await run([{ resource: 'payment', operation: 'getMany', returnAll: true, filters: { indexOffset: 'abc' } }]).catch((e: unknown) => e);
		expect((error as NodeOperationError).message).toBe('Start After Index: must be a whole number');
	});

	it('pays an "any amount" invoice with the Amount option and sends it as amt', async () => {
		jest.useFakeTimers({ now: (SPEC_TIMESTAMP + 5) * 1000, doNotFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'nextTick', 'queueMicrotask', 'setInterval', 'clearInterval'] });
		nock(BASE)
			.get('/v1/getinfo')
			.reply(200, INFO)
			.get(`/v2/router/track/${HASH_B64URL}`)
			.reply(404, { error: { code: 5, message: "payment isn't initiated" } })
			.post('/v2/router/send', (b) => b.amt === '777')
			.reply(200, streamBody(lndPayment('SUCCEEDED', { value_sat: '777', value_msat: '777000' })));
		const out = await run([{ resource: 'payment', operation: 'pay', paymentRequest: DONATION, maxAmountSats: 1000, feeLimitSats: 0, timeoutSeconds: 20, payOptions: { amountSats: 777 } }]);
		expect(out[0].json).toMatchObject({ status: 'succeeded', amountSats: 777, alreadyPaid: false, preimage: '33'.repeat(32) });
	});

	it('turns a bad macaroon into an API error without the macaroon', async () => {
		nock(BASE).get('/v1/balance/channels').once().reply(500, { code: 2, message: 'verification failed: signature mismatch after caveat verification', details: [] });
		const error = await run([{ resource: 'node', operation: 'channelBalance' }]).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(/LND rejected the macaroon/);
		expect(JSON.stringify(error)).not.toContain(MACAROON_HEX);
	});
});

describe('credential test', () => {
	it('reports the node alias and network', async () => {
		nock(BASE).get('/v1/getinfo').reply(200, INFO);
		const res = await testLndCredential({ id: '1', name: 'lnd', type: 'lndRestApi', data: credentials });
		expect(res).toEqual({ status: 'OK', message: 'Connected to mynode on mainnet' });
	});

	it('reports a wrong macaroon without revealing it', async () => {
		nock(BASE).get('/v1/getinfo').reply(500, { code: 2, message: 'verification failed: signature mismatch after caveat verification', details: [] });
		const res = await testLndCredential({ id: '1', name: 'lnd', type: 'lndRestApi', data: credentials });
		expect(res.status).toBe('Error');
		expect(res.message).toMatch(/LND rejected the macaroon/);
		expect(res.message).not.toContain(MACAROON_HEX);
	});

	it('reports a malformed certificate before connecting', async () => {
		const res = await testLndCredential({ id: '1', name: 'lnd', type: 'lndRestApi', data: { ...credentials, tlsCert: 'garbage' } });
		expect(res).toMatchObject({ status: 'Error' });
		expect(res.message).toMatch(/TLS Certificate/);
	});
});
