/**
 * The demo as a new user meets it, in a real browser: `npm run demo` (n8n 2.40.7 with the packed
 * package, a real LNbits with two wallets and the BTCPay simulator) is started, the owner account
 * is set up through n8n's REST API, and headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core) opens the editor:
 * - the README quick start: open the weekly revenue report and press Execute workflow; every node
 *   runs and the report shows the demo's payments;
 * - one step of each node against the embedded backends, checked in the output panel: BTCPay
 *   (Create invoice), BTCPay Trigger (a test event from the simulator paying that invoice), LNbits
 *   (payments of wallet A), LNbits Trigger (a payment from wallet B typed into the demo, listened to in
 *   a workflow made for it; the examples have none). The demo
 *   has no LND backend, so the LND nodes are not run here (test/unit/lnd and the real regtest cover them);
 * - Ctrl+C (SIGINT) stops everything the demo started: no process and no listening port is left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort, pruneOldDirs, signalGroup, sleep, tmpfsOrTmpdir, trackProcessGroup, untrackProcessGroup } from '../helpers/processes';
import { NODE24_BIN, REPO_ROOT, node24Env } from '../e2e/harness/pack';
import { parseFlatted } from '../e2e/harness/n8n';

jest.setTimeout(20 * 60_000);

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const owner = { email: 'owner@example.com', password: 'Demo-browser-1a', firstName: 'Demo', lastName: 'Owner' };

let demo: ChildProcess;
let demoExited: Promise<number | null>;
let output = '';
let demoDir: string;
let port: number;
let base: string;
let cookie: { name: string; value: string };
let browser: Browser;
let page: Page;
let lnbitsUrl: string;
let btcpayUrl: string;
/** An invoice made by the BTCPay node's step, paid later for the trigger. */
let invoiceId: string | undefined;
let log: fs.WriteStream | undefined;
let shot = 0;

async function waitForOutput(pattern: RegExp, timeoutMs: number, from = 0): Promise<RegExpMatchArray> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const m = output.slice(from).match(pattern);
		if (m) return m;
		if (demo.exitCode !== null) throw new Error(`the demo exited (code ${demo.exitCode}):\n${output.slice(-6000)}`);
		if (Date.now() > end) throw new Error(`no ${pattern} in the demo's output after ${timeoutMs} ms:\n${output.slice(-6000)}`);
		await sleep(200);
	}
}

async function rest(method: string, pathname: string, body?: unknown): Promise<any> {
	const res = await fetch(`${base}/rest${pathname}`, {
		method,
		headers: { cookie: `${cookie.name}=${cookie.value}`, 'content-type': 'application/json', 'browser-id': 'browser-test' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	if (res.status >= 300) throw new Error(`n8n ${method} /rest${pathname}: HTTP ${res.status} ${text.slice(0, 1000)}`);
	const parsed = text ? JSON.parse(text) : undefined;
	return parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed;
}

/** Creates the owner account on a fresh n8n (or logs in when it exists) and keeps the auth cookie. */
async function setUpOwner(): Promise<void> {
	let res = await fetch(`${base}/rest/owner/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) });
	if (res.status !== 200) {
		await res.arrayBuffer();
		res = await fetch(`${base}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		});
	}
	if (res.status !== 200) throw new Error(`owner setup/login: HTTP ${res.status} ${await res.text()}`);
	await res.arrayBuffer();
	const auth = res.headers
		.getSetCookie()
		.map((c) => c.split(';')[0].split('='))
		.find(([name]) => name === 'n8n-auth');
	if (!auth) throw new Error('n8n gave no n8n-auth cookie');
	cookie = { name: auth[0], value: auth.slice(1).join('=') };
}

/** Processes (other than zombies) whose command line or environment mentions `needle`. */
function processesMentioning(needle: string): string[] {
	const found: string[] = [];
	for (const pid of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
		if (Number(pid) === process.pid) continue;
		try {
			const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
			if (/\) [ZX] /.test(stat)) continue;
			const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
			let env = '';
			try {
				env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
			} catch {
				/* not ours */
			}
			if (cmd.includes(needle) || env.includes(needle)) found.push(`${pid} ${cmd.slice(0, 160)}`);
		} catch {
			/* gone */
		}
	}
	return found;
}

