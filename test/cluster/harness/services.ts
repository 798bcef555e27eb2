/**
 * The cluster's infrastructure for the queue-mode tests, from the Debian packages
 * (`postgresql` 15, `redis-server`, `nginx`, installed by .ci/run): each one runs in
 * the foreground in its own temp folder, listens on 127.0.0.1 only (PostgreSQL also on
 * a Unix socket inside its folder), and is stopped and removed by `stop()`.
 *
 * Every program runs under a small `sh` wrapper that leads a process group and waits
 * on its stdin: if the test process dies, the pipe closes and the group is terminated.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, pruneOldDirs, signalGroup, sleep, tmpfsOrTmpdir, trackProcessGroup, untrackProcessGroup } from '../../helpers/processes';
import { run } from '../../e2e/harness/pack';

export const PG_BIN = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';

/** A temp folder on tmpfs when there is one; old leftovers of crashed runs are pruned. */
export function clusterTempDir(prefix: string): string {
	const base = tmpfsOrTmpdir();
	pruneOldDirs(base, prefix);
	return fs.mkdtempSync(path.join(base, prefix));
}

/**
 * Niceness of every cluster program (n8n processes, PostgreSQL, Redis, nginx). The test process
 * plays BTCPay Server and its customers, which in production run on other machines: at the same
 * priority, a saturated 2-core machine would slow the sender and the customers the suite measures
 * the cluster with. CLUSTER_NICE=0 runs everything at one priority.
 */
export const CLUSTER_NICE = (() => {
	const v = Number(process.env.CLUSTER_NICE ?? 5);
	if (!Number.isInteger(v) || v < 0 || v > 19) throw new Error(`CLUSTER_NICE must be an integer from 0 to 19 (got "${process.env.CLUSTER_NICE}")`);
	return v;
})();

export interface ServiceOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Run as this user (PostgreSQL refuses to run as root). */
	uid?: number;
	gid?: number;
}

/** One long-running program in its own process group, output appended to a log file. */
export class Service {
	private child?: ChildProcess;
	private exited: Promise<void> = Promise.resolve();

	constructor(
		readonly name: string,
		private readonly file: string,
		private readonly args: string[],
		readonly logFile: string,
		readonly opts: ServiceOptions = {},
	) {}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	get running(): boolean {
		return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
	}

	start(): void {
		if (this.running) throw new Error(`${this.name} already running`);
		const fd = fs.openSync(this.logFile, 'a');
		fs.writeSync(fd, `\n===== ${this.name} start ${new Date().toISOString()} =====\n`);
		const nice = CLUSTER_NICE > 0 ? `nice -n ${CLUSTER_NICE} ` : '';
		const script = `${nice}"$@" & trap "" TERM; cat >/dev/null; kill -TERM 0; sleep 3; kill -KILL 0`;
		const child = spawn('/bin/sh', ['-c', script, `${this.name}-wrapper`, this.file, ...this.args], {
			cwd: this.opts.cwd,
			env: this.opts.env ?? process.env,
			detached: true,
			stdio: ['pipe', fd, fd],
			uid: this.opts.uid,
			gid: this.opts.gid,
		});
		fs.closeSync(fd);
		this.child = child;
		trackProcessGroup(child.pid!);
		this.exited = new Promise((r) => child.once('exit', () => r()));
		child.unref();
	}

	/** The program's own pid (the wrapper's only child). */
	async programPid(): Promise<number> {
		const wrapper = this.child?.pid;
		if (!wrapper) throw new Error(`${this.name} not running`);
		for (let i = 0; i < 100; i++) {
			const r = await run('pgrep', ['-P', String(wrapper)]);
			const pids = r.stdout
				.split('\n')
				.map((l) => Number(l.trim()))
				.filter((n) => n > 0);
			// the wrapper has two children: the program and `cat`
			for (const pid of pids) {
				const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
				if (comm !== 'cat') return pid;
			}
			await sleep(50);
		}
		throw new Error(`${this.name}: program pid not found`);
	}

	/** Every pid of the process group (the program, its children, the wrapper). */
	groupPids(): number[] {
		const pgid = this.child?.pid;
		return pgid ? groupPids(pgid) : [];
	}

