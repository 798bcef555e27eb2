/**
 * Real n8n 2.40.7, headless: the packed package installs into ~/.n8n/nodes, every node
 * and credential it lists loads with its icon and no load error, and `n8n execute` runs
 * workflows (core nodes only here; the package's nodes in workflows.test.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { N8N_VERSION, N8nInstance, PACKAGE_NAME, nodeOutput, type WorkflowJson } from './harness/n8n';
import { startEmulator, seedStore, type BtcPayEmulator } from '../btcpay-emulator';
import { makeSelfSignedCert, startLndEmulator, type LndEmulator } from '../lnd-emulator/server';
import { coreWorkflow } from './fixtures/core-workflow';

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
/** Node types every release must ship (package.json may list more). */
const REQUIRED_NODES = ['btcPay', 'btcPayTrigger', 'lnbits', 'lnbitsTrigger', 'lnd'];
const REQUIRED_CREDENTIALS = ['btcPayApi', 'lnbitsApi', 'lndRestApi'];

jest.setTimeout(15 * 60_000);

function isToolVariant(name: string): boolean {
	return /Tool$/.test(name);
}

let n8n: N8nInstance;

beforeAll(async () => {
	n8n = await N8nInstance.create();
});

afterAll(async () => {
	await n8n?.dispose();
});

test(`n8n is ${N8N_VERSION}`, async () => {
	const r = await n8n.cli(['--version']);
	expect(r.code).toBe(0);
	expect(r.stdout.trim().split('\n').pop()).toBe(N8N_VERSION);
});

test('the tarball installs the built package alone: its libraries are bundled, n8n-workflow is n8n\'s', () => {
	const installed = JSON.parse(fs.readFileSync(path.join(n8n.installedPackageDir, 'package.json'), 'utf8'));
	expect(installed.name).toBe(PACKAGE_NAME);
	expect(installed.version).toBe(pkg.version);
	for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
		expect(fs.existsSync(path.join(n8n.installedPackageDir, file))).toBe(true);
	}
	// n8n-workflow is a peer dependency: the package must use n8n's own copy.
	expect(fs.existsSync(path.join(n8n.nodesDir, 'node_modules', 'n8n-workflow'))).toBe(false);
	expect(pkg.dependencies ?? {}).toEqual({});
	const installedNames = fs.readdirSync(path.join(n8n.nodesDir, 'node_modules')).filter((n) => !n.startsWith('.'));
	expect(installedNames).toEqual([PACKAGE_NAME]);
});

