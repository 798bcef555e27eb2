/**
 * The Cashu node's operations with the mint (and LNbits) answered by nock: the
 * guards that stop before money moves, and what every error item carries.
 */
import nock from 'nock';
import { runCashu, runCashuError, runCashuJson } from '../../helpers/cashu-node';
import { LNBITS_21_SAT } from '../../fixtures/bolt11-networks';
import { apiPayment } from '../lnbits/fixtures';
import { MINT, TOKEN, TOKEN_AMOUNT, mintBasics, recorded, secretsOf, stateReply, tokenV3 } from './fixtures';

jest.setTimeout(30_000);

const LNBITS = 'https://lnbits.test';
const lnbits = { url: LNBITS, invoiceKey: 'inv0ice0key0aaaaaaaaaaaaaaaaaaaa', adminKey: 'adm1n0key0bbbbbbbbbbbbbbbbbbbbbb' };
const opts = { mintUrl: MINT, lnbits };
const redeem = (extra: Record<string, unknown> = {}) => ({ resource: 'token', operation: 'redeem', token: TOKEN, wallet: 'lnbits', maxFeeSats: 5, ...extra });

const logged: string[] = [];
let spies: jest.SpyInstance[] = [];
beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
	spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => jest.spyOn(console, m).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' '))));
});
afterEach(() => {
	for (const s of spies) s.mockRestore();
	nock.cleanAll();
});
afterAll(() => {
	nock.enableNetConnect();
	// A token is money: no operation wrote one (or any of its secrets) to the console.
	for (const s of secretsOf()) expect(logged.join('\n')).not.toContain(s.slice(0, 16));
});

function expectNoSecrets(text: string): void {
	for (const s of secretsOf()) expect(text).not.toContain(s.slice(0, 16));
}

describe('Mint', () => {
	it('Get Info, Get Keysets', async () => {
		nock(MINT).get('/v1/info').reply(200, recorded.info).get('/v1/keysets').reply(200, recorded.keysets);
		expect(await runCashuJson({ resource: 'mint', operation: 'getInfo' }, opts)).toMatchObject({ mintUrl: MINT, name: 'Test mint', supportedNuts: expect.arrayContaining([7]) });
		expect(await runCashuJson({ resource: 'mint', operation: 'getKeysets' }, opts)).toMatchObject({ mintUrl: MINT, unit: 'sat', inputFeePpk: 100 });
	});

	it('Check Health answers healthy with the response time and active keysets per unit', async () => {
		nock(MINT).get('/v1/info').reply(200, recorded.info).get('/v1/keysets').reply(200, { keysets: [...recorded.keysets.keysets, { id: '00ab', unit: 'usd', active: true }, { id: '00cd', unit: 'sat', active: false }] });
		const out = await runCashuJson({ resource: 'mint', operation: 'checkHealth' }, opts);
		expect(out).toMatchObject({ reachable: true, healthy: true, activeKeysets: { sat: 1, usd: 1 }, mintingEnabled: true, meltingEnabled: true });
		expect(typeof out.responseTimeMs).toBe('number');
	});

	it('Check Health does not fail when the mint is down: healthy false, network category', async () => {
		nock(MINT).get('/v1/info').times(3).replyWithError({ code: 'ECONNREFUSED', message: 'refused' });
		const out = await runCashuJson({ resource: 'mint', operation: 'checkHealth' }, opts);
		expect(out).toMatchObject({ reachable: false, healthy: false, errorCategory: 'network' });
		expect(String(out.error)).toMatch(/Could not reach Cashu mint/);
	});
});