	/** CPU time (user + system, ms) used so far by the live processes of the group and the children they reaped. */
	cpuMs(): number {
		const pgid = this.child?.pid;
		return pgid ? groupCpuMs(pgid) : 0;
	}

	/** SIGKILL to the whole group: the program dies without any cleanup, as in a crash. */
	async kill(): Promise<void> {
		const c = this.child;
		if (!c) return;
		this.child = undefined;
		signalGroup(c.pid!, 'SIGKILL');
		await this.exited;
		untrackProcessGroup(c.pid!);
	}

	/** SIGTERM (clean shutdown), SIGKILL after `graceMs`. */
	async stop(graceMs = 20_000): Promise<void> {
		const c = this.child;
		if (!c) return;
		this.child = undefined;
		try {
			c.stdin?.end();
		} catch {
			/* ignore */
		}
		signalGroup(c.pid!, 'SIGTERM');
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([this.exited, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
		clearTimeout(timer);
		signalGroup(c.pid!, 'SIGKILL');
		untrackProcessGroup(c.pid!);
	}

	logTail(lines = 60): string {
		try {
			return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
		} catch {
			return '';
		}
	}
}

async function waitUntil(what: string, service: Service, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		if (!service.running) throw new Error(`${what} exited early:\n${service.logTail()}`);
		if (await check()) return;
		if (Date.now() > end) throw new Error(`${what} not ready in ${timeoutMs} ms:\n${service.logTail()}`);
		await sleep(200);
	}
}

/** Whether the test runs as root (then PostgreSQL runs as the `postgres` user of the Debian package). */
function postgresUser(): { uid: number; gid: number } | undefined {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith('postgres:'));
	if (!line) throw new Error('running as root but there is no "postgres" user: install the Debian package postgresql');
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

export class Postgres {
	readonly user = 'n8n';
	readonly database = 'n8n';
	port = 0;
	private service?: Service;

	private constructor(readonly dir: string) {}

	/** initdb in a temp folder, then `postgres` on 127.0.0.1:<free port> (fsync off: test data only). */
	static async start(): Promise<Postgres> {
		const dir = clusterTempDir('n8n-cluster-pg-');
		const pg = new Postgres(dir);
		const owner = postgresUser();
		const data = path.join(dir, 'data');
		fs.mkdirSync(data, { mode: 0o700 });
		if (owner) {
			fs.chownSync(dir, owner.uid, owner.gid);
			fs.chownSync(data, owner.uid, owner.gid);
		}
		const env = { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
		const init = await new Promise<{ code: number; out: string }>((resolve) => {
			const child = spawn(
				path.join(PG_BIN, 'initdb'),
				['-D', data, '-U', pg.user, '--auth=trust', '--encoding=UTF8', '--no-sync'],
				{ env, cwd: dir, uid: owner?.uid, gid: owner?.gid },
			);
			let out = '';
			child.stdout.on('data', (d) => (out += d));
			child.stderr.on('data', (d) => (out += d));
			child.on('close', (code) => resolve({ code: code ?? 1, out }));
		});
		if (init.code !== 0) throw new Error(`initdb failed:\n${init.out}`);
		pg.port = await freePort();
		const log = path.join(dir, 'postgres.log');
		fs.writeFileSync(log, '');
		if (owner) fs.chownSync(log, owner.uid, owner.gid);
		pg.service = new Service(
			'postgres',
			path.join(PG_BIN, 'postgres'),
			[
				'-D', data,
				'-p', String(pg.port),
				'-k', dir,
				'-c', 'listen_addresses=127.0.0.1',
				'-c', 'fsync=off',
				'-c', 'synchronous_commit=off',
				'-c', 'full_page_writes=off',
				'-c', 'max_connections=200',
				'-c', 'shared_buffers=64MB',
			],
			log,
			{ env, cwd: dir, ...owner },
		);
		pg.service.start();
		await waitUntil('PostgreSQL', pg.service, async () => (await pg.psqlRaw('postgres', 'select 1')).code === 0);
		const created = await pg.psqlRaw('postgres', `create database ${pg.database}`);
		if (created.code !== 0) throw new Error(`create database failed: ${created.stderr}`);
		return pg;
	}

	private psqlRaw(db: string, sql: string) {
		return run(path.join(PG_BIN, 'psql'), ['-h', '127.0.0.1', '-p', String(this.port), '-U', this.user, '-d', db, '-X', '-q', '-t', '-A', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
			timeoutMs: 60_000,
		});
	}

	/** Rows of a query (tab-separated columns). */
	async query(sql: string): Promise<string[][]> {
		const r = await this.psqlRaw(this.database, sql);
		if (r.code !== 0) throw new Error(`psql failed (${sql}): ${r.stderr}`);
		return r.stdout
			.split('\n')
			.filter((l) => l.length > 0)
			.map((l) => l.split('\t'));
	}

	cpuMs(): number {
		return this.service?.cpuMs() ?? 0;
	}

	/** n8n's settings for this database. */
	n8nEnv(): Record<string, string> {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.port),
			DB_POSTGRESDB_DATABASE: this.database,
			DB_POSTGRESDB_USER: this.user,
			DB_POSTGRESDB_PASSWORD: '',
		};
	}

