/**
 * The packed package in a real n8n (test/e2e harness: pinned n8n, package installed from its
 * tarball) against the local HTTPS LND emulator: node execution with a pinned certificate,
 * the credential test through n8n's REST API, and the LND Trigger across an n8n restart.
 * Run by hand (several minutes): npx jest -c test/lnd-emulator/real/jest.config.js n8n
 */
import { N8nInstance, nodeOutput } from '../../e2e/harness/n8n';
import { makeSelfSignedCert, startLndEmulator } from '../server';
import { LndClient } from '../../../nodes/Lnd/client';

jest.setTimeout(15 * 60_000);
const MAC = '0201036c6e6402f801030a10' + 'ab'.repeat(40) + '1201301a160a0761646472657373120472656164120577726974651a130a04696e666f';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('LND node in real n8n against the pinned HTTPS emulator', async () => {
	const right = makeSelfSignedCert({ cn: 'lnd', san: 'IP:127.0.0.1' });
	const wrong = makeSelfSignedCert({ cn: 'lnd', san: 'IP:127.0.0.1' });
	const emu = await startLndEmulator({ tls: right, macaroonHex: MAC });
	const n8n = await N8nInstance.create();
	try {
		await n8n.importCredentials([
			{ id: 'lndok0000000001', name: 'LND ok', type: 'lndRestApi', data: { url: emu.url, macaroon: Buffer.from(MAC, 'hex').toString('base64'), tlsCert: right.cert } },
			{ id: 'lndbad000000001', name: 'LND bad', type: 'lndRestApi', data: { url: emu.url, macaroon: MAC, tlsCert: wrong.cert } },
		]);
		const wf = (id: string, cred: string) => ({
			id,
			name: id,
			active: false,
			settings: {},
			nodes: [
				{ id: 'a', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'b',
					name: 'LND',
					type: 'n8n-nodes-btcpay-lnbits.lnd',
					typeVersion: 1,
					position: [200, 0],
					parameters: { resource: 'invoice', operation: 'create', amountSats: 1234, options: { memo: 'e2e' } },
					credentials: { lndRestApi: { id: cred, name: cred } },
				},
				{
					id: 'c',
					name: 'Get',
					type: 'n8n-nodes-btcpay-lnbits.lnd',
					typeVersion: 1,
					position: [400, 0],
					parameters: { resource: 'invoice', operation: 'get', paymentHash: '={{ $json.paymentHash }}' },
					credentials: { lndRestApi: { id: cred, name: cred } },
				},
			],
			connections: { Start: { main: [[{ node: 'LND', type: 'main', index: 0 }]] }, LND: { main: [[{ node: 'Get', type: 'main', index: 0 }]] } },
		});
		await n8n.importWorkflow([wf('lndwfok00000001', 'lndok0000000001'), wf('lndwfbad0000001', 'lndbad000000001')]);
		const ok = await n8n.execute('lndwfok00000001');
		if (!ok.ok) throw new Error(ok.result.stdout.slice(-3000) + ok.result.stderr.slice(-3000));
		const got = nodeOutput(ok.run, 'Get');
		expect(got[0]).toMatchObject({ amountSats: 1234, memo: 'e2e', state: 'OPEN' });
		const bad = await n8n.execute('lndwfbad0000001');
		const text = JSON.stringify(bad.run ?? {}) + bad.result.stdout + bad.result.stderr;
				expect(text).toMatch(/does not match the certificate in the credential/);
		expect(text).not.toContain(MAC);
		expect(emu.requests.filter((r) => r.path === '/v1/invoices').length).toBe(1);
	} finally {
		await n8n.dispose();
		await emu.close();
	}
});

