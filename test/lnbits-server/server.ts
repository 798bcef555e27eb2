/**
 * Starts a real LNbits (FakeWallet funding source) for jest tests.
 *
 * Usage in a test file:
 *   let lnbits: LnbitsServer;
 *   beforeAll(async () => { lnbits = await startLnbits(); }, 180_000);
 *   afterAll(() => lnbits?.stop());
 *
 * LNbits is installed by scripts/lnbits-install.sh into .cache/lnbits-venv; startLnbits()
 * runs that script first (it returns at once when the pinned version is already there).
 * Everything listens on 127.0.0.1 only. No traffic leaves the machine: LNbits' own
 * outgoing HTTP goes to a dead proxy, and exchange rates come from a small local server.
 *
 * Only Node built-ins and global fetch are used. See FINDINGS.md beside this file for the
 * API shapes observed on this server.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { freePort, pruneOldDirs, signalGroup, sleep, tmpfsOrTmpdir, trackProcessGroup, untrackProcessGroup } from '../helpers/processes';

export const LNBITS_VERSION = '1.6.2';

export interface LnbitsWallet {
	id: string;
	/** Owner account (user) id. */
	userId: string;
	name: string;
	/** Spend key (X-Api-Key). */
	adminKey: string;
	/** Receive/read key (X-Api-Key). */
	invoiceKey: string;
}

export interface LnbitsServer {
	/** Base URL without trailing slash, e.g. http://127.0.0.1:41234 */
	url: string;
	port: number;
	/** Empty wallet. */
	walletA: LnbitsWallet;
	/** Wallet funded with `fundedSats` by the super user. */
	walletB: LnbitsWallet;
	fundedSats: number;
	/** Bearer token of the super user (admin UI account made by first install). */
	superToken: string;
	superUserId: string;
	superUsername: string;
	superPassword: string;
	/** BTC price per fiat currency that the local rate server answers (e.g. USD: 100000). */
	fiatRates: Record<string, number>;
	/** Temp dir (on /dev/shm when it exists) holding data/ (SQLite), ext/ and lnbits.log. Kept after stop(). */
	dataDir: string;
	logFile: string;
	/** Milliseconds from spawn until the server answered HTTP, for the latest (re)start. */
	startupMs: number;
	/** Milliseconds the whole startLnbits() took (install check, spawn, first install, wallets, funding). */
	setupMs: number;
	/** Stops the server (whole process tree). The data folder is kept. Safe to call twice. */
	stop(): Promise<void>;
	/** stop() then start again on the same data folder and port; refreshes superToken. */
	restart(): Promise<void>;
	/** Last lines of the server log. */
	logTail(lines?: number): string;
}

