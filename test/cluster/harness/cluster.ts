/**
 * n8n 2.40.7 in queue mode on 127.0.0.1, as a shop scales it out:
 *
 *   PostgreSQL ─┬─ main      (`n8n start`: editor, REST API, activation, WebSocket/stream triggers)
 *   Redis ──────┼─ webhook 1 (`n8n webhook`) ┐
 *               ├─ webhook 2 (`n8n webhook`) ┴─ nginx round-robin ← BTCPay deliveries
 *               ├─ worker 1  (`n8n worker`)
 *               └─ worker 2  (`n8n worker`)
 *
 * One N8N_ENCRYPTION_KEY, DB_TYPE=postgresdb, EXECUTIONS_MODE=queue; WEBHOOK_URL is the
 * nginx address, so a trigger registers that URL. Each process has its own user folder
 * holding the package installed from its packed tarball (`npm install` in ~/.n8n/nodes,
 * test/e2e/harness), as a user installs it on every machine of the cluster.
 *
 *   const cluster = await N8nCluster.start({ setup: async (main) => {   // before `n8n start`
 *     await main.importCredentials([...]); await main.importWorkflow(wf); await main.publishWorkflow(wf.id);
 *   } });
 *   await cluster.webhooks[0].kill(); await cluster.webhooks[0].start();   // SIGKILL, restart on its port
 *   await cluster.redis.restart();
 *   await cluster.stop();                        // everything stopped, temp folders removed
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { N8N_BIN, N8nInstance } from '../../e2e/harness/n8n';
import { NODE24_BIN, run } from '../../e2e/harness/pack';
import { freePort, sleep } from '../../helpers/processes';
import { allPids, CLUSTER_NICE, clusterTempDir, groupCpuMs, Nginx, Postgres, procStat, Redis, rssKb, Service } from './services';

const NODE = path.join(NODE24_BIN, 'node');

async function httpReady(url: string): Promise<boolean> {
	try {
		const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
		await res.arrayBuffer();
		return res.status === 200;
	} catch {
		return false;
	}
}

/** A `n8n webhook` or `n8n worker` process with its own user folder. */
export class N8nProcess {
	readonly service: Service;
	port = 0;
	private startedOnce = false;

	constructor(
		readonly name: string,
		readonly command: 'webhook' | 'worker',
		readonly userFolder: string,
		private readonly env: () => NodeJS.ProcessEnv,
		extraArgs: string[] = [],
	) {
		this.service = new Service(name, NODE, [N8N_BIN, command, ...extraArgs], path.join(userFolder, 'n8n.log'), { cwd: userFolder });
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** Starts (same port on a restart, as nginx knows it) and waits until it answers its readiness check. */
	async start(timeoutMs = 180_000): Promise<void> {
		if (!this.startedOnce) this.port = await freePort();
		this.startedOnce = true;
		const broker = await freePort();
		const env: NodeJS.ProcessEnv = {
			...this.env(),
			N8N_USER_FOLDER: this.userFolder,
			N8N_RUNNERS_BROKER_PORT: String(broker),
		};
		if (this.command === 'webhook') env.N8N_PORT = String(this.port);
		else Object.assign(env, { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(this.port), N8N_PORT: String(await freePort()) });
		this.service.opts.env = env;
		this.service.start();
		const end = Date.now() + timeoutMs;
		while (!(await httpReady(`${this.url}/healthz/readiness`))) {
			if (!this.service.running) throw new Error(`${this.name} exited early:\n${this.service.logTail()}`);
			if (Date.now() > end) throw new Error(`${this.name} not ready in ${timeoutMs} ms:\n${this.service.logTail()}`);
			await sleep(250);
		}
	}

	/** SIGKILL to the process group: no shutdown, in-flight requests cut off. */
	async kill(): Promise<void> {
		await this.service.kill();
	}

	async stop(): Promise<void> {
		await this.service.stop();
	}

	async rssKb(): Promise<number> {
		return rssKb(await this.service.programPid());
	}

	log(): string {
		try {
			return fs.readFileSync(this.service.logFile, 'utf8');
		} catch {
			return '';
		}
	}
}

export interface ClusterOptions {
	webhookProcesses?: number;
	workers?: number;
	workerConcurrency?: number;
	/** Extra environment for every n8n process. */
	env?: Record<string, string>;
	/** Runs before the main process starts (imports, publishing: main activates what is published). */
	setup?: (main: N8nInstance) => Promise<void>;
}

export class N8nCluster {
	private constructor(
		readonly pg: Postgres,
		readonly redis: Redis,
		readonly nginx: Nginx,
		readonly main: N8nInstance,
		readonly webhooks: N8nProcess[],
		readonly workers: N8nProcess[],
		private readonly folders: string[],
	) {}

