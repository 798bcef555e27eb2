/**
 * `npm run demo`: a local n8n 2.40.7 on http://127.0.0.1:5678 with this package (built from the
 * working tree, packed and installed like a user's manual install), a real LNbits (the pinned one
 * the tests use, FakeWallet funding source, two wallets: A receives, B is funded and pays) and the
 * BTCPay simulator (the OpenAPI-checked Greenfield emulator of test/btcpay-emulator, in memory),
 * all on 127.0.0.1 only. Credentials for them are imported under the ids and names the example
 * workflows use, and the example workflows are imported with the simulator's store, offering and
 * plan filled in, so every workflow runs at once. Ctrl+C stops everything the demo started.
 *
 *   npm run demo                          n8n + LNbits + BTCPay simulator
 *   npm run demo -- --own-servers         n8n only (DEMO_OWN_SERVERS=1 too): add your own credentials
 *   N8N_PORT=5679 npm run demo            another port (DEMO_LNBITS_PORT, DEMO_BTCPAY_PORT likewise)
 *   DEMO_SMOKE=1 npm run demo             start, check the package's nodes are loaded, stop (exit code)
 *
 * While it runs, type a number and press Enter: wallet B pays that many sats to wallet A (the
 * LNbits Trigger sees it). Paste a BOLT11 invoice (lnbc…): wallet B pays it. Paste a BTCPay invoice
 * ID: the simulator pays it over Lightning (the BTCPay Trigger gets the events).
 *
 * n8n data is kept in .cache/demo (delete it to start over). Telemetry, version checks and
 * templates are off. Runs on the Node 24 of the `node` devDependency (npm scripts put it first on PATH).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { startEmulator, seedStore, simulatePayment, confirmPayment, type BtcPayEmulator } from '../test/btcpay-emulator';
import { startLnbits, type LnbitsServer } from '../test/lnbits-server/server';
import { startMint, type MintServer } from '../test/cashu-mint/server';
import { lnbitsCall, payBetween } from '../test/helpers/lnbits-api';
import { freePort, sleep } from '../test/helpers/processes';
import { N8N_OFFLINE_ENV } from '../test/helpers/n8n-env';
import { NODE24_BIN, REPO_ROOT, node24Env, packPackage, run } from '../test/e2e/harness/pack';

const N8N_VERSION = process.env.N8N_VERSION || '2.40.7';
const PACKAGE = 'n8n-nodes-btcpay-lnbits';
const PORT = Number(process.env.N8N_PORT || 5678);
const DEMO = process.env.DEMO_DIR || path.join(REPO_ROOT, '.cache', 'demo');
const N8N_DIR =
	process.env.N8N_INSTALL_DIR ||
	path.join(process.env.XDG_CACHE_HOME || path.join(process.env.HOME || '/root', '.cache'), PACKAGE, `n8n-${N8N_VERSION}`);
const N8N_BIN = path.join(N8N_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
const WORKFLOWS = path.join(REPO_ROOT, 'workflows');
const OWN_SERVERS = process.argv.includes('--own-servers') || ['1', 'true'].includes(process.env.DEMO_OWN_SERVERS ?? '');
const SMOKE = process.argv.includes('--smoke') || process.env.DEMO_SMOKE === '1';

/** The credential ids and names the committed workflows reference (n8n's default names for a new credential). */
export const DEMO_CREDENTIALS = {
	btcpay: { id: 'btcpayCredential', name: 'BTCPay Server account', type: 'btcPayApi' },
	lnbits: { id: 'lnbitsCredential', name: 'LNbits account', type: 'lnbitsApi' },
	lnbitsPayer: { id: 'lnbitsPayerCredential', name: 'LNbits wallet B (payer)', type: 'lnbitsApi' },
	l402: { id: 'l402Credential', name: 'L402 account', type: 'l402Api' },
	cashu: { id: 'cashuCredential', name: 'Cashu Mint account', type: 'cashuMintApi' },
} as const;
/**
 * Workflows the demo publishes, so their triggers listen (payments show up as executions): the L402
 * pay-per-use API, "BTCPay: subscriptions with invoices (payments)" and the native subscription billing.
 * The scheduled ones (revenue report, invoice billing, cold-storage sweep) are run with Execute workflow.
 */