export interface StartLnbitsOptions {
	/** Port to listen on; a free one is picked by default. */
	port?: number;
	/** Sats credited to wallet B (default 1 000 000). */
	fundSats?: number;
	/** BTC prices served to LNbits as its only exchange-rate provider. */
	fiatRates?: Record<string, number>;
	/** Max wait for the server to answer, per start (default 90 s). */
	startTimeoutMs?: number;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const VENV = path.join(REPO_ROOT, '.cache', 'lnbits-venv');
const INSTALL_SCRIPT = path.join(REPO_ROOT, 'scripts', 'lnbits-install.sh');
const DEFAULT_RATES: Record<string, number> = { USD: 100_000, EUR: 90_000, GBP: 80_000 };

function runInstall(): Promise<void> {
	return new Promise((resolve, reject) => {
		execFile(
			'bash',
			[INSTALL_SCRIPT],
			{ cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 },
			(err, _stdout, stderr) => {
				if (err) reject(new Error(`scripts/lnbits-install.sh failed: ${err.message}\n${stderr}`));
				else resolve();
			},
		);
	});
}

function sitePackages(): string {
	const lib = path.join(VENV, 'lib');
	const py = fs.readdirSync(lib).find((d) => /^python3\.\d+$/.test(d));
	if (!py) throw new Error(`no python3.x folder in ${lib}`);
	return path.join(lib, py, 'site-packages');
}

/** Non-zombie processes in a process group (Linux /proc); null if /proc is unavailable. */
function groupPids(pgid: number): number[] | null {
	let entries: string[];
	try {
		entries = fs.readdirSync('/proc');
	} catch {
		return null;
	}
	const pids: number[] = [];
	for (const e of entries) {
		if (!/^\d+$/.test(e)) continue;
		let stat: string;
		try {
			stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
		} catch {
			continue;
		}
		const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// rest[0] = state, rest[1] = ppid, rest[2] = pgrp
		if (Number(rest[2]) === pgid && rest[0] !== 'Z' && rest[0] !== 'X') pids.push(Number(e));
	}
	return pids;
}

function groupAlive(pgid: number, exceptPid?: number): boolean {
	const pids = groupPids(pgid);
	if (pids === null) {
		try {
			process.kill(-pgid, 0);
			return true;
		} catch {
			return false;
		}
	}
	return pids.some((p) => p !== exceptPid);
}

/** True while any LNbits (python) process of the group runs; the sh wrapper and its helpers don't count. */
function lnbitsAlive(pgid: number): boolean {
	const pids = groupPids(pgid);
	if (pids === null) return groupAlive(pgid);
	return pids.some((p) => {
		try {
			const comm = fs.readFileSync(`/proc/${p}/comm`, 'utf8').trim();
			return !['sh', 'dash', 'bash', 'cat', 'sleep'].includes(comm);
		} catch {
			return false;
		}
	});
}

/** A Web Push (VAPID) key pair in LNbits' format, so LNbits does not spend ~0.7 s generating one. */
function vapidKeys(): { privkey: string; pubkey: string } {
	const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
	const spki = publicKey.export({ format: 'der', type: 'spki' });
	return {
		privkey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
		pubkey: spki.subarray(spki.length - 65).toString('base64url'),
	};
}

async function waitFor(cond: () => boolean, timeoutMs: number, stepMs = 50): Promise<boolean> {
	const end = Date.now() + timeoutMs;
	while (Date.now() < end) {
		if (cond()) return true;
		await sleep(stepMs);
	}
	return cond();
}

function tailOf(file: string, lines = 60): string {
	try {
		const text = fs.readFileSync(file, 'utf8');
		return text.split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/** Local exchange-rate provider: GET /rates/<CUR> -> {"price": <BTC price>}. */
function startRateServer(rates: Record<string, number>, port = 0): Promise<http.Server> {
	return new Promise((resolve, reject) => {
		const srv = http.createServer((req, res) => {
			const m = /^\/rates\/([A-Za-z]+)$/.exec(req.url ?? '');
			const price = m ? rates[m[1].toUpperCase()] : undefined;
			if (price === undefined) {
				res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"unknown"}');
				return;
			}
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ price }));
		});
		srv.unref();
		srv.on('error', reject);
		srv.listen(port, '127.0.0.1', () => resolve(srv));
	});
}

async function json(res: Response, what: string, expect: number[] = [200, 201]): Promise<any> {
	const text = await res.text();
	if (!expect.includes(res.status)) {
		throw new Error(`${what}: HTTP ${res.status} ${text}`);
	}
	return text ? JSON.parse(text) : undefined;
}

function jwtClaims(token: string): Record<string, unknown> {
	try {
		return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
	} catch {
		return {};
	}
}

