/**
 * Runs `worker` over `items` with at most `limit` calls in flight and returns
 * the results in input order. Rejections are captured per item (never thrown),
 * so one failing item cannot stop the others.
 */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

export async function mapLimit<T, R>(
	items: readonly T[],
	limit: number,
	worker: (item: T, index: number) => Promise<R>,
): Promise<Array<Settled<R>>> {
	const size = Math.max(1, Math.floor(limit) || 1);
	const results: Array<Settled<R>> = new Array(items.length);
	let next = 0;
	async function lane(): Promise<void> {
		while (true) {
			const index = next++;
			if (index >= items.length) return;
			try {
				results[index] = { ok: true, value: await worker(items[index], index) };
			} catch (error) {
				results[index] = { ok: false, error };
			}
		}
	}
	const lanes = Array.from({ length: Math.min(size, items.length) }, lane);
	await Promise.all(lanes);
	return results;
}
