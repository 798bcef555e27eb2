/**
 * The BTCPay Trigger in n8n 2.40.7 queue mode (harness/cluster.ts: PostgreSQL, Redis, a main
 * process, two webhook processes behind nginx round-robin, two workers), fed by the emulator's
 * webhook sender (one delivery at a time per webhook, BTCPay's retries on 5xx/408/429/no
 * answer, its 100 s answer timeout; times scaled by CLUSTER_TIME_SCALE). Every execution
 * reports its invoice to a collector, so each phase counts executions per event:
 *
 * 1. faults: forced 5xx on the trigger's confirmation reads (it answers 503, BTCPay retries),
 *    one webhook process frozen (SIGSTOP) longer than BTCPay's answer timeout, then manual
 *    Redeliver of a sample of the events (also of chains that failed first);
 * 2. one webhook process SIGKILLed mid-run and restarted;
 * 3. Redis restarted once mid-run;
 * 4. load: CLUSTER_LOAD_RATE deliveries/s for CLUSTER_LOAD_SECONDS through nginx: p95 answer
 *    time, RSS of each n8n process before/after.
 *
 * Each phase must end with exactly one execution per event (0 lost, 0 duplicates), every
 * answer within BTCPay's timeout, and every delivery chain ending with a 2xx.
 * Sizes: CLUSTER_EVENTS (per phase 1-3), CLUSTER_STORES (workflows, i.e. BTCPay webhooks).
 */
import * as os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startEmulator, seedStore, type BtcPayEmulator } from '../btcpay-emulator';
import { ANSWER_TIMEOUT_SECONDS, deliveryAttempts, settleDeliveries, webhookQueueIdle, webhooksOf } from '../btcpay-emulator/routes/webhooks';
import { sleep } from '../helpers/processes';
import { N8nCluster } from './harness/cluster';
import { CLUSTER_CREDENTIAL_ID, Collector, createInvoice, payOverLightning, percentile, redeliver, senderReport, triggerWorkflow } from './fixtures';

