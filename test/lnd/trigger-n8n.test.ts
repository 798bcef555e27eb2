/**
 * The packed package in a real n8n (test/e2e harness) against the real lnd regtest: the LND node
 * creates an invoice on B, the LND Trigger on B fires once per invoice A pays, across n8n crashes
 * (SIGKILL, nothing flushed) and across a stream that stays open but silent (a TCP proxy that stops
 * forwarding without closing).
 *
 * LND_CRASH_PAYMENTS (default 40) sets the size of the crash run (500 passed on a 2-core machine: 81 s for this test).
 */
import { N8nInstance, nodeOutput, type WorkflowJson } from '../e2e/harness/n8n';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { crashRunCounts, expectEachEmittedOnce, expectSilentRunCaughtUp, silentStreamRun, tallyCrashRun, waitFor } from '../helpers/trigger-runs';
import { cert, client, hex, macaroon, PORT } from './regtest';

jest.setTimeout(30 * 60_000);
const PAYMENTS = Number(process.env.LND_CRASH_PAYMENTS || 40);

const a = client('a');
const b = client('b');

/** B issues an invoice, A pays it; resolves with the memo once A's payment succeeded. */
async function pay(memo: string, sats = 10): Promise<string> {
	const inv = await b.createInvoice({ amountSats: sats, memo });
	const paid = await a.payInvoice({ paymentRequest: inv.payment_request, maxAmountSats: sats, feeLimitSats: 0, timeoutSeconds: 30 });
	if (paid.state !== 'succeeded') throw new Error(`payment ${memo} ${paid.state}`);
	return hex(inv.r_hash);
}

function triggerWorkflow(id: string, credential: string, options: Record<string, unknown> = {}): WorkflowJson {
	return {
		id,
		name: id,
		active: false,
		settings: {},
		nodes: [
			{
				id: 'lndtrig',
				name: 'LND Trigger',
				type: 'n8n-nodes-btcpay-lnbits.lndTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { options },
				credentials: { lndRestApi: { id: credential, name: credential } },
			},
		],
		connections: {},
	};
}

let n8n: N8nInstance;
let proxy: TcpProxy | undefined;

beforeAll(async () => {
	n8n = await N8nInstance.create();
	proxy = await startTcpProxy(PORT.b);
	const data = (url: string) => ({ url, macaroon: macaroon('b', 'invoice'), tlsCert: cert('b') });
	await n8n.importCredentials([
		{ id: 'lndrealb0000001', name: 'LND B', type: 'lndRestApi', data: data(`https://127.0.0.1:${PORT.b}`) },
		{ id: 'lndrealadm00001', name: 'LND B admin', type: 'lndRestApi', data: { ...data(`https://127.0.0.1:${PORT.b}`), macaroon: macaroon('b') } },
		{ id: 'lndproxyb000001', name: 'LND B via proxy', type: 'lndRestApi', data: data(proxy.url('https')) },
	]);
}, 10 * 60_000);

afterAll(async () => {
	await n8n?.dispose();
	await proxy?.close();
});

test('LND node in real n8n creates and reads an invoice on the real node', async () => {
	await n8n.importWorkflow({
		id: 'lndrealnode0001',
		name: 'lnd node',
		active: false,
		settings: {},
		nodes: [
			{ id: 'a', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'b', name: 'LND', type: 'n8n-nodes-btcpay-lnbits.lnd', typeVersion: 1, position: [200, 0], parameters: { resource: 'invoice', operation: 'create', amountSats: 321, options: { memo: 'real n8n' } }, credentials: { lndRestApi: { id: 'lndrealadm00001', name: 'LND B admin' } } },
			{ id: 'c', name: 'Get', type: 'n8n-nodes-btcpay-lnbits.lnd', typeVersion: 1, position: [400, 0], parameters: { resource: 'invoice', operation: 'get', paymentHash: '={{ $json.paymentHash }}' }, credentials: { lndRestApi: { id: 'lndrealadm00001', name: 'LND B admin' } } },
		],
		connections: { Start: { main: [[{ node: 'LND', type: 'main', index: 0 }]] }, LND: { main: [[{ node: 'Get', type: 'main', index: 0 }]] } },
	});
	const ok = await n8n.execute('lndrealnode0001');
	if (!ok.ok) throw new Error(ok.result.stdout.slice(-3000) + ok.result.stderr.slice(-3000));
	expect(nodeOutput(ok.run, 'Get')[0]).toMatchObject({ amountSats: 321, memo: 'real n8n', state: 'OPEN' });
	const paid = await a.payInvoice({ paymentRequest: nodeOutput(ok.run, 'LND')[0].paymentRequest, maxAmountSats: 321, feeLimitSats: 0, timeoutSeconds: 30 });
	expect(paid.state).toBe('succeeded');
});

