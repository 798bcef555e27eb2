/**
 * `npm run bench`: runs every benchmark, prints each one's details and then a
 * summary table of ratios against baselines measured in the same run, with
 * each target reported PASS or MISS. Exits non-zero only when a benchmark
 * crashes; a missed target is a result, not a failure.
 *
 * Run a subset by name: `npm run bench -- batch verify` (names: batch, trigger, verify, footprint).
 * Results are also written to .cache/bench/results.json.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fmt } from './stats';
import { markdownTable, verdict, type Row } from './report';
import { runBatchBench } from './batch';
import { runVerifyBench, printVerify } from './verify';
import { runFootprintBench, printFootprint, LOAD_TARGET_MS, SIZE_TARGET_BYTES } from './footprint';

const root = resolve(__dirname, '..');

interface Section {
	name: string;
	title: string;
	run(): Promise<Row[]>;
}

const sections: Section[] = [
	{
		name: 'batch',
		title: '1. Batch throughput: BTCPay invoice creates against the emulator',
		run: () => runBatchBench(),
	},
	{
		name: 'trigger',
		title: '2. Trigger latency: LNbits payment settled → trigger emission (real LNbits)',
		run: runTriggerLatency,
	},
	{
		name: 'verify',
		title: '3. Webhook verification and BOLT11 decode: wrapper vs bare library',
		async run() {
			const rows = runVerifyBench();
			printVerify(rows);
			return rows.map((r) => ({
				item: r.name,
				measured: `${fmt(r.wrapper)}/s`,
				baseline: `${fmt(r.bare)}/s bare`,
				ratio: `${fmt(r.ratio, 2)}× bare cost`,
				target: '≤ 1.50×',
				verdict: verdict(r.ratio <= 1.5),
			}));
		},
	},
	{
		name: 'footprint',
		title: '4. Footprint: cold load of every node and credential, installed size',
		async run() {
			const r = runFootprintBench();
			printFootprint(r);
			const listed = r.files.length + r.missing.length;
			return [
				{
					item: `Load ${r.files.length}/${listed} node + credential files (cold process, median)`,
					measured: `${fmt(r.loadMs, 1)} ms`,
					baseline: `${fmt(r.baselineMs, 1)} ms (n8n-workflow alone)`,
					ratio: `${fmt(r.loadMs / r.baselineMs, 2)}× of baseline`,
					target: `< ${LOAD_TARGET_MS} ms`,
					verdict: r.missing.length ? 'INFO' : verdict(r.loadMs < LOAD_TARGET_MS),
				},
				{
					item: 'Installed size, package + runtime deps',
					measured: `${fmt(r.installedBytes / 1024 / 1024, 2)} MB`,
					baseline: `${fmt((r.perPackage['n8n-nodes-btcpay-lnbits'] ?? 0) / 1024, 0)} KiB package itself`,
					ratio: '',
					target: '< 1.5 MB',
					verdict: verdict(r.installedBytes < SIZE_TARGET_BYTES),
				},
			];
		},
	},
];

/** Expected wait of a 60 s polling schedule for an event arriving at a random time: half the interval. */
const POLL_MEDIAN_MS = 30_000;

/**
 * Runs bench/lnbits-trigger-latency.ts (real LNbits) in its own process and
 * reads p50/p95 from its output: a JSON line with `p50Ms`/`p95Ms`, or text
 * such as `p50 42.1 ms` / `p95: 80 ms`.
 */
