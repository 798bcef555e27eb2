/**
 * The LNbits node's execute() with nock: parameters map to the right requests,
 * outputs are shaped as documented, errors name the item and the field and
 * never carry a key, Continue On Fail keeps the other items.
 */
import nock from 'nock';
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { Lnbits } from '../../../nodes/Lnbits/Lnbits.node';
import { LnbitsApi } from '../../../credentials/LnbitsApi.credentials';
import { resources } from '../../../nodes/Lnbits/actions';
import { resourceOperationProperty } from '../../../nodes/shared/router';
import { searchWallets } from '../../../nodes/Lnbits/methods/searchWallets';
import { SIGNED_MAINNET_1000, SIGNED_REGTEST_777, SIGNED_TIMESTAMP } from '../../fixtures/bolt11-networks';
import { runLnbits, runLnbitsError, runLnbitsItems } from '../../helpers/lnbits-node';
import { ADMIN_KEY, BASE, INVOICE_KEY, WALLET_ID, apiPayment, creds, invoiceOnly } from './fixtures';

const HASH = SIGNED_MAINNET_1000.paymentHash;

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	nock.cleanAll();
	jest.restoreAllMocks();
});
afterAll(() => nock.enableNetConnect());

describe('node description', () => {
	const node = new Lnbits();

	it('is usable as a tool, uses the lnbitsApi credential and every operation has a handler', () => {
		expect(node.description).toMatchObject({ name: 'lnbits', displayName: 'LNbits', usableAsTool: true, credentials: [{ name: 'lnbitsApi', required: true }] });
		expect(node.description.credentials?.[0].displayOptions).toEqual({ hide: { operation: ['decode'] } });
		for (const r of resources) {
			const op = resourceOperationProperty(r);
			const values = (op.options as INodePropertyOptions[]).map((o) => o.value as string);
			expect(values.sort()).toEqual(Object.keys(r.operations).sort());
		}
		expect(Object.keys(node.methods.listSearch)).toEqual(['searchWallets']);
	});

	it('the credential is tested by the nodes (testedBy), not by a declarative request', () => {
		const cred = new LnbitsApi();
		expect(cred.name).toBe('lnbitsApi');
		expect(cred.properties.map((p) => p.name)).toEqual(['url', 'httpNotice', 'invoiceKey', 'adminKey']);
		expect(cred.properties.find((p) => p.name === 'adminKey')?.required).toBeFalsy();
		expect(cred.authenticate).toEqual({ type: 'generic', properties: { headers: { 'X-Api-Key': '={{$credentials.invoiceKey}}' } } });
		// n8n uses a credential's own `test` before any node's testedBy: it must not have one.
		expect('test' in cred).toBe(false);
		expect(node.description.credentials?.[0]).toMatchObject({ name: 'lnbitsApi', testedBy: 'lnbitsApiTest' });
		expect(Object.keys(node.methods.credentialTest)).toEqual(['lnbitsApiTest']);
	});

	it('an unknown operation is an input error naming the item', async () => {
		const err = await runLnbitsError([{ resource: 'payment', operation: 'explode' }], { credentials: creds });
		expect(err.message).toBe('Operation: "payment: explode" is not supported');
	});
});

