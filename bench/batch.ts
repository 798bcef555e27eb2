/**
 * Batch throughput: 500 BTCPay invoice creates against the emulator
 * (test/btcpay-emulator, run in its own process) with 25 ms latency per
 * request. The real BTCPay Server node's execute() (runItems + BtcPayClient,
 * driven through a minimal IExecuteFunctions) at its default concurrency and
 * at 20, against item-by-item sequential requests (one plain fetch after the
 * other) measured in the same run. Also checks that the emulator never sees
 * more requests in flight than the concurrency limit, and that a 429 with
 * Retry-After is honoured. Target: ≥ 8× sequential.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { INodeExecutionData } from 'n8n-workflow';
import { BtcPay, DEFAULT_CONCURRENCY } from '../nodes/BtcPay/BtcPay.node';
import type { ForcedError } from '../test/btcpay-emulator';
import { fakeExecuteContext } from './n8n-context';
import { fmt } from './stats';
import { verdict, type Row } from './report';

export const ITEMS = 500;
export const LATENCY_MS = 25;
export const HIGH_CONCURRENCY = 20;
export const TARGET_RATIO = 8;
const RETRY_AFTER_S = 2;
/** Rounds of each concurrent configuration (interleaved; the median is reported). */
const CONCURRENT_ROUNDS = 5;

interface EmulatorStats {
	maxConcurrent: number;
	requestCount: number;
	violations: number;
	violationSamples: unknown[];
}

interface LogEntry {
	method: string;
	path: string;
	status: number;
	startedAt: number;
	durationMs: number;
}

/** The emulator child process and its IPC commands. */
export class BenchEmulator {
	private nextId = 1;
	private readonly pending = new Map<number, (result: unknown) => void>();

	private constructor(
		private readonly child: ChildProcess,
		readonly url: string,
		readonly apiKey: string,
		readonly storeId: string,
	) {
		child.on('message', (message: { id?: number; result?: unknown }) => {
			if (message.id !== undefined) {
				this.pending.get(message.id)?.(message.result);
				this.pending.delete(message.id);
			}
		});
	}

	/** `validate`: check every request and answer against the OpenAPI spec (costs the emulator CPU). */
	static async start(latencyMs: number, validate = true): Promise<BenchEmulator> {
		const child = fork(join(__dirname, 'emulator-process.ts'), [String(latencyMs), validate ? 'validate' : 'no-validate'], {
			execArgv: ['--no-experimental-strip-types', '-r', join(__dirname, 'register.js')],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		const ready = await new Promise<{ url: string; apiKey: string; storeId: string }>((resolve, reject) => {
			child.once('message', (m: { ready?: boolean; url: string; apiKey: string; storeId: string }) => (m.ready ? resolve(m) : reject(new Error('emulator did not start'))));
			child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
			child.once('error', reject);
		});
		return new BenchEmulator(child, ready.url, ready.apiKey, ready.storeId);
	}

	private call<T>(command: Record<string, unknown>, timeoutMs = 30_000): Promise<T> {
		const id = this.nextId++;
		return new Promise<T>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.pending.delete(id);
				reject(new Error(`emulator did not answer "${String(command.cmd)}" within ${timeoutMs} ms`));
			}, timeoutMs);
			this.pending.set(id, (result) => {
				clearTimeout(timer);
				resolve(result as T);
			});
			this.child.send({ id, ...command });
		});
	}

	reset = () => this.call<boolean>({ cmd: 'reset' });
	stats = () => this.call<EmulatorStats>({ cmd: 'stats' });
	log = (path?: string) => this.call<LogEntry[]>({ cmd: 'log', path });
	failNext = (error: ForcedError) => this.call<boolean>({ cmd: 'failNext', error });

	async close(): Promise<void> {
		await this.call({ cmd: 'close' }, 2000).catch(() => undefined);
		if (this.child.exitCode === null) this.child.kill();
	}
}

interface RunResult {
	label: string;
	seconds: number;
	perSecond: number;
	maxConcurrent: number;
	requests: number;
	limit?: number;
	errors: number;
	/** CPU ms per invoice spent in this (the n8n) process; the emulator runs in another. */
	cpuPerItemMs: number;
}