test('credential test in real n8n', async () => {
	const right = makeSelfSignedCert({ cn: 'lnd', san: 'IP:127.0.0.1' });
	const wrong = makeSelfSignedCert({ cn: 'lnd', san: 'IP:127.0.0.1' });
	const emu = await startLndEmulator({ tls: right, macaroonHex: MAC });
	const n8n = await N8nInstance.create();
	try {
		const creds = {
			lndc00000000001: { url: emu.url, macaroon: MAC, tlsCert: right.cert },
			lndc00000000002: { url: emu.url, macaroon: MAC, tlsCert: wrong.cert },
			lndc00000000003: { url: emu.url, macaroon: MAC.replace(/ab/g, 'cd'), tlsCert: right.cert },
		};
		await n8n.importCredentials(Object.entries(creds).map(([id, data]) => ({ id, name: id, type: 'lndRestApi', data })));
		await n8n.start();
		const test = async (id: keyof typeof creds) =>
			n8n.rest('POST', '/credentials/test', { credentials: { id, name: id, type: 'lndRestApi', data: creds[id] } }).catch((e: Error) => ({ thrown: e.message }));
		const ok = await test('lndc00000000001');
		const badCert = await test('lndc00000000002');
		const badMac = await test('lndc00000000003');
		expect(JSON.stringify(ok)).toContain('Connected to emulator on mainnet');
		expect(JSON.stringify(badCert)).toContain('does not match the certificate');
		expect(JSON.stringify(badMac)).toContain('LND rejected the macaroon');
	} finally {
		await n8n.dispose();
		await emu.close();
	}
});

test('LND Trigger in real n8n: live, and catch-up after an n8n restart, each once', async () => {
	const tls = makeSelfSignedCert({ cn: 'lnd', san: 'IP:127.0.0.1' });
	const emu = await startLndEmulator({ tls, macaroonHex: MAC });
	const lnd = new LndClient({ url: emu.url, macaroon: MAC, tlsCert: tls.cert });
	const hex = async (sats: number) => Buffer.from((await lnd.createInvoice({ amountSats: sats, memo: `m${sats}` })).r_hash, 'base64').toString('hex');
	const n8n = await N8nInstance.create();
	try {
		await n8n.importCredentials([{ id: 'lndtrig00000001', name: 'LND', type: 'lndRestApi', data: { url: emu.url, macaroon: MAC, tlsCert: tls.cert } }]);
		await n8n.importWorkflow({
			id: 'lndtrigwf000001',
			name: 'lnd trigger',
			active: false,
			settings: {},
			nodes: [
				{ id: 't', name: 'LND Trigger', type: 'n8n-nodes-btcpay-lnbits.lndTrigger', typeVersion: 1, position: [0, 0], parameters: {}, credentials: { lndRestApi: { id: 'lndtrig00000001', name: 'LND' } } },
			],
			connections: {},
		});
		const early = await hex(1);
		emu.settle(early); // before activation: not delivered
		await n8n.publishWorkflow('lndtrigwf000001');
		await n8n.start();
		for (let i = 0; i < 600 && emu.streamCount() === 0; i++) await sleep(100);
		expect(emu.streamCount()).toBe(1);
		emu.settle(await hex(2));
		await n8n.waitForExecutions('lndtrigwf000001', 1, { timeoutMs: 60_000 });
		emu.settle(await hex(3));
		await n8n.waitForExecutions('lndtrigwf000001', 2, { timeoutMs: 60_000 });
		await n8n.stop();
		emu.settle(await hex(4)); // while n8n is down
		await n8n.start();
		await n8n.waitForExecutions('lndtrigwf000001', 3, { timeoutMs: 120_000 });
		await sleep(5000);
		const all = await n8n.executions('lndtrigwf000001');
		const memos: string[] = [];
		for (const e of all) {
			const full = await n8n.execution(e.id);
			const items = full.data.resultData.runData['LND Trigger'][0].data.main[0];
			memos.push(...items.map((i: any) => `${i.json.memo}#${i.json.settleIndex}`));
		}
		expect(memos.sort()).toEqual(['m2#2', 'm3#3', 'm4#4']);
	} finally {
		await n8n.dispose();
		await emu.close();
	}
});