test('headless `n8n execute` runs a core-nodes workflow', async () => {
	await n8n.importWorkflow(coreWorkflow);
	const { ok, run, result } = await n8n.execute(coreWorkflow.id);
	if (!ok) throw new Error(`execute failed:\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
	expect(run.status).toBe('success');
	expect(nodeOutput(run, 'Set')).toEqual([
		{ n: 1, label: 'item 1', square: 1 },
		{ n: 2, label: 'item 2', square: 4 },
		{ n: 3, label: 'item 3', square: 9 },
	]);
});

describe('every node and credential of the package loads', () => {
	let types: any[];
	let ours: any[];
	beforeAll(async () => {
		types = await n8n.exportNodeTypes();
		ours = types.filter((t) => typeof t.name === 'string' && t.name.startsWith(`${PACKAGE_NAME}.`));
	});

	test('n8n core nodes are there too (the export is complete)', () => {
		expect(types.some((t) => t.name === 'n8n-nodes-base.set')).toBe(true);
	});

	test('one node type per file listed in package.json, including the required ones', () => {
		// n8n adds a `<name>Tool` variant of every node that is usable as an AI tool.
		const names = ours.map((t) => t.name.slice(PACKAGE_NAME.length + 1)).filter((n) => !isToolVariant(n));
		expect(names).toEqual(expect.arrayContaining(REQUIRED_NODES));
		// Versioned nodes appear once per version; count distinct names.
		expect(new Set(names).size).toBe(pkg.n8n.nodes.length);
	});

	test('each node has an SVG icon that exists in the installed package', () => {
		for (const t of ours) {
			// A themed icon is { light, dark }: both files must exist.
			const url = t.iconUrl ?? (typeof t.icon === 'string' ? t.icon : undefined);
			const icons: Array<string | undefined> = url && typeof url === 'object' ? [url.light, url.dark] : [url];
			for (const icon of icons) {
				expect({ node: t.name, icon }).toEqual({ node: t.name, icon: expect.stringMatching(/\.svg$/) });
				const prefix = `icons/${PACKAGE_NAME}/`;
				expect(icon!.startsWith(prefix)).toBe(true);
				const file = path.join(n8n.installedPackageDir, icon!.slice(prefix.length));
				expect(fs.existsSync(file)).toBe(true);
				expect(fs.readFileSync(file, 'utf8')).toMatch(/<svg[\s>]/);
			}
		}
	});

	test('each node has a codex file that n8n read (categories shown in the nodes panel)', () => {
		for (const t of ours) {
			expect({ node: t.name, categories: t.codex?.categories }).toEqual({ node: t.name, categories: expect.arrayContaining([expect.any(String)]) });
		}
	});

	test('triggers are triggers, action nodes are usable as AI tools', () => {
		const all = new Set(ours.map((t) => t.name));
		for (const t of ours) {
			if (isToolVariant(t.name)) continue;
			const isTrigger = /Trigger$/.test(t.name);
			expect({ node: t.name, trigger: (t.group as string[]).includes('trigger') }).toEqual({ node: t.name, trigger: isTrigger });
			// n8n made the AI-tool variant only if the node declares usableAsTool.
			if (!isTrigger) expect({ node: t.name, toolVariant: all.has(`${t.name}Tool`) }).toEqual({ node: t.name, toolVariant: true });
		}
	});

	test('the log shows the package loaded with all its nodes and credentials and no load error', () => {
		const log = n8n.log();
		expect(log).toContain(`Loaded all credentials and nodes from ${PACKAGE_NAME}`);
		for (const bad of [`Failed to load package "${PACKAGE_NAME}"`, `Skipping package "${PACKAGE_NAME}"`, 'Skipping package directory', 'UnrecognizedNodeTypeError', 'UnrecognizedCredentialTypeError', 'is not contained within the package directory']) {
			expect(log).not.toContain(bad);
		}
	});

	test('the example workflows in workflows/ import as they are and use only known node types', async () => {
		const dir = path.join(__dirname, '..', '..', 'workflows');
		const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
		expect(files.length).toBeGreaterThanOrEqual(3);
		const known = new Set(types.map((t) => t.name));
		for (const f of files) {
			const wf = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
			await n8n.importWorkflow(wf);
			for (const node of wf.nodes as Array<{ type: string; name: string }>) {
				expect({ file: f, node: node.name, known: known.has(node.type) }).toEqual({ file: f, node: node.name, known: true });
				// Only this package and n8n's core nodes.
				expect(node.type).toMatch(new RegExp(`^(n8n-nodes-base|${PACKAGE_NAME})\\.`));
			}
			expect(wf.nodes.some((n: { type: string }) => n.type === 'n8n-nodes-base.stickyNote')).toBe(true);
		}
		const listed = await n8n.cli(['list:workflow']);
		for (const f of files) {
			const wf = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
			expect(listed.stdout).toContain(`${wf.id}|${wf.name}`);
		}
	});

	test('Execute workflow runs each example workflow from the trigger its note names; the notes speak n8n 2.x and are soft-wrapped', () => {
		// n8n 2.40's button starts from one trigger, picked by type (Form, Webhook, any non-core trigger,
		// Schedule, Manual, ...), never from the workflow JSON: a Manual Trigger beside another trigger, or a
		// Schedule Trigger beside an event trigger, would never be what the button runs.
		const dir = path.join(__dirname, '..', '..', 'workflows');
		const isTrigger = (type: string) => types.some((t) => t.name === type && (t.group as string[]).includes('trigger'));
		for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json'))) {
			const wf = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
			const nodes = wf.nodes as Array<{ type: string; name: string; disabled?: boolean; parameters: Record<string, any> }>;
			const triggers = nodes.filter((n) => !n.disabled && isTrigger(n.type));
			expect({ file: f, triggers: triggers.length > 0 }).toEqual({ file: f, triggers: true });
			for (const solo of ['n8n-nodes-base.manualTrigger', 'n8n-nodes-base.scheduleTrigger']) {
				if (triggers.some((n) => n.type === solo)) expect({ file: f, triggers: triggers.map((n) => n.type) }).toEqual({ file: f, triggers: [solo] });
			}
			const notes = nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote').map((n) => String(n.parameters.content));
			const about = notes.find((c) => c.startsWith('## ')) ?? '';
			expect({ file: f, tells: /\*\*Execute workflow\*\*/.test(about) }).toEqual({ file: f, tells: true });
			if (triggers.some((n) => n.type === 'n8n-nodes-base.scheduleTrigger')) expect(about).toContain(`starts from **${triggers[0].name}**`);
			for (const content of notes) {
				// n8n 2.x publishes a workflow (no "activate"); credentials by the names n8n gives them.
				expect({ file: f, activate: /\b(activate|deactivate)\b/i.test(content) }).toEqual({ file: f, activate: false });
				expect({ file: f, oldCredentialName: /\*\*(BTCPay Server API|LNbits API)\*\*/.test(content) }).toEqual({ file: f, oldCredentialName: false });
				// Soft-wrapped: a line break only after a heading, before a list item, or around an empty line.
				const lines = content.split('\n');
				const hard = lines.filter((l, i) => i > 0 && l !== '' && lines[i - 1] !== '' && !lines[i - 1].startsWith('#') && !/^(\d+\.|[-*]) /.test(l));
				expect({ file: f, hard }).toEqual({ file: f, hard: [] });
			}
		}
	});

	test('credentials: every listed credential type is known to n8n', () => {
		// Credential types are checked against the running editor in triggers.test.ts as well;
		// here the log's load summary must count them all.
		const line = n8n.log().split('\n').find((l) => l.includes(`Loaded all credentials and nodes from ${PACKAGE_NAME}`)) ?? '';
		expect(line).toMatch(new RegExp(`credentials"?:\\s*${pkg.n8n.credentials.length}\\b`));
		expect(line).toMatch(new RegExp(`nodes"?:\\s*${pkg.n8n.nodes.length}\\b`));
		expect(REQUIRED_CREDENTIALS.length).toBeLessThanOrEqual(pkg.n8n.credentials.length);
	});
});