describe('Token > Decode and Check State', () => {
	it('Decode is offline (no request) and tells whether the mint is trusted', async () => {
		expect(await runCashuJson({ resource: 'token', operation: 'decode', token: TOKEN }, opts)).toMatchObject({ amount: TOKEN_AMOUNT, trusted: true, version: 'V4' });
		expect(await runCashuJson({ resource: 'token', operation: 'decode', token: tokenV3() }, { ...opts, mintUrl: 'https://other.example' })).toMatchObject({
			amount: TOKEN_AMOUNT,
			trusted: false,
			version: 'V3',
		});
	});

	it('Check State gives each proof and a summary (NUT-07)', async () => {
		mintBasics();
		nock(MINT).post('/v1/checkstate').reply(200, stateReply('SPENT', 'PENDING', 'UNSPENT'));
		const out = await runCashuJson({ resource: 'token', operation: 'checkState', token: TOKEN }, opts);
		expect(out).toMatchObject({
			state: 'PENDING',
			spendable: false,
			spent: { count: 1, amount: 8 },
			pending: { count: 1, amount: 4 },
			unspent: { count: 1, amount: 1 },
			proofs: [{ amount: 8, state: 'SPENT' }, { amount: 4, state: 'PENDING' }, { amount: 1, state: 'UNSPENT' }],
		});
	});
});

describe('Token > Redeem to Lightning: guards', () => {
	it('an untrusted mint is refused before any request (validation category)', async () => {
		const error = await runCashuError(redeem(), { ...opts, mintUrl: 'https://trusted.example' });
		expect(error.message).toMatch(/not trusted by the Cashu Mint credential/);
		expect(error.description).toMatch(/Error category: validation/);
		expectNoSecrets(error.message + error.description);
	});

	it('a spent token is reported and nothing is melted or invoiced', async () => {
		mintBasics();
		nock(MINT).post('/v1/checkstate').reply(200, stateReply('SPENT'));
		const error = await runCashuError(redeem(), opts);
		expect(error.message).toBe('The token was already spent (3 of 3 proofs): nothing was redeemed');
		expect(error.description).toMatch(/Error category: mint/);
		expect(nock.isDone()).toBe(true);
	});

	it('a pending token is not melted again: the follow-up is by Melt Quote ID', async () => {
		mintBasics();
		nock(MINT).post('/v1/checkstate').reply(200, stateReply('PENDING'));
		const error = await runCashuError(redeem(), opts);
		expect(error.message).toMatch(/pending .*nothing was melted again/);
		expect(error.description).toMatch(/Melt Quote ID/);
	});

	it('with a Melt Quote ID of a paid melt: reports it paid, sends no melt', async () => {
		mintBasics();
		nock(MINT).get(`/v1/melt/quote/bolt11/${recorded.meltQuote.quote}`).reply(200, { ...recorded.meltQuote, state: 'PAID', paid: true, amount: 21, request: LNBITS_21_SAT.bolt11 });
		nock(LNBITS).get(new RegExp(`/api/v1/payments/${LNBITS_21_SAT.paymentHash}`)).reply(200, { paid: true, status: 'success', preimage: '0'.repeat(64), details: apiPayment({ payment_hash: LNBITS_21_SAT.paymentHash, status: 'success', amount: 21000 }) });
		const out = await runCashuJson(redeem({ redeemOptions: { meltQuoteId: recorded.meltQuote.quote } }), opts);
		expect(out).toMatchObject({ redeemed: true, recovered: true, meltQuoteId: recorded.meltQuote.quote, paymentHash: LNBITS_21_SAT.paymentHash });
	});

	it('a fee reserve above Max Fee is refused before the melt', async () => {
		mintBasics();
		let melted = false;
		nock(MINT)
			.post('/v1/checkstate').reply(200, stateReply('UNSPENT'))
			.post('/v1/melt/quote/bolt11').reply(200, (_u, body: { request: string }) => ({ ...recorded.meltQuote, request: body.request, amount: TOKEN_AMOUNT - 1, fee_reserve: 5, state: 'UNPAID', paid: false }))
			.post('/v1/melt/bolt11').optionally().reply(() => ((melted = true), [500, '']));
		nock(LNBITS).post('/api/v1/payments').reply(201, (_u, body: { amount: number }) => apiPayment({ amount: body.amount * 1000, bolt11: LNBITS_21_SAT.bolt11, payment_request: LNBITS_21_SAT.bolt11, payment_hash: LNBITS_21_SAT.paymentHash }));
		const error = await runCashuError(redeem({ maxFeeSats: 5 }), opts);
		expect(error.message).toBe('The mint asks up to 6 sat in fees (fee reserve 5 + input fee 1), above Max Fee 5: nothing was melted');
		expect(error.description).toMatch(/Error category: validation/);
		expect(melted).toBe(false);
	});

	it('a mint quoting another amount than the invoice is refused', async () => {
		mintBasics();
		nock(MINT)
			.post('/v1/checkstate').reply(200, stateReply('UNSPENT'))
			.post('/v1/melt/quote/bolt11').reply(200, (_u, body: { request: string }) => ({ ...recorded.meltQuote, request: body.request, amount: 2, fee_reserve: 0, state: 'UNPAID', paid: false }));
		nock(LNBITS).post('/api/v1/payments').reply(201, apiPayment({ bolt11: LNBITS_21_SAT.bolt11, payment_request: LNBITS_21_SAT.bolt11 }));
		const error = await runCashuError(redeem(), opts);
		expect(error.message).toBe(`The mint quoted 2 sat for an invoice of ${TOKEN_AMOUNT - 1} sat: nothing was melted`);
	});

	it('Max Fee must be a whole number', async () => {
		const error = await runCashuError(redeem({ maxFeeSats: -1 }), opts);
		expect(error.message).toMatch(/^Max Fee \(Sats\): must be a whole number/);
	});
});

