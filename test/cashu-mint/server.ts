/**
 * Starts a real Nutshell mint (PyPI `cashu` 0.20.0, the reference Cashu mint) for jest tests,
 * on 127.0.0.1 with its SQLite database in a temp folder.
 *
 *   const mint = await startMint();                                   // FakeWallet backend
 *   const mint = await startMint({ lnbits: { url, adminKey } });      // pays and is paid through real LNbits
 *   afterAll(() => mint?.stop());
 *
 * Nutshell is installed by scripts/nutshell-install.sh into .cache/nutshell-venv; startMint()
 * runs that script first (it returns at once when the pinned version is there). Settings are
 * environment variables read by cashu/core/settings.py (names checked in the installed 0.20.0):
 * MINT_BACKEND_BOLT11_SAT, MINT_PRIVATE_KEY, MINT_LISTEN_HOST/PORT, MINT_DATABASE (a folder for
 * SQLite), MINT_LNBITS_ENDPOINT/KEY, MINT_RATE_LIMIT (60 requests a minute by default: off here),
 * FAKEWALLET_DELAY_OUTGOING_PAYMENT / FAKEWALLET_DELAY_INCOMING_PAYMENT (3 s by default),
 * MINT_INPUT_FEE_PPK (100 by default: every swap or melt pays 0.1 sat per input, rounded up).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, pruneOldDirs, signalGroup, sleep, tmpfsOrTmpdir, trackProcessGroup, untrackProcessGroup } from '../helpers/processes';

export const NUTSHELL_VERSION = '0.20.0';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const INSTALL_SCRIPT = path.join(REPO_ROOT, 'scripts', 'nutshell-install.sh');

export interface StartMintOptions {
	/** LNbits backend: the mint's Lightning node is this LNbits wallet (admin key: it pays melts). */
	lnbits?: { url: string; adminKey: string };
	/** FakeWallet: seconds a melt's outgoing payment takes (default 0). */
	fakeOutgoingDelaySeconds?: number;
	/** FakeWallet: seconds until a mint quote's invoice counts as paid (default 0). */
	fakeIncomingDelaySeconds?: number;
	/** NUT-02 input fee, parts per thousand per proof (Nutshell's default is 100). */
	inputFeePpk?: number;
	/** Seconds a melt quote stays valid. */
	meltQuoteExpirySeconds?: number;
	port?: number;
	name?: string;
}

export interface MintServer {
	url: string;
	port: number;
	backend: 'FakeWallet' | 'LNbitsWallet';
	dataDir: string;
	logFile: string;
	startupMs: number;
	/** Stops the mint (its whole process group). Data is kept. Safe to call twice. */
	stop(): Promise<void>;
	/** Starts it again on the same port and database. */
	start(): Promise<void>;
	logTail(lines?: number): string;
}

function runInstall(): Promise<void> {
	return new Promise((resolve, reject) => {
		execFile('bash', [INSTALL_SCRIPT], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 }, (err, _o, stderr) => {
			if (err) reject(new Error(`scripts/nutshell-install.sh failed: ${err.message}\n${stderr}`));
			else resolve();
		});
	});
}

function venvDir(): string {
	return path.join(fs.realpathSync(path.join(REPO_ROOT, '.cache')), 'nutshell-venv');
}

