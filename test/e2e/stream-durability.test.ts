/**
 * LNbits Trigger in a real n8n against a real LNbits: each payment emitted exactly once while n8n
 * is SIGKILLed and restarted twice and LNbits restarted once, and a WebSocket that stays open but
 * delivers nothing (a TCP proxy that stops forwarding without closing) noticed within 60 s with
 * every payment made meanwhile emitted once.
 *
 * LNBITS_CRASH_PAYMENTS (default 100) sets the size of the crash run; it was also run with 500.
 */
import { N8nInstance, type WorkflowJson } from './harness/n8n';
import { startLnbits, type LnbitsServer } from '../lnbits-server/server';
import { payBetween } from '../helpers/lnbits-api';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { crashRunCounts, expectEachEmittedOnce, expectSilentRunCaughtUp, silentStreamRun, tallyCrashRun, waitFor } from '../helpers/trigger-runs';

jest.setTimeout(30 * 60_000);
const PAYMENTS = Number(process.env.LNBITS_CRASH_PAYMENTS || 100);

let lnbits: LnbitsServer;
let proxy: TcpProxy;
let n8n: N8nInstance;

function triggerWorkflow(id: string, credential: string, options: Record<string, unknown> = {}): WorkflowJson {
	return {
		id,
		name: id,
		active: false,
		settings: {},
		nodes: [
			{
				id: `${id}-t`,
				name: 'LNbits Trigger',
				type: 'n8n-nodes-btcpay-lnbits.lnbitsTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { direction: 'incoming', options: { includeBalance: false, ...options } },
				credentials: { lnbitsApi: { id: credential, name: credential } },
			},
		],
		connections: {},
	};
}

const connectedCount = () => (n8n.log().match(/LNbits Trigger: Connected to LNbits/g) ?? []).length;

beforeAll(async () => {
	lnbits = await startLnbits({ fundSats: 10_000_000 });
	proxy = await startTcpProxy(lnbits.port);
	n8n = await N8nInstance.create();
	const data = (url: string) => ({ url, invoiceKey: lnbits.walletA.invoiceKey, adminKey: '' });
	await n8n.importCredentials([
		{ id: 'lnbitsdirect001', name: 'LNbits A', type: 'lnbitsApi', data: data(lnbits.url) },
		{ id: 'lnbitsproxy0001', name: 'LNbits A via proxy', type: 'lnbitsApi', data: data(proxy.url('http')) },
	]);
}, 10 * 60_000);

afterAll(async () => {
	await n8n?.dispose();
	await proxy?.close();
	await lnbits?.stop();
});

test(`LNbits Trigger: ${PAYMENTS} payments with n8n SIGKILLed and restarted twice and LNbits restarted once, each emitted exactly once`, async () => {
	const wf = 'lnbitscrash0001';
	await n8n.importWorkflow(triggerWorkflow(wf, 'lnbitsdirect001'));
	await n8n.publishWorkflow(wf);
	await n8n.start();
	await waitFor('the LNbits Trigger to connect', () => connectedCount() >= 1, 120_000);
	const started = Date.now();
	const memos: string[] = [];
	const [quietKill, lnbitsRestartAt, busyKill] = [Math.floor(PAYMENTS / 4), Math.floor(PAYMENTS / 2), Math.floor((3 * PAYMENTS) / 4)];
	let restart: Promise<void> | undefined;
	let lnbitsRestartMs = 0;
	/** The restarted n8n has activated the trigger again (the log is kept across restarts). */
	const reconnected = async (after: number) => {
		if (restart) await restart;
		restart = undefined;
		await waitFor('the LNbits Trigger to connect again', () => connectedCount() > after, 180_000);
	};
	let connectsAtKill = 0;
	for (let i = 0; i < PAYMENTS; i++) {
		const memo = `crash-${i}`;
		await payBetween(lnbits.url, lnbits.walletB, lnbits.walletA, 1, memo);
		memos.push(memo);
		if (i === quietKill) {
			// Every payment so far has its execution, the newest is not in the stored memory yet.
			await waitFor('the executions so far', async () => ((await n8n.allExecutions(wf)).length >= memos.length ? true : undefined), 300_000);
			connectsAtKill = connectedCount();
			await n8n.kill();
			restart = n8n.start(180_000, { samePort: true }); // payments go on while n8n is down and starting
		}
		if (i === lnbitsRestartAt) {
			await reconnected(connectsAtKill);
			const connects = connectedCount();
			const t = Date.now();
			await lnbits.restart();
			lnbitsRestartMs = Date.now() - t;
			await waitFor('the LNbits Trigger to reconnect to LNbits', () => connectedCount() > connects, 120_000);
		}
		if (i === busyKill) {
			// In the middle of the flow: frames being confirmed, executions being written.
			connectsAtKill = connectedCount();
			await n8n.kill();
			restart = n8n.start(180_000, { samePort: true });
		}
	}
	await reconnected(connectsAtKill);
	const paidMs = Date.now() - started;
	const tally = await tallyCrashRun(n8n, wf, 'LNbits Trigger', memos, { settleMs: 5000 });
	console.log(
		`LNbits crash run: ${PAYMENTS} payments in ${Math.round(paidMs / 1000)} s, 2 n8n SIGKILLs, 1 LNbits restart (${Math.round(lnbitsRestartMs / 1000)} s), ` +
			crashRunCounts(tally),
	);
	expectEachEmittedOnce(tally, memos);
	await n8n.stop();
});

test('LNbits Trigger: a WebSocket that stays open but silent is noticed within 60 s, and every payment made meanwhile is emitted once', async () => {
	const wf = 'lnbitssilent001';
	await n8n.importWorkflow(triggerWorkflow(wf, 'lnbitsproxy0001', { probeIntervalSeconds: 5 }));
	await n8n.publishWorkflow(wf);
	const before = connectedCount();
	await n8n.start();
	// Both active workflows connect (the crash run's one directly, this one through the proxy).
	await waitFor('the LNbits Triggers to connect', () => connectedCount() >= before + 2, 120_000);
	const run = await silentStreamRun(n8n, wf, 'LNbits Trigger', {
		pay: (memo) => payBetween(lnbits.url, lnbits.walletB, lnbits.walletA, 2, memo),
		freeze: () => proxy.freeze(),
		noticed: /LNbits Trigger: WebSocket silent/,
	});
	console.log(
		`LNbits silent socket: ${run.frozen} connections frozen; noticed after ${Math.round(run.noticedMs / 1000)} s, all caught up after ${Math.round(run.recoveredMs / 1000)} s`,
	);
	expectSilentRunCaughtUp(run);
	await n8n.stop();
});
