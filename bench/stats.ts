/** Small statistics helpers shared by the bench scripts. */
export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[rank];
}

export function median(values: readonly number[]): number {
	return percentile([...values].sort((a, b) => a - b), 50);
}

/** Runs `fn` repeatedly for about `ms` milliseconds and returns operations per second. */
export function opsPerSecond(fn: () => unknown, ms = 400): number {
	for (let i = 0; i < 200; i++) fn(); // warm-up
	let count = 0;
	const start = process.hrtime.bigint();
	const budget = BigInt(ms) * 1_000_000n;
	let elapsed = 0n;
	while (elapsed < budget) {
		for (let i = 0; i < 50; i++) fn();
		count += 50;
		elapsed = process.hrtime.bigint() - start;
	}
	return count / (Number(elapsed) / 1e9);
}

/** Median of `rounds` opsPerSecond measurements, alternating a and b to share machine noise. */
export function compare(a: () => unknown, b: () => unknown, rounds = 5, ms = 300): { a: number; b: number } {
	const ra: number[] = [];
	const rb: number[] = [];
	for (let i = 0; i < rounds; i++) {
		ra.push(opsPerSecond(a, ms));
		rb.push(opsPerSecond(b, ms));
	}
	return { a: median(ra), b: median(rb) };
}

export function fmt(n: number, digits = 0): string {
	return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