export async function startLnbits(opts: StartLnbitsOptions = {}): Promise<LnbitsServer> {
	const t0 = Date.now();
	await runInstall();

	const cwd = sitePackages(); // LNbits mounts ./lnbits/static relative to its working directory
	const lnbitsBin = path.join(VENV, 'bin', 'lnbits');
	const port = opts.port ?? (await freePort());
	const url = `http://127.0.0.1:${port}`;
	const base = process.env.LNBITS_TEST_TMPDIR || tmpfsOrTmpdir();
	pruneOldDirs(base, 'lnbits-test-');
	const dataDir = fs.mkdtempSync(path.join(base, 'lnbits-test-'));
	const logFile = path.join(dataDir, 'lnbits.log');
	const fiatRates = { ...(opts.fiatRates ?? DEFAULT_RATES) };
	const rateServer = await startRateServer(fiatRates);
	const ratePort = (rateServer.address() as net.AddressInfo).port;
	const startTimeoutMs = opts.startTimeoutMs ?? 90_000;

	// A minimal environment: LNbits reads every setting from the environment
	// (case-insensitive: HOST, PORT, DEBUG, SUPER_USER...), so nothing else is inherited.
	const env: NodeJS.ProcessEnv = {};
	for (const k of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR']) {
		if (process.env[k] !== undefined) env[k] = process.env[k];
	}
	const vapid = vapidKeys();
	Object.assign(env, {
		LNBITS_WEBPUSH_PRIVKEY: vapid.privkey,
		LNBITS_WEBPUSH_PUBKEY: vapid.pubkey,
		LNBITS_BACKEND_WALLET_CLASS: 'FakeWallet',
		LNBITS_DATA_FOLDER: path.join(dataDir, 'data'),
		LNBITS_EXTENSIONS_PATH: path.join(dataDir, 'ext'),
		LNBITS_ADMIN_UI: 'true',
		LNBITS_BASEURL: `${url}/`,
		LNBITS_RATE_LIMIT_NO: '1000000',
		ENABLE_LOG_TO_FILE: 'false',
		// Offline: no extension manifests, no price aggregator, only the local rate server.
		LNBITS_EXTENSIONS_DEACTIVATE_ALL: 'true',
		LNBITS_EXTENSIONS_MANIFESTS: '[]',
		LNBITS_WASM_EXTENSIONS_MANIFESTS: '[]',
		LNBITS_EXTENSIONS_DEFAULT_INSTALL: '[]',
		LNBITS_PRICE_AGGREGATOR_ENABLED: 'false',
		LNBITS_EXCHANGE_RATE_PROVIDERS: JSON.stringify([
			{
				name: 'TestRates',
				api_url: `http://127.0.0.1:${ratePort}/rates/{TO}`,
				path: '$.price',
				exclude_to: [],
				ticker_conversion: [],
			},
		]),
		// Let invoice webhooks and LNURL callbacks reach test servers on 127.0.0.1.
		LNBITS_CALLBACK_ALLOW_PRIVATE_IPS: 'true',
		LNBITS_CALLBACK_URL_RULES: JSON.stringify(['https?://(127\\.0\\.0\\.1|localhost)(:\\d+)?']),
		LNBITS_LNURL_ALLOW_PRIVATE_IPS: 'true',
		// Anything else LNbits tries to fetch fails at once instead of hanging.
		HTTP_PROXY: 'http://127.0.0.1:9',
		HTTPS_PROXY: 'http://127.0.0.1:9',
		http_proxy: 'http://127.0.0.1:9',
		https_proxy: 'http://127.0.0.1:9',
		NO_PROXY: '127.0.0.1,localhost',
		no_proxy: '127.0.0.1,localhost',
		PYTHONUNBUFFERED: '1',
	});

	let child: ChildProcess | undefined;
	let childExited: Promise<void> = Promise.resolve();
	let logFd: number | undefined;

	const startProcess = async (): Promise<number> => {
		logFd = fs.openSync(logFile, 'a');
		fs.writeSync(logFd, `\n===== start ${new Date().toISOString()} port ${port} =====\n`);
		const logStart = fs.statSync(logFile).size;
		const spawnedAt = Date.now();
		// `sh` leads a new process group holding LNbits and its uvicorn child. It waits on
		// stdin: when the jest process dies (even by SIGKILL) the pipe closes and the group
		// is terminated, so no python process outlives the tests.
		const script = '"$@" & trap "" TERM; cat >/dev/null; kill -TERM 0; sleep 2; kill -KILL 0';
		const c = spawn(
			'/bin/sh',
			['-c', script, 'lnbits-wrapper', lnbitsBin, '--host', '127.0.0.1', '--port', String(port)],
			{ cwd, env, detached: true, stdio: ['pipe', logFd, logFd] },
		);
		child = c;
		const pgid = c.pid!;
		trackProcessGroup(pgid);
		childExited = new Promise((resolve) => c.once('exit', () => resolve()));
		c.unref();
		(c.stdin as unknown as { unref?: () => void })?.unref?.();

		const fail = (why: string): never => {
			throw new Error(`LNbits did not start (${why}). Log ${logFile}:\n${tailOf(logFile)}`);
		};
		const deadline = spawnedAt + startTimeoutMs;
		for (;;) {
			if (c.exitCode !== null || c.signalCode !== null) fail('wrapper exited');
			try {
				const res = await fetch(`${url}/api/v1/health`, {
					redirect: 'manual',
					signal: AbortSignal.timeout(2000),
				});
				await res.arrayBuffer();
				if (res.status === 200 || res.status === 307) return Date.now() - spawnedAt;
			} catch {
				/* not listening yet */
			}
			const log = readFrom(logFile, logStart);
			if (/Traceback \(most recent call last\)|\[Errno 98\]|Application startup failed/.test(log)) {
				await stopProcess();
				fail('error in log');
			}
			if (Date.now() > deadline) {
				await stopProcess();
				fail(`no answer after ${startTimeoutMs} ms`);
			}
			await sleep(100);
		}
	};

	const stopProcess = async (): Promise<void> => {
		const c = child;
		if (!c) return;
		child = undefined;
		const pgid = c.pid!;
		try {
			c.stdin?.end();
		} catch {
			/* ignore */
		}
		signalGroup(pgid, 'SIGTERM');
		// uvicorn shuts down gracefully on SIGTERM; the wrapper itself ignores it.
		await waitFor(() => !lnbitsAlive(pgid), 5000);
		signalGroup(pgid, 'SIGKILL');
		await waitFor(() => !groupAlive(pgid), 5000);
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([childExited, new Promise((r) => (timer = setTimeout(r, 2000)))]);
		clearTimeout(timer);
		untrackProcessGroup(pgid);
		if (logFd !== undefined) {
			try {
				fs.closeSync(logFd);
			} catch {
				/* ignore */
			}
			logFd = undefined;
		}
	};

	const superUsername = 'admin';
	const superPassword = 'test-password-1234';
	let startupMs: number;
	let superToken: string;
	let walletA: LnbitsWallet;
	let walletB: LnbitsWallet;
	const fundSats = opts.fundSats ?? 1_000_000;

	try {
		startupMs = await startProcess();

		const install = await json(
			await fetch(`${url}/api/v1/auth/first_install`, {
				method: 'PUT',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					username: superUsername,
					password: superPassword,
					password_repeat: superPassword,
				}),
			}),
			'first_install',
		);
		superToken = install.access_token;

		const createWallet = async (name: string): Promise<LnbitsWallet> => {
			const w = await json(
				await fetch(`${url}/api/v1/account`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ name }),
				}),
				`create account ${name}`,
			);
			return { id: w.id, userId: w.user, name: w.name, adminKey: w.adminkey, invoiceKey: w.inkey };
		};
		walletA = await createWallet('A');
		walletB = await createWallet('B');

		if (fundSats > 0) {
			await json(
				await fetch(`${url}/users/api/v1/balance`, {
					method: 'PUT',
					headers: { 'content-type': 'application/json', authorization: `Bearer ${superToken}` },
					body: JSON.stringify({ id: walletB.id, amount: fundSats }),
				}),
				'fund wallet B',
			);
			const w = await json(
				await fetch(`${url}/api/v1/wallet`, { headers: { 'x-api-key': walletB.invoiceKey } }),
				'wallet B balance',
			);
			if (w.balance !== fundSats * 1000) {
				throw new Error(`wallet B balance is ${w.balance} msat, expected ${fundSats * 1000}`);
			}
		}
	} catch (err) {
		await stopProcess();
		rateServer.close();
		const e = err as Error;
		if (!/Log \//.test(e.message)) e.message += `\nLog ${logFile}:\n${tailOf(logFile)}`;
		throw e;
	}

	const server: LnbitsServer = {
		url,
		port,
		walletA,
		walletB,
		fundedSats: fundSats,
		superToken,
		superUserId: String(jwtClaims(superToken).usr ?? ''),
		superUsername,
		superPassword,
		fiatRates,
		dataDir,
		logFile,
		startupMs,
		setupMs: Date.now() - t0,
		async stop() {
			await stopProcess();
			await new Promise<void>((r) => rateServer.close(() => r()));
		},
		async restart() {
			await stopProcess();
			if (!rateServer.listening) {
				await new Promise<void>((resolve, reject) => {
					rateServer.once('error', reject);
					rateServer.listen(ratePort, '127.0.0.1', () => resolve());
				});
			}
			server.startupMs = await startProcess();
			const login = await json(
				await fetch(`${url}/api/v1/auth`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ username: superUsername, password: superPassword }),
				}),
				'login after restart',
			);
			server.superToken = login.access_token;
		},
		logTail(lines = 60) {
			return tailOf(logFile, lines);
		},
	};
	return server;
}

function readFrom(file: string, offset: number): string {
	try {
		const fd = fs.openSync(file, 'r');
		try {
			const size = fs.fstatSync(fd).size;
			const buf = Buffer.alloc(Math.max(0, size - offset));
			fs.readSync(fd, buf, 0, buf.length, offset);
			return buf.toString('utf8');
		} finally {
			fs.closeSync(fd);
		}
	} catch {
		return '';
	}
}
