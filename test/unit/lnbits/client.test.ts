import nock from 'nock';
import { LnbitsClient, parseLnbitsTime, toLnbitsPayment } from '../../../nodes/Lnbits/client';
import { InputError, SafetyError, ServiceError } from '../../../nodes/shared/errors';
import { caught } from '../../helpers/caught';
import { SIGNED_MAINNET_1000, SIGNED_MAINNET_NO_AMOUNT, SIGNED_TESTNET_2500, SIGNED_TIMESTAMP } from '../../fixtures/bolt11-networks';
import { ADMIN_KEY, BASE, INVOICE_KEY, WALLET_ID, apiPayment, creds } from './fixtures';

const NOW = SIGNED_TIMESTAMP + 60;
const client = (o: Partial<ConstructorParameters<typeof LnbitsClient>[0]> = {}) => new LnbitsClient({ ...creds, retryDelayMs: 1, ...o });
const HASH = SIGNED_MAINNET_1000.paymentHash;

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('toLnbitsPayment', () => {
	it('normalizes an outgoing payment: absolute msat, floor sats, ISO UTC times, direction', () => {
		const p = toLnbitsPayment(apiPayment({ amount: -100500, fee: -2000, status: 'success', checking_id: `internal_${'1'.repeat(64)}` }));
		expect(p).toMatchObject({
			direction: 'outgoing',
			amountMsat: 100500,
			amountSats: 100,
			feeMsat: 2000,
			status: 'success',
			checkingId: `internal_${'1'.repeat(64)}`,
			walletId: WALLET_ID,
			bolt11: 'lnbc1u1p4sx06j',
			time: '2026-11-22T19:19:23.634Z',
			timestamp: Date.parse('2026-11-22T19:19:23Z') / 1000,
			expiry: '2026-11-22T20:19:23.000Z', // naive datetime read as UTC
			webhook: null,
			tag: null,
		});
		expect(p.extra.wallet_fiat_currency).toBe('USD');
	});

	it('accepts older shapes: unix time, pending flag, payment_request only', () => {
		const p = toLnbitsPayment({ payment_hash: 'ab', amount: 5000, pending: true, time: 1700000000, payment_request: 'lnbc5' });
		expect(p).toMatchObject({ status: 'pending', time: '2023-11-14T22:13:20.000Z', timestamp: 1700000000, bolt11: 'lnbc5', checkingId: 'ab', expiry: null, extra: {} });
		expect(parseLnbitsTime('2026-11-22T20:19:23+00:00')?.toISOString()).toBe('2026-11-22T20:19:23.000Z');
		expect(parseLnbitsTime('garbage')).toBeNull();
	});

	it('refuses data that is not a payment with a protocol error', () => {
		expect(() => toLnbitsPayment({ amount: 'x' })).toThrow(/LNbits sent a payment this node does not understand/);
	});
});

