/**
 * Builds and packs the package the way it is published, without touching the
 * repository's own dist/: the sources are copied into a staging folder, bundled there
 * by the repository's scripts/build.js (as `npm run build`), the icons and codex files are copied by
 * the repository's gulpfile, and `npm pack` makes the tarball a user would install.
 *
 * The tarball is cached in .cache/e2e-pack/<hash of the sources>.tgz, so several test
 * files (and jest workers) share one build while the sources do not change.
 *
 * E2E_PACKAGE_SOURCE=HEAD packs the last commit (git archive) instead of the working
 * tree, e.g. to test committed code while other files are being edited.
 */
import { execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const NODE24_BIN = path.join(REPO_ROOT, 'node_modules', 'node', 'bin');
const CACHE = path.join(REPO_ROOT, '.cache', 'e2e-pack');

/** What the published package is made of (package.json `files` is dist + these). */
const SOURCES = ['nodes', 'credentials', 'icons', 'package.json', 'scripts/build.js', 'gulpfile.js', 'README.md', 'LICENSE', 'LICENSE.md'];

export interface RunResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** Runs a command; never rejects (the caller asserts on code and output). */
export function run(
	file: string,
	args: string[],
	opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
	return new Promise((resolve) => {
		execFile(
			file,
			args,
			{
				cwd: opts.cwd ?? REPO_ROOT,
				env: opts.env ?? process.env,
				timeout: opts.timeoutMs ?? 10 * 60_000,
				maxBuffer: 256 * 1024 * 1024,
				killSignal: 'SIGKILL',
			},
			(err, stdout, stderr) => {
				const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
				resolve({ code, stdout: String(stdout), stderr: String(stderr) + (err && code === 1 && !stderr ? String(err.message) : '') });
			},
		);
	});
}

/** Environment with Node 24 first on PATH (npm, tsc, gulp and n8n all run on it). */
export function node24Env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	return {
		...process.env,
		PATH: `${NODE24_BIN}${path.delimiter}${path.join(REPO_ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`,
		npm_config_update_notifier: 'false',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
		...extra,
	};
}

function listFiles(root: string, rel: string, out: string[]): void {
	const abs = path.join(root, rel);
	if (!fs.existsSync(abs)) return;
	const st = fs.statSync(abs);
	if (st.isFile()) {
		out.push(rel);
		return;
	}
	for (const name of fs.readdirSync(abs).sort()) listFiles(root, path.join(rel, name), out);
}

async function sourceHash(fromHead: boolean): Promise<string> {
	const h = crypto.createHash('sha256');
	if (fromHead) {
		const r = await run('git', ['rev-parse', 'HEAD']);
		h.update(`HEAD ${r.stdout.trim()}`);
	} else {
		const files: string[] = [];
		for (const s of SOURCES) listFiles(REPO_ROOT, s, files);
		for (const f of files) {
			h.update(f);
			h.update(fs.readFileSync(path.join(REPO_ROOT, f)));
		}
	}
	return h.digest('hex').slice(0, 16);
}

function must(r: RunResult, what: string): RunResult {
	if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stdout.slice(-6000)}\n${r.stderr.slice(-6000)}`);
	return r;
}

let memo: Promise<string> | undefined;

/** Path of the packed tarball (built on first call, cached by source hash). */
export function packPackage(): Promise<string> {
	memo ??= doPack();
	return memo;
}

async function doPack(): Promise<string> {
	const fromHead = process.env.E2E_PACKAGE_SOURCE === 'HEAD';
	const hash = await sourceHash(fromHead);
	const target = path.join(CACHE, `${hash}.tgz`);
	if (fs.existsSync(target)) return target;
	fs.mkdirSync(CACHE, { recursive: true });
	for (const old of fs.readdirSync(CACHE)) {
		// Keep the cache small: older tarballs and staging folders of finished builds.
		const p = path.join(CACHE, old);
		if (Date.now() - fs.statSync(p).mtimeMs > 3600_000) fs.rmSync(p, { recursive: true, force: true });
	}

	const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-stage-'));
	try {
		if (fromHead) {
			const existing = (await run('git', ['ls-tree', '--name-only', 'HEAD'])).stdout.split('\n');
			const wanted = SOURCES.filter((s) => existing.includes(s.split('/')[0]));
			const tar = path.join(stage, 'src.tar');
			must(await run('git', ['archive', '--format=tar', '-o', tar, 'HEAD', ...wanted]), 'git archive');
			must(await run('tar', ['-xf', tar, '-C', stage]), 'tar -x');
			fs.rmSync(tar);
		} else {
			for (const s of SOURCES) {
				const from = path.join(REPO_ROOT, s);
				if (fs.existsSync(from)) fs.cpSync(from, path.join(stage, s), { recursive: true });
			}
		}
		fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
		const env = node24Env();
		must(await run(path.join(NODE24_BIN, 'node'), [path.join(stage, 'scripts', 'build.js')], { cwd: stage, env }), 'scripts/build.js');
		must(await run(path.join(NODE24_BIN, 'node'), [path.join(REPO_ROOT, 'node_modules', 'gulp', 'bin', 'gulp.js'), '--cwd', stage, 'build:icons'], { cwd: stage, env }), 'gulp build:icons');
		const out = path.join(stage, 'out');
		fs.mkdirSync(out);
		const packed = must(await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], { cwd: stage, env }), 'npm pack');
		const filename = (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0].filename;
		const tmpTarget = `${target}.${process.pid}.tmp`;
		fs.copyFileSync(path.join(out, filename), tmpTarget);
		fs.renameSync(tmpTarget, target);
		return target;
	} finally {
		fs.rmSync(stage, { recursive: true, force: true });
	}
}
