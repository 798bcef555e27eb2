/** Result rows shared by the bench scripts and the runner's summary table. */
export type Verdict = 'PASS' | 'MISS' | 'INFO' | 'SKIP' | 'CRASH';

export interface Row {
	item: string;
	measured: string;
	baseline: string;
	ratio: string;
	target: string;
	verdict: Verdict;
}

export const verdict = (ok: boolean): Verdict => (ok ? 'PASS' : 'MISS');

export function markdownTable(rows: readonly Row[]): string {
	const head = ['Benchmark', 'Measured', 'Baseline (same run)', 'Ratio', 'Target', 'Result'];
	const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
	for (const r of rows) lines.push(`| ${[r.item, r.measured, r.baseline, r.ratio, r.target, r.verdict].join(' | ')} |`);
	return lines.join('\n');
}