async function listening(url: string): Promise<boolean> {
	try {
		const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
		await res.arrayBuffer();
		return true;
	} catch {
		return false;
	}
}

/** The workflow as stored, to find nodes by type (their names are the workflow's business). */
async function workflow(id: string): Promise<{ nodes: Array<{ id: string; name: string; type: string }> }> {
	return await rest('GET', `/workflows/${id}`);
}

async function nodeOfType(workflowId: string, type: string): Promise<{ id: string; name: string }> {
	const node = (await workflow(workflowId)).nodes.find((n) => n.type === `n8n-nodes-btcpay-lnbits.${type}`);
	if (!node) throw new Error(`workflow ${workflowId} has no ${type} node`);
	return node;
}

/** Opens a node's panel (the editor's /workflow/<id>/<nodeId> route) and waits for it. */
async function openNode(workflowId: string, nodeId: string): Promise<void> {
	await page.goto(`${base}/workflow/${workflowId}/${nodeId}`);
	await page.locator('[data-test-id="ndv"]').first().waitFor({ state: 'visible', timeout: 60_000 });
}

/** Output panel text once it shows items (fails on a node error shown instead). */
async function outputPanelText(timeoutMs = 90_000): Promise<string> {
	const panel = page.locator('[data-test-id="output-panel"]');
	const end = Date.now() + timeoutMs;
	for (;;) {
		const text = (await panel.innerText().catch(() => '')) ?? '';
		if (/\d+\s+items?\b/i.test(text) && !/Executing|Listening for/i.test(text)) return text;
		if (/Problem in node/i.test(text)) throw new Error(`the node failed:\n${text.slice(0, 3000)}`);
		if (Date.now() > end) throw new Error(`no items in the output panel after ${timeoutMs} ms:\n${text.slice(0, 3000)}`);
		await sleep(300);
	}
}

async function executeStep(): Promise<void> {
	await page.locator('[data-test-id="ndv"] [data-test-id="node-execute-button"]').first().click();
}

/** Shows the output as JSON (every field, untruncated) and returns the panel's text. */
async function outputJson(): Promise<string> {
	const json = page.locator('[data-test-id="output-panel"] [data-test-id="ndv-run-data-display-mode"]').getByText('JSON', { exact: true });
	if (await json.count()) await json.first().click();
	await sleep(500);
	return await page.locator('[data-test-id="output-panel"]').innerText();
}

beforeAll(async () => {
	port = await freePort();
	base = `http://127.0.0.1:${port}`;
	const tmp = tmpfsOrTmpdir();
	pruneOldDirs(tmp, 'n8n-demo-browser-');
	demoDir = fs.mkdtempSync(path.join(tmp, 'n8n-demo-browser-'));
	log = fs.createWriteStream(path.join(demoDir, 'demo-output.log'));
	demo = spawn(path.join(NODE24_BIN, 'node'), ['--no-experimental-strip-types', '-r', './bench/register.js', 'scripts/demo.ts'], {
		cwd: REPO_ROOT,
		env: node24Env({ N8N_PORT: String(port), DEMO_DIR: demoDir }),
		stdio: ['pipe', 'pipe', 'pipe'],
		detached: true,
	});
	trackProcessGroup(demo.pid!);
	demoExited = new Promise((r) => demo.once('exit', (code) => r(code)));
	for (const stream of [demo.stdout!, demo.stderr!]) {
		stream.on('data', (chunk: Buffer) => {
			output += chunk.toString('utf8');
			log?.write(chunk);
		});
	}
	await waitForOutput(/demo: Ctrl\+C stops everything/, 15 * 60_000);
	lnbitsUrl = (await waitForOutput(/demo: LNbits (http:\/\/127\.0\.0\.1:\d+)/, 1000))[1];
	btcpayUrl = (await waitForOutput(/demo: BTCPay simulator (http:\/\/127\.0\.0\.1:\d+)/, 1000))[1];
	await setUpOwner();

	browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
	});
	// launch() gives every browser a fresh temporary profile (user data dir).
	const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
	await context.addCookies([{ name: cookie.name, value: cookie.value, url: base }]);
	page = await context.newPage();
	page.setDefaultTimeout(60_000);
});