describe('wallet', () => {
	it('get with the admin key returns the id; a different chosen wallet is refused', async () => {
		nock(BASE).get('/api/v1/wallet').matchHeader('x-api-key', ADMIN_KEY).times(2).reply(200, { name: 'A', balance: 21500, id: WALLET_ID });
		expect(await runLnbits([{ resource: 'wallet', operation: 'get' }], { credentials: creds })).toEqual([
			{ name: 'A', balanceSats: 21, balanceMsat: 21500, id: WALLET_ID },
		]);
		const err = await runLnbitsError([{ resource: 'wallet', operation: 'get', wallet: { mode: 'id', value: 'a'.repeat(32) } }], { credentials: creds });
		expect(err.message).toBe(`Wallet: is ${'a'.repeat(32)}, but the credential's keys belong to wallet ${WALLET_ID}`);
		const bad = await runLnbitsError([{ resource: 'wallet', operation: 'get', wallet: { mode: 'id', value: 'nope' } }], { credentials: creds });
		expect(bad.message).toBe('Wallet: "nope" is not an LNbits wallet ID (32 hex characters)');
	});

	it('with only the invoice key the chosen wallet is checked against the payments', async () => {
		nock(BASE)
			.get('/api/v1/payments/paginated')
			.query(true)
			.reply(200, { data: [apiPayment()], total: 1 })
			.get('/api/v1/wallet')
			.matchHeader('x-api-key', INVOICE_KEY)
			.reply(200, { name: 'A', balance: 0 });
		const [out] = await runLnbits([{ resource: 'wallet', operation: 'get', wallet: { mode: 'list', value: WALLET_ID.toUpperCase() } }], { credentials: invoiceOnly });
		expect(out).toEqual({ name: 'A', balanceSats: 0, balanceMsat: 0, id: WALLET_ID });
	});

	it('rename and create account map their parameters', async () => {
		nock(BASE).patch('/api/v1/wallet', { name: 'Till 2' }).reply(200, { id: WALLET_ID, name: 'Till 2', balance_msat: 0 });
		expect(await runLnbits([{ resource: 'wallet', operation: 'rename', newName: 'Till 2' }], { credentials: creds })).toEqual([
			{ id: WALLET_ID, name: 'Till 2', balanceSats: 0, balanceMsat: 0 },
		]);
		const empty = await runLnbitsError([{ resource: 'wallet', operation: 'rename', newName: '' }], { credentials: creds });
		expect(empty.message).toBe('New Name: is required');
		nock(BASE)
			.post('/api/v1/account', { name: 'Kiosk' })
			.reply(200, { id: 'd'.repeat(32), user: 'e'.repeat(32), name: 'Kiosk', adminkey: 'f'.repeat(32), inkey: 'a'.repeat(32), balance_msat: 0 });
		const [acct] = await runLnbits([{ resource: 'wallet', operation: 'createAccount', walletName: 'Kiosk' }], { credentials: invoiceOnly });
		expect(acct).toMatchObject({ id: 'd'.repeat(32), name: 'Kiosk', adminKey: 'f'.repeat(32), invoiceKey: 'a'.repeat(32), url: BASE });
	});

	it('the wallet search lists the credential wallet, filtered', async () => {
		const ctx = { getCredentials: async () => ({ ...creds }) } as unknown as ILoadOptionsFunctions;
		nock(BASE).get('/api/v1/wallet').times(2).reply(200, { name: 'Shop', balance: 2_000_000, id: WALLET_ID });
		expect(await searchWallets.call(ctx, 'sho')).toEqual({
			results: [{ name: 'Shop (2000 sats)', value: WALLET_ID, url: `${BASE}/wallet?wal=${WALLET_ID}` }],
		});
		expect(await searchWallets.call(ctx, 'other')).toEqual({ results: [] });
	});
});

