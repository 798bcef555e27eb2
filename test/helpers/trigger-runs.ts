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