/** Runs the BTCPay node's execute() over `items` input items with the given parameters. */
export async function runNode(emu: BenchEmulator, items: number, parameters: Record<string, unknown>, continueOnFail = false): Promise<INodeExecutionData[]> {
	const node = new BtcPay();
	const ctx = fakeExecuteContext({
		nodeType: node,
		parameters,
		credentials: { btcPayApi: { url: emu.url, apiKey: emu.apiKey } },
		items: Array.from({ length: items }, (_, i) => ({ json: { i } })),
		continueOnFail,
	});
	const [out] = await node.execute.call(ctx);
	return out;
}

export function createParameters(emu: BenchEmulator, concurrency?: number): Record<string, unknown> {
	return {
		resource: 'invoice',
		operation: 'create',
		store: { __rl: true, mode: 'id', value: emu.storeId },
		amountType: 'fixed',
		amount: '10.00',
		currency: 'USD',
		additionalFields: (i: number) => ({ orderId: `bench-${i}` }),
		...(concurrency === undefined ? {} : { concurrency }),
	};
}

/** One plain request per invoice, as a workflow would send them item by item. */
async function createWithFetch(emu: BenchEmulator, i: number): Promise<void> {
	const res = await fetch(`${emu.url}/api/v1/stores/${emu.storeId}/invoices`, {
		method: 'POST',
		headers: { Authorization: `token ${emu.apiKey}`, 'Content-Type': 'application/json', Accept: 'application/json' },
		body: JSON.stringify({ amount: '10.00', currency: 'USD', metadata: { orderId: `bench-${i}` } }),
	});
	const body = (await res.json()) as { id?: string };
	if (res.status !== 200 || !body.id) throw new Error(`invoice create answered ${res.status}`);
}

async function measureOnce(emu: BenchEmulator, label: string, limit: number | undefined, work: () => Promise<number>): Promise<RunResult> {
	await emu.reset();
	const t0 = process.hrtime.bigint();
	const c0 = process.cpuUsage();
	const errors = await work();
	const cpu = process.cpuUsage(c0);
	const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
	const stats = await emu.stats();
	const cpuPerItemMs = (cpu.user + cpu.system) / 1000 / ITEMS;
	return { label, seconds, perSecond: ITEMS / seconds, maxConcurrent: stats.maxConcurrent, requests: stats.requestCount, limit, errors, cpuPerItemMs };
}

function print(r: RunResult, rounds: number): void {
	console.log(
		`${r.label.padEnd(48)} ${fmt(r.seconds, 2).padStart(6)} s  ${fmt(r.perSecond, 1).padStart(7)} invoices/s  max in flight ${String(r.maxConcurrent).padStart(3)}${r.limit ? ` (limit ${r.limit})` : ''}  CPU ${fmt(r.cpuPerItemMs, 2)} ms/invoice  requests ${r.requests}${rounds > 1 ? ` (median of ${rounds})` : ''}${r.errors ? `  ERRORS ${r.errors}` : ''}`,
	);
}

interface Config {
	label: string;
	limit: number | undefined;
	work: () => Promise<number>;
}

/**
 * Runs every configuration `rounds` times, interleaved so that load from the
 * rest of the machine hits all of them alike; returns the median run of each
 * (the highest in-flight count and all errors of any round).
 */
async function measureAll(emu: BenchEmulator, configs: Config[], rounds: number): Promise<RunResult[]> {
	const runs: RunResult[][] = configs.map(() => []);
	for (let round = 0; round < rounds; round++) {
		for (let c = 0; c < configs.length; c++) runs[c].push(await measureOnce(emu, configs[c].label, configs[c].limit, configs[c].work));
	}
	return runs.map((list) => {
		const sorted = [...list].sort((a, b) => a.seconds - b.seconds);
		const mid = { ...sorted[Math.floor((sorted.length - 1) / 2)] };
		mid.maxConcurrent = Math.max(...list.map((r) => r.maxConcurrent));
		mid.errors = list.reduce((sum, r) => sum + r.errors, 0);
		print(mid, list.length);
		return mid;
	});
}

async function nodeRun(emu: BenchEmulator, concurrency: number | undefined): Promise<number> {
	const out = await runNode(emu, ITEMS, createParameters(emu, concurrency));
	const bad = out.filter((item) => typeof item.json.id !== 'string' || item.json.error !== undefined).length;
	if (out.length !== ITEMS) throw new Error(`node returned ${out.length} items for ${ITEMS}`);
	out.forEach((item, i) => {
		if ((item.pairedItem as { item: number }).item !== i) throw new Error(`output ${i} is paired with item ${JSON.stringify(item.pairedItem)}`);
	});
	return bad;
}

