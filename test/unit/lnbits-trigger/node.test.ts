import type { IDataObject, INodeExecutionData, ITriggerFunctions, ITriggerResponse, IWebhookFunctions } from 'n8n-workflow';
import { deferred, type Deferred } from '../../helpers/fake-emit';
import { LnbitsTrigger } from '../../../nodes/Lnbits/LnbitsTrigger.node';
import { LnbitsWebhookTrigger } from '../../../nodes/Lnbits/LnbitsWebhookTrigger.node';
import { workflowIdOf } from '../../helpers/workflow-id';
import { TestWsServer } from '../../helpers/ws-server';
import { FakeWallet, fakeLnbitsRest, frameFor, makePayment, rawPayment, settle, until } from './fixtures';

jest.setTimeout(30_000);

const KEY = 'inkey0123456789abcdef0123456789ab';

let server: TestWsServer;
let wallet: FakeWallet;
let requests: string[];
let responses: ITriggerResponse[];

beforeEach(async () => {
	server = await TestWsServer.start();
	wallet = new FakeWallet();
	requests = [];
	server.handler = fakeLnbitsRest(wallet, KEY, requests);
	responses = [];
});

afterEach(async () => {
	for (const r of responses) await r.closeFunction?.();
	await server.stop();
});

interface Ctx {
	fns: ITriggerFunctions;
	emitted: INodeExecutionData[][][];
	/** n8n's side of each emit: the deduplication key and its done promise. */
	keys: Array<string | undefined>;
	done: Deferred[];
	staticData: IDataObject;
	logs: string[];
}

function triggerContext(opts: { mode?: 'trigger' | 'manual'; params?: IDataObject; staticData?: IDataObject; key?: string; held?: boolean } = {}): Ctx {
	const emitted: INodeExecutionData[][][] = [];
	const keys: Array<string | undefined> = [];
	const done: Deferred[] = [];
	const staticData = opts.staticData ?? {};
	const params: IDataObject = { direction: 'incoming', options: { safetyCheckMinutes: 0 }, ...opts.params };
	const logs: string[] = [];
	const log = (m: string) => logs.push(m);
	const fns = {
		getNodeParameter: (name: string, fallback?: unknown) => (name in params ? params[name] : fallback),
		getCredentials: async () => ({ url: `http://127.0.0.1:${server.port}`, invoiceKey: opts.key ?? KEY, adminKey: '' }),
		getMode: () => opts.mode ?? 'trigger',
		getNode: () => ({ id: '1', name: 'LNbits Trigger', type: 'n8n-nodes-btcpay-lnbits.lnbitsTrigger', typeVersion: 1, position: [0, 0], parameters: {} }),
		getWorkflow: () => ({ id: 'wf7', name: 'w', active: true }),
		getWorkflowStaticData: () => staticData,
		emit: (data: INodeExecutionData[][], _response: unknown, d: Deferred | undefined, key: string | undefined) => {
			emitted.push(data);
			keys.push(key);
			if (d) done.push(d);
			if (d && !opts.held) d.resolve({});
		},
		helpers: { returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })), createDeferredPromise: deferred },
		logger: { debug: log, info: log, warn: log, error: log },
	} as unknown as ITriggerFunctions;
	return { fns, emitted, keys, done, staticData, logs };
}

async function activate(ctx: Ctx): Promise<ITriggerResponse> {
	const response = await new LnbitsTrigger().trigger.call(ctx.fns);
	responses.push(response);
	return response;
}