describe('invoice', () => {
	it('create in sats maps memo and additional fields; out:false is explicit', async () => {
		nock(BASE)
			.post('/api/v1/payments', { out: false, unit: 'sat', amount: 250, memo: 'Order 7', expiry: 900, webhook: 'https://n8n.test/hook', extra: { order: 7 } })
			.reply(201, apiPayment({ amount: 250000, memo: 'Order 7', extra: { order: 7 } }));
		const [out] = await runLnbits(
			[
				{
					resource: 'invoice',
					operation: 'create',
					unit: 'sat',
					amountSats: 250,
					memo: 'Order 7',
					additionalFields: { expiry: 900, webhook: 'https://n8n.test/hook', extra: '{"order":7}' },
				},
			],
			{ credentials: invoiceOnly },
		);
		expect(out).toEqual({
			paymentHash: '1'.repeat(64),
			bolt11: 'lnbc1u1p4sx06j',
			amountSats: 250,
			amountMsat: 250000,
			memo: 'Order 7',
			status: 'pending',
			expiresAt: '2026-11-22T20:19:23.000Z',
			createdAt: '2026-11-22T19:19:23.634Z',
		});
	});

	it('create in fiat sends the currency code and the decimal amount; Simplify off returns every field', async () => {
		nock(BASE)
			.get('/api/v1/currencies')
			.reply(200, ['USD', 'EUR'])
			.post('/api/v1/payments', { out: false, unit: 'USD', amount: 19.99 })
			.reply(201, apiPayment({ amount: 19990000 }));
		const [out] = await runLnbits([{ resource: 'invoice', operation: 'create', unit: 'fiat', fiatAmount: '19.99', currency: 'usd', simplify: false }], {
			credentials: invoiceOnly,
		});
		expect(out).toMatchObject({ amountSats: 19990, direction: 'incoming', checkingId: '1'.repeat(64), extra: { wallet_fiat_currency: 'USD' } });
		expect(out).toMatchObject({ fiatCurrency: 'USD', fiatAmount: '19.99' });
	});

	it('bad amounts are refused before any request, naming field and item', async () => {
		const err = await runLnbitsError([{ resource: 'invoice', operation: 'create', unit: 'sat', amountSats: -3 }], { credentials: invoiceOnly });
		expect(err.message).toBe('Amount: must not be negative (got -3)');
		expect(err.description).toContain('Item 0, field "Amount"');
		nock(BASE).post('/api/v1/payments').reply(201, apiPayment({ amount: 1000 }));
		const out = await runLnbits(
			[
				{ resource: 'invoice', operation: 'create', unit: 'sat', amountSats: 1 },
				{ resource: 'invoice', operation: 'create', unit: 'sat', amountSats: 1.5 },
				{ resource: 'invoice', operation: 'create', unit: 'fiat', fiatAmount: 'ten', currency: 'USD' },
			],
			{ credentials: invoiceOnly, continueOnFail: true },
		);
		expect(out[0].amountSats).toBe(1);
		expect(out[1]).toMatchObject({ error: 'Amount: must be a whole number of sats (got 1.5)', field: 'Amount', errorKind: 'input' });
		expect(out[1].description).toContain('Item 1');
		// checked before the currency list is fetched (nock has none: a request would fail as a network error)
		expect(out[2]).toMatchObject({ field: 'Amount', errorKind: 'input' });
		expect(out[2].error).toMatch(/^Amount: "ten" is not a number/);
	});
});