afterAll(async () => {
	await browser?.close();
	for (const stream of [demo?.stdin, demo?.stdout, demo?.stderr]) stream?.destroy();
	log?.end();
	if (demo && demo.exitCode === null) {
		signalGroup(demo.pid!, 'SIGKILL');
	}
	if (demo) untrackProcessGroup(demo.pid!);
});

// A screenshot after every test, kept in the demo folder (printed on failure) for debugging.
afterEach(async () => {
	await page?.screenshot({ path: path.join(demoDir, `step-${++shot}.png`) }).catch(() => undefined);
});

test('the demo imported every example workflow with its credentials set', async () => {
	const list: Array<{ id: string; name: string }> = await rest('GET', '/workflows');
	const ids = list.map((w) => w.id).sort();
	const files = fs.readdirSync(path.join(REPO_ROOT, 'workflows')).filter((f) => f.endsWith('.json'));
	expect(ids).toEqual(files.map((f) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'workflows', f), 'utf8')).id).sort());
	const credentials: Array<{ id: string; name: string }> = await rest('GET', '/credentials');
	for (const w of list) {
		for (const node of (await workflow(w.id)).nodes as Array<{ credentials?: Record<string, { id: string; name: string }> }>) {
			for (const ref of Object.values(node.credentials ?? {})) {
				expect(credentials).toContainEqual(expect.objectContaining({ id: ref.id, name: ref.name }));
			}
		}
	}
});

test('README quick start: open the weekly revenue report and press Execute workflow', async () => {
	const id = 'revenueReport001';
	await page.goto(`${base}/workflow/${id}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ state: 'visible' });
	await page.locator('[data-test-id="execute-workflow-button"]').first().click();
	// The run is recorded as a manual execution. n8n 2.40's button starts from the workflow's only trigger,
	// its schedule trigger, which fires at once in a manual run.
	const end = Date.now() + 120_000;
	let execution: any;
	for (;;) {
		const data = await rest('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: id }))}`);
		execution = (data.results ?? data).find((e: any) => !['running', 'new', 'waiting'].includes(e.status));
		if (execution) break;
		if (Date.now() > end) throw new Error('the revenue report did not finish');
		await sleep(500);
	}
	expect(execution.status).toBe('success');
	expect(execution.mode).toBe('manual');
	const full = await rest('GET', `/executions/${execution.id}`);
	const runData = (typeof full.data === 'string' ? parseFlatted(full.data) : full.data).resultData.runData;
	expect(Object.keys(runData)).toEqual(expect.arrayContaining(['Every Monday', 'Build report', 'HTML table']));
	// The BTCPay node's panel (opened from the canvas, which keeps the run) shows what it read from the simulator.
	const btcpay = await nodeOfType(id, 'btcPay');
	await page.locator('[data-test-id="canvas-node"]').filter({ hasText: btcpay.name }).first().dblclick();
	await page.locator('[data-test-id="ndv"]').first().waitFor({ state: 'visible' });
	await outputPanelText();
	expect(await outputJson()).toMatch(/USD/);
});

test('BTCPay: Create invoice (one step) creates invoices in the simulator, shown in the output panel', async () => {
	const id = 'btcpaySubscript3'; // BTCPay: subscriptions with invoices (billing)
	const node = await nodeOfType(id, 'btcPay');
	await openNode(id, node.id);
	await executeStep();
	const text = await outputJson();
	expect(text).toMatch(/checkoutLink/);
	expect(text).toContain(btcpayUrl);
	invoiceId = /"(?:invoiceId|id)"\s*:\s*"([1-9A-HJ-NP-Za-km-z]{16,40})"/.exec(text)?.[1];
	if (!invoiceId) throw new Error(`no invoice id in the output panel:\n${text.slice(0, 3000)}`);
});

