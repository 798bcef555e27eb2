/**
 * The Cashu node against a real Nutshell mint with its FakeWallet backend (mint
 * quotes count as paid at once, melts "pay" without Lightning): every Token and
 * Mint operation, and the guards that must lose nothing.
 */
import { startMint, type MintServer } from '../cashu-mint/server';
import { fakeMintToken, runCashuJson, runCashuError } from '../helpers/cashu-node';

jest.setTimeout(60_000);

let mint: MintServer;
beforeAll(async () => {
	mint = await startMint();
}, 600_000);
afterAll(() => mint?.stop());

const opts = () => ({ mintUrl: mint.url });

test('Mint > Get Info, Check Health, Get Keysets', async () => {
	const info = await runCashuJson({ resource: 'mint', operation: 'getInfo' }, opts());
	expect(info).toMatchObject({ name: 'Test mint', version: 'Nutshell/0.20.0', motd: 'test mint: not real money', contact: [{ method: 'email', info: 'ops@mint.test' }] });
	expect(info.supportedNuts).toEqual(expect.arrayContaining([4, 5, 7, 8, 9, 10, 11, 12]));
	const health = await runCashuJson({ resource: 'mint', operation: 'checkHealth' }, opts());
	expect(health).toMatchObject({ reachable: true, healthy: true, activeKeysets: { sat: 1 }, mintingEnabled: true, meltingEnabled: true });
	const keysets = await runCashuJson({ resource: 'mint', operation: 'getKeysets' }, opts());
	expect(keysets).toMatchObject({ unit: 'sat', active: true, inputFeePpk: 100 });
});

test('Token > Decode, Check State, Receive (swap)', async () => {
	const token = await fakeMintToken(mint.url, 64);
	const decoded = await runCashuJson({ resource: 'token', operation: 'decode', token }, opts());
	expect(decoded).toMatchObject({ mint: mint.url, unit: 'sat', amount: 64, version: 'V4', trusted: true });
	const state = await runCashuJson({ resource: 'token', operation: 'checkState', token }, opts());
	expect(state).toMatchObject({ state: 'UNSPENT', spendable: true, unspent: { amount: 64 } });
	const received = await runCashuJson({ resource: 'token', operation: 'receive', token }, opts());
	expect(received).toMatchObject({ received: true, originalAmount: 64, amount: 63, feeSats: 1 });
	expect(String(received.token)).toMatch(/^cashuB/);
	const after = await runCashuJson({ resource: 'token', operation: 'checkState', token }, opts());
	expect(after).toMatchObject({ state: 'SPENT', spent: { amount: 64 } });
	const fresh = await runCashuJson({ resource: 'token', operation: 'checkState', token: received.token as string }, opts());
	expect(fresh).toMatchObject({ state: 'UNSPENT', unspent: { amount: 63 } });
	const again = await runCashuError({ resource: 'token', operation: 'receive', token }, opts());
	expect(again.message).toMatch(/already spent/);
	expect(again.message + (again.description ?? '')).not.toContain(token.slice(10, 40));
}, 60_000);