function tailOf(file: string, lines = 60): string {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

export async function startMint(opts: StartMintOptions = {}): Promise<MintServer> {
	await runInstall();
	const python = path.join(venvDir(), 'bin', 'python');
	const port = opts.port ?? (await freePort());
	const url = `http://127.0.0.1:${port}`;
	const base = tmpfsOrTmpdir();
	pruneOldDirs(base, 'nutshell-test-');
	const dataDir = fs.mkdtempSync(path.join(base, 'nutshell-test-'));
	const logFile = path.join(dataDir, 'mint.log');
	const backend = opts.lnbits ? 'LNbitsWallet' : 'FakeWallet';

	const env: NodeJS.ProcessEnv = {};
	for (const k of ['PATH', 'LANG', 'LC_ALL', 'TZ']) if (process.env[k] !== undefined) env[k] = process.env[k];
	Object.assign(env, {
		HOME: dataDir,
		CASHU_DIR: path.join(dataDir, 'cashu'),
		MINT_PRIVATE_KEY: crypto.randomBytes(32).toString('hex'),
		MINT_LISTEN_HOST: '127.0.0.1',
		MINT_LISTEN_PORT: String(port),
		MINT_URL: url,
		MINT_DATABASE: path.join(dataDir, 'db'),
		MINT_BACKEND_BOLT11_SAT: backend,
		MINT_RATE_LIMIT: 'false',
		MINT_INFO_NAME: opts.name ?? 'Test mint',
		MINT_INFO_DESCRIPTION: 'Nutshell started by the test suite',
		MINT_INFO_MOTD: 'test mint: not real money',
		MINT_INFO_CONTACT: JSON.stringify([['email', 'ops@mint.test']]),
		MINT_INPUT_FEE_PPK: String(opts.inputFeePpk ?? 100),
		FAKEWALLET_DELAY_OUTGOING_PAYMENT: String(opts.fakeOutgoingDelaySeconds ?? 0),
		FAKEWALLET_DELAY_INCOMING_PAYMENT: String(opts.fakeIncomingDelaySeconds ?? 0),
		DEBUG: 'false',
		LOG_LEVEL: 'INFO',
		TOR: 'false',
		// No traffic leaves the machine.
		HTTP_PROXY: 'http://127.0.0.1:9',
		HTTPS_PROXY: 'http://127.0.0.1:9',
		NO_PROXY: '127.0.0.1,localhost',
		no_proxy: '127.0.0.1,localhost',
		PYTHONUNBUFFERED: '1',
	});
	if (opts.meltQuoteExpirySeconds) env.MINT_BOLT11_MELT_QUOTE_EXPIRY = String(opts.meltQuoteExpirySeconds);
	if (opts.lnbits) {
		env.MINT_LNBITS_ENDPOINT = opts.lnbits.url;
		env.MINT_LNBITS_KEY = opts.lnbits.adminKey;
	}
	fs.mkdirSync(env.MINT_DATABASE as string, { recursive: true });

	let child: ChildProcess | undefined;
	let exited: Promise<void> = Promise.resolve();

	const start = async (): Promise<number> => {
		const logFd = fs.openSync(logFile, 'a');
		const t0 = Date.now();
		// `sh` leads a process group and waits on stdin: if jest dies, the pipe closes and the mint goes with it.
		const script = '"$@" & trap "" TERM; cat >/dev/null; kill -TERM 0; sleep 2; kill -KILL 0';
		const c = spawn('/bin/sh', ['-c', script, 'nutshell-wrapper', python, '-c', 'from cashu.mint.main import main; main()'], {
			cwd: dataDir,
			env,
			detached: true,
			stdio: ['pipe', logFd, logFd],
		});
		fs.closeSync(logFd);
		child = c;
		trackProcessGroup(c.pid!);
		exited = new Promise((r) => c.once('exit', () => r()));
		c.unref();
		(c.stdin as unknown as { unref?: () => void })?.unref?.();
		const deadline = t0 + 60_000;
		for (;;) {
			if (c.exitCode !== null) throw new Error(`Nutshell exited. Log ${logFile}:\n${tailOf(logFile)}`);
			try {
				const res = await fetch(`${url}/v1/info`, { signal: AbortSignal.timeout(2000) });
				await res.arrayBuffer();
				if (res.status === 200) return Date.now() - t0;
			} catch {
				/* not yet */
			}
			if (/Traceback|Exception: /.test(tailOf(logFile, 200)) && Date.now() - t0 > 3000) {
				await stop();
				throw new Error(`Nutshell failed to start. Log ${logFile}:\n${tailOf(logFile)}`);
			}
			if (Date.now() > deadline) {
				await stop();
				throw new Error(`Nutshell did not answer in 60 s. Log ${logFile}:\n${tailOf(logFile)}`);
			}
			await sleep(100);
		}
	};

	const stop = async (): Promise<void> => {
		const c = child;
		if (!c) return;
		child = undefined;
		const pgid = c.pid!;
		signalGroup(pgid, 'SIGKILL');
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 3000)))]);
		clearTimeout(timer);
		untrackProcessGroup(pgid);
		// The port is closed once the python process is gone.
		for (let i = 0; i < 50; i++) {
			try {
				await fetch(`${url}/v1/info`, { signal: AbortSignal.timeout(300) });
				await sleep(100);
			} catch {
				break;
			}
		}
	};

	const server: MintServer = {
		url,
		port,
		backend,
		dataDir,
		logFile,
		startupMs: await start(),
		stop,
		async start() {
			if (child) return;
			server.startupMs = await start();
		},
		logTail: (lines) => tailOf(logFile, lines),
	};
	return server;
}