describe('LNbits Trigger node', () => {
	test('listens on /api/v1/ws/<invoice key> and emits the confirmed payment with the wallet balance', async () => {
		const old = wallet.settle({ memo: 'before activation' });
		const ctx = triggerContext();
		await activate(ctx);
		await server.waitFor(() => server.open.length === 1, 10_000, 'connection');
		expect(server.open[0].path).toBe(`/api/v1/ws/${KEY}`);
		const p = wallet.settle({ amountMsat: 123_456, memo: 'order 7' });
		server.send(frameFor(p));
		server.send(frameFor(p));
		await until(() => ctx.emitted.length === 1, 'emission');
		await settle(100);
		expect(ctx.emitted).toHaveLength(1);
		const json = ctx.emitted[0][0][0].json;
		expect(json).toMatchObject({
			paymentHash: p.paymentHash,
			direction: 'incoming',
			amountSats: 123,
			amountMsat: 123_456,
			memo: 'order 7',
			preimage: p.preimage,
			time: p.time,
			extra: {},
			walletBalanceMsat: old.amountMsat + 123_456,
			walletBalanceSats: Math.floor((old.amountMsat + 123_456) / 1000),
			source: 'websocket',
		});
		expect(requests).toContain(`GET /api/v1/payments/${p.paymentHash}`);
		const state = ctx.staticData.lnbitsStream as { seen: string[]; wallet: string };
		expect(state.seen).toEqual(expect.arrayContaining([old.paymentHash, p.paymentHash]));
		// The wallet key itself is never stored.
		expect(JSON.stringify(ctx.staticData)).not.toContain(KEY);
	});

	test('closeFunction closes the socket; a later activation with the same static data emits only what settled in between', async () => {
		const ctx = triggerContext();
		const r = await activate(ctx);
		await server.waitFor(() => server.open.length === 1, 10_000, 'connection');
		const p1 = wallet.settle();
		server.send(frameFor(p1));
		await until(() => ctx.emitted.length === 1, 'first emission');
		await r.closeFunction!();
		await server.waitFor(() => server.open.length === 0, 5000, 'closed');

		const p2 = wallet.settle({ memo: 'settled while inactive' });
		const ctx2 = triggerContext({ staticData: ctx.staticData });
		await activate(ctx2);
		await until(() => ctx2.emitted.length === 1, 'catch-up emission');
		await settle(100);
		expect(ctx2.emitted).toHaveLength(1);
		expect(ctx2.emitted[0][0][0].json).toMatchObject({ paymentHash: p2.paymentHash, source: 'catch-up' });
	});

	test('emits with a deduplication key; a payment enters the stored memory only once n8n recorded its execution, so a crash before that finds it again', async () => {
		const ctx = triggerContext({ held: true });
		await activate(ctx);
		await server.waitFor(() => server.open.length === 1, 10_000, 'connection');
		const p = wallet.settle({ memo: 'crash window' });
		server.send(frameFor(p));
		await until(() => ctx.emitted.length === 1, 'emission');
		expect(ctx.keys).toEqual([`lnbits:wf7:1:${p.paymentHash}`]);
		const seen = () => (ctx.staticData.lnbitsStream as { seen: string[] }).seen;
		expect(seen()).not.toContain(p.paymentHash);
		// n8n dies here: a new process with this static data emits the payment again, with the same key.
		const after = triggerContext({ staticData: JSON.parse(JSON.stringify(ctx.staticData)) });
		await activate(after);
		await until(() => after.emitted.length === 1, 'emission after the crash');
		expect(after.keys).toEqual([`lnbits:wf7:1:${p.paymentHash}`]);
		// Once n8n has recorded the execution, the memory holds it.
		ctx.done[0].resolve({});
		await until(() => seen().includes(p.paymentHash), 'memory');
	});

	test('a socket that stays open but delivers nothing is noticed by the stream check, replaced, and the payment made meanwhile is caught up once', async () => {
		let silent = false;
		const rest = fakeLnbitsRest(wallet, KEY, requests);
		server.handler = (req, res) => {
			const url = new URL(req.url ?? '/', 'http://x');
			if (req.method === 'POST' && url.pathname === `/api/v1/ws/${KEY}`) {
				const data = url.searchParams.get('data') ?? '';
				requests.push(`POST ${url.pathname}`);
				if (!silent) server.send(data);
				res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sent: true, data }));
				return;
			}
			rest(req, res);
		};
		const ctx = triggerContext({ params: { direction: 'incoming', options: { safetyCheckMinutes: 0, probeIntervalSeconds: 0.2 } } });
		await activate(ctx);
		await server.waitFor(() => server.open.length === 1, 10_000, 'connection');
		await until(() => requests.filter((r) => r.startsWith(`POST /api/v1/ws/${KEY}`)).length >= 2, 'two stream checks');
		expect(ctx.emitted).toHaveLength(0); // a check frame is not a payment
		silent = true; // from now on nothing reaches the socket (and the frame of the payment is lost)
		const p = wallet.settle({ memo: 'while silent' });
		await until(() => ctx.emitted.length === 1, 'catch-up after the silent socket was replaced', 20_000);
		silent = false;
		await settle(600);
		expect(ctx.emitted).toHaveLength(1);
		expect(ctx.emitted[0][0][0].json).toMatchObject({ paymentHash: p.paymentHash, source: 'catch-up' });
		expect(ctx.logs.some((l) => /WebSocket silent/.test(l))).toBe(true);
	});

	test('a forged frame is not emitted', async () => {
		const ctx = triggerContext();
		await activate(ctx);
		await server.waitFor(() => server.open.length === 1, 10_000, 'connection');
		const fake = makePayment({ paymentHash: 'f'.repeat(64) }); // never settled in the wallet
		server.send(frameFor(fake));
		server.send('hello');
		await until(() => requests.includes(`GET /api/v1/payments/${'f'.repeat(64)}`), 'confirmation request');
		await settle(100);
		expect(ctx.emitted).toHaveLength(0);
	});

	test('activation fails with a clear error when LNbits refuses the key, and nothing keeps running', async () => {
		const ctx = triggerContext({ key: 'wrongkey0000000000000000000000000' });
		const error = await new LnbitsTrigger().trigger.call(ctx.fns).then(
			() => undefined,
			(e: Error) => e,
		);
		expect(error).toBeDefined();
		expect(error!.message).toMatch(/wallet|key/i);
		expect(error!.message).not.toContain('wrongkey');
		await settle(100);
		expect(server.attempts).toHaveLength(0);
	});

	test('manual test run waits for the next payment, emits it once and leaves the static data alone', async () => {
		wallet.settle();
		const ctx = triggerContext({ mode: 'manual', params: { direction: 'both' } });
		const r = await activate(ctx);
		expect(r.manualTriggerFunction).toBeDefined();
		await r.manualTriggerFunction!();
		await server.waitFor(() => server.open.length === 1, 10_000, 'connection');
		const a = wallet.settle({ direction: 'outgoing', amountMsat: 2_000 });
		const b = wallet.settle();
		server.send(frameFor(a));
		server.send(frameFor(b));
		await until(() => ctx.emitted.length === 1, 'emission');
		await settle(100);
		expect(ctx.emitted).toHaveLength(1);
		expect(ctx.emitted[0][0][0].json).toMatchObject({ paymentHash: a.paymentHash, direction: 'outgoing' });
		expect(ctx.staticData).toEqual({});
	});

	test('without Include Wallet Balance the balance is not read and is null in the output', async () => {
		const ctx = triggerContext({ params: { options: { safetyCheckMinutes: 0, includeBalance: false } } });
		await activate(ctx);
		await server.waitFor(() => server.open.length === 1, 10_000, 'connection');
		const p = wallet.settle();
		server.send(frameFor(p));
		await until(() => ctx.emitted.length === 1, 'emission');
		expect(ctx.emitted[0][0][0].json).toMatchObject({ paymentHash: p.paymentHash, walletBalanceSats: null, walletBalanceMsat: null });
		expect(requests.filter((r) => r.startsWith('GET /api/v1/wallet'))).toHaveLength(0);
	});

	test('a negative minimum amount is refused before connecting', async () => {
		const ctx = triggerContext({ params: { options: { minAmountSats: -1 } } });
		await expect(new LnbitsTrigger().trigger.call(ctx.fns)).rejects.toThrow(/Minimum Amount/);
		expect(server.attempts).toHaveLength(0);
	});
});