describe('payment', () => {
	beforeEach(() => {
		jest.spyOn(Date, 'now').mockReturnValue((SIGNED_TIMESTAMP + 60) * 1000);
	});

	it('pay maps Max Amount, network option and extra; the output says paid', async () => {
		nock(BASE)
			.get(`/api/v1/payments/${HASH}`)
			.reply(404, { detail: 'Payment does not exist.' })
			.post('/api/v1/payments', { out: true, bolt11: SIGNED_MAINNET_1000.bolt11, extra: { ref: 'x' } })
			.reply(201, apiPayment({ payment_hash: HASH, amount: -1000000, fee: -3000, status: 'success', preimage: '9'.repeat(64) }));
		const [out] = await runLnbits(
			[{ resource: 'payment', operation: 'pay', bolt11: `lightning:${SIGNED_MAINNET_1000.bolt11}`, maxAmountSats: 1000, payOptions: { network: 'mainnet', extra: '{"ref":"x"}' } }],
			{ credentials: creds },
		);
		expect(out).toEqual({
			paymentHash: HASH,
			status: 'success',
			paid: true,
			pending: false,
			alreadyPaid: false,
			amountSats: 1000,
			amountMsat: 1000000,
			feeSats: 3,
			feeMsat: 3000,
			preimage: '9'.repeat(64),
			memo: 'x',
			time: '2026-11-22T19:19:23.634Z',
		});
		expect(Object.keys(out).slice(0, 6)).toEqual(['paid', 'pending', 'status', 'alreadyPaid', 'amountSats', 'feeSats']);
	});

	it('Max Fee: a fee reserve within it pays and is reported; a higher one is refused before anything is sent', async () => {
		const pay = (maxFeeSats: unknown) =>
			[{ resource: 'payment', operation: 'pay', bolt11: SIGNED_MAINNET_1000.bolt11, maxAmountSats: '1000', payOptions: { maxFeeSats } }];
		// LNbits 1.6 default reserve for 1000 sats: max(2000 msat, 1% = 10000 msat) = 10 sats.
		nock(BASE)
			.get(`/api/v1/payments/${HASH}`)
			.reply(404, { detail: 'Payment does not exist.' })
			.get('/api/v1/payments/fee-reserve')
			.query({ invoice: SIGNED_MAINNET_1000.bolt11 })
			.reply(200, { fee_reserve: 10000 })
			.post('/api/v1/payments')
			.reply(201, apiPayment({ payment_hash: HASH, amount: -1000000, fee: -1500, status: 'success', preimage: '9'.repeat(64) }));
		const [ok] = await runLnbits(pay(10), { credentials: creds });
		expect(ok).toMatchObject({ paid: true, feeSats: 2, feeMsat: 1500, feeReserveSats: 10 });

		nock(BASE)
			.get(`/api/v1/payments/${HASH}`)
			.reply(404, { detail: 'Payment does not exist.' })
			.get('/api/v1/payments/fee-reserve')
			.query(true)
			.reply(200, { fee_reserve: 10000 });
		const refused = await runLnbitsError(pay(9), { credentials: creds });
		expect(refused.message).toMatch(/^Max Fee \(Sats\): nothing was paid: LNbits reserves up to 10 sats for the fees of this payment .* above Max Fee of 9 sats\. Raise Max Fee to at least 10/);
		expect(nock.pendingMocks()).toEqual([]);

		nock(BASE).get(`/api/v1/payments/${HASH}`).reply(404, { detail: 'Payment does not exist.' }).get('/api/v1/payments/fee-reserve').query(true).reply(404, { detail: 'Not Found' });
		const unknown = await runLnbitsError(pay(50), { credentials: creds });
		expect(unknown.message).toMatch(/^Max Fee \(Sats\): nothing was paid: LNbits did not tell the fee reserve for this invoice/);
		expect((await runLnbitsError(pay('1.5'), { credentials: creds })).message).toMatch(/^Max Fee \(Sats\): must be a whole number of sats/);
	});

	it('Max Amount is a required empty field in the editor, and saved number values still work', () => {
		const prop = new Lnbits().description.properties.find((p) => p.name === 'maxAmountSats' && p.displayOptions?.show?.resource?.includes('payment'));
		expect(prop).toMatchObject({ type: 'string', default: '', required: true });
	});

	it('a pending payment is reported as pending with the hash to check later', async () => {
		nock(BASE)
			.get(`/api/v1/payments/${HASH}`)
			.reply(404, { detail: 'Payment does not exist.' })
			.post('/api/v1/payments')
			.reply(201, apiPayment({ payment_hash: HASH, amount: -1000000, status: 'pending' }));
		const [out] = await runLnbits([{ resource: 'payment', operation: 'pay', bolt11: SIGNED_MAINNET_1000.bolt11, maxAmountSats: 5000 }], { credentials: creds });
		expect(out).toMatchObject({ paymentHash: HASH, status: 'pending', paid: false, pending: true, preimage: null });
		expect(out.message).toMatch(/in flight.*Get Status/);
	});

	it('the default network is mainnet: a regtest invoice is refused unless the option says otherwise', async () => {
		const err = await runLnbitsError([{ resource: 'payment', operation: 'pay', bolt11: SIGNED_REGTEST_777.bolt11, maxAmountSats: 5000 }], { credentials: creds });
		expect(err.message).toBe('Invoice is for regtest but the LNbits wallet is on mainnet; refusing to pay');
		expect(err.description).toContain('Item 0, field "Invoice"');
		nock(BASE)
			.get(`/api/v1/payments/${SIGNED_REGTEST_777.paymentHash}`)
			.reply(404, { detail: 'Payment does not exist.' })
			.post('/api/v1/payments')
			.reply(201, apiPayment({ payment_hash: SIGNED_REGTEST_777.paymentHash, amount: -777000, status: 'success' }));
		const [ok] = await runLnbits([{ resource: 'payment', operation: 'pay', bolt11: SIGNED_REGTEST_777.bolt11, maxAmountSats: 5000, payOptions: { network: 'regtest' } }], {
			credentials: creds,
		});
		expect(ok.paid).toBe(true);
	});

	it('Continue On Fail: error items carry kind, field and HTTP code, never a key; other items go on', async () => {
		nock(BASE)
			.get(`/api/v1/payments/${HASH}`)
			.reply(404, { detail: 'Payment does not exist.' })
			.post('/api/v1/payments')
			.reply(520, { detail: `Insufficient balance. ${ADMIN_KEY}`, status: 'failed' })
			.get(`/api/v1/payments/${HASH}`)
			.reply(404, { detail: 'Payment does not exist.' });
		const out = await runLnbitsItems(
			[
				{ resource: 'payment', operation: 'pay', bolt11: SIGNED_MAINNET_1000.bolt11, maxAmountSats: 999 },
				{ resource: 'payment', operation: 'pay', bolt11: SIGNED_MAINNET_1000.bolt11, maxAmountSats: 2000 },
				{ resource: 'payment', operation: 'decode', bolt11: SIGNED_MAINNET_1000.bolt11 },
			],
			{ credentials: creds, continueOnFail: true },
		);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json).toMatchObject({ errorKind: 'safety', field: 'Max Amount (Sats)' });
		expect(out[1].json).toMatchObject({ errorKind: 'business', httpCode: 520 });
		expect(out[1].json.error).toBe('LNbits could not complete the payment: Insufficient balance. *** (520)');
		expect(out[2].json.paymentHash).toBe(HASH);
		const text = JSON.stringify(out);
		expect(text).not.toContain(ADMIN_KEY);
		expect(text).not.toContain(INVOICE_KEY);
	});

	it('missing admin key and missing max amount are input errors', async () => {
		const noAdmin = await runLnbitsError([{ resource: 'payment', operation: 'pay', bolt11: SIGNED_MAINNET_1000.bolt11, maxAmountSats: 5000 }], {
			credentials: invoiceOnly,
		});
		expect(noAdmin.message).toMatch(/^Admin Key: is needed to pay invoices, but the LNbits credential only has the Invoice\/Read Key/);
		expect(noAdmin.description).toContain('field "Admin Key"');
		const noMax = await runLnbitsError([{ resource: 'payment', operation: 'pay', bolt11: SIGNED_MAINNET_1000.bolt11 }], { credentials: creds });
		expect(noMax.message).toBe('Max Amount (Sats): is required: the largest invoice amount this node may pay, a whole number of sats greater than 0');
	});

	it('get status by hash merges the wallet record', async () => {
		nock(BASE).get(`/api/v1/payments/${HASH}`).reply(200, { paid: true, preimage: '2'.repeat(64), details: apiPayment({ payment_hash: HASH, status: 'success' }) });
		const [out] = await runLnbits([{ resource: 'payment', operation: 'get', paymentHash: ` ${HASH.toUpperCase()} ` }], { credentials: invoiceOnly });
		expect(out).toMatchObject({ paymentHash: HASH, paid: true, status: 'success', preimage: '2'.repeat(64), direction: 'incoming', amountSats: 100 });
	});

	it('get many maps filters (dates to unix seconds) and Limit; Return All pages', async () => {
		nock(BASE)
			.get('/api/v1/payments/paginated')
			.query({
				sortby: 'time',
				direction: 'desc',
				limit: '2',
				offset: '0',
				'amount[gt]': '0',
				'status[eq]': 'pending',
				'memo[like]': 'order',
				'time[ge]': '1767225600',
				'time[le]': '1767229200',
			})
			.reply(200, { data: [apiPayment(), apiPayment({ checking_id: 'x', payment_hash: 'x' })], total: 9 });
		const out = await runLnbits(
			[
				{
					resource: 'payment',
					operation: 'getMany',
					returnAll: false,
					limit: 2,
					filters: { direction: 'incoming', status: 'pending', memo: ' order ', since: '2026-01-01T00:00:00Z', until: '2026-01-01T01:00:00.000Z' },
				},
			],
			{ credentials: invoiceOnly },
		);
		expect(out).toHaveLength(2);
		expect(Object.keys(out[0]).sort()).toEqual(['amountMsat', 'amountSats', 'direction', 'feeMsat', 'memo', 'paymentHash', 'preimage', 'status', 'time']);

		nock(BASE)
			.get('/api/v1/payments/paginated')
			.query((q) => q.limit === '200' && q.offset === '0')
			.reply(200, { data: [apiPayment()], total: 1 });
		expect(await runLnbits([{ resource: 'payment', operation: 'getMany', returnAll: true, filters: {} }], { credentials: invoiceOnly })).toHaveLength(1);

		const bad = await runLnbitsError([{ resource: 'payment', operation: 'getMany', returnAll: true, filters: { since: 'tomorrow-ish' } }], { credentials: invoiceOnly });
		expect(bad.message).toBe('Since: "tomorrow-ish" is not a date and time');
		const order = await runLnbitsError(
			[{ resource: 'payment', operation: 'getMany', returnAll: true, filters: { since: '2026-02-01T00:00:00Z', until: '2026-01-01T00:00:00Z' } }],
			{ credentials: invoiceOnly },
		);
		expect(order.message).toBe('Until: is before Since');
	});
});