const num = (name: string, fallback: number): number => {
	const v = process.env[name];
	if (v === undefined || v === '') return fallback;
	const n = Number(v);
	if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got "${v}")`);
	return n;
};
const EVENTS = num('CLUSTER_EVENTS', 1000);
/**
 * BTCPay sends one webhook's deliveries one at a time, so a webhook delivers at most 1 / answer
 * time: 20 webhooks make 50/s a rate BTCPay can send (2.5/s each, answers up to 400 ms on average).
 */
const STORES = num('CLUSTER_STORES', 20);
const RATE = num('CLUSTER_RATE', 20);
const LOAD_RATE = num('CLUSTER_LOAD_RATE', 50);
const LOAD_SECONDS = num('CLUSTER_LOAD_SECONDS', 60);
/**
 * BTCPay's waits × this: 100 s timeout → 30 s, retries 3 s, 18 s, 180 s. The trigger's answer
 * budget (12 s) is not scaled, and n8n's own work before and after the node (loading the
 * workflow, queuing the execution) is outside it: 30 s keeps that budget well inside the
 * timeout as in production, where 15 s left too little on a loaded 2-core machine.
 */
const TIME_SCALE = num('CLUSTER_TIME_SCALE', 0.3);

jest.setTimeout(60 * 60_000);

/** Event-loop delay of this process (it runs the emulator, BTCPay's sender and the collector). */
const loopDelay = monitorEventLoopDelay({ resolution: 20 });
loopDelay.enable();

let emu: BtcPayEmulator;
let cluster: N8nCluster;
let collector: Collector;
const stores: string[] = [];
const suiteStarted = Date.now();
const report: Record<string, unknown> = {};

function log(name: string, value: unknown): void {
	report[name] = value;
	process.stdout.write(`[cluster] ${name}: ${JSON.stringify(value)}\n`);
}

function hookOf(storeId: string): string {
	const hook = [...webhooksOf(emu).values()].find((h) => h.storeId === storeId);
	if (!hook) throw new Error(`no webhook registered for store ${storeId}`);
	return hook.id;
}

beforeAll(async () => {
	const t0 = Date.now();
	emu = await startEmulator({ webhookTimeScale: TIME_SCALE });
	for (let i = 0; i < STORES; i++) stores.push(String(seedStore(emu, { name: `Cluster shop ${i + 1}` }).id));
	collector = await Collector.start();
	const workflows = stores.map((s, i) => triggerWorkflow(i + 1, s, collector.url));
	cluster = await N8nCluster.start({
		// CLUSTER_N8N_ENV='{"NAME":"value"}': extra settings for every n8n process (to measure one).
		env: process.env.CLUSTER_N8N_ENV ? (JSON.parse(process.env.CLUSTER_N8N_ENV) as Record<string, string>) : undefined,
		setup: async (main) => {
			await main.importCredentials([{ id: CLUSTER_CREDENTIAL_ID, name: 'BTCPay (emulator)', type: 'btcPayApi', data: { url: emu.url, apiKey: emu.apiKey } }]);
			await main.importWorkflow(workflows);
			for (const wf of workflows) await main.publishWorkflow(wf.id);
		},
	});
	// Activation (in the main process) registered one webhook per store, at nginx's address.
	for (const s of stores) expect(webhooksOf(emu).get(hookOf(s))?.url.startsWith(cluster.nginx.url)).toBe(true);
	log('cluster start (s)', Math.round((Date.now() - t0) / 100) / 10);
});

afterAll(async () => {
	await cluster?.stop();
	await collector?.close();
	await emu?.close();
	loopDelay.disable();
	log('suite wall time (s)', Math.round((Date.now() - suiteStarted) / 1000));
});

interface Phase {
	invoices: string[];
	started: number;
}

/** Creates and pays `count` invoices at `rate`/s, round-robin over the stores; `during(i)` runs after the i-th. */
async function drive(count: number, rate: number, during?: (i: number) => Promise<void> | void, onInvoice?: (id: string, store: string) => void): Promise<Phase> {
	const started = Date.now();
	const invoices: string[] = [];
	for (let i = 0; i < count; i++) {
		const store = stores[i % stores.length];
		const id = await createInvoice(emu, store, `order-${started}-${i}`);
		onInvoice?.(id, store);
		payOverLightning(emu, id);
		invoices.push(id);
		await during?.(i);
		const due = started + ((i + 1) * 1000) / rate;
		const wait = due - Date.now();
		if (wait > 0) await sleep(wait);
	}
	return { invoices, started };
}

/** Waits until BTCPay's queues are idle and n8n has no queued or running execution left, then a grace period for late duplicates. */
async function settle(phase: Phase, timeoutMs = 15 * 60_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	await settleDeliveries(emu);
	const wanted = new Set(phase.invoices);
	// Done when every event ran, or when nothing is left that could still run one: BTCPay's queues
	// idle and no execution queued or running in n8n for a minute (an event lost stays lost).
	let idleSince = 0;
	for (;;) {
		const seen = new Set(collector.seen.filter((s) => wanted.has(s.invoiceId)).map((s) => s.invoiceId));
		const pending = Number((await cluster.pg.query(`select count(*) from execution_entity where status in ('new', 'running', 'waiting')`))[0][0]);
		if (seen.size >= wanted.size && pending === 0) break;
		const idle = pending === 0 && [...webhooksOf(emu).keys()].every((id) => webhookQueueIdle(emu, id));
		idleSince = idle ? idleSince || Date.now() : 0;
		if (idleSince && Date.now() - idleSince > 60_000) break;
		if (Date.now() > end) break;
		await sleep(500);
	}
	await sleep(3000);
	await settleDeliveries(emu);
}

/** Executions per event of the phase, and what BTCPay's sender saw. */
async function count(name: string, phase: Phase, extra: Record<string, unknown> = {}) {
	const wanted = new Set(phase.invoices);
	const per = new Map<string, number>();
	for (const s of collector.seen) if (wanted.has(s.invoiceId)) per.set(s.invoiceId, (per.get(s.invoiceId) ?? 0) + 1);
	const lost = phase.invoices.filter((id) => !per.has(id));
	const duplicates = [...per.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
	const sender = senderReport(emu, phase.started);
	// Where the answer time goes: nginx's view (time in the webhook processes), BTCPay's API
	// calls the trigger made (handling time in the emulator), the test process's event-loop delay.
	const proxied = cluster.nginx.timings(phase.started);
	const api = emu.requestLog.filter((r) => r.startedAt >= phase.started && r.method === 'GET' && /\/(invoices|deliveries)\//.test(r.path));
	const apiMs = (re: RegExp) => api.filter((r) => re.test(r.path)).map((r) => r.durationMs);
	const db = await cluster.pg.query(`select status, count(*) from execution_entity group by status`);
	// How far executions lag behind the answers: the first 2xx of a chain to the execution's report.
	const lagMs = collector.seen.filter((x) => wanted.has(x.invoiceId) && sender.firstOkAt.has(x.originalDeliveryId)).map((x) => x.receivedAt - sender.firstOkAt.get(x.originalDeliveryId)!);
	const result = {
		events: phase.invoices.length,
		executions: [...per.values()].reduce((a, b) => a + b, 0),
		lost: lost.length,
		duplicates,
		attempts: sender.attempts.length,
		answersByCode: sender.byCode,
		chainsWithout2xx: sender.unanswered.length,
		foreignBodies: sender.foreignBodies,
		p50AnswerMs: percentile(sender.answerMs, 50),
		p95AnswerMs: percentile(sender.answerMs, 95),
		maxAnswerMs: Math.max(0, ...sender.answerMs),
		p95UpstreamMs: percentile(proxied.map((t) => t.upstreamMs), 95),
		p50UpstreamMs: percentile(proxied.map((t) => t.upstreamMs), 50),
		p95InvoiceReadMs: percentile(apiMs(/\/invoices\//), 95),
		p95RecordReadMs: percentile(apiMs(/\/deliveries\//), 95),
		p50ExecutionLagMs: percentile(lagMs, 50),
		p95ExecutionLagMs: percentile(lagMs, 95),
		testLoopDelayP95Ms: Math.round(loopDelay.percentile(95) / 1e6),
		testLoopDelayMaxMs: Math.round(loopDelay.max / 1e6),
		machineLoad: os.loadavg().map((l) => Math.round(l * 10) / 10),
		dbExecutionsByStatus: Object.fromEntries(db.map(([s, n]) => [s, Number(n)])),
		deliveredPerS: sender.attempts.length ? Math.round((sender.attempts.length / Math.max(1, (Math.max(...sender.attempts.map((a) => a.endedAt)) - phase.started) / 1000)) * 10) / 10 : 0,
		seconds: Math.round((Date.now() - phase.started) / 1000),
		...extra,
	};
	log(name, result);
	loopDelay.reset();
	if (lost.length) {
		log(`${name} lost invoices`, lost.slice(0, 20));
		// What n8n recorded for executions that did not succeed (the error of a lost event is there).
		const failed = await cluster.pg.query(
			`select e.id, e.status, e."startedAt", substring(d.data from '"message":"([^"]{0,200})') from execution_entity e left join execution_data d on d."executionId" = e.id where e.status not in ('success') order by e.id desc limit 10`,
		);
		log(`${name} executions not successful`, failed);
	}
	const dupIds = [...per.entries()].filter(([, n]) => n > 1).map(([id]) => id);
	if (dupIds.length) log(`${name} duplicated`, collector.seen.filter((s) => dupIds.includes(s.invoiceId)).slice(0, 20));
	return result;
}

/** The first delivery id of each invoice's InvoiceSettled chain (what Store > Webhooks lists). */
function originalDeliveries(): Map<string, { deliveryId: string; failedFirst: boolean }> {
	const out = new Map<string, { deliveryId: string; failedFirst: boolean }>();
	for (const a of deliveryAttempts(emu)) {
		if (a.type !== 'InvoiceSettled' || a.isRedelivery || !a.rawBody) continue;
		const body = JSON.parse(a.rawBody) as { invoiceId?: string };
		if (body.invoiceId) out.set(body.invoiceId, { deliveryId: a.deliveryId, failedFirst: !(a.httpCode && a.httpCode < 300) });
	}
	return out;
}

function expectExactlyOnce(result: { events: number; executions: number; lost: number; duplicates: number; chainsWithout2xx: number; foreignBodies: number; maxAnswerMs: number }): void {
	expect({ lost: result.lost, duplicates: result.duplicates, executions: result.executions, chainsWithout2xx: result.chainsWithout2xx, foreignBodies: result.foreignBodies }).toEqual({
		lost: 0,
		duplicates: 0,
		executions: result.events,
		chainsWithout2xx: 0,
		foreignBodies: 0,
	});
	expect(result.maxAnswerMs).toBeLessThan(ANSWER_TIMEOUT_SECONDS * 1000 * TIME_SCALE + 1000);
}

test('faults: forced 5xx, a webhook process frozen past the answer timeout, manual Redeliver: one execution per event', async () => {
	let forced = 0;
	let seq = 0;
	const frozenAt = Math.floor(EVENTS / 2);
	let frozenFor = 0;
	let frozen: Promise<void> = Promise.resolve();
	const phase = await drive(
		EVENTS,
		RATE,
		async (i) => {
			if (i === frozenAt) {
				// SIGSTOP: the process keeps its connections but answers nothing (a hung machine),
				// while events go on. Frozen when no delivery is in flight: every request it gets
				// arrives while it is frozen, so it resumes only after BTCPay gave up on most of
				// them (then its records say so: not emitted). A process stalled in the middle of
				// a request, after its checks, is the residual the README describes.
				await settleDeliveries(emu);
				const pids = cluster.webhooks[1].service.groupPids();
				for (const pid of pids) process.kill(pid, 'SIGSTOP');
				const t = Date.now();
				frozen = sleep(ANSWER_TIMEOUT_SECONDS * 1000 * TIME_SCALE + 3000).then(() => {
					for (const pid of pids) process.kill(pid, 'SIGCONT');
					frozenFor = Date.now() - t;
				});
			}
		},
		(id, store) => {
			// Every 10th event: BTCPay answers the trigger's confirmation read with 503 twice (its one retry included).
			if (seq++ % 10 === 3) {
				forced++;
				emu.failNext({ method: 'GET', path: `/api/v1/stores/${store}/invoices/${id}`, status: 503, times: 2 });
			}
		},
	);
	await frozen;
	await settle(phase);
	// Manual Redeliver of a tenth of the events, those whose first delivery failed first.
	const originals = originalDeliveries();
	const sample = phase.invoices.filter((id, i) => originals.get(id)?.failedFirst || i % 10 === 0);
	let redelivered = 0;
	for (const id of sample) {
		const o = originals.get(id);
		if (!o) continue;
		const store = stores[phase.invoices.indexOf(id) % stores.length];
		await redeliver(emu, store, hookOf(store), o.deliveryId);
		redelivered++;
	}
	await settle(phase);
	const result = await count('faults', phase, { forced5xxEvents: forced, frozenMs: frozenFor, manualRedeliveries: redelivered, failedFirst: [...originals.values()].filter((o) => o.failedFirst).length });
	expectExactlyOnce(result);
});

test('a webhook process SIGKILLed mid-run and restarted: one execution per event', async () => {
	let killedAt = 0;
	let downMs = 0;
	const phase = await drive(EVENTS, RATE, async (i) => {
		if (i === Math.floor(EVENTS / 3)) {
			killedAt = Date.now();
			await cluster.webhooks[0].kill();
			await sleep(3000);
			await cluster.webhooks[0].start();
			downMs = Date.now() - killedAt;
		}
	});
	await settle(phase);
	const result = await count('sigkill', phase, { webhookDownMs: downMs });
	expectExactlyOnce(result);
});

test('Redis restarted mid-run: one execution per event', async () => {
	let downMs = 0;
	const phase = await drive(EVENTS, RATE, async (i) => {
		if (i === Math.floor(EVENTS / 2)) {
			const t = Date.now();
			await cluster.redis.restart(2000);
			downMs = Date.now() - t;
		}
	});
	await settle(phase);
	const result = await count('redis restart', phase, { redisDownMs: downMs });
	expectExactlyOnce(result);
});

test(`load: ${LOAD_RATE} deliveries/s for ${LOAD_SECONDS} s through nginx: p95 under 1 s, nothing lost, memory bounded`, async () => {
	const before = await cluster.rss();
	const cpuBefore = cluster.cpuMs();
	const phase = await drive(LOAD_RATE * LOAD_SECONDS, LOAD_RATE);
	const driveSeconds = (Date.now() - phase.started) / 1000;
	await settle(phase);
	const cpuAfter = cluster.cpuMs();
	const after = await cluster.rss();
	const achievedRatePerS = Math.round((phase.invoices.length / driveSeconds) * 10) / 10;
	const cpuMsPerEvent = Object.fromEntries(Object.keys(cpuAfter).map((k) => [k, Math.round(((cpuAfter[k] - (cpuBefore[k] ?? 0)) / phase.invoices.length) * 10) / 10]));
	const result = await count('load', phase, { achievedRatePerS, cpuMsPerEvent, rssKbBefore: before, rssKbAfter: after });
	expectExactlyOnce(result);
	expect(result.p95AnswerMs).toBeLessThan(1000);
	expect(achievedRatePerS).toBeGreaterThanOrEqual(LOAD_RATE * 0.9);
	for (const [name, kb] of Object.entries(after)) expect({ name, kb: kb < 1_500_000 }).toEqual({ name, kb: true });
});
