/**
 * Footprint: time to require every node and credential of the built package
 * in a cold process (median of runs, minus a baseline process that loads only
 * n8n-workflow, which n8n has loaded anyway), and the installed size of the
 * package with its runtime dependencies. Targets: load < 150 ms, installed < 1.5 MB.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median, fmt } from './stats';

const root = resolve(__dirname, '..', '..', '..');

function coldMs(script: string, runs: number): number {
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
		if (r.status !== 0) throw new Error(`load failed: ${r.stderr}`);
		times.push(Number(r.stdout.trim()));
	}
	return median(times);
}

function dirSize(path: string): number {
	const st = statSync(path);
	if (!st.isDirectory()) return st.size;
	return readdirSync(path).reduce((sum, entry) => sum + dirSize(join(path, entry)), 0);
}

export function runFootprintBench(runs = 11): { loadMs: number; baselineMs: number; installedBytes: number; perPackage: Record<string, number> } {
	const pkg = require(join(root, 'package.json')) as { n8n: { nodes: string[]; credentials: string[] } };
	const files = [...pkg.n8n.credentials, ...pkg.n8n.nodes].map((f) => join(root, f));
	const timer = (body: string) =>
		`const t=process.hrtime.bigint();${body};process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
	const baselineMs = coldMs(timer(`require('n8n-workflow')`), runs);
	const allMs = coldMs(
		timer(`require('n8n-workflow');for (const f of ${JSON.stringify(files)}) { const m=require(f); for (const k of Object.keys(m)) new m[k](); }`),
		runs,
	);

	const work = mkdtempSync(join(tmpdir(), 'footprint-'));
	try {
		const tgz = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!;
		writeFileSync(join(work, 'package.json'), '{"name":"footprint","version":"1.0.0","private":true}');
		execFileSync('npm', ['install', '--omit=dev', '--omit=peer', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', join(work, tgz)], { cwd: work, stdio: 'ignore' });
		const modules = join(work, 'node_modules');
		const perPackage: Record<string, number> = {};
		for (const entry of readdirSync(modules)) {
			if (entry.startsWith('.')) continue;
			const names = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((n) => `${entry}/${n}`) : [entry];
			for (const name of names) perPackage[name] = dirSize(join(modules, name));
		}
		const installedBytes = Object.values(perPackage).reduce((a, b) => a + b, 0);
		return { loadMs: allMs - baselineMs, baselineMs, installedBytes, perPackage };
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

if (require.main === module) {
	const r = runFootprintBench();
	console.log('Footprint (built package, Node ' + process.version + ')');
	console.log(`require all nodes + credentials: ${fmt(r.loadMs, 1)} ms over a process that loads n8n-workflow (${fmt(r.baselineMs, 1)} ms)  (target < 150 ms)`);
	console.log(`installed size with runtime deps: ${fmt(r.installedBytes / 1024 / 1024, 2)} MB  (target < 1.5 MB)`);
	for (const [name, bytes] of Object.entries(r.perPackage).sort((a, b) => b[1] - a[1])) {
		console.log(`  ${name.padEnd(28)} ${fmt(bytes / 1024, 0).padStart(7)} KiB`);
	}
}