/** A forced 429 with Retry-After on an idempotent read: how long the node waits before retrying. */
async function retryAfterCheck(emu: BenchEmulator): Promise<{ waitedMs: number; ok: boolean; detail: string }> {
	const [created] = await runNode(emu, 1, createParameters(emu));
	const invoiceId = String(created.json.id);
	await emu.reset();
	const path = `/api/v1/stores/${emu.storeId}/invoices/${invoiceId}`;
	await emu.failNext({ method: 'GET', path, status: 429, headers: { 'Retry-After': String(RETRY_AFTER_S) }, times: 1 });
	const t0 = Date.now();
	const [got] = await runNode(emu, 1, { resource: 'invoice', operation: 'get', store: { __rl: true, mode: 'id', value: emu.storeId }, invoiceId });
	const total = Date.now() - t0;
	const log = await emu.log(path);
	if (log.length < 2 || log[0].status !== 429) return { waitedMs: Number.NaN, ok: false, detail: `requests seen: ${log.map((e) => e.status).join(', ') || 'none'}` };
	const answered429 = log[0].startedAt + log[0].durationMs;
	const waitedMs = log[1].startedAt - answered429;
	const ok = got.json.id === invoiceId && log[1].status === 200 && waitedMs >= RETRY_AFTER_S * 1000 - 5;
	return { waitedMs, ok, detail: `statuses ${log.map((e) => e.status).join(' → ')}, node call ${total} ms` };
}

/** A forced 429 on invoice create (POST): retried only if the client treats it as safe; never a duplicate. */
async function createOn429(emu: BenchEmulator): Promise<string> {
	await emu.reset();
	const path = `/api/v1/stores/${emu.storeId}/invoices`;
	await emu.failNext({ method: 'POST', path, status: 429, headers: { 'Retry-After': '1' }, times: 1 });
	const [out] = await runNode(emu, 1, createParameters(emu), true);
	const log = (await emu.log(path)).filter((e) => e.method === 'POST');
	const statuses = log.map((e) => e.status).join(' → ');
	if (out.json.error !== undefined) return `not retried (POST is not idempotent): ${log.length} request (${statuses}); item error "${String(out.json.error)}"`;
	const gap = log.length > 1 ? log[1].startedAt - (log[0].startedAt + log[0].durationMs) : Number.NaN;
	return `retried after ${fmt(gap)} ms (${statuses}), one invoice created`;
}