describe('errors from the package reach n8n as plain-language node errors', () => {
	let emu: BtcPayEmulator;
	let storeId: string;
	const badKey = 'e2e-wrong-key-0123456789abcdef';

	/** Manual Trigger → Code (two items) → BTCPay "get invoice" with a revoked key. */
	const workflow = (id: string, onError?: string): WorkflowJson => ({
		id,
		name: `e2e errors ${onError ?? 'stop'}`,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ parameters: {}, id: 'f0000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			{
				parameters: { jsCode: "return [{ json: { invoiceId: 'AAAAAAAAAAAAAAAAAAAAAA' } }, { json: { invoiceId: 'BBBBBBBBBBBBBBBBBBBBBB' } }];" },
				id: 'f0000000-0000-4000-8000-000000000002',
				name: 'Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
			},
			{
				parameters: { resource: 'invoice', operation: 'get', store: { __rl: true, mode: 'id', value: storeId }, invoiceId: '={{ $json.invoiceId }}' },
				id: 'f0000000-0000-4000-8000-000000000003',
				name: 'BTCPay',
				type: `${PACKAGE_NAME}.btcPay`,
				typeVersion: 1,
				position: [400, 0],
				credentials: { btcPayApi: { id: 'e2eBadKeyCred001', name: 'BTCPay (revoked key)' } },
				...(onError ? { onError } : {}),
			},
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'BTCPay', type: 'main', index: 0 }]] },
		},
	});

	beforeAll(async () => {
		emu = await startEmulator();
		storeId = String(seedStore(emu, { name: 'Errors' }).id);
		await n8n.importCredentials([{ id: 'e2eBadKeyCred001', name: 'BTCPay (revoked key)', type: 'btcPayApi', data: { url: emu.url, apiKey: badKey } }]);
		await n8n.importWorkflow([workflow('e2eErrorsStop001'), workflow('e2eErrorsCont001', 'continueRegularOutput')]);
	});

	afterAll(async () => {
		await emu?.close();
	});

	test('a 401 stops the workflow with a message about the credential, never the key itself', async () => {
		const { ok, result } = await n8n.execute('e2eErrorsStop001');
		expect(ok).toBe(false);
		const out = `${result.stdout}\n${result.stderr}`;
		expect(out).toContain('rejected the credentials (401 Unauthorized)');
		expect(out).not.toContain(badKey);
	});

	test('with "On Error: Continue" every item becomes an error item and the workflow succeeds', async () => {
		const { ok, run, result } = await n8n.execute('e2eErrorsCont001');
		if (!ok) throw new Error(`execute failed:\n${result.stdout.slice(-4000)}`);
		const items = nodeOutput(run, 'BTCPay');
		expect(items).toHaveLength(2);
		for (const item of items) {
			expect(item).toMatchObject({ error: expect.stringContaining('401 Unauthorized'), errorKind: 'auth', httpCode: 401 });
		}
		expect(JSON.stringify(run)).not.toContain(badKey);
	});
});

