/**
 * L402 on BTCPay store Lightning, against the BTCPay emulator: a small HTTP API whose every
 * request runs the node's Verify (invoice settled on the store) and, when that says no, Create
 * Challenge on the "Supplier" store; the node's Pay, paying from the "Shop" store, calls it.
 * Both sides are the node; the wallet is BTCPay's Greenfield Lightning API.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { IDataObject } from 'n8n-workflow';
import { L402 } from '../../nodes/L402/L402.node';
import { seedStore, startEmulator, type BtcPayEmulator } from '../btcpay-emulator';
import { executeContext } from '../helpers/execute-context';

jest.setTimeout(60_000);

const ROOT_HEX = '42'.repeat(32);
let emu: BtcPayEmulator;
let shop: string;
let supplier: string;
let folder: string;
let server: http.Server;
let url: string;
const answers: number[] = [];

async function run(parameters: IDataObject): Promise<IDataObject> {
	const node = new L402();
	const credentials = { l402Api: { rootKey: ROOT_HEX }, btcPayApi: { url: emu.url, apiKey: emu.apiKey } };
	const ctx = executeContext({ nodeType: node, parameters: { wallet: 'btcpay', ...parameters }, credentials: credentials as never });
	const [[item]] = await node.execute.call(ctx);
	return item.json;
}

beforeAll(async () => {
	emu = await startEmulator();
	shop = seedStore(emu, { name: 'Shop' }).id;
	supplier = seedStore(emu, { name: 'Supplier' }).id;
	folder = fs.mkdtempSync(path.join(os.tmpdir(), 'l402-btcpay-'));
	server = http.createServer((req, res) => {
		handle(req, res).catch((error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(error.message));
	});
	const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
		const verdict = await run({
			resource: 'server',
			operation: 'verify',
			authorization: req.headers.authorization ?? '',
			serviceName: 'parts',
			requestPath: req.url ?? '',
			checkSettled: true,
			walletStoreId: supplier,
			usage: 'limited',
			maxUses: 2,
			verifyOptions: { storeFolder: folder },
		});
		if (verdict.valid) {
			answers.push(200);
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ part: 'gear', use: verdict.use }));
			return;
		}
		const challenge = await run({ resource: 'server', operation: 'createChallenge', serviceName: 'parts', amountSats: 250, path: '/parts', walletStoreId: supplier });
		answers.push(402);
		res.writeHead(402, challenge.headers as IDataObject as Record<string, string>).end(JSON.stringify({ ...(challenge.body as IDataObject), reason: verdict.reason }));
	};
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/parts/gear`;
});

afterAll(async () => {
	await new Promise((r) => server.close(r));
	emu.assertNoViolations();
	await emu.close();
	fs.rmSync(folder, { recursive: true, force: true });
});

test('Pay from one store to an L402 API selling on another: paid once, used twice, then a new challenge', async () => {
	const pay = { resource: 'client', operation: 'pay', url, maxAmountSats: 250, walletStoreId: shop, payOptions: { storeFolder: path.join(folder, 'client'), network: 'any' } };
	const first = await run(pay);
	expect(first).toMatchObject({ statusCode: 200, paid: true, amountSats: 250, wallet: 'btcpay', body: { part: 'gear', use: 1 } });
	const second = await run(pay);
	expect(second).toMatchObject({ statusCode: 200, paid: false, reusedToken: true, body: { use: 2 } });
	// Two uses bought: the third call gets a new challenge, which this Pay pays (a new purchase, not a second payment of one challenge).
	const third = await run(pay);
	expect(third).toMatchObject({ statusCode: 200, paid: true, body: { use: 1 } });
	expect(third.paymentHash).not.toBe(first.paymentHash);
	expect(answers).toEqual([402, 200, 200, 402, 200]);
});
