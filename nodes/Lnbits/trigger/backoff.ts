/** Reconnect delays: exponential, bounded, with jitter so many triggers don't reconnect in step. */
export interface BackoffOptions {
	/** Delay before the first retry, ms (default 1 000). */
	initialMs?: number;
	/** Upper bound of any delay, ms (default 30 000). */
	maxMs?: number;
}

/**
 * Delay before retry number `attempt` (0-based): the exponential step
 * `min(max, initial·2^attempt)`, of which a random half is kept ("equal
 * jitter"): the result lies in [step/2, step]. `random` returns [0, 1).
 */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = {}): number {
	const initial = options.initialMs ?? 1000;
	const max = Math.max(initial, options.maxMs ?? 30_000);
	const step = Math.min(max, initial * 2 ** Math.min(Math.max(0, attempt), 30));
	const r = Math.min(Math.max(random(), 0), 1);
	return Math.round(step / 2 + (step / 2) * r);
}