describe('LnbitsClient basics', () => {
	it('normalizes the URL, sends the invoice key by default and the admin key on request', async () => {
		const c = client({ url: 'lnbits.test/api/v1/' });
		expect(c.baseUrl).toBe(BASE);
		nock(BASE, { reqheaders: { 'x-api-key': INVOICE_KEY } }).get('/api/v1/wallet').reply(200, { name: 'A', balance: 1234567 });
		expect(await c.getWallet()).toEqual({ name: 'A', balanceMsat: 1234567, balanceSats: 1234 });
		nock(BASE, { reqheaders: { 'x-api-key': ADMIN_KEY } }).get('/api/v1/wallet').reply(200, { name: 'A', balance: 0, id: WALLET_ID });
		expect(await c.getWallet({ key: 'admin' })).toEqual({ name: 'A', balanceMsat: 0, balanceSats: 0, id: WALLET_ID });
	});

	it('needs some key; the admin key alone is used for reads too', async () => {
		expect(() => new LnbitsClient({ url: BASE, invoiceKey: ' ' })).toThrow(/Invoice\/Read Key: is empty/);
		const adminOnly = new LnbitsClient({ url: BASE, invoiceKey: '', adminKey: ADMIN_KEY });
		nock(BASE, { reqheaders: { 'x-api-key': ADMIN_KEY } }).get('/api/v1/wallet').reply(200, { name: 'A', balance: 1000 });
		expect((await adminOnly.getWallet()).balanceSats).toBe(1);
	});

	it('maps 401, 404 unknown key, 403 wrong kind, 404 unknown payment, 400 list, 520 and 5xx; never shows a key', async () => {
		const c = client({ retries: 0 });
		nock(BASE).get('/api/v1/wallet').reply(401, { detail: 'No Api Key provided.' });
		const e401 = await caught(c.getWallet());
		expect(e401).toMatchObject({ kind: 'auth', status: 401, field: 'Invoice/Read Key' });

		nock(BASE).get('/api/v1/wallet').reply(404, { detail: 'Wallet not found.' });
		const e404 = await caught(c.getWallet());
		expect(e404.message).toBe('LNbits does not know the Invoice/Read Key of the credential (404 Wallet not found)');
		expect(e404.kind).toBe('auth');

		nock(BASE).get(`/api/v1/payments/${'0'.repeat(64)}`).reply(404, { detail: 'Payment does not exist.' });
		const missing = await caught(c.getPayment('0'.repeat(64)));
		expect(missing.kind).toBe('not_found');
		expect(missing.message).toContain(`Payment ${'0'.repeat(64)} was not found in this LNbits wallet`);

		nock(BASE).post('/api/v1/payments').reply(400, { detail: [{ loc: ['body', 'amount'], msg: 'value is not a valid float', type: 'type_error.float' }] });
		const e400 = await caught(c.createInvoice({ amount: 5 }));
		expect(e400).toMatchObject({ kind: 'validation', details: ['amount: value is not a valid float'] });

		nock(BASE).get('/api/v1/wallet').reply(500, { detail: `boom ${INVOICE_KEY} ${ADMIN_KEY}` });
		const e500 = await caught(c.getWallet());
		expect(e500.kind).toBe('server');
		expect(e500.message).not.toContain(INVOICE_KEY);
		expect(e500.message).not.toContain(ADMIN_KEY);
		expect(e500.message).toContain('***');
	});

	it('a server that is not LNbits (protocol) and an unreachable server (network) get clear errors', async () => {
		nock(BASE).get('/api/v1/wallet').reply(200, '<html>login</html>');
		const protocol = await caught(client().getWallet());
		expect(protocol.kind).toBe('protocol');
		expect(protocol.message).toMatch(/^LNbits answered GET \/api\/v1\/wallet with data this node does not understand/);
		nock(BASE).get('/api/v1/wallet').times(3).replyWithError({ code: 'ECONNREFUSED', message: `connect ECONNREFUSED ${INVOICE_KEY}` });
		const network = await caught(client().getWallet());
		expect(network.kind).toBe('network');
		expect(network.message).toMatch(/^Could not reach LNbits at https:\/\/lnbits\.test/);
		expect(network.message).not.toContain(INVOICE_KEY);
	});

	it('retries idempotent reads on 503', async () => {
		nock(BASE).get('/api/v1/wallet').reply(503).get('/api/v1/wallet').reply(200, { name: 'A', balance: 0 });
		expect((await client().getWallet()).name).toBe('A');
	});
});