const PUBLISHED = ['lnbitsPayPerUse1', 'btcpaySubscript1', 'btcpaySubscript2'];

const say = (line: string): void => {
	process.stderr.write(`demo: ${line}\n`);
};

/** Everything started, stopped in reverse order by stopAll(). */
const stoppers: Array<{ what: string; stop: () => Promise<void> }> = [];
let stopping: Promise<void> | undefined;

function stopAll(): Promise<void> {
	stopping ??= (async () => {
		for (const { what, stop } of stoppers.reverse()) {
			try {
				await stop();
			} catch (err) {
				say(`stopping ${what} failed: ${(err as Error).message}`);
			}
		}
	})();
	return stopping;
}

function n8nEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env = node24Env({
		N8N_USER_FOLDER: DEMO,
		NODE_ENV: 'production',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(PORT),
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${PORT}/`,
		N8N_WEBHOOK_URL: `http://127.0.0.1:${PORT}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PYTHON_ENABLED: 'false',
		...N8N_OFFLINE_ENV,
		// Defaults n8n announces it will change: set, so no deprecation notice is printed.
		N8N_RUNNERS_TASK_TIMEOUT: '300',
		N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES: String(256 * 1024 * 1024),
		N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES: '1000',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		GENERIC_TIMEZONE: process.env.GENERIC_TIMEZONE || 'UTC',
		...extra,
	});
	delete env.WEBHOOK_URL;
	return env;
}