describe('LNbits Webhook Trigger node', () => {
	function webhookContext(body: unknown, opts: { rawBody?: Buffer; staticData?: IDataObject; params?: IDataObject; workflowId?: string } = {}) {
		const staticData = opts.staticData ?? {};
		const params: IDataObject = { options: {}, ...opts.params };
		const logs: string[] = [];
		const fns = {
			getNodeParameter: (name: string, fallback?: unknown) => (name in params ? params[name] : fallback),
			getCredentials: async () => ({ url: `http://127.0.0.1:${server.port}`, invoiceKey: KEY }),
			getRequestObject: () => ({ rawBody: opts.rawBody }),
			getBodyData: () => body,
			getNode: () => ({ id: '2', name: 'LNbits Webhook Trigger', type: 'x', typeVersion: 1, position: [0, 0], parameters: {} }),
			getWorkflowStaticData: () => staticData,
			// contexts sharing static data are one workflow (and share the in-process memory)
			getWorkflow: () => ({ id: opts.workflowId ?? workflowIdOf(staticData), name: 'Shop', active: true }),
			helpers: { returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })) },
			logger: { debug: (m: string) => logs.push(m), info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) },
		} as unknown as IWebhookFunctions;
		return { fns, staticData, logs };
	}

	/** LNbits' body: httpx json= of payment.json(), i.e. the payment JSON as a JSON string. */
	function lnbitsBody(p: ReturnType<FakeWallet['settle']>): Buffer {
		return Buffer.from(JSON.stringify(JSON.stringify(rawPayment(p))));
	}

	test('a double-encoded webhook body is confirmed through the API and emitted once', async () => {
		const p = wallet.settle({ amountMsat: 42_000, memo: 'hooked' });
		const raw = lnbitsBody(p);
		const { fns, staticData } = webhookContext(JSON.parse(raw.toString()), { rawBody: raw });
		const res = await new LnbitsWebhookTrigger().webhook.call(fns);
		expect(res.workflowData?.[0][0].json).toMatchObject({
			paymentHash: p.paymentHash,
			amountSats: 42,
			memo: 'hooked',
			source: 'webhook',
			walletBalanceMsat: 42_000,
		});
		expect(requests).toContain(`GET /api/v1/payments/${p.paymentHash}`);
		// Delivered again (or replayed by someone): not a second run.
		const again = await new LnbitsWebhookTrigger().webhook.call(webhookContext(undefined, { rawBody: raw, staticData }).fns);
		expect(again.workflowData).toBeUndefined();
	});

	test('the parsed body alone (no raw body) works too', async () => {
		const p = wallet.settle();
		const { fns } = webhookContext(JSON.stringify(rawPayment(p)));
		const res = await new LnbitsWebhookTrigger().webhook.call(fns);
		expect(res.workflowData?.[0][0].json.paymentHash).toBe(p.paymentHash);
	});

	// LNbits 1.6.2 calls the webhook twice for an internal payment, close together; n8n gives each
	// call its own copy of static data, loaded before either call saved.
	test('two calls for the same payment at the same time run the workflow once', async () => {
		const p = wallet.settle({ amountMsat: 7_000 });
		const raw = lnbitsBody(p);
		const calls = [webhookContext(undefined, { rawBody: raw, workflowId: 'wf-double' }), webhookContext(undefined, { rawBody: raw, workflowId: 'wf-double' })];
		const outs = await Promise.all(calls.map((c) => new LnbitsWebhookTrigger().webhook.call(c.fns)));
		expect(outs.filter((o) => o.workflowData !== undefined)).toHaveLength(1);
		expect(outs.filter((o) => o.workflowData === undefined)).toEqual([{ webhookResponse: { received: true } }]);
		// and again later with static data n8n did not save (the call started an execution)
		const later = await new LnbitsWebhookTrigger().webhook.call(webhookContext(undefined, { rawBody: raw, workflowId: 'wf-double' }).fns);
		expect(later.workflowData).toBeUndefined();
	});

	test('a call that could not be confirmed does not block a later call for the same payment', async () => {
		const p = wallet.add(makePayment({ status: 'pending', amountMsat: 3_000 }));
		const raw = lnbitsBody(p);
		const early = webhookContext(undefined, { rawBody: raw, workflowId: 'wf-early' });
		expect((await new LnbitsWebhookTrigger().webhook.call(early.fns)).workflowData).toBeUndefined();
		expect(early.logs.join('\n')).toMatch(/ignored a call \((unconfirmed|mismatch)\)/);
		wallet.payments.set(p.paymentHash, { ...p, status: 'success' });
		const paid = lnbitsBody({ ...p, status: 'success' });
		const out = await new LnbitsWebhookTrigger().webhook.call(webhookContext(undefined, { rawBody: paid, workflowId: 'wf-early' }).fns);
		expect(out.workflowData?.[0][0].json).toMatchObject({ paymentHash: p.paymentHash });
	});

	test('forged calls start nothing: unknown hash, unpaid invoice, changed amount, garbage', async () => {
		const unpaid = wallet.add(makePayment({ status: 'pending' }));
		const paid = wallet.settle({ amountMsat: 1000 });
		const bodies: unknown[] = [
			JSON.stringify(JSON.stringify({ ...rawPayment(paid), payment_hash: 'd'.repeat(64) })),
			JSON.stringify(JSON.stringify(rawPayment(unpaid))),
			JSON.stringify(JSON.stringify({ ...rawPayment(paid), amount: 99_000_000 })),
			'not json',
			{ hello: 'world' },
		];
		for (const body of bodies) {
			const raw = typeof body === 'string' ? Buffer.from(body) : undefined;
			const { fns, logs } = webhookContext(body, { rawBody: raw });
			const res = await new LnbitsWebhookTrigger().webhook.call(fns);
			expect(res.workflowData).toBeUndefined();
			expect(logs.join('\n')).toMatch(/ignored a call \((invalid|unconfirmed|mismatch)\)/);
		}
	});
});
