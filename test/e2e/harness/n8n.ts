/**
 * Real n8n (pinned, installed by scripts/n8n-install.sh into a per-machine cache) for the
 * end-to-end tests, with this package installed from its packed tarball the way a
 * self-hosting user installs it (`npm install <package>` in ~/.n8n/nodes).
 *
 *   const n8n = await N8nInstance.create();          // temp N8N_USER_FOLDER + package
 *   await n8n.importCredentials([{ id, name, type, data }]);
 *   await n8n.importWorkflow(workflowJson);
 *   const run = await n8n.execute(workflowId);        // `n8n execute --id` → parsed JSON
 *   await n8n.start();                                // `n8n start` on 127.0.0.1:<free port>
 *   await n8n.runManually(workflowId, 'Every day');   // the editor's Execute workflow, from that trigger
 *   await n8n.executions(workflowId);                 // via n8n's REST API (owner login)
 *   await n8n.stop();
 *
 * Nothing leaves the machine: everything listens on 127.0.0.1, telemetry, version
 * checks, templates and banners are off, and outgoing HTTP from n8n's process goes to
 * a dead proxy except for loopback addresses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
export { freePort } from '../../helpers/processes';
import { freePort, pruneOldDirs, signalGroup, sleep, tmpfsOrTmpdir, trackProcessGroup, untrackProcessGroup } from '../../helpers/processes';
import { N8N_OFFLINE_ENV } from '../../helpers/n8n-env';
import { NODE24_BIN, REPO_ROOT, node24Env, packPackage, run, type RunResult } from './pack';

/** The pinned n8n; N8N_VERSION=2.41.1 runs the suite on another one (scripts/n8n-install.sh installs it). */
export const PINNED_N8N_VERSION = '2.40.7';
export const N8N_VERSION = process.env.N8N_VERSION || PINNED_N8N_VERSION;
if (!/^\d+\.\d+\.\d+$/.test(N8N_VERSION)) throw new Error(`N8N_VERSION must be a version like 2.41.1 (got "${N8N_VERSION}")`);
export const PACKAGE_NAME = 'n8n-nodes-btcpay-lnbits';
/** Where scripts/n8n-install.sh puts n8n (same rule as the script: per machine, outside git). */
export const N8N_DIR =
	process.env.N8N_INSTALL_DIR ||
	path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-nodes-btcpay-lnbits', `n8n-${N8N_VERSION}`);