export async function runBatchBench(): Promise<Row[]> {
	// Throughput: the emulator only answers (no OpenAPI validation), as the server is not what is measured.
	const emu = await BenchEmulator.start(LATENCY_MS, false);
	let sequential: RunResult, node1: RunResult, nodeDefault: RunResult, nodeHigh: RunResult, unbounded: RunResult;
	try {
		console.log(`${ITEMS} invoice creates, emulator ${emu.url} in its own process, ${LATENCY_MS} ms latency per request`);
		// Warm-up: JIT, connection pool.
		await runNode(emu, 60, createParameters(emu, 20));
		for (let i = 0; i < 10; i++) await createWithFetch(emu, i);

		[sequential, node1] = await measureAll(
			emu,
			[
				{
					label: 'sequential, one fetch after another (baseline)',
					limit: 1,
					work: async () => {
						for (let i = 0; i < ITEMS; i++) await createWithFetch(emu, i);
						return 0;
					},
				},
				{ label: 'node, concurrency 1', limit: 1, work: () => nodeRun(emu, 1) },
			],
			1,
		);
		[nodeDefault, nodeHigh, unbounded] = await measureAll(
			emu,
			[
				{ label: `node, default concurrency (${DEFAULT_CONCURRENCY})`, limit: DEFAULT_CONCURRENCY, work: () => nodeRun(emu, undefined) },
				{ label: `node, concurrency ${HIGH_CONCURRENCY}`, limit: HIGH_CONCURRENCY, work: () => nodeRun(emu, HIGH_CONCURRENCY) },
				{
					label: 'all at once, no limit (plain fetch)',
					limit: undefined,
					work: async () => {
						const results = await Promise.allSettled(Array.from({ length: ITEMS }, (_, i) => createWithFetch(emu, i)));
						return results.filter((r) => r.status === 'rejected').length;
					},
				},
			],
			CONCURRENT_ROUNDS,
		);
	} finally {
		await emu.close();
	}

	// Correctness on a validating emulator: every request and answer checked against the OpenAPI spec,
	// the concurrency limit under validation load, and 429 handling.
	const checked = await BenchEmulator.start(LATENCY_MS, true);
	let retry: Awaited<ReturnType<typeof retryAfterCheck>>;
	let stats: EmulatorStats;
	let validated: RunResult;
	try {
		[validated] = await measureAll(checked, [{ label: `node, concurrency ${HIGH_CONCURRENCY}, OpenAPI validation on`, limit: HIGH_CONCURRENCY, work: () => nodeRun(checked, HIGH_CONCURRENCY) }], 1);
		retry = await retryAfterCheck(checked);
		console.log(`429 with Retry-After: ${RETRY_AFTER_S} on a GET: retried after ${fmt(retry.waitedMs)} ms (${retry.detail})  ${retry.ok ? 'PASS' : 'MISS'}`);
		const postOutcome = await createOn429(checked);
		console.log(`429 on invoice create: ${postOutcome}`);
		stats = await checked.stats();
		console.log(`OpenAPI violations seen by the validating emulator: ${stats.violations}`);
		for (const v of stats.violationSamples) console.log('  ', JSON.stringify(v));
	} finally {
		await checked.close();
	}

	const ratio = (r: RunResult) => r.perSecond / sequential.perSecond;
	const rows: Row[] = [];
	const throughputRow = (r: RunResult, target: boolean): Row => ({
		item: `Batch: ${ITEMS} invoice creates, ${r.label} (max in flight ${r.maxConcurrent})`,
		measured: `${fmt(r.perSecond, 1)} invoices/s (${fmt(r.seconds, 2)} s)`,
		baseline: `${fmt(sequential.perSecond, 1)}/s sequential`,
		// With latency-bound requests, N in flight can be at most N× one-at-a-time.
	ratio: `${fmt(ratio(r), 2)}×${r.limit && r.limit > 1 ? ` (at most ${r.limit}×)` : ''}`,
		target: target ? `≥ ${TARGET_RATIO}×` : '',
		verdict: r.errors ? 'MISS' : target ? verdict(ratio(r) >= TARGET_RATIO) : 'INFO',
	});
	rows.push(throughputRow(node1, false), throughputRow(nodeDefault, true), throughputRow(nodeHigh, true), throughputRow(unbounded, false));
	rows.push({
	item: 'Batch: CPU per invoice in the n8n process (node at concurrency 1 vs one fetch)',
	measured: `${fmt(node1.cpuPerItemMs, 2)} ms`,
	baseline: `${fmt(sequential.cpuPerItemMs, 2)} ms plain fetch`,
	ratio: `${fmt(node1.cpuPerItemMs / sequential.cpuPerItemMs, 1)}×`,
	target: '',
	verdict: 'INFO',
});
const limited = [node1, nodeDefault, nodeHigh, validated];
	rows.push({
		item: 'Batch: requests in flight never above the node\'s concurrency',
		measured: limited.map((r) => `${r.maxConcurrent}/${r.limit}`).join(', '),
		baseline: `${unbounded.maxConcurrent} with no limit`,
		ratio: '',
		target: '≤ limit',
		verdict: verdict(limited.every((r) => r.limit !== undefined && r.maxConcurrent <= r.limit)),
	});
	rows.push({
		item: `Batch: 429 + Retry-After: ${RETRY_AFTER_S} on a read is honoured`,
		measured: `retried after ${fmt(retry.waitedMs)} ms`,
		baseline: `${RETRY_AFTER_S * 1000} ms asked`,
		ratio: '',
		target: `≥ ${RETRY_AFTER_S * 1000} ms`,
		verdict: verdict(retry.ok),
	});
	rows.push({
		item: 'Batch: OpenAPI violations in the node\'s requests and the emulator\'s answers',
		measured: String(stats.violations),
		baseline: '',
		ratio: '',
		target: '0',
		verdict: verdict(stats.violations === 0),
	});
	return rows;
}

if (require.main === module) {
	runBatchBench()
		.then((rows) => {
			for (const r of rows) console.log(`${r.verdict.padEnd(5)} ${r.item}: ${r.measured} ${r.ratio}`);
		})
		.catch((error) => {
			console.error(error);
			process.exitCode = 1;
		});
}