describe('payments: status and history', () => {
	it('getPayment: paid with details, failed without preimage, anonymous shape', async () => {
		const c = client();
		nock(BASE).get(`/api/v1/payments/${HASH}`).reply(200, { paid: true, preimage: '2'.repeat(64), details: apiPayment({ payment_hash: HASH, status: 'success' }) });
		expect(await c.getPayment(HASH.toUpperCase())).toMatchObject({ paid: true, status: 'success', preimage: '2'.repeat(64), details: { paymentHash: HASH } });
		nock(BASE).get(`/api/v1/payments/${HASH}`).reply(200, { paid: false, status: 'failed', details: apiPayment({ payment_hash: HASH, status: 'failed', amount: -5000 }) });
		expect(await c.getPayment(HASH)).toMatchObject({ paid: false, status: 'failed', preimage: null, details: { direction: 'outgoing' } });
		nock(BASE).get(`/api/v1/payments/${HASH}`).reply(200, { paid: false, preimage: null });
		expect(await c.getPayment(HASH)).toEqual({ paid: false, status: 'pending', preimage: null, details: null });
		await expect(c.getPayment('xyz')).rejects.toThrow('Payment Hash: must be 64 hexadecimal characters');
	});

	it('listPayments maps filters to LNbits query filters, newest first', async () => {
		nock(BASE)
			.get('/api/v1/payments/paginated')
			.query({
				sortby: 'time',
				direction: 'desc',
				limit: '10',
				offset: '20',
				'amount[lt]': '0',
				'status[eq]': 'success',
				'time[ge]': '1700000000',
				'time[le]': '1700003600',
				'memo[like]': 'coffee',
			})
			.reply(200, { data: [apiPayment({ amount: -1000, status: 'success' })], total: 21 });
		const list = await client().listPayments({ limit: 10, offset: 20, direction: 'outgoing', status: 'success', since: 1700000000, until: 1700003600, memo: 'coffee' });
		expect(list).toHaveLength(1);
		expect(list[0]).toMatchObject({ direction: 'outgoing', amountSats: 1 });
		nock(BASE).get('/api/v1/payments/paginated').query((q) => q['amount[gt]'] === '0' && q.limit === '50').reply(200, { data: [], total: 0 });
		expect(await client().listPayments({ direction: 'incoming' })).toEqual([]);
	});

	it('listAllPayments pages until the total, skipping entries shifted by new payments', async () => {
		const p = (n: number) => apiPayment({ payment_hash: String(n).padStart(64, '0'), checking_id: String(n).padStart(64, '0') });
		nock(BASE)
			.get('/api/v1/payments/paginated')
			.query((q) => q.offset === '0' && q.limit === '2')
			.reply(200, { data: [p(5), p(4)], total: 5 })
			.get('/api/v1/payments/paginated')
			.query((q) => q.offset === '2')
			.reply(200, { data: [p(4), p(3)], total: 6 }) // a new payment arrived: 4 shows up again
			.get('/api/v1/payments/paginated')
			.query((q) => q.offset === '4')
			.reply(200, { data: [p(2), p(1)], total: 6 }); // offset + page size reaches the total: done
		const all = await client().listAllPayments({}, { pageSize: 2 });
		expect(all.map((x) => Number(x.paymentHash))).toEqual([5, 4, 3, 2, 1]);
		expect(nock.isDone()).toBe(true);

		nock(BASE).get('/api/v1/payments/paginated').query((q) => q.limit === '3').reply(200, { data: [p(9), p(8), p(7)], total: 9 });
		expect(await client().listAllPayments({}, { max: 3, pageSize: 3 })).toHaveLength(3);
	});
});