test('BTCPay Trigger: listening for a test event, the simulator paying an invoice starts it', async () => {
	const id = 'btcpaySubscript1'; // BTCPay: subscriptions with invoices (payments)
	const trigger = await nodeOfType(id, 'btcPayTrigger');
	await openNode(id, trigger.id);
	await executeStep();
	await page.getByText(/Listening for/i).first().waitFor({ state: 'visible', timeout: 60_000 });
	// The simulator registered n8n's test webhook; the demo's input pays the invoice made above.
	expect(invoiceId).toBeDefined();
	const mark = output.length;
	demo.stdin!.write(`${invoiceId}\n`);
	await waitForOutput(/BTCPay simulator: invoice \S+ paid over Lightning/, 30_000, mark);
	const text = await outputJson();
	expect(text).toMatch(/InvoiceSettled|InvoiceReceivedPayment|InvoicePaymentSettled/);
	expect(text).toContain(invoiceId!);
});

test('LNbits: the revenue report’s LNbits node (one step) lists wallet A’s payments', async () => {
	const id = 'revenueReport001';
	const node = await nodeOfType(id, 'lnbits');
	await openNode(id, node.id);
	await executeStep();
	await outputPanelText();
	expect(await outputJson()).toMatch(/demo: coffee/);
});

test('LNbits Trigger: listening for a test event, a payment from wallet B typed into the demo starts it', async () => {
	// The examples have no LNbits Trigger of their own (pay-per-use is an L402 API): a workflow with
	// one on wallet A's credential is created as a user would, then listened to in the editor.
	const created = await rest('POST', '/workflows', {
		name: 'LNbits payments (browser test)',
		nodes: [
			{
				id: 'b0000000-0000-4000-8000-000000000001',
				name: 'LNbits Trigger',
				type: 'n8n-nodes-btcpay-lnbits.lnbitsTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { direction: 'incoming' },
				credentials: { lnbitsApi: { id: 'lnbitsCredential', name: 'LNbits account' } },
			},
		],
		connections: {},
		settings: {},
		active: false,
	});
	await openNode(String(created.id), 'b0000000-0000-4000-8000-000000000001');
	await executeStep();
	// The trigger connects its WebSocket and takes payments from "now": wallet B pays wallet A 100 sats
	// (the demo's "type a number"); again until the listening trigger shows one.
	const panel = page.locator('[data-test-id="output-panel"]');
	for (let attempt = 1; ; attempt++) {
		await sleep(5000);
		const mark = output.length;
		demo.stdin!.write('100\n');
		await waitForOutput(/wallet B paid 100 sats to wallet A: payment hash \w+/, 30_000, mark);
		const shown = await panel
			.getByText(/\d+\s+items?/i)
			.first()
			.waitFor({ state: 'visible', timeout: 20_000 })
			.then(() => true)
			.catch(() => false);
		if (shown) break;
		if (attempt === 4) throw new Error(`the LNbits Trigger showed no payment:\n${(await panel.innerText()).slice(0, 2000)}`);
	}
	const text = await outputJson();
	expect(text).toMatch(/"amountSats"\s*:\s*100\b/);
	expect(text).toContain('incoming');
	expect(lnbitsUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
});

test('Ctrl+C stops everything the demo started', async () => {
	const lnbitsPort = new URL(lnbitsUrl).port;
	expect(processesMentioning(`N8N_USER_FOLDER=${demoDir}`).length).toBeGreaterThan(0);
	process.kill(-demo.pid!, 'SIGINT'); // what the terminal sends to the foreground group
	let timer: NodeJS.Timeout | undefined;
	const code = await Promise.race([demoExited, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 60_000)))]);
	clearTimeout(timer);
	expect(code).not.toBe('timeout');
	await sleep(500);
	expect(processesMentioning(`N8N_USER_FOLDER=${demoDir}`)).toEqual([]);
	expect(processesMentioning(`--port ${lnbitsPort}`)).toEqual([]);
	for (const url of [`${base}/healthz`, `${lnbitsUrl}/api/v1/health`, btcpayUrl]) expect(await listening(url)).toBe(false);
});