	async stop(): Promise<void> {
		await this.service?.stop();
		if (!process.env.E2E_KEEP) fs.rmSync(this.dir, { recursive: true, force: true });
	}
}

export class Redis {
	port = 0;
	private readonly service: Service;

	private constructor(
		readonly dir: string,
		port: number,
	) {
		this.port = port;
		const conf = path.join(dir, 'redis.conf');
		// Append-only file, as a queue-mode Redis should have: a restart keeps the queued jobs.
		fs.writeFileSync(
			conf,
			[
				`port ${port}`,
				'bind 127.0.0.1',
				'protected-mode yes',
				`dir ${dir}`,
				'daemonize no',
				'appendonly yes',
				'appendfsync everysec',
				'save ""',
				'loglevel notice',
				`logfile ""`,
				'',
			].join('\n'),
		);
		this.service = new Service('redis', 'redis-server', [conf], path.join(dir, 'redis.log'), { cwd: dir });
	}

	static async start(): Promise<Redis> {
		const redis = new Redis(clusterTempDir('n8n-cluster-redis-'), await freePort());
		await redis.startService();
		return redis;
	}

	private async startService(): Promise<void> {
		this.service.start();
		await waitUntil('Redis', this.service, async () => (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), 'ping'])).stdout.trim() === 'PONG');
	}

	/** A clean restart (SHUTDOWN writes the append-only file), on the same port. */
	async restart(downMs = 0): Promise<void> {
		await this.service.stop();
		if (downMs > 0) await sleep(downMs);
		await this.startService();
	}

	cpuMs(): number {
		return this.service.cpuMs();
	}

	n8nEnv(): Record<string, string> {
		return { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(this.port) };
	}

	async stop(): Promise<void> {
		await this.service.stop();
		if (!process.env.E2E_KEEP) fs.rmSync(this.dir, { recursive: true, force: true });
	}
}

/** nginx round-robin over the webhook processes, on 127.0.0.1:<free port>. */
export class Nginx {
	port = 0;
	private readonly service: Service;