/** An n8n CLI command; its output goes to .cache/demo/cli.log (shown when it fails). */
async function n8nCli(args: string[]): Promise<void> {
	const r = await run(path.join(NODE24_BIN, 'node'), [N8N_BIN, ...args], {
		cwd: DEMO,
		env: n8nEnv({ N8N_RUNNERS_BROKER_PORT: String(await freePort()), N8N_PORT: String(await freePort()) }),
		timeoutMs: 5 * 60_000,
	});
	fs.appendFileSync(path.join(DEMO, 'cli.log'), `\n===== n8n ${args.join(' ')} (exit ${r.code}) =====\n${r.stdout}\n${r.stderr}\n`);
	if (r.code !== 0) throw new Error(`n8n ${args.join(' ')} failed (exit ${r.code}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
}

async function mustRun(what: string, file: string, args: string[], opts: Parameters<typeof run>[2] = {}): Promise<void> {
	const r = await run(file, args, opts);
	if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
}

async function installPackage(): Promise<void> {
	say(`building and packing ${PACKAGE}`);
	const tarball = await packPackage();
	const nodes = path.join(DEMO, '.n8n', 'nodes');
	fs.mkdirSync(nodes, { recursive: true });
	if (!fs.existsSync(path.join(nodes, 'package.json'))) {
		fs.writeFileSync(path.join(nodes, 'package.json'), '{\n  "name": "installed-nodes",\n  "private": true\n}\n');
	}
	// n8n-workflow is a peer dependency: n8n's own copy is used (as n8n's installer does).
	await mustRun(
		`npm install ${path.basename(tarball)}`,
		'npm',
		['install', tarball, '--legacy-peer-deps', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--bin-links=false', '--package-lock=false', '--loglevel=error'],
		{ cwd: nodes, env: node24Env() },
	);
}

interface Servers {
	btcpay: BtcPayEmulator;
	storeId: string;
	offeringId: string;
	planId: string;
	lnbits: LnbitsServer;
	/** A real Nutshell mint whose Lightning backend is LNbits wallet B (tokens it issues are paid from B, redeems pay A). */
	mint: MintServer;
}

async function btcpayCall(emu: BtcPayEmulator, method: string, pathname: string, body?: unknown): Promise<any> {
	const res = await fetch(`${emu.url}${pathname}`, {
		method,
		headers: { authorization: `token ${emu.apiKey}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	if (res.status !== 200) throw new Error(`BTCPay simulator ${method} ${pathname}: HTTP ${res.status} ${text}`);
	return text ? JSON.parse(text) : undefined;
}

async function startServers(): Promise<Servers> {
	const [btcpayPort, lnbitsPort] = [Number(process.env.DEMO_BTCPAY_PORT || 0), Number(process.env.DEMO_LNBITS_PORT || 0)];
	say('starting the BTCPay simulator and LNbits (FakeWallet)');
	const btcpay = await startEmulator({ port: btcpayPort || (await freePort()) });
	stoppers.push({ what: 'the BTCPay simulator', stop: () => btcpay.close() });
	const storeId = String(seedStore(btcpay, { name: 'BTCPay simulator store' }).id);
	const offering = await btcpayCall(btcpay, 'POST', `/api/v1/stores/${storeId}/offerings`, { appName: 'Newsletter' });
	const plan = await btcpayCall(btcpay, 'POST', `/api/v1/stores/${storeId}/offerings/${offering.id}/plans`, {
		name: 'Monthly',
		price: '9.90',
		currency: 'USD',
		recurringType: 'Monthly',
		gracePeriodDays: 3,
	});
	const lnbits = await startLnbits({ port: lnbitsPort || undefined });
	stoppers.push({ what: 'LNbits', stop: () => lnbits.stop() });
	say('starting a Cashu mint (Nutshell) on LNbits wallet B');
	const mint = await startMint({ lnbits: { url: lnbits.url, adminKey: lnbits.walletB.adminKey } });
	stoppers.push({ what: 'the Cashu mint', stop: () => mint.stop() });

	// Some history for the revenue report: two settled invoices (Lightning, on-chain), two Lightning payments B -> A.
	for (const [amount, method] of [['12.50', 'BTC-LN'], ['30.00', 'BTC-CHAIN']] as const) {
		const inv = await btcpayCall(btcpay, 'POST', `/api/v1/stores/${storeId}/invoices`, { amount, currency: 'USD', metadata: { orderId: `demo-${method}` } });
		const { payment } = simulatePayment(btcpay, inv.id, { paymentMethodId: method });
		if (method === 'BTC-CHAIN') confirmPayment(btcpay, inv.id, payment.id, 'Settled');
	}
	await payBetween(lnbits.url, lnbits.walletB, lnbits.walletA, 2100, 'demo: coffee');
	await payBetween(lnbits.url, lnbits.walletB, lnbits.walletA, 500, 'demo: tip');
	return { btcpay, storeId, offeringId: offering.id, planId: plan.id, lnbits, mint };
}

/** Example workflows as files to import: placeholders replaced with the simulator's ids (embedded servers only). */
function workflowFiles(servers?: Servers): string {
	const dir = path.join(DEMO, 'workflows');
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	for (const file of fs.readdirSync(WORKFLOWS).filter((f) => f.endsWith('.json'))) {
		let text = fs.readFileSync(path.join(WORKFLOWS, file), 'utf8');
		if (servers) {
			text = text.replaceAll('YOUR_STORE_ID', servers.storeId).replaceAll('YOUR_OFFERING_ID', servers.offeringId).replaceAll('YOUR_PLAN_ID', servers.planId);
		}
		fs.writeFileSync(path.join(dir, file), text);
	}
	return dir;
}

async function importAll(servers?: Servers): Promise<void> {
	const stamp = path.join(DEMO, '.workflows-imported');
	if (servers) {
		const file = path.join(DEMO, `credentials-${crypto.randomUUID()}.json`);
		const { btcpay, lnbits } = servers;
		const creds = [
			{ ...DEMO_CREDENTIALS.btcpay, data: { url: btcpay.url, apiKey: btcpay.apiKey } },
			{ ...DEMO_CREDENTIALS.lnbits, data: { url: lnbits.url, invoiceKey: lnbits.walletA.invoiceKey, adminKey: lnbits.walletA.adminKey } },
			{ ...DEMO_CREDENTIALS.lnbitsPayer, data: { url: lnbits.url, invoiceKey: lnbits.walletB.invoiceKey, adminKey: lnbits.walletB.adminKey } },
			// The pay-per-use API signs its L402 tokens with this root key (new on every start, like the simulator).
			{ ...DEMO_CREDENTIALS.l402, data: { rootKey: crypto.randomBytes(32).toString('hex') } },
			{ ...DEMO_CREDENTIALS.cashu, data: { mintUrl: servers.mint.url, trustedMints: '' } },
		];
		fs.writeFileSync(file, JSON.stringify(creds), { mode: 0o600 });
		try {
			say(`importing the credentials "${creds.map((c) => c.name).join('", "')}"`);
			await n8nCli(['import:credentials', `--input=${file}`]);
		} finally {
			fs.rmSync(file, { force: true });
		}
		// The simulator lives in memory: its store is new on every start, so the examples are imported afresh.
		say('importing the example workflows from workflows/ (with the simulator store)');
		await n8nCli(['import:workflow', '--separate', `--input=${workflowFiles(servers)}`]);
		for (const id of PUBLISHED) await n8nCli(['publish:workflow', `--id=${id}`]);
		fs.rmSync(stamp, { force: true });
	} else if (!fs.existsSync(stamp)) {
		say('importing the example workflows from workflows/');
		await n8nCli(['import:workflow', '--separate', `--input=${workflowFiles()}`]);
		fs.writeFileSync(stamp, '');
	}
}

async function startN8n(): Promise<ChildProcess> {
	const log = fs.openSync(path.join(DEMO, 'n8n.log'), 'a');
	// n8n leads its own process group (its task runner is in it) under a small sh that waits on
	// stdin: Ctrl+C reaches the demo, which stops the group, and if the demo dies the pipe closes
	// and the group is stopped too.
	const script = '"$@" & trap "" TERM; cat >/dev/null; kill -TERM 0; sleep 5; kill -KILL 0';
	const child = spawn('/bin/sh', ['-c', script, 'n8n-wrapper', path.join(NODE24_BIN, 'node'), N8N_BIN, 'start'], {
		cwd: DEMO,
		env: n8nEnv({ N8N_RUNNERS_BROKER_PORT: String(await freePort()) }),
		detached: true,
		stdio: ['pipe', SMOKE ? log : 'inherit', SMOKE ? log : 'inherit'],
	});
	fs.closeSync(log);
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	const groupGone = (): boolean => {
		try {
			process.kill(-child.pid!, 0);
			return false;
		} catch {
			return true;
		}
	};
	stoppers.push({
		what: 'n8n',
		stop: async () => {
			child.stdin?.end();
			try {
				process.kill(-child.pid!, 'SIGTERM');
			} catch {
				/* gone */
			}
			const end = Date.now() + 20_000;
			while (!groupGone() && Date.now() < end) await sleep(100);
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {
				/* gone */
			}
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 2000)))]);
			clearTimeout(timer);
		},
	});
	const deadline = Date.now() + 240_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`n8n exited early (code ${child.exitCode}); see ${path.join(DEMO, 'n8n.log')}`);
		try {
			const res = await fetch(`http://127.0.0.1:${PORT}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
			await res.arrayBuffer();
			if (res.status === 200) return child;
		} catch {
			/* not up yet */
		}
		if (Date.now() > deadline) throw new Error(`n8n did not answer on port ${PORT} in 240 s`);
		await sleep(500);
	}
}

/** Lines typed while the demo runs: a BOLT11 is paid from wallet B, a BTCPay invoice ID is paid in the simulator. */
function listenForPayments(servers: Servers): void {
	const rl = readline.createInterface({ input: process.stdin });
	stoppers.unshift({ what: 'the input reader', stop: async () => rl.close() });
	rl.on('line', (line) => {
		const text = line.trim();
		if (!text) return;
		void (async () => {
			try {
				if (/^\d{1,7}$/.test(text)) {
					const hash = await payBetween(servers.lnbits.url, servers.lnbits.walletB, servers.lnbits.walletA, Number(text), `demo: ${text} sats from wallet B`);
					say(`wallet B paid ${text} sats to wallet A: payment hash ${hash}`);
				} else if (/^(lightning:)?ln(bc|tb|bcrt)[0-9a-z]+$/i.test(text)) {
					const bolt11 = text.replace(/^lightning:/i, '');
					const paid = await lnbitsCall(servers.lnbits.url, 'POST', '/api/v1/payments', servers.lnbits.walletB.adminKey, { out: true, bolt11 });
					say(`wallet B paid it: payment hash ${paid.payment_hash}, status ${paid.status}`);
				} else if (/^[1-9A-HJ-NP-Za-km-z]{16,40}$/.test(text)) {
					simulatePayment(servers.btcpay, text, { paymentMethodId: 'BTC-LN' });
					say(`BTCPay simulator: invoice ${text} paid over Lightning`);
				} else {
					say('type a number of sats, paste a BOLT11 invoice (lnbc…) or a BTCPay invoice ID');
				}
			} catch (err) {
				say(`could not pay: ${(err as Error).message.split('\n')[0]}`);
			}
		})();
	});
}

async function smokeCheck(): Promise<void> {
	const file = path.join(DEMO, 'node-types.json');
	await n8nCli(['export:nodes', `--output=${file}`]);
	const text = fs.readFileSync(file, 'utf8');
	const missing = ['btcPay', 'btcPayTrigger', 'lnbits', 'lnbitsTrigger', 'lnbitsWebhookTrigger', 'lnd', 'lndTrigger'].filter(
		(type) => !text.includes(`"name":"${PACKAGE}.${type}"`),
	);
	if (missing.length) throw new Error(`node types not loaded: ${missing.join(', ')}`);
}

async function main(): Promise<void> {
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(signal, () => {
			say('stopping');
			void stopAll().then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
		});
	}
	await mustRun('scripts/n8n-install.sh', 'bash', [path.join(REPO_ROOT, 'scripts', 'n8n-install.sh')], { timeoutMs: 30 * 60_000 });
	fs.mkdirSync(DEMO, { recursive: true });
	await installPackage();
	const servers = OWN_SERVERS ? undefined : await startServers();
	await importAll(servers);
	if (SMOKE) await smokeCheck();
	await startN8n();
	if (SMOKE) {
		await stopAll();
		say(`ok (n8n ${N8N_VERSION} answered on http://127.0.0.1:${PORT} with the package loaded${servers ? ', LNbits and the BTCPay simulator' : ''})`);
		return;
	}
	say(`n8n ${N8N_VERSION} with ${PACKAGE}: http://127.0.0.1:${PORT}`);
	if (servers) {
		const { lnbits, btcpay } = servers;
		say(`Cashu mint ${servers.mint.url} (Nutshell on LNbits wallet B): credential "${DEMO_CREDENTIALS.cashu.name}"`);
		say(`LNbits ${lnbits.url} (FakeWallet): wallet A is credential "${DEMO_CREDENTIALS.lnbits.name}", wallet B (${lnbits.fundedSats} sats) is "${DEMO_CREDENTIALS.lnbitsPayer.name}"`);
		say(`BTCPay simulator ${btcpay.url}: credential "${DEMO_CREDENTIALS.btcpay.name}", store "BTCPay simulator store" (${servers.storeId})`);
		say('type a number and Enter: wallet B pays that many sats to wallet A; paste a BOLT11: wallet B pays it; paste a BTCPay invoice ID: the simulator pays it');
		listenForPayments(servers);
	} else {
		say('own servers: add a BTCPay Server or LNbits credential in n8n and pick it in the workflows');
	}
	say('Ctrl+C stops everything');
}

main().catch(async (err) => {
	say(`failed: ${(err as Error).message}`);
	await stopAll();
	process.exit(1);
});