describe('Token > Receive (swap): guards', () => {
	it('a spent token is reported, no swap sent', async () => {
		mintBasics();
		nock(MINT).post('/v1/checkstate').reply(200, stateReply('SPENT'));
		const error = await runCashuError({ resource: 'token', operation: 'receive', token: TOKEN }, opts);
		expect(error.message).toMatch(/already spent .*nothing was received/);
		expect(nock.isDone()).toBe(true);
	});
});

describe('Send > Create Token from Lightning: guards', () => {
	// The recorded mint quote is for 5 sat.
	const send = (extra: Record<string, unknown> = {}) => ({ resource: 'send', operation: 'createToken', amountSats: 5, wallet: 'lnbits', maxAmountSats: 5, ...extra });

	it('an amount above Max Amount is refused before any request', async () => {
		const error = await runCashuError(send({ maxAmountSats: 4 }), opts);
		expect(error.message).toBe("The token's 5 sat are more than Max Amount 4: nothing was paid");
	});

	it('Max Amount is required (0 is refused)', async () => {
		const error = await runCashuError(send({ maxAmountSats: 0 }), opts);
		expect(error.message).toMatch(/^Max Amount \(Sats\): must be a whole number of sats of at least 1/);
	});

	it('rerun with the Mint Quote ID of an issued quote: nothing is paid or minted', async () => {
		mintBasics();
		nock(MINT).get(`/v1/mint/quote/bolt11/${recorded.mintQuote.quote}`).reply(200, { ...recorded.mintQuote, state: 'ISSUED' });
		const error = await runCashuError(send({ sendOptions: { mintQuoteId: recorded.mintQuote.quote } }), opts);
		expect(error.message).toMatch(/already issued: nothing was paid or minted again/);
		expect(nock.isDone()).toBe(true);
	});

	it('a mint failure after the payment names the quote to finish with, and says the invoice is paid', async () => {
		mintBasics();
		nock(MINT)
			.get(`/v1/mint/quote/bolt11/${recorded.mintQuote.quote}`).reply(200, { ...recorded.mintQuote, state: 'PAID' })
			.post('/v1/mint/bolt11').reply(503, 'down');
		const out = await runCashu(send({ sendOptions: { mintQuoteId: recorded.mintQuote.quote } }), { ...opts, continueOnFail: true });
		expect(out[0].json).toMatchObject({ errorCategory: 'network', details: [`mintQuoteId: ${recorded.mintQuote.quote}`, expect.stringMatching(/invoice is paid.*without paying again/)] });
	});
});
