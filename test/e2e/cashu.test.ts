/**
 * workflows/accept-cashu.json in a real n8n 2.40.7, activated (`n8n start`): a token
 * POSTed to its webhook is checked (trusted mint), redeemed at a real Nutshell mint
 * whose Lightning backend is a real LNbits, into the merchant's LNbits wallet, and
 * answered with the amount received. A token spent already, or from a mint the
 * credential does not trust, is refused and nothing moves.
 * The committed file is used as it is.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startLnbits, type LnbitsServer, type LnbitsWallet } from '../lnbits-server/server';
import { startMint, type MintServer } from '../cashu-mint/server';
import { lnbitsCall } from '../helpers/lnbits-api';
import { CashuMintClient } from '../../nodes/Cashu/client';
import { untrustedMint } from '../helpers/cashu-node';
import { N8nInstance, type WorkflowJson } from './harness/n8n';

jest.setTimeout(15 * 60_000);

const workflow = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'workflows', 'accept-cashu.json'), 'utf8')) as WorkflowJson;

let lnbits: LnbitsServer;
let mint: MintServer;
let n8n: N8nInstance;
let mintWallet: LnbitsWallet;

async function balanceSats(w: LnbitsWallet): Promise<number> {
	return Math.floor((await lnbitsCall(lnbits.url, 'GET', '/api/v1/wallet', w.invoiceKey)).balance / 1000);
}

/** A token bought by the customer (LNbits wallet B pays the mint's invoice). */
async function customerToken(amount: number): Promise<string> {
	const client = new CashuMintClient({ mintUrl: mint.url });
	const quote = await client.createMintQuote(amount);
	await lnbitsCall(lnbits.url, 'POST', '/api/v1/payments', lnbits.walletB.adminKey, { out: true, bolt11: quote.request });
	for (let i = 0; i < 50 && (await client.checkMintQuote(quote.quote)).state !== 'PAID'; i++) await new Promise((r) => setTimeout(r, 200));
	return client.encode(await client.mintProofs(amount, quote.quote));
}

async function post(token: string): Promise<{ status: number; body: any }> {
	const res = await fetch(`${n8n.url}/webhook/accept-cashu`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
	return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
	lnbits = await startLnbits();
	const w = await (await fetch(`${lnbits.url}/api/v1/account`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'mint' }) })).json();
	mintWallet = { id: w.id, userId: w.user, name: w.name, adminKey: w.adminkey, invoiceKey: w.inkey };
	mint = await startMint({ lnbits: { url: lnbits.url, adminKey: mintWallet.adminKey } });
	n8n = await N8nInstance.create();
	await n8n.importCredentials([
		{ id: 'cashuCredential', name: 'Cashu Mint account', type: 'cashuMintApi', data: { mintUrl: mint.url, trustedMints: '' } },
		{ id: 'lnbitsCredential', name: 'LNbits account', type: 'lnbitsApi', data: { url: lnbits.url, invoiceKey: lnbits.walletA.invoiceKey } },
	]);
	await n8n.importWorkflow(workflow);
	await n8n.publishWorkflow(workflow.id);
	await n8n.start();
});

afterAll(async () => {
	await n8n?.dispose();
	await mint?.stop();
	await lnbits?.stop();
});

test('a token posted to the webhook is redeemed into the merchant LNbits wallet and answered with the amount', async () => {
	const token = await customerToken(500);
	const before = await balanceSats(lnbits.walletA);
	const t0 = Date.now();
	const res = await post(token);
	const ms = Date.now() - t0;
	expect(res.status).toBe(200);
	expect(res.body).toMatchObject({ accepted: true, tokenAmount: 500, settled: true, paymentHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
	expect(await balanceSats(lnbits.walletA)).toBe(before + res.body.amountSats);
	expect(res.body.amountSats).toBeGreaterThanOrEqual(500 - 10);
	console.log(`accept-cashu in n8n: ${ms} ms from POST with the token to the answer (merchant LNbits payment settled), ${res.body.amountSats} of 500 sat received`);

	// The same token again: refused as spent, the wallet unchanged.
	const again = await post(token);
	expect(again.status).toBe(409);
	expect(again.body).toMatchObject({ accepted: false, errorCategory: 'mint' });
	expect(again.body.reason).toMatch(/already spent/);
	expect(JSON.stringify(again.body)).not.toContain(token.slice(8, 60));
	expect(await balanceSats(lnbits.walletA)).toBe(before + res.body.amountSats);
});

test('a token from a mint the credential does not trust is refused without contacting it', async () => {
	const other = await untrustedMint(mint.url);
	try {
		const forged = await other.forge(await customerToken(21));
		const res = await post(forged);
		expect(res.status).toBe(400);
		expect(res.body).toMatchObject({ accepted: false, errorCategory: 'validation' });
		expect(other.requests()).toBe(0);
	} finally {
		other.close();
	}
});