export const N8N_BIN = path.join(N8N_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
const NODE = path.join(NODE24_BIN, 'node');

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface WorkflowJson {
	id: string;
	name: string;
	nodes: Array<Record<string, unknown> & { name: string; type: string }>;
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	finished?: boolean;
}

/** Items (json only) that a node produced on its first output in the first run. */
export function nodeOutput(runJson: any, nodeName: string, output = 0): Array<Record<string, any>> {
	const runs = runJson?.data?.resultData?.runData?.[nodeName];
	if (!runs || runs.length === 0) throw new Error(`node "${nodeName}" did not run; ran: ${Object.keys(runJson?.data?.resultData?.runData ?? {}).join(', ')}`);
	const items = runs[0].data?.main?.[output] ?? [];
	return items.map((i: { json: Record<string, unknown> }) => i.json);
}

let installMemo: Promise<void> | undefined;

/** Runs scripts/n8n-install.sh (returns at once when the pinned n8n is installed). */
export function ensureN8n(): Promise<void> {
	installMemo ??= (async () => {
		const r = await run('bash', [path.join(REPO_ROOT, 'scripts', 'n8n-install.sh')], { timeoutMs: 30 * 60_000 });
		if (r.code !== 0) throw new Error(`scripts/n8n-install.sh failed (exit ${r.code}):\n${r.stderr.slice(-8000)}`);
	})();
	return installMemo;
}

/** Parses the JSON document that ends n8n's stdout (`execute --rawOutput` prints logs before it). */
export function lastJsonDocument(stdout: string): any {
	// eslint-disable-next-line no-control-regex
	const lines = stdout.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
	const end = lines.map((l) => l.replace(/\s+$/, '')).lastIndexOf('}');
	for (let i = 0; i < end; i++) {
		if (!/^(.*\s)?\{$/.test(lines[i].trimEnd())) continue;
		const text = ['{', ...lines.slice(i + 1, end + 1)].join('\n');
		try {
			return JSON.parse(text);
		} catch {
			/* a log line that happened to end with "{" */
		}
	}
	throw new Error(`no JSON document in n8n output:\n${stdout.slice(-4000)}`);
}

export interface CreateOptions {
	/** Install the packed package into ~/.n8n/nodes (default true). */
	withPackage?: boolean;
	/** Extra environment for every n8n command. */
	env?: Record<string, string>;
}

export class N8nInstance {
	readonly userFolder: string;
	readonly logFile: string;
	/** Set by start(). */
	port = 0;
	url = '';
	/** The port of the last start(), for a restart at the same address (webhook URLs stay valid). */
	private lastPort = 0;
	private server?: ChildProcess;
	private serverExited: Promise<void> = Promise.resolve();

	/** The process group of the running server (its sh wrapper leads it: n8n and its task runner), if any. */
	get serverGroup(): number | undefined {
		return this.server?.pid;
	}
	private cookie = '';
	private readonly encryptionKey = crypto.randomBytes(24).toString('hex');
	private readonly extraEnv: Record<string, string>;
	readonly owner = { email: 'owner@example.com', password: `E2e-${crypto.randomBytes(9).toString('base64url')}1a`, firstName: 'E2E', lastName: 'Owner' };

	private constructor(userFolder: string, extraEnv: Record<string, string>) {
		this.userFolder = userFolder;
		this.logFile = path.join(userFolder, 'n8n.log');
		this.extraEnv = extraEnv;
	}

	/** A fresh n8n user folder (on tmpfs when there is one) with the package installed. */
	static async create(opts: CreateOptions = {}): Promise<N8nInstance> {
		await ensureN8n();
		const base = tmpfsOrTmpdir();
		pruneOldDirs(base, 'n8n-e2e-');
		const folder = fs.mkdtempSync(path.join(base, 'n8n-e2e-'));
		const inst = new N8nInstance(folder, opts.env ?? {});
		if (opts.withPackage !== false) await inst.installPackage(await packPackage());
		return inst;
	}

	/** The user's manual install: `npm install <tarball>` in ~/.n8n/nodes (peer n8n-workflow comes from n8n). */
	async installPackage(tarball: string): Promise<void> {
		const dir = this.nodesDir;
		fs.mkdirSync(dir, { recursive: true });
		if (!fs.existsSync(path.join(dir, 'package.json'))) {
			fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
		}
		const r = await run(
			'npm',
			['install', tarball, '--legacy-peer-deps', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--bin-links=false', '--package-lock=false'],
			{ cwd: dir, env: node24Env(), timeoutMs: 10 * 60_000 },
		);
		if (r.code !== 0) throw new Error(`npm install ${tarball} failed:\n${r.stdout}\n${r.stderr}`);
	}

	get nodesDir(): string {
		return path.join(this.userFolder, '.n8n', 'nodes');
	}

	get installedPackageDir(): string {
		return path.join(this.nodesDir, 'node_modules', PACKAGE_NAME);
	}

	env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
		const env: NodeJS.ProcessEnv = {};
		for (const k of ['HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'USER']) if (process.env[k] !== undefined) env[k] = process.env[k];
		Object.assign(env, {
			PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`,
			TZ: 'UTC',
			GENERIC_TIMEZONE: 'UTC',
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			// Nothing leaves the machine.
			...N8N_OFFLINE_ENV,
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			HTTP_PROXY: 'http://127.0.0.1:9',
			HTTPS_PROXY: 'http://127.0.0.1:9',
			http_proxy: 'http://127.0.0.1:9',
			https_proxy: 'http://127.0.0.1:9',
			NO_PROXY: '127.0.0.1,localhost',
			no_proxy: '127.0.0.1,localhost',
			// Local only, fast and quiet.
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_SECURE_COOKIE: 'false',
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_PYTHON_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_LOG_LEVEL: 'debug',
			N8N_LOG_OUTPUT: 'console',
			DB_SQLITE_POOL_SIZE: '2',
			NODE_OPTIONS: '--max-old-space-size=2048',
		});
		return { ...env, ...this.extraEnv, ...extra };
	}

	/** Runs an n8n CLI command (fresh process) with a free task-runner port; output also goes to the log file. */
	async cli(args: string[], timeoutMs = 5 * 60_000, extraEnv: Record<string, string> = {}): Promise<RunResult> {
		const brokerPort = await freePort();
		const r = await run(NODE, [N8N_BIN, ...args], {
			cwd: this.userFolder,
			env: this.env({ N8N_RUNNERS_BROKER_PORT: String(brokerPort), N8N_PORT: String(this.port || (await freePort())), ...extraEnv }),
			timeoutMs,
		});
		fs.appendFileSync(this.logFile, `\n===== n8n ${args.join(' ')} (exit ${r.code}) =====\n${r.stdout}\n${r.stderr}\n`);
		return r;
	}

	private async mustCli(args: string[], timeoutMs?: number): Promise<RunResult> {
		const r = await this.cli(args, timeoutMs);
		if (r.code !== 0) throw new Error(`n8n ${args.join(' ')} failed (exit ${r.code}):\n${r.stdout.slice(-6000)}\n${r.stderr.slice(-6000)}`);
		return r;
	}

	async importCredentials(creds: CredentialImport[]): Promise<void> {
		const file = path.join(this.userFolder, `credentials-${crypto.randomUUID()}.json`);
		fs.writeFileSync(file, JSON.stringify(creds), { mode: 0o600 });
		try {
			await this.mustCli(['import:credentials', `--input=${file}`]);
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	async importWorkflow(workflow: WorkflowJson | WorkflowJson[]): Promise<void> {
		const file = path.join(this.userFolder, `workflow-${crypto.randomUUID()}.json`);
		fs.writeFileSync(file, JSON.stringify(workflow));
		await this.mustCli(['import:workflow', `--input=${file}`]);
	}

	/** Marks a workflow active (published) so `n8n start` activates its triggers. */
	async publishWorkflow(id: string): Promise<void> {
		await this.mustCli(['publish:workflow', `--id=${id}`]);
	}

	/**
	 * `n8n execute --id` (headless, from the workflow's Manual Trigger). Resolves with the
	 * execution JSON when it succeeded; with `{ failed: true, output }` otherwise.
	 */
	async execute(id: string, timeoutMs = 5 * 60_000): Promise<{ ok: boolean; run?: any; result: RunResult }> {
		const result = await this.cli(['execute', `--id=${id}`, '--rawOutput'], timeoutMs, { N8N_LOG_LEVEL: 'info' });
		if (result.code !== 0) return { ok: false, result };
		return { ok: true, run: lastJsonDocument(result.stdout), result };
	}

	/**
	 * What the editor's "Execute workflow" button does (n8n 2.40's POST /rest/workflows/:id/run, a full
	 * manual execution from a known trigger), on the started server: a Schedule Trigger fires once at
	 * once. Resolves with the finished execution (its data as `n8n execute` prints it).
	 */
	async runManually(id: string, trigger: string, timeoutMs = 5 * 60_000): Promise<any> {
		const started = await this.rest('POST', `/workflows/${id}/run`, { triggerToStartFrom: { name: trigger } });
		if (!started?.executionId) throw new Error(`n8n did not start workflow ${id} from "${trigger}": ${JSON.stringify(started)}`);
		const executionId = String(started.executionId);
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const exec = await this.execution(executionId).catch(() => undefined);
			if (exec && exec.finished !== undefined && !['running', 'new', 'waiting'].includes(exec.status)) return exec;
			if (Date.now() > deadline) throw new Error(`execution ${executionId} of ${id} did not finish in ${timeoutMs} ms`);
			await sleep(250);
		}
	}

	async exportNodeTypes(): Promise<any[]> {
		const file = path.join(this.userFolder, 'node-types.json');
		await this.mustCli(['export:nodes', `--output=${file}`]);
		// The command ends after the write stream is flushed, but be safe about a partial file.
		for (let i = 0; i < 50; i++) {
			const text = fs.readFileSync(file, 'utf8');
			if (text.trimEnd().endsWith(']')) return JSON.parse(text);
			await sleep(100);
		}
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	}

	/** Everything n8n printed so far (CLI runs and the server). */
	log(): string {
		try {
			return fs.readFileSync(this.logFile, 'utf8');
		} catch {
			return '';
		}
	}

	/**
	 * `n8n start` on 127.0.0.1:<free port>; resolves once the REST API answers and the owner is
	 * logged in. `samePort`: restart on the previous port, as a real server keeps its address.
	 */
	async start(timeoutMs = 180_000, opts: { samePort?: boolean; env?: Record<string, string> } = {}): Promise<void> {
		if (this.server) throw new Error('already started');
		this.port = opts.samePort && this.lastPort ? this.lastPort : await freePort();
		this.lastPort = this.port;
		this.url = `http://127.0.0.1:${this.port}`;
		const brokerPort = await freePort();
		const fd = fs.openSync(this.logFile, 'a');
		fs.writeSync(fd, `\n===== n8n start on port ${this.port} ${new Date().toISOString()} =====\n`);
		const env = this.env({
			N8N_PORT: String(this.port),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			WEBHOOK_URL: `${this.url}/`,
			N8N_EDITOR_BASE_URL: `${this.url}/`,
			...opts.env,
		});
		// The sh wrapper leads a process group and waits on stdin: if the test process dies,
		// the pipe closes and the whole group (n8n and its task runner) is terminated.
		const script = '"$@" & trap "" TERM; cat >/dev/null; kill -TERM 0; sleep 3; kill -KILL 0';
		const child = spawn('/bin/sh', ['-c', script, 'n8n-wrapper', NODE, N8N_BIN, 'start'], {
			cwd: this.userFolder,
			env,
			detached: true,
			stdio: ['pipe', fd, fd],
		});
		fs.closeSync(fd);
		this.server = child;
		trackProcessGroup(child.pid!);
		this.serverExited = new Promise((r) => child.once('exit', () => r()));
		child.unref();

		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (child.exitCode !== null) throw new Error(`n8n start exited early. Log ${this.logFile}:\n${this.logTail()}`);
			try {
				const res = await fetch(`${this.url}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
				await res.arrayBuffer();
				if (res.status === 200) break;
			} catch {
				/* not up yet */
			}
			if (Date.now() > deadline) {
				await this.stop();
				throw new Error(`n8n did not answer in ${timeoutMs} ms. Log:\n${this.logTail()}`);
			}
			await sleep(250);
		}
		await this.login();
	}

	private async login(): Promise<void> {
		// First start: create the owner; later starts: log in.
		let res = await fetch(`${this.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(this.owner),
		});
		if (res.status !== 200) {
			await res.arrayBuffer();
			res = await fetch(`${this.url}/rest/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ emailOrLdapLoginId: this.owner.email, password: this.owner.password }),
			});
		}
		const text = await res.text();
		if (res.status !== 200) throw new Error(`n8n owner setup/login failed: HTTP ${res.status} ${text}`);
		const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
		this.cookie = cookies.join('; ');
		if (!this.cookie) throw new Error('n8n login returned no cookie');
	}

	/** The owner's session cookies (`name=value; …`) once started, e.g. for a browser. */
	get sessionCookies(): Array<{ name: string; value: string }> {
		return this.cookie
			.split('; ')
			.filter(Boolean)
			.map((c) => ({ name: c.slice(0, c.indexOf('=')), value: c.slice(c.indexOf('=') + 1) }));
	}

	/** GET/POST on n8n's internal REST API (/rest/...) as the owner; returns the `data` field. */
	async rest(method: string, pathname: string, body?: unknown): Promise<any> {
		const res = await fetch(`${this.url}/rest${pathname}`, {
			method,
			headers: { cookie: this.cookie, 'content-type': 'application/json', 'browser-id': 'e2e' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (res.status >= 300) throw new Error(`n8n ${method} /rest${pathname}: HTTP ${res.status} ${text.slice(0, 2000)}`);
		const parsed = text ? JSON.parse(text) : undefined;
		return parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed;
	}

	/** GET any path of the server as the logged-in owner (e.g. /types/nodes.json). */
	async get(pathname: string): Promise<Response> {
		return await fetch(`${this.url}${pathname}`, { headers: { cookie: this.cookie } });
	}

	/** Finished and running executions of a workflow, newest first (REST GET /rest/executions). */
	async executions(workflowId: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const data = await this.rest('GET', `/executions?filter=${filter}&limit=100`);
		const results: ExecutionSummary[] = data.results ?? data;
		return distinctExecutions(results.map((e) => ({ ...e, id: String(e.id) })));
	}

	/** Full execution data (node outputs) of one execution. */
	async execution(id: string): Promise<any> {
		const data = await this.rest('GET', `/executions/${id}`);
		// The REST API returns run data flattened (flatted); parse it into the usual shape.
		if (typeof data.data === 'string') data.data = parseFlatted(data.data);
		return data;
	}

	/** Waits until `count` executions of a workflow (of one mode, e.g. 'webhook') have finished; returns all of them, running ones included. */
	async waitForExecutions(workflowId: string, count: number, opts: { timeoutMs?: number; mode?: string } = {}): Promise<ExecutionSummary[]> {
		const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
		let last: ExecutionSummary[] = [];
		while (Date.now() < deadline) {
			last = (await this.executions(workflowId)).filter((e) => !opts.mode || e.mode === opts.mode);
			const done = last.filter((e) => !UNFINISHED.includes(e.status));
			if (done.length >= count) return last;
			await sleep(250);
		}
		throw new Error(`expected ${count} finished executions of ${workflowId}, saw ${JSON.stringify(last)}`);
	}

	logTail(lines = 80): string {
		return this.log().split('\n').slice(-lines).join('\n');
	}

	/** Stops the server (whole process group); the user folder is kept for debugging. */
	async stop(): Promise<void> {
		const c = this.server;
		if (!c) return;
		this.server = undefined;
		const pgid = c.pid!;
		try {
			c.stdin?.end();
		} catch {
			/* ignore */
		}
		signalGroup(pgid, 'SIGTERM');
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([this.serverExited, new Promise((r) => (timer = setTimeout(r, 20_000)))]);
		clearTimeout(timer);
		signalGroup(pgid, 'SIGKILL');
		untrackProcessGroup(pgid);
		this.port = 0;
	}

	/** A crash: SIGKILLs the server's whole process group (n8n flushes and deactivates nothing). */
	async kill(): Promise<void> {
		const c = this.server;
		if (!c) return;
		this.server = undefined;
		signalGroup(c.pid!, 'SIGKILL');
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([this.serverExited, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
		clearTimeout(timer);
		untrackProcessGroup(c.pid!);
		this.port = 0;
	}

	/**
	 * Every execution of a workflow, whatever its status (REST, paged by id), newest first.
	 * `executions()` shows the newest 100 only.
	 */
	async allExecutions(workflowId: string): Promise<ExecutionSummary[]> {
		const status = ['canceled', 'crashed', 'error', 'new', 'running', 'success', 'unknown', 'waiting'];
		const filter = encodeURIComponent(JSON.stringify({ workflowId, status }));
		const out: ExecutionSummary[] = [];
		let lastId = '';
		for (;;) {
			// n8n answers at most 100 per page (executions/parse-range-query.middleware.ts).
			const data = await this.rest('GET', `/executions?filter=${filter}&limit=100${lastId ? `&lastId=${lastId}` : ''}`);
			const page: ExecutionSummary[] = (data.results ?? data).map((e: ExecutionSummary) => ({ ...e, id: String(e.id) }));
			out.push(...page);
			if (page.length === 0) return distinctExecutions(out);
			lastId = page[page.length - 1].id;
		}
	}

	/** The items a trigger node emitted, one entry per execution of the workflow (all of them, paged). */
	async triggerItems(workflowId: string, nodeName: string): Promise<Array<{ execution: string; status: string; items: Array<Record<string, any>> }>> {
		const out = [];
		for (const e of await this.allExecutions(workflowId)) {
			const full = await this.execution(e.id);
			// An execution n8n had not run yet when it crashed still holds the trigger's items in its stack.
			const stack = full.data?.executionData?.nodeExecutionStack?.find((s: any) => s.node?.name === nodeName);
			const items = full.data?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0] ?? stack?.data?.main?.[0] ?? [];
			out.push({ execution: e.id, status: e.status, items: items.map((i: { json: Record<string, any> }) => i.json) });
		}
		return out;
	}

	/** Stops the server and removes the user folder. */
	async dispose(): Promise<void> {
		await this.stop();
		if (!process.env.E2E_KEEP) fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

const UNFINISHED = ['running', 'new', 'waiting'];

/**
 * One entry per execution. n8n lists the current (running) and the finished executions with two
 * queries run side by side and joins them (ExecutionService.findLatestCurrentAndCompleted in n8n
 * 2.40.7), so an execution that finishes between the two comes back twice, once as "running" and
 * once finished; the finished entry is kept.
 */
export function distinctExecutions(list: ExecutionSummary[]): ExecutionSummary[] {
	const byId = new Map<string, ExecutionSummary>();
	for (const e of list) {
		const seen = byId.get(e.id);
		if (!seen || (UNFINISHED.includes(seen.status) && !UNFINISHED.includes(e.status))) byId.set(e.id, e);
	}
	return [...byId.values()];
}

/** Decoder for the `flatted` format n8n uses for execution data in its REST API. */
export function parseFlatted(text: string): any {
	const input: unknown[] = JSON.parse(text);
	const seen = new Map<unknown, unknown>();
	const revive = (value: unknown): unknown => {
		if (typeof value === 'string' && /^\d+$/.test(value)) return resolve(Number(value));
		return value;
	};
	const resolve = (index: number): unknown => {
		const raw = input[index];
		if (raw === null || typeof raw !== 'object') return raw;
		if (seen.has(index)) return seen.get(index);
		const out: any = Array.isArray(raw) ? [] : {};
		seen.set(index, out);
		for (const [k, v] of Object.entries(raw as Record<string, unknown>)) out[k] = revive(v);
		return out;
	};
	return resolve(0);
}
