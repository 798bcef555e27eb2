import nock from 'nock';
import { createBtcPayHttp } from '../../../../nodes/BtcPay/client';
import { LightningApi } from '../../../../nodes/BtcPay/client/lightning';
import { COFFEE, DONATION, SPEC_PAYMENT_HASH, SPEC_TIMESTAMP } from '../../../fixtures/bolt11-spec';
import { caught } from '../../../helpers/caught';

const BASE = 'http://btcpay.test';
const KEY = 'lightningkey0123456789';
const STORE = 'Store1234';
const LN = `/api/v1/stores/${STORE}/lightning/BTC`;
const now = SPEC_TIMESTAMP + 5;

const api = () => new LightningApi(createBtcPayHttp({ url: BASE, apiKey: KEY, retryDelayMs: 1, retries: 1 }));

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const paymentBody = (status: string) => ({
	id: 'pay1',
	status,
	BOLT11: COFFEE,
	paymentHash: SPEC_PAYMENT_HASH,
	preimage: status === 'Complete' ? 'ab'.repeat(32) : undefined,
	createdAt: now,
	totalAmount: '250001500',
	feeAmount: '1500',
});

describe('LightningApi: node', () => {
	it('reads node info and balance with the token header', async () => {
		const scope = nock(BASE, { reqheaders: { authorization: `token ${KEY}` } })
			.get(`${LN}/info`)
			.reply(200, { nodeURIs: ['02abc@host:9735'], blockHeight: 800000, alias: 'node', activeChannelsCount: 2 })
			.get(`${LN}/balance`)
			.reply(200, { onchain: { confirmed: '1000', unconfirmed: '0', reserved: '0' }, offchain: { local: '5000000', remote: '1000', opening: null, closing: null } });
		await expect(api().getInfo(STORE)).resolves.toMatchObject({ alias: 'node', blockHeight: 800000 });
		await expect(api().getBalance(STORE)).resolves.toMatchObject({ offchain: { local: '5000000' } });
		scope.done();
	});

	it('explains 503 (node unreachable) and 404 in plain language', async () => {
		nock(BASE).get(`${LN}/info`).times(2).reply(503, { code: 'lightning-node-unavailable', message: 'down' });
		const err = await caught(api().getInfo(STORE));
		expect(err.status).toBe(503);
		expect(err.message).toMatch(/Lightning node is not reachable/);
		expect(err.hint).toMatch(/store settings/);
		nock(BASE).get(`${LN}/balance`).reply(404, { code: 'store-not-found', message: 'Store not found' });
		expect((await caught(api().getBalance(STORE))).kind).toBe('not_found');
	});

	it('maps 403 missing permission naming it', async () => {
		nock(BASE).get(`${LN}/info`).reply(403, { code: 'missing-permission', missingPermission: 'btcpay.store.canuselightningnode' });
		const err = await caught(api().getInfo(STORE));
		expect(err.kind).toBe('permission');
		expect(err.message).toContain('btcpay.store.canuselightningnode');
		expect(err.message).not.toContain(KEY);
	});
});

describe('LightningApi: invoices', () => {
	it('creates an invoice from sats, sending msat as a string', async () => {
		const scope = nock(BASE)
			.post(`${LN}/invoices`, { amount: '21000', description: 'coffee', expiry: 600 })
			.reply(200, { id: 'inv1', status: 'Unpaid', BOLT11: 'lnbc210n1...', amount: '21000', paymentHash: 'aa', expiresAt: now + 600 });
		const inv = await api().createInvoice(STORE, { amountSats: '21', description: 'coffee', expirySeconds: 600 });
		expect(inv).toMatchObject({ id: 'inv1', amount: '21000', amountSats: 21 });
		scope.done();
	});

	it('always sends an expiry: one hour when none is given (BTCPay answers 422 without one)', async () => {
		const scope = nock(BASE)
			.post(`${LN}/invoices`, { amount: '5000', expiry: 3600 })
			.reply(200, { id: 'inv2', status: 'Unpaid', BOLT11: 'lnbc50u1...', amount: '5000', paymentHash: 'bb', expiresAt: now + 3600 });
		await expect(api().createInvoice(STORE, { amountSats: 5 })).resolves.toMatchObject({ id: 'inv2' });
		scope.done();
	});

	it.each([
		[{ amountSats: '' }, /^Amount \(Sats\): is required/],
		[{ amountSats: '1.5' }, /^Amount \(Sats\): must be a whole number/],
		[{ amountSats: -3 }, /^Amount \(Sats\): must not be negative/],
		[{ amountSats: 10, expirySeconds: 'soon' }, /^Expiry \(Seconds\):/],
	])('refuses bad input %j before any request', async (input, message) => {
		const err = await caught(api().createInvoice(STORE, input as never));
		expect(err.kind).toBe('input');
		expect(err.message).toMatch(message);
		expect(nock.pendingMocks()).toHaveLength(0);
	});

	it('refuses a malformed store ID and payment hash', async () => {
		expect((await caught(api().getInfo('bad store/../x'))).field).toBe('Store');
		const err = await caught(api().getPayment(STORE, 'xyz'));
		expect(err.field).toBe('Payment Hash');
	});

	it('gets an invoice and a payment', async () => {
		nock(BASE)
			.get(`${LN}/invoices/inv1`)
			.reply(200, { id: 'inv1', status: 'Paid', BOLT11: 'lnbc...', amount: '21500', amountReceived: '21500', paidAt: now })
			.get(`${LN}/payments/${SPEC_PAYMENT_HASH}`)
			.reply(200, paymentBody('Complete'));
		await expect(api().getInvoice(STORE, 'inv1')).resolves.toMatchObject({ status: 'Paid', amountSats: 21 });
		await expect(api().getPayment(STORE, SPEC_PAYMENT_HASH.toUpperCase())).resolves.toMatchObject({ status: 'Complete' });
	});
});