	static async start(opts: ClusterOptions = {}): Promise<N8nCluster> {
		const started: Array<{ stop(): Promise<void> }> = [];
		const folders: string[] = [];
		try {
			const pg = await Postgres.start();
			started.push(pg);
			const redis = await Redis.start();
			started.push(redis);
			const webhookCount = opts.webhookProcesses ?? 2;
			const webhookPorts: number[] = [];
			for (let i = 0; i < webhookCount; i++) webhookPorts.push(await freePort());
			const nginx = await Nginx.start(webhookPorts);
			started.push(nginx);
			const queueEnv: Record<string, string> = {
				...pg.n8nEnv(),
				...redis.n8nEnv(),
				EXECUTIONS_MODE: 'queue',
				// The main process leaves production webhooks to the webhook processes.
				N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
				WEBHOOK_URL: `${nginx.url}/`,
				N8N_LOG_LEVEL: 'info',
				DB_POSTGRESDB_POOL_SIZE: '4',
				// README "Running in queue mode": n8n builds an expression isolate only when an
				// expression needs one, and reuses the compiled runtime bundle (both experimental n8n
				// settings, off by default; without them every webhook call builds an isolate).
				N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true',
				N8N_EXPRESSION_ENGINE_COMPILE_CACHE: 'true',
				NODE_OPTIONS: '--max-old-space-size=1024',
				...opts.env,
			};
			const main = await N8nInstance.create({ env: queueEnv });
			started.push({ stop: () => main.dispose() });
			await opts.setup?.(main);
			// The main process migrates the database; the others start after it.
			await main.start(180_000, { env: { WEBHOOK_URL: `${nginx.url}/` } });
			// The main process at the cluster's priority too (the other programs start under `nice`).
			const mainGroup = main.serverGroup;
			if (mainGroup && CLUSTER_NICE > 0) await run('renice', ['-n', String(CLUSTER_NICE), '-g', String(mainGroup)]);
			const copyFolder = (name: string): string => {
				const folder = clusterTempDir(`n8n-cluster-${name}-`);
				folders.push(folder);
				fs.cpSync(path.join(main.userFolder, '.n8n', 'nodes'), path.join(folder, '.n8n', 'nodes'), { recursive: true, verbatimSymlinks: true });
				return folder;
			};
			const env = () => main.env(queueEnv);
			const webhooks = webhookPorts.map((port, i) => {
				const p = new N8nProcess(`webhook${i + 1}`, 'webhook', copyFolder(`webhook${i + 1}`), env);
				p.port = port;
				(p as unknown as { startedOnce: boolean }).startedOnce = true;
				return p;
			});
			const workers = Array.from(
				{ length: opts.workers ?? 2 },
				(_, i) => new N8nProcess(`worker${i + 1}`, 'worker', copyFolder(`worker${i + 1}`), env, [`--concurrency=${opts.workerConcurrency ?? 10}`]),
			);
			const cluster = new N8nCluster(pg, redis, nginx, main, webhooks, workers, folders);
			started.push({ stop: () => cluster.stopN8nProcesses() });
			await Promise.all([...webhooks, ...workers].map((p) => p.start()));
			return cluster;
		} catch (error) {
			for (const s of started.reverse()) await s.stop().catch(() => undefined);
			for (const f of folders) fs.rmSync(f, { recursive: true, force: true });
			throw error;
		}
	}

	private async stopN8nProcesses(): Promise<void> {
		await Promise.all([...this.webhooks, ...this.workers].map((p) => p.stop()));
	}

	/** Stops everything and removes every temp folder (E2E_KEEP=1 keeps them for debugging). */
	async stop(): Promise<void> {
		await this.stopN8nProcesses();
		await this.main.dispose();
		await this.nginx.stop();
		await this.redis.stop();
		await this.pg.stop();
		if (!process.env.E2E_KEEP) for (const f of this.folders) fs.rmSync(f, { recursive: true, force: true });
	}

	/** Executions of a workflow in the database, by status. */
	async executionCounts(workflowId: string): Promise<Record<string, number>> {
		const rows = await this.pg.query(`select status, count(*) from execution_entity where "workflowId" = '${workflowId.replace(/'/g, "''")}' group by status`);
		return Object.fromEntries(rows.map(([status, n]) => [status, Number(n)]));
	}

	/**
	 * CPU time (ms) used so far, by part: each n8n process (with its task runner), PostgreSQL,
	 * Redis, nginx, and this test process (the emulator, BTCPay's sender, the collector).
	 * A difference of two readings over a phase divided by its deliveries is the CPU cost of one.
	 */
	cpuMs(): Record<string, number> {
		const mainGroup = this.main.serverGroup;
		const out: Record<string, number> = {};
		out.main = mainGroup ? groupCpuMs(mainGroup) : 0;
		for (const p of [...this.webhooks, ...this.workers]) out[p.name] = p.service.cpuMs();
		out.postgres = this.pg.cpuMs();
		out.redis = this.redis.cpuMs();
		out.nginx = this.nginx.cpuMs();
		const self = process.cpuUsage();
		out.testProcess = (self.user + self.system) / 1000;
		return out;
	}

	/** RSS (kB) of every n8n process, by name. */
	async rss(): Promise<Record<string, number>> {
		const out: Record<string, number> = {};
		const mainWrapper = this.main.serverGroup;
		if (mainWrapper) {
			// the wrapper's child that is not `cat`: n8n itself
			const child = allPids().find((e) => {
				try {
					return Number(procStat(e)?.[1]) === mainWrapper && fs.readFileSync(`/proc/${e}/comm`, 'utf8').trim() !== 'cat';
				} catch {
					return false;
				}
			});
			if (child) out.main = rssKb(Number(child));
		}
		for (const p of [...this.webhooks, ...this.workers]) out[p.name] = p.service.running ? await p.rssKb() : 0;
		return out;
	}
}
