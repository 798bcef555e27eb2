/**
 * The unit tests' mint answers (test/fixtures/cashu/nutshell-0.20.0.json) are
 * recorded from the real Nutshell mint; this test checks they still have the
 * shape the real mint answers with, and rewrites them with RECORD_CASHU_FIXTURES=1.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMint, type MintServer } from '../cashu-mint/server';
import { fakeMintToken } from '../helpers/cashu-node';

jest.setTimeout(60_000);
const FILE = path.join(__dirname, '..', 'fixtures', 'cashu', 'nutshell-0.20.0.json');

let mint: MintServer;
let other: MintServer;
beforeAll(async () => {
	mint = await startMint();
	other = await startMint({ name: 'Other mint' });
}, 600_000);
afterAll(async () => {
	await mint?.stop();
	await other?.stop();
});

async function call(method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> {
	const res = await fetch(mint.url + p, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
	return { status: res.status, body: await res.json() };
}

function shape(value: unknown): unknown {
	if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, k === 'keys' ? 'keys' : shape(v)]));
	return typeof value;
}

test('recorded answers have the shape of the real mint', async () => {
	const { getDecodedToken } = await import('@cashu/cashu-ts');
	const info = (await call('GET', '/v1/info')).body;
	const keysets = (await call('GET', '/v1/keysets')).body;
	const keys = (await call('GET', '/v1/keys')).body;
	const tokenV4 = await fakeMintToken(mint.url, 13);
	const spentToken = await fakeMintToken(mint.url, 8);
	const decoded = getDecodedToken(spentToken, keysets.keysets.map((k: { id: string }) => k.id));
	const proofs = decoded.proofs.map((p) => ({ ...p, amount: Number(p.amount.toString()) }));
	const { hashToCurve } = await import('@cashu/cashu-ts');
	const ys = proofs.map((p) => hashToCurve(new TextEncoder().encode(p.secret)).toHex(true));
	// Spend it (melt to an outside invoice, which FakeWallet "pays"), then record what the mint says about it.
	const mintQuote = (await call('POST', '/v1/mint/quote/bolt11', { amount: 5, unit: 'sat' })).body;
	// (A signed invoice of another mint: melting the mint's own quote is settled internally, and races FakeWallet's own settling.)
	const outside = await (
		await fetch(`${other.url}/v1/mint/quote/bolt11`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: 5, unit: 'sat' }) })
	).json();
	const meltQuote = (await call('POST', '/v1/melt/quote/bolt11', { request: outside.request, unit: 'sat' })).body;
	const melted = await call('POST', '/v1/melt/bolt11', { quote: meltQuote.quote, inputs: proofs });
	const spentState = (await call('POST', '/v1/checkstate', { Ys: ys })).body;
	const meltAgain = await call('POST', '/v1/melt/bolt11', { quote: meltQuote.quote, inputs: proofs });
	const recorded = {
		recordedFrom: `Nutshell ${info.version}, FakeWallet backend, by test/cashu/fixtures.test.ts`,
		mintUrl: mint.url,
		info,
		keysets,
		keys,
		tokenV4,
		tokenAmount: 13,
		mintQuote,
		meltQuote,
		meltResponse: melted.body,
		spentToken,
		spentState,
		spentError: meltAgain,
	};
	expect([melted.status, melted.body]).toEqual([200, expect.objectContaining({ state: 'PAID' })]);
	expect(meltAgain.status).toBe(400);
	if (process.env.RECORD_CASHU_FIXTURES === '1' || !fs.existsSync(FILE)) {
		fs.writeFileSync(FILE, `${JSON.stringify(recorded, null, '\t')}\n`);
	}
	const saved = JSON.parse(fs.readFileSync(FILE, 'utf8'));
	for (const key of ['info', 'keysets', 'mintQuote', 'meltQuote', 'meltResponse', 'spentState', 'spentError'] as const) {
		expect([key, shape(recorded[key])]).toEqual([key, shape(saved[key])]);
	}
});