test(`LND Trigger: ${PAYMENTS} payments with n8n SIGKILLed and restarted twice, each emitted exactly once`, async () => {
	const wf = 'lndcrash0000001';
	await n8n.importWorkflow(triggerWorkflow(wf, 'lndrealb0000001'));
	await n8n.publishWorkflow(wf);
	await n8n.start();
	await waitFor('the LND Trigger to listen', () => /LND Trigger: listening for settled invoices/.test(n8n.log()), 120_000);
	const started = Date.now();
	const memos: string[] = [];
	const [quietKill, busyKill] = [Math.floor(PAYMENTS / 3), Math.floor((2 * PAYMENTS) / 3)];
	const listening = () => (n8n.log().match(/LND Trigger: listening for settled invoices/g) ?? []).length;
	let restart: Promise<void> | undefined;
	let listensAtKill = 0;
	const relistened = async () => {
		if (restart) await restart;
		restart = undefined;
		await waitFor('the LND Trigger to listen again', () => listening() > listensAtKill, 180_000);
	};
	for (let i = 0; i < PAYMENTS; i += 2) {
		const batch = [i, i + 1].filter((j) => j < PAYMENTS).map((j) => `crash-${j}`);
		await Promise.all(batch.map((m) => pay(m, 1)));
		memos.push(...batch);
		if (quietKill >= i && quietKill < i + 2) {
			// Every invoice so far has its execution; the newest is not in the stored cursor yet.
			await waitFor('the executions so far', async () => ((await n8n.allExecutions(wf)).length >= memos.length ? true : undefined), 300_000);
			listensAtKill = listening();
			await n8n.kill();
			restart = n8n.start(180_000, { samePort: true }); // invoices are paid on while n8n is down and starting
		}
		if (busyKill >= i && busyKill < i + 2) {
			await relistened();
			listensAtKill = listening();
			await n8n.kill(); // in the middle of the flow
			restart = n8n.start(180_000, { samePort: true });
		}
	}
	await relistened();
	const paidMs = Date.now() - started;
	const tally = await tallyCrashRun(n8n, wf, 'LND Trigger', memos, { settleMs: 3000 });
	console.log(`LND crash run: ${PAYMENTS} payments in ${Math.round(paidMs / 1000)} s, 2 SIGKILLs, ${crashRunCounts(tally)}`);
	expectEachEmittedOnce(tally, memos);
	await n8n.stop();
});

test('LND Trigger: a stream that stays open but silent is noticed within 60 s, and every invoice paid meanwhile is emitted once', async () => {
	const wf = 'lndsilent000001';
	await n8n.importWorkflow(triggerWorkflow(wf, 'lndproxyb000001', { probeIntervalSeconds: 5 }));
	await n8n.publishWorkflow(wf);
	const activated = () => (n8n.log().match(new RegExp(`Activated trigger node "LND Trigger" for workflow "${wf}"`, 'g')) ?? []).length;
	const before = activated();
	await n8n.start();
	await waitFor('this workflow’s LND Trigger to listen', () => activated() > before, 180_000);
	const run = await silentStreamRun(n8n, wf, 'LND Trigger', {
		pay: (memo) => pay(memo),
		freeze: () => proxy!.freeze(),
		noticed: /invoice stream (silent|check failed \(2\))/,
	});
	console.log(
		`LND silent stream: ${run.frozen} connections frozen; noticed after ${Math.round(run.noticedMs / 1000)} s, all caught up after ${Math.round(run.recoveredMs / 1000)} s`,
	);
	expectSilentRunCaughtUp(run);
	await n8n.stop();
});