describe('payInvoice', () => {
	const pay = (c: LnbitsClient, extra: Partial<Parameters<LnbitsClient['payInvoice']>[0]> = {}) =>
		c.payInvoice({ bolt11: SIGNED_MAINNET_1000.bolt11, maxAmountSats: 1000, now: NOW, ...extra });

	it('decodes, checks this wallet has not paid the hash, then pays with out:true and the admin key', async () => {
		const scope = nock(BASE)
			.get(`/api/v1/payments/${HASH}`)
			.reply(404, { detail: 'Payment does not exist.' })
			.post('/api/v1/payments', { out: true, bolt11: SIGNED_MAINNET_1000.bolt11, extra: { order: 7 } })
			.matchHeader('x-api-key', ADMIN_KEY)
			.reply(201, apiPayment({ payment_hash: HASH, amount: -1000000, status: 'success' }));
		const r = await pay(client(), { extra: '{"order":7}' });
		expect(r.alreadyPaid).toBe(false);
		expect(r.payment).toMatchObject({ status: 'success', direction: 'outgoing', amountSats: 1000 });
		expect(r.plan.amountSats).toBe(1000);
		scope.done();
	});

	it('returns the earlier payment when this wallet already paid (or is paying) the hash', async () => {
		for (const status of ['success', 'pending']) {
			nock(BASE).get(`/api/v1/payments/${HASH}`).reply(200, { paid: status === 'success', details: apiPayment({ payment_hash: HASH, amount: -1000000, status }) });
			const r = await pay(client());
			expect(r.alreadyPaid).toBe(true);
			expect(r.payment.status).toBe(status);
		}
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('pays again when the earlier attempt failed', async () => {
		nock(BASE)
			.get(`/api/v1/payments/${HASH}`)
			.reply(200, { paid: false, status: 'failed', details: apiPayment({ payment_hash: HASH, amount: -1000000, status: 'failed' }) })
			.post('/api/v1/payments')
			.reply(201, apiPayment({ payment_hash: HASH, amount: -1000000, status: 'success' }));
		expect((await pay(client())).alreadyPaid).toBe(false);
	});

	it('when the pay request fails after reaching LNbits, the wallet record decides: pending is reported, not an error', async () => {
		nock(BASE)
			.get(`/api/v1/payments/${HASH}`)
			.reply(404, { detail: 'Payment does not exist.' })
			.post('/api/v1/payments')
			.reply(520, { detail: 'Payment is taking long.', status: 'pending' })
			.get(`/api/v1/payments/${HASH}`)
			.reply(200, { paid: false, status: 'pending', details: apiPayment({ payment_hash: HASH, amount: -1000000, status: 'pending' }) });
		const r = await pay(client());
		expect(r.payment.status).toBe('pending');
		expect(r.alreadyPaid).toBe(false);
	});

	it('does not retry the POST on 5xx or time-outs (no double spend), and reports 520 insufficient balance', async () => {
		nock(BASE)
			.get(`/api/v1/payments/${HASH}`)
			.reply(404, { detail: 'Payment does not exist.' })
			.post('/api/v1/payments')
			.reply(520, { detail: 'Insufficient balance.', status: 'failed' })
			.get(`/api/v1/payments/${HASH}`)
			.reply(404, { detail: 'Payment does not exist.' });
		const err = await caught(pay(client()));
		expect(err.message).toBe('LNbits could not complete the payment: Insufficient balance. (520)');
		expect(err).toMatchObject({ kind: 'business', status: 520, code: 'failed' });
		expect(err.hint).toMatch(/Fund the wallet/);
		expect(nock.isDone()).toBe(true);
	});

	it('refuses before any request: no admin key, over max, expired, wrong network, amountless, own invoice', async () => {
		await expect(pay(client({ adminKey: undefined }))).rejects.toThrow(/^Admin Key: is needed to pay invoices/);
		const over = await caught(pay(client(), { maxAmountSats: 999 }));
		expect(over).toBeInstanceOf(SafetyError);
		expect(over.field).toBe('Max Amount (Sats)');
		await expect(pay(client(), { now: SIGNED_TIMESTAMP + 3600 })).rejects.toThrow(/^Invoice expired at 2027-01-15T09:00:00.000Z/);
		await expect(pay(client(), { bolt11: SIGNED_TESTNET_2500.bolt11, expectedNetwork: 'mainnet', maxAmountSats: 5000 })).rejects.toThrow(
			'Invoice is for testnet but the LNbits wallet is on mainnet; refusing to pay',
		);
		await expect(pay(client(), { bolt11: SIGNED_MAINNET_NO_AMOUNT.bolt11 })).rejects.toThrow(/has no amount, and LNbits only pays invoices that state their amount/);
		await expect(pay(client(), { maxAmountSats: 0 })).rejects.toThrow(InputError);
		// own invoice: the wallet's record of the hash is incoming
		nock(BASE).get(`/api/v1/payments/${HASH}`).reply(200, { paid: false, details: apiPayment({ payment_hash: HASH, amount: 1000000 }) });
		await expect(pay(client())).rejects.toThrow(/created by this wallet/);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('403 wrong key kind names the Admin Key field', async () => {
		nock(BASE).get(`/api/v1/payments/${HASH}`).reply(404, { detail: 'Payment does not exist.' }).post('/api/v1/payments').reply(403, { detail: 'Invoice (or Admin) key required.' });
		const err = await caught(pay(client()));
		expect(err).toMatchObject({ kind: 'permission', status: 403, field: 'Admin Key' });
		expect(err.message).toBe('LNbits refused: the Admin Key of the credential is not an admin key (403: Invoice (or Admin) key required.)');
	});
});

describe('invoices, wallet, account', () => {
	it('createInvoice always sends out:false and maps every field', async () => {
		const hash = 'c'.repeat(64);
		nock(BASE)
			.post('/api/v1/payments', {
				out: false,
				unit: 'sat',
				amount: 21,
				memo: 'hi',
				expiry: 600,
				description_hash: hash,
				webhook: 'https://hooks.test/x',
				extra: { a: 1 },
			})
			.matchHeader('x-api-key', INVOICE_KEY)
			.reply(201, apiPayment({ amount: 21000 }));
		const p = await client().createInvoice({ amount: 21, memo: ' hi ', expiry: 600, descriptionHash: hash.toUpperCase(), webhook: 'https://hooks.test/x', extra: { a: 1 } });
		expect(p.amountSats).toBe(21);
	});

	it('fiat invoices check the currency against the server list (once per client)', async () => {
		const c = client();
		nock(BASE)
			.get('/api/v1/currencies')
			.once()
			.reply(200, ['USD', 'EUR'])
			.post('/api/v1/payments', { out: false, unit: 'EUR', amount: 12.5 })
			.reply(201, apiPayment({ amount: 13888000 }));
		await c.createInvoice({ amount: '12.50', unit: 'eur' });
		await expect(c.createInvoice({ amount: '1', unit: 'XYZ' })).rejects.toThrow('Currency: "XYZ" is not a fiat currency this LNbits server knows (e.g. USD, EUR)');
		await expect(c.createInvoice({ amount: '1.234', unit: 'USD' })).rejects.toThrow('Amount: 1.234 has 3 decimals; USD allows 2 decimals');
		await expect(c.createInvoice({ amount: '1', unit: '' })).rejects.toThrow(/^Currency: is required/);
	});

	it('createInvoice input errors name the field and send nothing', async () => {
		const c = client();
		await expect(c.createInvoice({ amount: 0 })).rejects.toThrow('Amount: must be greater than 0');
		await expect(c.createInvoice({ amount: -5 })).rejects.toThrow('Amount: must not be negative (got -5)');
		await expect(c.createInvoice({ amount: 2.5 })).rejects.toThrow('Amount: must be a whole number of sats (got 2.5)');
		await expect(c.createInvoice({ amount: 1, expiry: 1.5 })).rejects.toThrow('Expiry (Seconds): must be a whole number of seconds (got 1.5)');
		await expect(c.createInvoice({ amount: 1, descriptionHash: 'abc' })).rejects.toThrow(/^Description Hash: must be 64 hexadecimal/);
		await expect(c.createInvoice({ amount: 1, webhook: 'ftp://x' })).rejects.toThrow('Webhook URL: must be an http:// or https:// URL');
		await expect(c.createInvoice({ amount: 1, extra: '{nope' })).rejects.toThrow(/^Extra \(JSON\): is not valid JSON/);
		await expect(c.createInvoice({ amount: 1, extra: '[1]' })).rejects.toThrow('Extra (JSON): must be a JSON object');
		await expect(c.createInvoice({ amount: 1, memo: 'x'.repeat(641) })).rejects.toThrow(/^Memo: is longer than 640/);
	});

	it('renameWallet uses PATCH with the admin key; createAccount maps the new keys; disabled accounts are explained', async () => {
		nock(BASE)
			.patch('/api/v1/wallet', { name: 'Shop' })
			.matchHeader('x-api-key', ADMIN_KEY)
			.reply(200, { id: WALLET_ID, name: 'Shop', balance_msat: 5500, adminkey: ADMIN_KEY, inkey: INVOICE_KEY });
		expect(await client().renameWallet(' Shop ')).toEqual({ id: WALLET_ID, name: 'Shop', balanceMsat: 5500, balanceSats: 5 });
		await expect(client({ adminKey: undefined }).renameWallet('x')).rejects.toThrow(/^Admin Key: is needed to rename the wallet/);
		await expect(client().renameWallet('  ')).rejects.toThrow('New Name: is required');

		nock(BASE)
			.post('/api/v1/account', { name: 'New' })
			.reply(200, { id: 'd'.repeat(32), user: 'e'.repeat(32), name: 'New', adminkey: 'f'.repeat(32), inkey: 'a'.repeat(32), currency: 'USD', lightning_address: 'x1', balance_msat: 0 });
		expect(await client().createAccount('New')).toEqual({
			id: 'd'.repeat(32),
			userId: 'e'.repeat(32),
			name: 'New',
			adminKey: 'f'.repeat(32),
			invoiceKey: 'a'.repeat(32),
			currency: 'USD',
			lightningAddress: 'x1',
			balanceMsat: 0,
		});
		nock(BASE).post('/api/v1/account').reply(400, { detail: 'Account creation is disabled.' });
		const err = await caught(client().createAccount('New'));
		expect(err.message).toBe('LNbits refused: Account creation is disabled. (400)');
	});
});

describe('LNURL and fiat', () => {
	const payLink = {
		tag: 'payRequest',
		callback: 'https://shop.test/lnurlp/cb/1',
		minSendable: 1000,
		maxSendable: 500000,
		metadata: '[["text/plain","Tip jar"],["text/identifier","tips@shop.test"]]',
		commentAllowed: 10,
	};
	const withdrawLink = { tag: 'withdrawRequest', callback: 'https://faucet.test/w/cb', k1: 'k1', minWithdrawable: 2000, maxWithdrawable: 50000, defaultDescription: 'Faucet' };

	it('scan normalizes pay, withdraw and error answers', async () => {
		nock(BASE).post('/api/v1/lnurlscan', { lnurl: 'tips@shop.test' }).reply(200, payLink);
		expect(await client().scanLnurl('Tips@Shop.test')).toMatchObject({
			kind: 'pay',
			domain: 'shop.test',
			minSendableSats: 1,
			maxSendableSats: 500,
			description: 'Tip jar',
			commentAllowed: 10,
		});
		nock(BASE).post('/api/v1/lnurlscan', { lnurl: 'LNURL1DP68GURN8GHJ7' }).reply(200, withdrawLink);
		expect(await client().scanLnurl('lightning:lnurl1dp68gurn8ghj7')).toMatchObject({ kind: 'withdraw', minWithdrawableSats: 2, maxWithdrawableSats: 50, defaultDescription: 'Faucet' });
		nock(BASE).post('/api/v1/lnurlscan').reply(200, { status: 'ERROR', reason: 'Link used up' });
		await expect(client().scanLnurl('tips@shop.test')).rejects.toThrow('The LNURL service answered with an error: Link used up');
		nock(BASE).post('/api/v1/lnurlscan').reply(400, { detail: 'Invalid Lightning address.' });
		await expect(client().scanLnurl('tips@shop.test')).rejects.toThrow('LNbits refused: Invalid Lightning address. (400)');
		await expect(client().scanLnurl('not a link')).rejects.toThrow(/^LNURL or Lightning Address: "not a link" is neither/);
	});

	it('payLnurl checks max amount, min/max and comment length, then pays in msat with the link', async () => {
		const c = client();
		await expect(c.payLnurl({ lnurl: 'tips@shop.test', amountSats: 600, maxAmountSats: 500 })).rejects.toThrow(/above the node's Max Amount of 500 sats/);
		nock(BASE).post('/api/v1/lnurlscan').times(3).reply(200, payLink);
		await expect(c.payLnurl({ lnurl: 'tips@shop.test', amountSats: 501, maxAmountSats: 1000 })).rejects.toThrow(
			'Amount (Sats): 501 sats is outside what shop.test accepts (1 to 500 sats)',
		);
		await expect(c.payLnurl({ lnurl: 'tips@shop.test', amountSats: 5, maxAmountSats: 10, comment: 'way too long comment' })).rejects.toThrow(
			'Comment: is longer than the 10 characters shop.test accepts',
		);
		nock(BASE)
			.post('/api/v1/payments/lnurl', { res: payLink, lnurl: 'tips@shop.test', amount: 5000, unit: 'sat', comment: 'thanks' })
			.matchHeader('x-api-key', ADMIN_KEY)
			.reply(200, apiPayment({ amount: -5000, status: 'success', memo: 'Tip jar' }));
		const r = await c.payLnurl({ lnurl: 'tips@shop.test', amountSats: 5, maxAmountSats: 10, comment: 'thanks' });
		expect(r.payment).toMatchObject({ direction: 'outgoing', amountSats: 5, status: 'success' });
		await expect(client({ adminKey: undefined }).payLnurl({ lnurl: 'tips@shop.test', amountSats: 5, maxAmountSats: 10 })).rejects.toThrow(
			/^Admin Key: is needed to pay an LNURL/,
		);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('withdrawLnurl creates an invoice carrying the withdraw request; reports refusals', async () => {
		nock(BASE)
			.post('/api/v1/lnurlscan')
			.reply(200, withdrawLink)
			.post('/api/v1/payments', { out: false, unit: 'sat', amount: 50, memo: 'Faucet', lnurl_withdraw: withdrawLink })
			.reply(201, apiPayment({ amount: 50000, extra: { lnurl_response: true } }));
		const ok = await client().withdrawLnurl({ lnurl: 'LNURL1DP68GURN8GHJ7' });
		expect(ok).toMatchObject({ accepted: true, error: null, invoice: { amountSats: 50 } });

		nock(BASE)
			.post('/api/v1/lnurlscan')
			.reply(200, withdrawLink)
			.post('/api/v1/payments', (b) => b.amount === 3 && b.memo === 'mine')
			.reply(201, apiPayment({ amount: 3000, status: 'failed', extra: { lnurl_response: 'Withdraw link is empty.' } }));
		const refused = await client().withdrawLnurl({ lnurl: 'LNURL1DP68GURN8GHJ7', amountSats: 3, memo: 'mine' });
		expect(refused).toMatchObject({ accepted: false, error: 'Withdraw link is empty.' });

		nock(BASE).post('/api/v1/lnurlscan').reply(200, withdrawLink);
		await expect(client().withdrawLnurl({ lnurl: 'LNURL1DP68GURN8GHJ7', amountSats: 1 })).rejects.toThrow('Amount (Sats): 1 sats is outside what faucet.test pays out (2 to 50 sats)');
		nock(BASE).post('/api/v1/lnurlscan').reply(200, payLink);
		await expect(client().withdrawLnurl({ lnurl: 'LNURL1DP68GURN8GHJ7' })).rejects.toThrow('LNURL: is an LNURL-payRequest link, not a withdraw link');
	});

	it('rate and conversions', async () => {
		const c = client();
		nock(BASE).get('/api/v1/currencies').reply(200, ['USD', 'EUR']).get('/api/v1/rate/USD').reply(200, { rate: 1000, price: 100000 });
		expect(await c.getRate('usd')).toEqual({ currency: 'USD', satsPerUnit: 1000, pricePerBtc: 100000 });
		nock(BASE).post('/api/v1/conversion', { from_: 'sat', amount: 1000, to: 'USD' }).reply(200, { BTC: 1e-5, sats: 1000, USD: 1 });
		expect(await c.convert({ amount: '1000', currency: 'USD', direction: 'satToFiat' })).toEqual({ from: 'sat', to: 'USD', amount: '1000', sats: 1000, btc: '0.00001000', result: '1' });
		nock(BASE).post('/api/v1/conversion', { from_: 'EUR', amount: 9, to: 'sat' }).reply(200, { EUR: 9, sats: 10000, BTC: 0.0001 });
		expect(await c.convert({ amount: '9.00', currency: 'eur', direction: 'fiatToSat' })).toEqual({ from: 'EUR', to: 'sat', amount: '9', sats: 10000, btc: '0.00010000', result: '10000' });
		await expect(c.convert({ amount: '1', currency: 'JPYX', direction: 'fiatToSat' })).rejects.toThrow(/^Currency: "JPYX" is not a fiat currency this LNbits server knows/);
		await expect(c.convert({ amount: '1.5', currency: 'USD', direction: 'satToFiat' })).rejects.toThrow('Amount: must be a whole number of sats (got 1.5)');
	});

	it('errors are ServiceErrors', async () => {
		nock(BASE).get('/api/v1/currencies').reply(500, {});
		expect(await caught(client({ retries: 0 }).getRate('USD'))).toBeInstanceOf(ServiceError);
	});
});

