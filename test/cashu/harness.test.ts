/**
 * The real Nutshell mint the Cashu tests run against: it starts on loopback with
 * SQLite in a temp folder and answers the NUT-06 info, keysets and a mint quote.
 */
import { startMint, type MintServer, NUTSHELL_VERSION } from '../cashu-mint/server';

jest.setTimeout(60_000);

let mint: MintServer;
beforeAll(async () => {
	mint = await startMint();
}, 600_000);
afterAll(() => mint?.stop());

test('Nutshell serves /v1/info, /v1/keysets and /v1/mint/quote/bolt11 on loopback', async () => {
	expect(new URL(mint.url).hostname).toBe('127.0.0.1');
	const info = await (await fetch(`${mint.url}/v1/info`)).json();
	expect(info.version).toBe(`Nutshell/${NUTSHELL_VERSION}`);
	expect(info.name).toBe('Test mint');
	const keysets = await (await fetch(`${mint.url}/v1/keysets`)).json();
	expect(keysets.keysets.some((k: { unit: string; active: boolean }) => k.unit === 'sat' && k.active)).toBe(true);
	const quote = await (
		await fetch(`${mint.url}/v1/mint/quote/bolt11`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: 100, unit: 'sat' }) })
	).json();
	expect(quote.request).toMatch(/^lnbc/);
});

test('stop() closes the port and start() serves the same database again', async () => {
	const before = await (await fetch(`${mint.url}/v1/keysets`)).json();
	await mint.stop();
	await expect(fetch(`${mint.url}/v1/info`)).rejects.toThrow();
	await mint.start();
	const after = await (await fetch(`${mint.url}/v1/keysets`)).json();
	expect(after).toEqual(before);
});