describe('lnurl and fiat', () => {
	const payLink = { tag: 'payRequest', callback: 'https://shop.test/cb', minSendable: 1000, maxSendable: 100000, metadata: '[["text/plain","Tips"]]' };

	it('scan, pay and a refused withdraw', async () => {
		nock(BASE).post('/api/v1/lnurlscan', { lnurl: 'tips@shop.test' }).reply(200, payLink);
		const [scan] = await runLnbits([{ resource: 'lnurl', operation: 'scan', lnurl: 'tips@shop.test' }], { credentials: invoiceOnly });
		expect(scan).toEqual({
			kind: 'pay',
			tag: 'payRequest',
			domain: 'shop.test',
			callback: 'https://shop.test/cb',
			minSendableMsat: 1000,
			maxSendableMsat: 100000,
			minSendableSats: 1,
			maxSendableSats: 100,
			description: 'Tips',
			commentAllowed: 0,
		});

		nock(BASE)
			.post('/api/v1/lnurlscan')
			.reply(200, payLink)
			.post('/api/v1/payments/lnurl', (b) => b.amount === 21000 && b.lnurl === 'tips@shop.test' && b.comment === undefined)
			.reply(200, apiPayment({ amount: -21000, status: 'success' }));
		const [paid] = await runLnbits([{ resource: 'lnurl', operation: 'pay', lnurl: 'tips@shop.test', amountSats: 21, maxAmountSats: 50, comment: '' }], { credentials: creds });
		expect(paid).toMatchObject({ paid: true, pending: false, amountSats: 21, domain: 'shop.test', description: 'Tips', direction: 'outgoing' });

		const withdrawLink = { tag: 'withdrawRequest', callback: 'https://faucet.test/cb', k1: 'k', minWithdrawable: 1000, maxWithdrawable: 10000 };
		nock(BASE)
			.post('/api/v1/lnurlscan')
			.reply(200, withdrawLink)
			.post('/api/v1/payments', (b) => b.amount === 10 && b.out === false)
			.reply(201, apiPayment({ amount: 10000, status: 'failed', extra: { lnurl_response: 'Already claimed' } }));
		const err = await runLnbitsError([{ resource: 'lnurl', operation: 'withdraw', withdrawLnurl: 'LNURL1DP68GURN8GHJ7', withdrawAmountSats: 0 }], { credentials: invoiceOnly });
		expect(err.message).toBe('faucet.test did not accept the withdraw request: Already claimed');

		nock(BASE)
			.post('/api/v1/lnurlscan')
			.reply(200, withdrawLink)
			.post('/api/v1/payments', (b) => b.amount === 5 && b.memo === 'cash')
			.reply(201, apiPayment({ amount: 5000, extra: { lnurl_response: true } }));
		const [w] = await runLnbits([{ resource: 'lnurl', operation: 'withdraw', withdrawLnurl: 'LNURL1DP68GURN8GHJ7', withdrawAmountSats: 5, memo: 'cash' }], {
			credentials: invoiceOnly,
		});
		expect(w).toMatchObject({ accepted: true, amountSats: 5, status: 'pending', domain: 'faucet.test', bolt11: 'lnbc1u1p4sx06j' });
	});

	it('rate and convert', async () => {
		nock(BASE)
			.get('/api/v1/currencies')
			.reply(200, ['USD'])
			.get('/api/v1/rate/USD')
			.reply(200, { rate: 1052.6315789473683, price: 95000 })
			.post('/api/v1/conversion', { from_: 'USD', amount: 3.5, to: 'sat' })
			.reply(200, { USD: 3.5, sats: 3684, BTC: 3.684e-5 });
		const out = await runLnbits(
			[
				{ resource: 'fiat', operation: 'getRate', currency: 'USD' },
				{ resource: 'fiat', operation: 'convert', conversion: 'fiatToSat', amount: '3.50', currency: 'USD' },
			],
			{ credentials: invoiceOnly },
		);
		expect(out).toEqual([
			{ currency: 'USD', satsPerUnit: '1052.6315789473683', pricePerBtc: '95000' },
			{ from: 'USD', to: 'sat', amount: '3.50', sats: 3684, btc: '0.00003684', result: '3684' },
		]);
	});
});
