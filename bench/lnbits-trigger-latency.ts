/**
 * LNbits Trigger latency against a real LNbits 1.6.2 (FakeWallet): wallet B
 * pays invoices of wallet A one after another, and the trigger's payment
 * stream (the same code the node runs: WebSocket frame → REST confirmation
 * GET /api/v1/payments/<hash> and wallet balance → emit) listens on A.
 *
 * Measured per payment, all with performance.now() in this process:
 *   - settled → emit: from the moment the pay call returned (LNbits answered
 *     201 "success") to the emission; can be below 0 when the emission wins
 *     the race with the HTTP answer.
 *   - pay sent → emit: from sending the pay request (an upper bound that
 *     includes LNbits settling the payment).
 *   - frame → emit: the confirmation cost alone (REST round trips).
 * Printed next to the expected median wait of a 60 s polling schedule (30 s).
 *
 * Run: npm run bench -- trigger   (or: npx node --no-experimental-strip-types -r ./bench/register.js bench/lnbits-trigger-latency.ts)
 * Env: LATENCY_SAMPLES (default 60).
 */
import { LnbitsClient } from '../nodes/Lnbits/client';
import { streamSource, websocketUrl } from '../nodes/Lnbits/trigger/lnbits';
import { globalWebSocketConnect, PaymentStream, type Connect } from '../nodes/Lnbits/trigger/stream';
import { startLnbits, type LnbitsServer } from '../test/lnbits-server/server';
import { lnbitsCall } from '../test/helpers/lnbits-api';
import { fmt, percentile } from './stats';

const POLL_INTERVAL_MS = 60_000;
const POLL_MEDIAN_MS = POLL_INTERVAL_MS / 2;
const SAMPLES = Number(process.env.LATENCY_SAMPLES ?? 60);
const WARMUP = 5;

function api(lnbits: LnbitsServer, method: string, path: string, key: string, body?: unknown): Promise<any> {
	return lnbitsCall(lnbits.url, method, path, key, body);
}

function summary(values: number[]): { p50: number; p95: number; min: number; max: number } {
	const sorted = [...values].sort((a, b) => a - b);
	return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), min: sorted[0], max: sorted[sorted.length - 1] };
}

interface RunResult {
	settledToEmit: number[];
	sentToEmit: number[];
	frameToEmit: number[];
	sentToFrame: number[];
	stats: PaymentStream['stats'];
}

/** One stream on wallet A, WARMUP + SAMPLES payments from B, measured one at a time. */
async function run(lnbits: LnbitsServer, withBalance: boolean, offset: number): Promise<RunResult> {
	const client = new LnbitsClient({ url: lnbits.url, invoiceKey: lnbits.walletA.invoiceKey });
	const frameAt = new Map<string, number>();
	const emitted = new Map<string, number>();
	const waiters = new Map<string, () => void>();

	// The global WebSocket, plus a timestamp of the first frame per hash (before the stream handles it).
	const connect: Connect = (url) => {
		const socket = globalWebSocketConnect(url);
		socket.addEventListener('message', (event: { data: unknown }) => {
			const t = performance.now();
			const m = /"payment_hash": ?"([0-9a-f]{64})"/.exec(String(event.data));
			if (m && !frameAt.has(m[1])) frameAt.set(m[1], t);
		});
		return socket;
	};

	let connected!: () => void;
	const ready = new Promise<void>((r) => (connected = r));
	const source = streamSource(client);
	if (!withBalance) delete source.balance;
	const stream = new PaymentStream({
		url: websocketUrl(client.baseUrl, lnbits.walletA.invoiceKey),
		connect,
		...source,
		filter: { direction: 'incoming', minAmountSats: 0, memoContains: '' },
		safetyCheckMs: 0,
		emit: (event) => {
			emitted.set(event.payment.paymentHash, performance.now());
			waiters.get(event.payment.paymentHash)?.();
		},
		log: (_level, message) => {
			if (/^Catch-up \(connect\)/.test(message)) connected();
		},
	});
	const result: RunResult = { settledToEmit: [], sentToEmit: [], frameToEmit: [], sentToFrame: [], stats: stream.stats };
	try {
		await stream.start();
		await ready;
		for (let i = 0; i < WARMUP + SAMPLES; i++) {
			const invoice = await api(lnbits, 'POST', '/api/v1/payments', lnbits.walletA.invoiceKey, {
				out: false,
				amount: 10 + offset + i,
				memo: `latency ${offset + i}`,
			});
			const hash: string = invoice.payment_hash;
			const done = new Promise<void>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`payment ${i} was not emitted within 30 s`)), 30_000);
				waiters.set(hash, () => {
					clearTimeout(timer);
					resolve();
				});
			});
			const sent = performance.now();
			const paid = await api(lnbits, 'POST', '/api/v1/payments', lnbits.walletB.adminKey, { out: true, bolt11: invoice.bolt11 });
			const settled = performance.now();
			if (paid.status !== 'success') throw new Error(`payment ${i} is ${paid.status}`);
			await done;
			waiters.delete(hash);
			if (i < WARMUP) continue;
			const at = emitted.get(hash)!;
			result.settledToEmit.push(at - settled);
			result.sentToEmit.push(at - sent);
			const frame = frameAt.get(hash);
			if (frame !== undefined) {
				result.frameToEmit.push(at - frame);
				result.sentToFrame.push(frame - sent);
			}
		}
	} finally {
		await stream.stop();
	}
	return result;
}

