/**
 * Footprint: time to require every node and credential of the built package
 * (every file in package.json's `n8n` field) in a cold process, median of runs,
 * minus a baseline process that loads only n8n-workflow (which n8n has loaded
 * anyway); and the installed size of the packed package with its runtime
 * dependencies. Targets: load < 150 ms, installed < 1.5 MB. Needs `npm run build` first.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median, fmt } from './stats';

const root = resolve(__dirname, '..');

export const LOAD_TARGET_MS = 150;
export const SIZE_TARGET_BYTES = 1.5 * 1024 * 1024;

function coldMs(script: string): number {
	const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`load failed: ${r.stderr}`);
	return Number(r.stdout.trim());
}

/** Runs the two scripts alternately in fresh processes (so machine noise hits both) after one warm-up each. */
function coldPair(a: string, b: string, runs: number): { a: number; b: number; diff: number } {
	coldMs(a);
	coldMs(b);
	const ta: number[] = [];
	const tb: number[] = [];
	const diffs: number[] = [];
	for (let i = 0; i < runs; i++) {
		ta.push(coldMs(a));
		tb.push(coldMs(b));
		diffs.push(tb[i] - ta[i]);
	}
	return { a: median(ta), b: median(tb), diff: median(diffs) };
}

function dirSize(path: string, filter: (file: string) => boolean = () => true): number {
	const st = statSync(path);
	if (!st.isDirectory()) return filter(path) ? st.size : 0;
	return readdirSync(path).reduce((sum, entry) => sum + dirSize(join(path, entry), filter), 0);
}

/** Files Node can load at run time (no type declarations, sources or source maps). */
const isRuntimeFile = (file: string) => /\.(c|m)?js$|\.json$/.test(file) && !/\.d\.(c|m)?ts$/.test(file);

export interface FootprintResult {
	/** Files from the n8n field that were loaded. */
	files: string[];
	/** Files from the n8n field that are not in dist/ (not built or not written yet). */
	missing: string[];
	loadMs: number;
	baselineMs: number;
	installedBytes: number;
	perPackage: Record<string, number>;
	/** Bytes of .js/.cjs/.mjs/.json files only, per package. */
	runtimePerPackage: Record<string, number>;
}

export function runFootprintBench(runs = 11): FootprintResult {
	const pkg = require(join(root, 'package.json')) as { n8n: { nodes: string[]; credentials: string[] } };
	const listed = [...pkg.n8n.credentials, ...pkg.n8n.nodes];
	const files = listed.filter((f) => existsSync(join(root, f)));
	const missing = listed.filter((f) => !files.includes(f));
	const paths = files.map((f) => join(root, f));
	const timer = (body: string) =>
		`const t=process.hrtime.bigint();${body};process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
	// Both processes are timed from their first line; the difference is what the package adds.
	// The class named like the file (BtcPay.node.js → BtcPay) is instantiated, as n8n's loader does.
	const pair = coldPair(
		timer(`require('n8n-workflow')`),
		timer(`require('n8n-workflow');for (const f of ${JSON.stringify(paths)}) { const m=require(f); const k=require('path').basename(f).split('.')[0]; if (typeof m[k]!=='function') throw new Error(f+' exports no class '+k); new m[k](); }`),
		runs,
	);
	const baselineMs = pair.a;
	const loadMs = pair.diff;

	const work = mkdtempSync(join(tmpdir(), 'footprint-'));
	try {
		const tgz = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!;
		writeFileSync(join(work, 'package.json'), '{"name":"footprint","version":"1.0.0","private":true}');
		execFileSync('npm', ['install', '--omit=dev', '--omit=peer', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', join(work, tgz)], { cwd: work, stdio: 'ignore' });
		const modules = join(work, 'node_modules');
		const perPackage: Record<string, number> = {};
		const runtimePerPackage: Record<string, number> = {};
		for (const entry of readdirSync(modules)) {
			if (entry.startsWith('.')) continue;
			const names = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((n) => `${entry}/${n}`) : [entry];
			for (const name of names) {
				perPackage[name] = dirSize(join(modules, name));
				runtimePerPackage[name] = dirSize(join(modules, name), isRuntimeFile);
			}
		}
		const installedBytes = Object.values(perPackage).reduce((a, b) => a + b, 0);
		return { files, missing, loadMs, baselineMs, installedBytes, perPackage, runtimePerPackage };
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

export function printFootprint(r: FootprintResult): void {
	console.log(`Footprint (built package in dist/, Node ${process.version})`);
	console.log(`files loaded: ${r.files.length} of ${r.files.length + r.missing.length} listed in package.json "n8n"`);
	for (const f of r.missing) console.log(`  NOT BUILT: ${f}`);
	const loadOk = r.loadMs < LOAD_TARGET_MS;
	console.log(
		`require all nodes + credentials: ${fmt(r.loadMs, 1)} ms on top of a process that loads n8n-workflow (${fmt(r.baselineMs, 1)} ms), median of paired cold runs  (target < ${LOAD_TARGET_MS} ms: ${loadOk ? 'PASS' : 'MISS'})`,
	);
	const sizeOk = r.installedBytes < SIZE_TARGET_BYTES;
	console.log(`installed size with runtime deps: ${fmt(r.installedBytes / 1024 / 1024, 2)} MB  (target < 1.5 MB: ${sizeOk ? 'PASS' : 'MISS'})`);
	const runtimeBytes = Object.values(r.runtimePerPackage).reduce((a, b) => a + b, 0);
	console.log(`  of which .js/.cjs/.mjs/.json: ${fmt(runtimeBytes / 1024 / 1024, 2)} MB (the rest is type declarations, TypeScript sources, maps, docs)`);
	console.log(`  ${'package'.padEnd(28)} ${'all files'.padStart(11)} ${'js+json'.padStart(11)}`);
	for (const [name, bytes] of Object.entries(r.perPackage).sort((a, b) => b[1] - a[1])) {
		console.log(`  ${name.padEnd(28)} ${fmt(bytes / 1024, 0).padStart(7)} KiB ${fmt(r.runtimePerPackage[name] / 1024, 0).padStart(7)} KiB`);
	}
}

if (require.main === module) printFootprint(runFootprintBench());