async function runTriggerLatency(): Promise<Row[]> {
	const script = join(root, 'bench', 'lnbits-trigger-latency.ts');
	if (!existsSync(script)) {
		console.log('bench/lnbits-trigger-latency.ts is not there: skipped.');
		return [{ item: 'LNbits trigger latency', measured: '', baseline: '', ratio: '', target: 'p50 < 100 ms', verdict: 'SKIP' }];
	}
	const output = await new Promise<string>((resolvePromise, reject) => {
		const child = spawn(process.execPath, ['--no-experimental-strip-types', '-r', join(root, 'bench', 'register.js'), script], {
			cwd: root,
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		let out = '';
		const timer = setTimeout(() => child.kill('SIGTERM'), 15 * 60_000);
		child.stdout.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			process.stdout.write(chunk);
		});
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			if (code === 0) resolvePromise(out);
			else reject(new Error(`lnbits-trigger-latency exited with ${code ?? signal}`));
		});
	});
	const { p50, p95, samples } = parseLatency(output);
	if (p50 === undefined) throw new Error('lnbits-trigger-latency printed no p50');
	return [
		{
			item: `LNbits trigger latency p50${samples ? ` (${samples} payments)` : ''}`,
			measured: `${fmt(p50, 1)} ms`,
			baseline: `${fmt(POLL_MEDIAN_MS)} ms (60 s polling, median wait)`,
			ratio: `${fmt(POLL_MEDIAN_MS / p50, 0)}× sooner`,
			target: 'p50 < 100 ms',
			verdict: verdict(p50 < 100),
		},
		{
			item: 'LNbits trigger latency p95',
			measured: p95 === undefined ? '' : `${fmt(p95, 1)} ms`,
			baseline: `${fmt(57_000)} ms (60 s polling, p95 wait)`,
			ratio: p95 === undefined ? '' : `${fmt(57_000 / p95, 0)}× sooner`,
			target: '',
			verdict: 'INFO',
		},
	];
}

export function parseLatency(output: string): { p50?: number; p95?: number; samples?: number } {
	for (const line of output.split('\n').reverse()) {
		const trimmed = line.trim();
		if (!trimmed.startsWith('{')) continue;
		try {
			const j = JSON.parse(trimmed) as Record<string, unknown>;
			const p50 = Number(j.p50Ms ?? j.p50);
			if (Number.isFinite(p50)) {
				const p95 = Number(j.p95Ms ?? j.p95);
				const samples = Number(j.samples ?? j.count ?? j.n);
				return { p50, p95: Number.isFinite(p95) ? p95 : undefined, samples: Number.isFinite(samples) ? samples : undefined };
			}
		} catch {
			// not JSON, keep looking
		}
	}
	const num = (re: RegExp) => {
		const m = [...output.matchAll(re)].pop();
		return m ? Number(m[1].replace(/,/g, '')) : undefined;
	};
	return {
		p50: num(/p50\D{0,20}?([\d,]+(?:\.\d+)?)\s*ms/gi),
		p95: num(/p95\D{0,20}?([\d,]+(?:\.\d+)?)\s*ms/gi),
		samples: num(/(\d+)\s+(?:payments|samples)/gi),
	};
}

function gitCommit(): string {
	try {
		const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim();
		return dirty ? `${head} (+ uncommitted changes)` : head;
	} catch {
		return 'unknown';
	}
}

async function main(): Promise<void> {
	const wanted = process.argv.slice(2);
	const unknown = wanted.filter((w) => !sections.some((s) => s.name === w));
	if (unknown.length) throw new Error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${sections.map((s) => s.name).join(', ')}`);
	const chosen = wanted.length ? sections.filter((s) => wanted.includes(s.name)) : sections;
	const started = new Date();
	const meta = {
		date: started.toISOString(),
		commit: gitCommit(),
		node: process.version,
		cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`,
	};
	console.log(`Benchmarks ${meta.date}, commit ${meta.commit}, Node ${meta.node}, ${meta.cpus}`);
	const rows: Row[] = [];
	let crashed = 0;
	for (const section of chosen) {
		console.log(`\n== ${section.title} ==`);
		const t0 = Date.now();
		try {
			rows.push(...(await section.run()));
		} catch (error) {
			crashed++;
			console.error(`CRASH in ${section.name}:`, error);
			rows.push({ item: section.title, measured: '', baseline: '', ratio: '', target: '', verdict: 'CRASH' });
		}
		console.log(`(${section.name}: ${fmt((Date.now() - t0) / 1000, 1)} s)`);
	}
	console.log(`\n== Summary (${meta.date}, commit ${meta.commit}, Node ${meta.node}, ${meta.cpus}) ==\n`);
	console.log(markdownTable(rows));
	const dir = join(root, '.cache', 'bench');
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'results.json'), JSON.stringify({ ...meta, rows }, null, 2));
	if (crashed) {
		console.error(`\n${crashed} benchmark(s) crashed.`);
		process.exitCode = 1;
	}
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exitCode = 1;
	});
}