/**
 * Baseline in the same run: the least any confirming listener must do. A bare
 * global WebSocket on wallet A; on the first frame of a hash one raw fetch of
 * GET /api/v1/payments/<hash> with the key, then "emit". No client, no
 * validation, no dedupe memory, no balance.
 */
async function runBare(lnbits: LnbitsServer, offset: number): Promise<RunResult> {
	const key = lnbits.walletA.invoiceKey;
	const socket = globalWebSocketConnect(websocketUrl(lnbits.url, key));
	const result: RunResult = { settledToEmit: [], sentToEmit: [], frameToEmit: [], sentToFrame: [], stats: {} as RunResult['stats'] };
	const frameAt = new Map<string, number>();
	const emitted = new Map<string, number>();
	const waiters = new Map<string, () => void>();
	await new Promise<void>((resolve, reject) => {
		socket.addEventListener('open', () => resolve());
		socket.addEventListener('error', () => reject(new Error('bare WebSocket failed')));
	});
	socket.addEventListener('message', (event: { data: unknown }) => {
		const t = performance.now();
		const m = /"payment_hash": ?"([0-9a-f]{64})"/.exec(String(event.data));
		if (!m || frameAt.has(m[1])) return;
		const hash = m[1];
		frameAt.set(hash, t);
		void fetch(`${lnbits.url}/api/v1/payments/${hash}`, { headers: { 'x-api-key': key } })
			.then((res) => res.json())
			.then((body: { paid?: boolean }) => {
				if (!body.paid) return;
				emitted.set(hash, performance.now());
				waiters.get(hash)?.();
			});
	});
	try {
		for (let i = 0; i < WARMUP + SAMPLES; i++) {
			const invoice = await api(lnbits, 'POST', '/api/v1/payments', key, { out: false, amount: 10 + offset + i, memo: `bare ${i}` });
			const hash: string = invoice.payment_hash;
			const done = new Promise<void>((resolve) => waiters.set(hash, resolve));
			const sent = performance.now();
			await api(lnbits, 'POST', '/api/v1/payments', lnbits.walletB.adminKey, { out: true, bolt11: invoice.bolt11 });
			const settled = performance.now();
			await done;
			if (i < WARMUP) continue;
			const at = emitted.get(hash)!;
			result.settledToEmit.push(at - settled);
			result.sentToEmit.push(at - sent);
			result.frameToEmit.push(at - frameAt.get(hash)!);
			result.sentToFrame.push(frameAt.get(hash)! - sent);
		}
	} finally {
		socket.close();
	}
	return result;
}