describe('LND node in real n8n: HTTPS with the certificate pinned in the credential', () => {
	const macaroonHex = '0201036c6e6402f801030a10' + 'cd'.repeat(40) + '1201301a160a0761646472657373120472656164120577726974651a130a04696e666f';
	let lnd: LndEmulator;

	const workflow = (id: string, credentialId: string): WorkflowJson => ({
		id,
		name: `e2e LND ${credentialId}`,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ parameters: {}, id: 'a1000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
			{
				parameters: { resource: 'node', operation: 'getInfo' },
				id: 'a1000000-0000-4000-8000-000000000002',
				name: 'Node info',
				type: `${PACKAGE_NAME}.lnd`,
				typeVersion: 1,
				position: [200, 0],
				credentials: { lndRestApi: { id: credentialId, name: credentialId } },
			},
			{
				parameters: { resource: 'invoice', operation: 'create', amountSats: 2100, options: { memo: 'e2e coffee', expirySeconds: 600 } },
				id: 'a1000000-0000-4000-8000-000000000003',
				name: 'Create invoice',
				type: `${PACKAGE_NAME}.lnd`,
				typeVersion: 1,
				position: [400, 0],
				credentials: { lndRestApi: { id: credentialId, name: credentialId } },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Node info', type: 'main', index: 0 }]] },
			'Node info': { main: [[{ node: 'Create invoice', type: 'main', index: 0 }]] },
		},
	});

	beforeAll(async () => {
		const tls = makeSelfSignedCert({ cn: 'lnd', san: 'DNS:localhost,IP:127.0.0.1' });
		const other = makeSelfSignedCert({ cn: 'lnd', san: 'DNS:localhost,IP:127.0.0.1' });
		lnd = await startLndEmulator({ tls, macaroonHex });
		await n8n.importCredentials([
			{ id: 'e2eLndPinned0001', name: 'e2eLndPinned0001', type: 'lndRestApi', data: { url: lnd.url, macaroon: macaroonHex, tlsCert: tls.cert } },
			{ id: 'e2eLndWrongCert1', name: 'e2eLndWrongCert1', type: 'lndRestApi', data: { url: lnd.url, macaroon: macaroonHex, tlsCert: other.cert } },
		]);
		await n8n.importWorkflow([workflow('e2eLndPinnedWf01', 'e2eLndPinned0001'), workflow('e2eLndWrongWf001', 'e2eLndWrongCert1')]);
	});

	afterAll(async () => {
		await lnd?.close();
	});

	test('with the pinned certificate the node reads node info and creates an invoice', async () => {
		const { ok, run, result } = await n8n.execute('e2eLndPinnedWf01');
		if (!ok) throw new Error(`execute failed:\n${result.stdout.slice(-4000)}`);
		expect(nodeOutput(run, 'Node info')[0]).toMatchObject({ alias: 'emulator' });
		const [invoice] = nodeOutput(run, 'Create invoice');
		expect(invoice).toMatchObject({ amountSats: 2100, memo: 'e2e coffee', paymentHash: expect.stringMatching(/^[0-9a-f]{64}$/), paymentRequest: expect.stringMatching(/^ln/) });
	});

	test('a server with another certificate is refused before any request, with a clear message', async () => {
		const before = lnd.requests.length;
		const { ok, result } = await n8n.execute('e2eLndWrongWf001');
		expect(ok).toBe(false);
		expect(`${result.stdout}\n${result.stderr}`).toMatch(/does not match the certificate in the credential/);
		expect(lnd.requests.length).toBe(before);
		expect(`${result.stdout}\n${result.stderr}`).not.toContain(macaroonHex);
	});
});
