/**
 * The BTCPay Server node's two versions in n8n's editor (real n8n 2.40.7 with the packed package,
 * headless Chromium): a version 1 node shows Concurrency as a field of its own and not among the
 * options of its Options collection; a version 2 node shows no such field and lists Concurrency under
 * Add Option, in the operation's own Options (Get Payment Methods) and in the one added for the
 * operations that had none (Create Invoice).
 */
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startEmulator, seedStore, type BtcPayEmulator } from '../btcpay-emulator';
import { sleep } from '../helpers/processes';
import { N8nInstance, PACKAGE_NAME, type WorkflowJson } from '../e2e/harness/n8n';

jest.setTimeout(10 * 60_000);

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const WORKFLOW_ID = 'btcpayVersionsUi1';

let emu: BtcPayEmulator;
let n8n: N8nInstance;
let browser: Browser;
let page: Page;
let shot = 0;

function btcPayNode(id: string, name: string, typeVersion: number, parameters: Record<string, unknown>, x: number, storeId: string) {
	return {
		parameters: { store: { __rl: true, mode: 'id', value: storeId }, ...parameters },
		id,
		name,
		type: `${PACKAGE_NAME}.btcPay`,
		typeVersion,
		position: [x, 0],
		credentials: { btcPayApi: { id: 'btcpayUiCred0001', name: 'BTCPay Server account' } },
	};
}

beforeAll(async () => {
	emu = await startEmulator();
	const storeId = String(seedStore(emu, { name: 'Editor' }).id);
	n8n = await N8nInstance.create();
	await n8n.importCredentials([{ id: 'btcpayUiCred0001', name: 'BTCPay Server account', type: 'btcPayApi', data: { url: emu.url, apiKey: emu.apiKey } }]);
	const workflow: WorkflowJson = {
		id: WORKFLOW_ID,
		name: 'BTCPay versions in the editor',
		settings: { executionOrder: 'v1' },
		nodes: [
			{ parameters: {}, id: 'ui000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			btcPayNode('ui000000-0000-4000-8000-000000000002', 'V1 payment methods', 1, { resource: 'invoice', operation: 'getPaymentMethods', invoiceId: 'AAAAAAAAAAAAAAAAAAAAAA', concurrency: 2 }, 200, storeId),
			btcPayNode('ui000000-0000-4000-8000-000000000003', 'V2 payment methods', 2, { resource: 'invoice', operation: 'getPaymentMethods', invoiceId: 'AAAAAAAAAAAAAAAAAAAAAA' }, 400, storeId),
			btcPayNode('ui000000-0000-4000-8000-000000000004', 'V2 create invoice', 2, { resource: 'invoice', operation: 'create', amountType: 'fixed', amount: '1.50', currency: 'EUR' }, 600, storeId),
		],
		connections: {},
	};
	await n8n.importWorkflow(workflow);
	await n8n.start();
	browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
	});
	const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
	await context.addCookies(n8n.sessionCookies.map((c) => ({ ...c, url: n8n.url })));
	page = await context.newPage();
	page.setDefaultTimeout(60_000);
});

afterEach(async () => {
	// A screenshot of each test's end state, kept with the n8n user folder for E2E_KEEP=1 runs.
	if (page && process.env.E2E_KEEP) await page.screenshot({ path: path.join(n8n.userFolder, `editor-${++shot}.png`) }).catch(() => undefined);
});

afterAll(async () => {
	await browser?.close();
	await n8n?.dispose();
	await emu?.close();
});

/** Opens the node's panel and returns the lines of its text (parameter labels among them), once the Options collection shows. */
async function openNode(nodeId: string): Promise<string[]> {
	await page.goto(`${n8n.url}/workflow/${WORKFLOW_ID}/${nodeId}`);
	const ndv = page.locator('[data-test-id="ndv"]').first();
	await ndv.waitFor({ state: 'visible', timeout: 90_000 });
	await ndv.locator('[data-test-id="collection-parameter-add"], [data-test-id="collection-parameter-add-dropdown"]').first().waitFor({ state: 'visible' });
	return (await ndv.innerText()).split('\n').map((l) => l.trim()).filter(Boolean);
}

/**
 * Opens the Add Option list of the Options collection (the node's last collection: after Additional
 * Fields where there is one) and returns its entries; a collection with one entry adds it at once (a
 * button, no list), then the entry is the field it added.
 */
async function addOptionEntries(): Promise<string[]> {
	const add = page.locator('[data-test-id="ndv"]').locator('[data-test-id="collection-parameter-add"], [data-test-id="collection-parameter-add-dropdown"] button').last();
	await add.waitFor({ state: 'visible' });
	const single = (await add.evaluate((e) => e.tagName)) === 'BUTTON' && (await add.innerText()).includes('Add Option');
	const before = (await page.locator('[data-test-id="ndv"]').innerText()).split('\n').map((l) => l.trim());
	await add.click();
	if (single) {
		await sleep(1000);
		const after = (await page.locator('[data-test-id="ndv"]').innerText()).split('\n').map((l) => l.trim());
		return after.filter((l) => l && !before.includes(l));
	}
	const entries = page.locator('[role="menuitem"], [data-test-id="collection-parameter-option"]');
	await entries.first().waitFor({ state: 'visible', timeout: 15_000 });
	return (await entries.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
}

test('version 1: Concurrency is a field of its own; the Options collection of Get Payment Methods does not list it', async () => {
	const labels = await openNode('ui000000-0000-4000-8000-000000000002');
	expect(labels).toContain('Concurrency');
	expect(labels).toContain('Options');
	const entries = await addOptionEntries();
	expect(entries).toContain('Only Accounted Payments');
	expect(entries).not.toContain('Concurrency');
});

test('version 2: no Concurrency field; Get Payment Methods lists it under Add Option beside its own option', async () => {
	const labels = await openNode('ui000000-0000-4000-8000-000000000003');
	expect(labels).not.toContain('Concurrency');
	expect(labels).toContain('Options');
	const entries = await addOptionEntries();
	expect(entries).toEqual(expect.arrayContaining(['Concurrency', 'Only Accounted Payments']));
});

test('version 2: Create Invoice (no options of its own before) has an Options collection with Concurrency', async () => {
	const labels = await openNode('ui000000-0000-4000-8000-000000000004');
	expect(labels).not.toContain('Concurrency');
	expect(labels).toContain('Options');
	const entries = await addOptionEntries();
	expect(entries).toContain('Concurrency');
});