function print(title: string, r: RunResult): void {
	console.log(title);
	const rows: Array<[string, number[]]> = [
		['  pay request sent → emit', r.sentToEmit],
		['  pay call returned ("settled") → emit', r.settledToEmit],
		['  pay request sent → frame received', r.sentToFrame],
		['  frame received → emit (REST confirmation)', r.frameToEmit],
	];
	for (const [name, values] of rows) {
		const s = summary(values);
		console.log(
			`${name.padEnd(46)} p50 ${fmt(s.p50, 1).padStart(6)} ms  p95 ${fmt(s.p95, 1).padStart(6)} ms  (min ${fmt(s.min, 1)}, max ${fmt(s.max, 1)}, n=${values.length})`,
		);
	}
	if (r.stats.frames === undefined) return;
	const { frames, emitted, duplicates, droppedInvalid, droppedUnconfirmed, droppedMismatch } = r.stats;
	console.log(`  stream: ${JSON.stringify({ frames, emitted, duplicates, droppedInvalid, droppedUnconfirmed, droppedMismatch })}`);
}

async function main(): Promise<void> {
	const lnbits = await startLnbits();
	try {
		console.log(`Real LNbits 1.6.2 (FakeWallet) on 127.0.0.1, ${SAMPLES} payments B → A per run after ${WARMUP} warm-up`);
		const withBalance = await run(lnbits, true, 0);
		print('Default (confirm + wallet balance, in parallel):', withBalance);
		const confirmOnly = await run(lnbits, false, 1000);
		print('Include Wallet Balance off (confirm only):', confirmOnly);
		const bare = await runBare(lnbits, 2000);
		print('Baseline: bare WebSocket + one raw fetch confirmation (no client, no checks):', bare);
		console.log(
			`Stream vs bare baseline at p50 (pay request sent → emit): default ${fmt(summary(withBalance.sentToEmit).p50 / summary(bare.sentToEmit).p50, 2)}×, ` +
				`confirm-only ${fmt(summary(confirmOnly.sentToEmit).p50 / summary(bare.sentToEmit).p50, 2)}×`,
		);

		const head = summary(withBalance.sentToEmit);
		const lower = summary(withBalance.frameToEmit);
		console.log(
			`The payment settles inside LNbits between "pay request sent" and "frame received", so settled → emit lies between ` +
				`${fmt(lower.p50, 1)} ms and ${fmt(head.p50, 1)} ms at p50 (default settings).`,
		);
		console.log(
			`60 s polling schedule: expected median wait ${fmt(POLL_MEDIAN_MS)} ms → the trigger emits ${fmt(POLL_MEDIAN_MS / head.p50, 0)}× sooner at p50 ` +
				`(pay request sent → emit, ${fmt(head.p50, 1)} ms); confirm-only ${fmt(POLL_MEDIAN_MS / summary(confirmOnly.sentToEmit).p50, 0)}× sooner.`,
		);
		console.log(`Goal p50 < 100 ms (pay request sent → emit, default settings): ${head.p50 < 100 ? 'met' : 'missed'}`);
		console.log(
			JSON.stringify({
				p50Ms: Number(head.p50.toFixed(2)),
				p95Ms: Number(head.p95.toFixed(2)),
				samples: SAMPLES,
				measuredFrom: 'pay request sent',
				settledP50Ms: Number(summary(withBalance.settledToEmit).p50.toFixed(2)),
				frameToEmitP50Ms: Number(lower.p50.toFixed(2)),
				confirmOnlyP50Ms: Number(summary(confirmOnly.sentToEmit).p50.toFixed(2)),
				confirmOnlyP95Ms: Number(summary(confirmOnly.sentToEmit).p95.toFixed(2)),
				bareBaselineP50Ms: Number(summary(bare.sentToEmit).p50.toFixed(2)),
				pollMedianMs: POLL_MEDIAN_MS,
				ratioVsPolling: Number((POLL_MEDIAN_MS / head.p50).toFixed(1)),
			}),
		);
	} finally {
		await lnbits.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
