/** Waiting and counting for the stream-trigger tests in a real n8n (test/e2e harness). */
import type { N8nInstance } from '../e2e/harness/n8n';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` every 500 ms until it gives something other than undefined/false. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, ms: number): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v !== undefined && v !== false) return v as T;
		if (Date.now() > end) throw new Error(`timed out (${ms} ms) waiting for ${what}`);
		await sleep(500);
	}
}

/** memo → how many executions of the workflow carried it (every execution, whatever its status). */
export async function emittedMemos(n8n: N8nInstance, workflowId: string, nodeName: string): Promise<Map<string, number>> {
	const counts = new Map<string, number>();
	for (const e of await n8n.triggerItems(workflowId, nodeName)) for (const item of e.items) counts.set(item.memo, (counts.get(item.memo) ?? 0) + 1);
	return counts;
}

/** What a crash run of a stream trigger emitted: each paid memo once, none lost, none twice. */
export interface CrashRunTally {
	/** memo → executions that carried it. */
	final: Map<string, number>;
	/** Paid memos no execution carried. */
	lost: string[];
	/** Memos more than one execution carried, with their count. */
	duplicates: Array<[string, number]>;
	/** Replays n8n itself refused (its log line for a repeated deduplication key). */
	refused: number;
}

/**
 * Waits (up to 10 min) until every memo of `memos` (all starting with `prefix`) has an execution of
 * the trigger `nodeName`, waits `settleMs` more for late duplicates, then counts what was lost and
 * what was emitted twice.
 */
export async function tallyCrashRun(
	n8n: N8nInstance,
	workflowId: string,
	nodeName: string,
	memos: string[],
	{ prefix = 'crash-', settleMs }: { prefix?: string; settleMs: number },
): Promise<CrashRunTally> {
	const ours = (counts: Map<string, number>) => [...counts.keys()].filter((m) => m.startsWith(prefix));
	await waitFor(`${memos.length} executions`, async () => ours(await emittedMemos(n8n, workflowId, nodeName)).length >= memos.length, 10 * 60_000);
	await sleep(settleMs);
	const final = await emittedMemos(n8n, workflowId, nodeName);
	return {
		final,
		lost: memos.filter((m) => !final.has(m)),
		duplicates: [...final.entries()].filter(([, n]) => n > 1),
		refused: (n8n.log().match(/duplicate deduplication key/g) ?? []).length,
	};
}

/** The counts of a tally as the crash tests log them. */
export function crashRunCounts(t: CrashRunTally): string {
	return `${t.final.size} emitted, ${t.lost.length} lost, ${t.duplicates.length} duplicates, ${t.refused} replays refused by n8n's deduplication key`;
}

/** Every paid memo emitted exactly once, and nothing else with the run's prefix. */
export function expectEachEmittedOnce(t: CrashRunTally, memos: string[], prefix = 'crash-'): void {
	expect(t.lost).toEqual([]);
	expect(t.duplicates).toEqual([]);
	expect([...t.final.keys()].filter((m) => m.startsWith(prefix))).toHaveLength(memos.length);
}

/** What a silent-stream run measured. */
export interface SilentRun {
	/** Connections the proxy froze. */
	frozen: number;
	/** From the freeze to the trigger's log line that it noticed. */
	noticedMs: number;
	/** From the freeze to every payment made meanwhile having its execution. */
	recoveredMs: number;
	/** memo → executions, 3 s after the last one arrived. */
	counts: Map<string, number>;
}

/**
 * A stream that stays open but delivers nothing: pays `silent-before` and waits for its execution,
 * freezes the proxy (`freeze`, returns how many connections it froze), pays `silent-1..3`, waits for
 * the trigger to log `noticed` (60 s) and for the three executions (90 s).
 */
export async function silentStreamRun(
	n8n: N8nInstance,
	workflowId: string,
	nodeName: string,
	{ pay, freeze, noticed }: { pay: (memo: string) => Promise<unknown>; freeze: () => number; noticed: RegExp },
): Promise<SilentRun> {
	await pay('silent-before');
	await waitFor('the first execution', async () => ((await emittedMemos(n8n, workflowId, nodeName)).has('silent-before') ? true : undefined), 60_000);
	const frozen = freeze();
	const t0 = Date.now();
	const during = ['silent-1', 'silent-2', 'silent-3'];
	for (const m of during) await pay(m);
	await waitFor('the trigger to notice the silent stream', () => noticed.test(n8n.log()), 60_000);
	const noticedMs = Date.now() - t0;
	await waitFor('the payments made while silent', async () => {
		const seen = await emittedMemos(n8n, workflowId, nodeName);
		return during.every((m) => seen.has(m)) || undefined;
	}, 90_000);
	const recoveredMs = Date.now() - t0;
	await sleep(3000);
	return { frozen, noticedMs, recoveredMs, counts: await emittedMemos(n8n, workflowId, nodeName) };
}

/** Noticed within 60 s, and each of the four payments emitted exactly once. */
export function expectSilentRunCaughtUp(run: SilentRun): void {
	expect(run.noticedMs).toBeLessThan(60_000);
	expect([...run.counts.entries()].sort()).toEqual([['silent-1', 1], ['silent-2', 1], ['silent-3', 1], ['silent-before', 1]]);
}