	private constructor(
		readonly dir: string,
		port: number,
		upstreams: number[],
	) {
		this.port = port;
		const conf = path.join(dir, 'nginx.conf');
		const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
		fs.writeFileSync(
			conf,
			[
				asRoot ? 'user root root;' : '',
				'worker_processes 1;',
				`pid ${dir}/nginx.pid;`,
				`error_log ${dir}/error.log warn;`,
				'events { worker_connections 1024; }',
				'http {',
				// When each answer ended, its status, and the seconds nginx and the webhook process took.
				'  log_format timing \'$msec $status $request_time $upstream_response_time\';',
				`  access_log ${dir}/access.log timing;`,
				`  client_body_temp_path ${dir}/body;`,
				`  proxy_temp_path ${dir}/proxy;`,
				`  fastcgi_temp_path ${dir}/fastcgi;`,
				`  uwsgi_temp_path ${dir}/uwsgi;`,
				`  scgi_temp_path ${dir}/scgi;`,
				'  client_max_body_size 16m;',
				'  upstream n8n_webhooks {',
				...upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=0;`),
				'    keepalive 32;',
				'  }',
				'  server {',
				`    listen 127.0.0.1:${port};`,
				'    location / {',
				'      proxy_pass http://n8n_webhooks;',
				'      proxy_http_version 1.1;',
				'      proxy_set_header Connection "";',
				'      proxy_set_header Host $host;',
				'      proxy_read_timeout 120s;',
				// A starting `n8n webhook` listens before it has loaded its webhooks and answers 404
				// "not registered" meanwhile (n8n 2.40.7); BTCPay never retries a 404, so such an answer
				// goes to the other process (n8n answered before any node ran: safe to resend).
				'      proxy_next_upstream error http_404 non_idempotent;',
				'      proxy_next_upstream_tries 2;',
				'    }',
				'  }',
				'}',
				'',
			].join('\n'),
		);
		this.service = new Service('nginx', 'nginx', ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', conf, '-g', 'daemon off;'], path.join(dir, 'nginx.out'), { cwd: dir });
	}

	static async start(upstreams: number[]): Promise<Nginx> {
		const nginx = new Nginx(clusterTempDir('n8n-cluster-nginx-'), await freePort(), upstreams);
		nginx.service.start();
		await waitUntil('nginx', nginx.service, async () => {
			try {
				const res = await fetch(`${nginx.url}/`, { signal: AbortSignal.timeout(1000) });
				await res.arrayBuffer();
				return true;
			} catch {
				return false;
			}
		});
		return nginx;
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	cpuMs(): number {
		return this.service.cpuMs();
	}

	/**
	 * Answers logged since `sinceMs` (epoch ms): the time nginx took for each (`request`, from the
	 * first byte read to the last sent) and the time the webhook processes took (`upstream`, the
	 * sum over the processes tried), in ms.
	 */
	timings(sinceMs = 0): Array<{ at: number; status: number; requestMs: number; upstreamMs: number }> {
		let text = '';
		try {
			text = fs.readFileSync(path.join(this.dir, 'access.log'), 'utf8');
		} catch {
			return [];
		}
		const out: Array<{ at: number; status: number; requestMs: number; upstreamMs: number }> = [];
		for (const line of text.split('\n')) {
			const [msec, status, request, ...upstream] = line.trim().split(' ');
			const at = Number(msec) * 1000;
			if (!Number.isFinite(at) || at < sinceMs) continue;
			const upstreamSeconds = upstream
				.join(' ')
				.split(/[,:]\s*/)
				.map(Number)
				.filter((n) => Number.isFinite(n))
				.reduce((a, b) => a + b, 0);
			out.push({ at, status: Number(status), requestMs: Number(request) * 1000, upstreamMs: upstreamSeconds * 1000 });
		}
		return out;
	}

	async stop(): Promise<void> {
		await this.service.stop(5_000);
		if (!process.env.E2E_KEEP) fs.rmSync(this.dir, { recursive: true, force: true });
	}
}

const CLOCK_TICKS_PER_S = 100;

/**
 * The fields of /proc/<pid>/stat after the command name, so index 0 is proc(5)'s field 3 (state),
 * 1 the parent pid, 2 the process group, 11-14 utime, stime, cutime, cstime; undefined when gone.
 */
export function procStat(pid: number | string): string[] | undefined {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	} catch {
		return undefined;
	}
}

/** Every pid of /proc, as named there. */
export function allPids(): string[] {
	return fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
}

/** Every pid whose process group is `pgid`. */
export function groupPids(pgid: number): number[] {
	return allPids()
		.filter((pid) => Number(procStat(pid)?.[2]) === pgid)
		.map(Number);
}

/** CPU time (ms) of the live processes of a process group and the children they reaped. */
export function groupCpuMs(pgid: number): number {
	return groupPids(pgid).reduce((sum, pid) => sum + processCpuMs(pid), 0);
}

/** utime + stime + cutime + cstime of one process, in ms (0 when it is gone). */
export function processCpuMs(pid: number): number {
	const f = procStat(pid);
	return f ? ((Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 1000) / CLOCK_TICKS_PER_S : 0;
}

/** Resident set size of a process (kB), from /proc. */
export function rssKb(pid: number): number {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const m = /VmRSS:\s+(\d+)/.exec(status);
		return m ? Number(m[1]) : 0;
	} catch {
		return 0;
	}
}

export const CPU_COUNT = os.cpus().length;