describe('LightningApi: pay', () => {
	const pay = (extra: Record<string, unknown> = {}) =>
		api().payInvoice(STORE, { invoice: COFFEE, maxAmountSats: 300000, now, ...extra } as never);

	it('checks for an earlier payment, then pays once with the fee limits: 200 → paid', async () => {
		const scope = nock(BASE)
			.get(`${LN}/payments/${SPEC_PAYMENT_HASH}`)
			.reply(404, { code: 'payment-not-found', message: 'not found' })
			.post(`${LN}/invoices/pay`, { BOLT11: COFFEE, maxFeePercent: '0.5', maxFeeFlat: '100' })
			.reply(200, paymentBody('Complete'));
		const out = await pay({ maxFeePercent: '0.5', maxFeeFlatSats: 100 });
		expect(out).toMatchObject({
			outcome: 'paid',
			paid: true,
			pending: false,
			status: 'Complete',
			amountSats: 250000,
			amountMsat: '250000000',
			feeMsat: '1500',
			feeSats: 2,
			httpStatus: 200,
			paymentHash: SPEC_PAYMENT_HASH,
			description: '1 cup coffee',
		});
		scope.done();
	});

	it('202 → reported as pending, not as paid', async () => {
		nock(BASE)
			.get(`${LN}/payments/${SPEC_PAYMENT_HASH}`)
			.reply(404, {})
			.post(`${LN}/invoices/pay`)
			.reply(202, paymentBody('Pending'));
		const out = await pay();
		expect(out).toMatchObject({ outcome: 'pending', paid: false, pending: true, httpStatus: 202, status: 'Pending' });
	});

	it('never pays twice: an earlier complete or pending payment is reported and nothing is sent', async () => {
		nock(BASE).get(`${LN}/payments/${SPEC_PAYMENT_HASH}`).reply(200, paymentBody('Complete'));
		expect(await pay()).toMatchObject({ outcome: 'already_paid', paid: true, httpStatus: null });
		nock(BASE).get(`${LN}/payments/${SPEC_PAYMENT_HASH}`).reply(200, paymentBody('Pending'));
		expect(await pay()).toMatchObject({ outcome: 'already_pending', pending: true, httpStatus: null });
		expect(nock.pendingMocks()).toHaveLength(0);
	});

	it('retries after an earlier failed payment', async () => {
		const scope = nock(BASE)
			.get(`${LN}/payments/${SPEC_PAYMENT_HASH}`)
			.reply(200, paymentBody('Failed'))
			.post(`${LN}/invoices/pay`)
			.reply(200, paymentBody('Complete'));
		expect((await pay()).outcome).toBe('paid');
		scope.done();
	});

	it('guards before any request: max amount, expiry, zero-amount, fee percent, missing max', async () => {
		const cases: Array<[Record<string, unknown>, RegExp]> = [
			[{ maxAmountSats: 249999 }, /above the node's Max Amount/],
			[{ now: SPEC_TIMESTAMP + 120 }, /expired/],
			[{ invoice: DONATION, now }, /has no amount/],
			[{ maxFeePercent: '101' }, /^Max Fee Percent: must be between 0 and 100/],
			[{ maxAmountSats: '' }, /^Max Amount \(Sats\): is required/],
			[{ invoice: 'lnbc1notaninvoice' }, /^Invoice:/],
			[{ expectedNetwork: 'testnet' }, /is for mainnet/],
		];
		for (const [extra, message] of cases) {
			const err = await caught(pay(extra));
			expect(err.message).toMatch(message);
		}
		expect(nock.pendingMocks()).toHaveLength(0);
	});

	it('pays a zero-amount invoice with the given amount in msat', async () => {
		const donationNow = SPEC_TIMESTAMP + 10;
		const scope = nock(BASE)
			.get(`${LN}/payments/${SPEC_PAYMENT_HASH}`)
			.reply(404, {})
			.post(`${LN}/invoices/pay`, { BOLT11: DONATION, amount: '900000' })
			.reply(200, { ...paymentBody('Complete'), BOLT11: DONATION });
		const out = await api().payInvoice(STORE, { invoice: `lightning:${DONATION.toUpperCase()}`, amountSats: 900, maxAmountSats: 1000, now: donationNow });
		expect(out).toMatchObject({ outcome: 'paid', amountSats: 900, amountMsat: '900000' });
		scope.done();
	});

	it('never retries the pay POST on 5xx, and maps business errors', async () => {
		nock(BASE).get(`${LN}/payments/${SPEC_PAYMENT_HASH}`).reply(404, {}).post(`${LN}/invoices/pay`).reply(500, { message: 'boom' });
		const err = await caught(pay());
		expect(err.kind).toBe('server');
		expect(nock.pendingMocks()).toHaveLength(0);
		nock(BASE)
			.get(`${LN}/payments/${SPEC_PAYMENT_HASH}`)
			.reply(404, {})
			.post(`${LN}/invoices/pay`)
			.reply(400, { code: 'generic-error', message: 'No route found' });
		const business = await caught(pay());
		expect(business.kind).toBe('business');
		expect(business.message).toContain('No route found');
	});

	it('a failed status in a 200 answer is an error, not a payment', async () => {
		nock(BASE).get(`${LN}/payments/${SPEC_PAYMENT_HASH}`).reply(404, {}).post(`${LN}/invoices/pay`).reply(200, paymentBody('Failed'));
		const err = await caught(pay());
		expect(err.message).toMatch(/payment failed/);
	});

	it('when the pay call drops, looks the payment up instead of guessing', async () => {
		nock(BASE)
			.get(`${LN}/payments/${SPEC_PAYMENT_HASH}`)
			.reply(404, {})
			.post(`${LN}/invoices/pay`)
			.replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
			.get(`${LN}/payments/${SPEC_PAYMENT_HASH}`)
			.reply(200, paymentBody('Pending'));
		expect(await pay()).toMatchObject({ outcome: 'pending', pending: true, httpStatus: null });

		nock(BASE)
			.get(`${LN}/payments/${SPEC_PAYMENT_HASH}`)
			.reply(404, {})
			.post(`${LN}/invoices/pay`)
			.replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
			.get(`${LN}/payments/${SPEC_PAYMENT_HASH}`)
			.reply(404, {});
		const err = await caught(pay());
		expect(err.kind).toBe('network');
		expect(err.hint).toContain(SPEC_PAYMENT_HASH);
	});

	it('refuses to pay when the earlier-payment check itself fails', async () => {
		nock(BASE).get(`${LN}/payments/${SPEC_PAYMENT_HASH}`).times(2).reply(500, { message: 'db down' });
		const err = await caught(pay());
		expect(err.kind).toBe('server');
		expect(nock.pendingMocks()).toHaveLength(0);
	});
});

describe('LightningApi: one run paying the same invoice from several items', () => {
	it('sends a single pay call; the other items report the first one', async () => {
		let posts = 0;
		nock(BASE)
			.get(`${LN}/payments/${SPEC_PAYMENT_HASH}`)
			.reply(404, {})
			.post(`${LN}/invoices/pay`)
			.delay(50)
			.reply(() => {
				posts++;
				return [202, paymentBody('Pending')];
			});
		const client = api();
		const input = { invoice: COFFEE, maxAmountSats: 300000, now };
		const results = await Promise.all([client.payInvoice(STORE, input), client.payInvoice(STORE, input), client.payInvoice(STORE, input)]);
		expect(posts).toBe(1);
		expect(results.map((r) => r.outcome)).toEqual(['pending', 'already_pending', 'already_pending']);
		expect(results.map((r) => r.httpStatus)).toEqual([202, null, null]);
	});

	it('after a failed first attempt, a later item checks and pays on its own', async () => {
		nock(BASE)
			.get(`${LN}/payments/${SPEC_PAYMENT_HASH}`)
			.reply(404, {})
			.post(`${LN}/invoices/pay`)
			.reply(400, { code: 'generic-error', message: 'No route' })
			.get(`${LN}/payments/${SPEC_PAYMENT_HASH}`)
			.reply(200, paymentBody('Failed'))
			.post(`${LN}/invoices/pay`)
			.reply(200, paymentBody('Complete'));
		const client = api();
		const input = { invoice: COFFEE, maxAmountSats: 300000, now };
		const [first, second] = await Promise.allSettled([client.payInvoice(STORE, input), client.payInvoice(STORE, input)]);
		expect(first.status).toBe('rejected');
		expect(second).toMatchObject({ status: 'fulfilled', value: { outcome: 'paid' } });
	});
});
