import nock from 'nock';
import { createBtcPayHttp } from '../../../../nodes/BtcPay/client';
import { PullPaymentsApi } from '../../../../nodes/BtcPay/client/pullPayments';
import { caught } from '../../../helpers/caught';

const BASE = 'http://btcpay.test';
const KEY = 'pullpaymentkey0123456';
const STORE = 'Store1234';
const S = `/api/v1/stores/${STORE}`;

const api = () => new PullPaymentsApi(createBtcPayHttp({ url: BASE, apiKey: KEY, retryDelayMs: 1, retries: 1 }));

const pp = (extra: Record<string, unknown> = {}) => ({
	id: 'pp1',
	name: 'Refund inv1',
	description: '',
	currency: 'BTC',
	amount: '0.00012000',
	BOLT11Expiration: '30',
	autoApproveClaims: false,
	archived: false,
	viewLink: 'http://btcpay.test/pull-payments/pp1',
	...extra,
});
const payout = (extra: Record<string, unknown> = {}) => ({
	id: 'po1',
	revision: 0,
	pullPaymentId: 'pp1',
	date: '1700000000',
	destination: 'bc1qxyz',
	originalCurrency: 'BTC',
	originalAmount: '0.0001',
	payoutCurrency: 'BTC',
	payoutAmount: null,
	payoutMethodId: 'BTC-CHAIN',
	state: 'AwaitingApproval',
	...extra,
});

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('refund', () => {
	it('refunds with a variant and a percentage, returning the claim link', async () => {
		const scope = nock(BASE)
			.post(`${S}/invoices/inv1/refund`, { refundVariant: 'RateThen', subtractPercentage: '2.5', payoutMethods: ['BTC-CHAIN', 'BTC-LN'] })
			.reply(200, pp());
		const out = await api().refundInvoice(STORE, 'inv1', { refundVariant: 'RateThen', subtractPercentage: '2.50', payoutMethods: ['BTC-CHAIN', 'BTC-LN'] });
		expect(out).toMatchObject({ id: 'pp1', amount: '0.00012000', claimLink: 'http://btcpay.test/pull-payments/pp1' });
		scope.done();
	});

	it('custom refund: amount checked against the custom currency', async () => {
		const scope = nock(BASE)
			.post(`${S}/invoices/inv1/refund`, { refundVariant: 'Custom', customAmount: '5', customCurrency: 'USD', name: 'Partial refund' })
			.reply(200, pp({ currency: 'USD', amount: '5.00' }));
		const out = await api().refundInvoice(STORE, 'inv1', { refundVariant: 'Custom', customAmount: '5.00', customCurrency: 'usd', name: 'Partial refund', subtractPercentage: '0' });
		expect(out.amount).toBe('5.00');
		scope.done();
	});

	it.each([
		[{ refundVariant: 'Everything' }, /^Refund Variant: "Everything" is not one of/],
		[{ refundVariant: 'Custom', customAmount: '5' }, /^Custom Currency: is required/],
		[{ refundVariant: 'Custom', customAmount: '5.001', customCurrency: 'USD' }, /^Custom Amount: 5\.001 has 3 decimals/],
		[{ refundVariant: 'Custom', customCurrency: 'USD' }, /^Custom Amount: is required/],
		[{ refundVariant: 'Fiat', customAmount: '5' }, /^Custom Amount: is only used with the Custom refund variant/],
		[{ refundVariant: 'Fiat', subtractPercentage: '100' }, /^Subtract Percentage: must be below 100/],
		[{ refundVariant: 'Fiat', subtractPercentage: '-1' }, /^Subtract Percentage: must not be negative/],
		[{ refundVariant: 'Fiat', payoutMethods: ['BTC CHAIN'] }, /^Payout Methods/],
	])('refuses %j before sending', async (input, message) => {
		const err = await caught(api().refundInvoice(STORE, 'inv1', input as never));
		expect(err.kind).toBe('input');
		expect(err.message).toMatch(message);
		expect(nock.pendingMocks()).toHaveLength(0);
	});

	it('maps 422 and 403 (missing cancreatepullpayments)', async () => {
		nock(BASE).post(`${S}/invoices/inv1/refund`).reply(422, [{ path: 'refundVariant', message: 'Invoice is not settled' }]);
		expect((await caught(api().refundInvoice(STORE, 'inv1', { refundVariant: 'Fiat' }))).details).toEqual(['refundVariant: Invoice is not settled']);
		nock(BASE).post(`${S}/invoices/inv1/refund`).reply(403, { code: 'missing-permission', missingPermission: 'btcpay.store.cancreatepullpayments' });
		const err = await caught(api().refundInvoice(STORE, 'inv1', { refundVariant: 'Fiat' }));
		expect(err.missingPermission).toBe('btcpay.store.cancreatepullpayments');
		expect(err.message).toContain('Create pull payments');
	});
});

describe('pull payments', () => {
	it('creates (amount checked against currency, dates to unix seconds), gets, lists, archives', async () => {
		const scope = nock(BASE)
			.post(`${S}/pull-payments`, {
				name: 'Bounty',
				amount: '100',
				currency: 'USD',
				BOLT11Expiration: '7',
				autoApproveClaims: true,
				expiresAt: 1_767_225_600,
				payoutMethods: ['BTC-LN'],
			})
			.reply(200, pp({ id: 'pp2', currency: 'USD', amount: '100.00' }))
			.get('/api/v1/pull-payments/pp2')
			.reply(200, pp({ id: 'pp2' }))
			.get(`${S}/pull-payments`)
			.query({ includeArchived: 'true' })
			.reply(200, [pp(), pp({ id: 'pp2', archived: true, viewLink: null })])
			.delete(`${S}/pull-payments/pp2`)
			.reply(200);
		const created = await api().create(STORE, {
			name: 'Bounty',
			amount: '100.00',
			currency: 'USD',
			BOLT11Expiration: '7',
			autoApproveClaims: true,
			expiresAt: '2026-01-01T00:00:00Z',
			payoutMethods: ['BTC-LN'],
		});
		expect(created.claimLink).toContain('/pull-payments/');
		expect((await api().get('pp2')).id).toBe('pp2');
		const list = await api().list(STORE, { includeArchived: true });
		expect(list.map((p) => p.claimLink)).toEqual(['http://btcpay.test/pull-payments/pp1', null]);
		await api().archive(STORE, 'pp2');
		scope.done();
	});

	it.each([
		[{ amount: '1', currency: 'BTC', BOLT11Expiration: '1.5' }, /^BOLT11 Expiration \(Days\): must be whole days/],
		[{ amount: '0.000000001', currency: 'BTC' }, /^Amount: .*BTC allows 8 decimals/],
		[{ currency: 'USD' }, /^Amount: is required/],
		[{ amount: '1', currency: 'USD', name: 'N'.repeat(51) }, /^Name: must be at most 50 characters/],
		[{ amount: '1', currency: 'USD', startsAt: '2026-02-01', expiresAt: '2026-01-01' }, /^Expires At: must be after Starts At/],
	])('create refuses %j', async (input, message) => {
		await expect(api().create(STORE, input as never)).rejects.toThrow(message);
	});
});

describe('payouts', () => {
	it('creates a payout on a pull payment and lists payouts', async () => {
		const scope = nock(BASE)
			.post('/api/v1/pull-payments/pp1/payouts', { destination: 'bc1qxyz', payoutMethodId: 'BTC-CHAIN', amount: '0.0001' })
			.reply(200, payout())
			.get('/api/v1/pull-payments/pp1/payouts')
			.query({ includeCancelled: 'true' })
			.reply(200, [payout(), payout({ id: 'po2', state: 'Cancelled' })])
			.get(`${S}/payouts`)
			.reply(200, [payout()]);
		expect((await api().createPayout('pp1', { destination: ' bc1qxyz ', amount: '0.00010000', payoutMethodId: 'BTC-CHAIN' })).state).toBe('AwaitingApproval');
		expect((await api().listPayouts('pp1', { includeCancelled: true })).map((p) => p.state)).toEqual(['AwaitingApproval', 'Cancelled']);
		expect(await api().listStorePayouts(STORE)).toHaveLength(1);
		scope.done();
	});

	it('store payout needs an amount unless it is for a pull payment', async () => {
		await expect(api().createStorePayout(STORE, { destination: 'x', payoutMethodId: 'BTC-LN' })).rejects.toThrow(/^Amount: is required when/);
		const scope = nock(BASE)
			.post(`${S}/payouts`, { destination: 'lnbc1...', payoutMethodId: 'BTC-LN', pullPaymentId: 'pp1', approved: true, metadata: { source: 'n8n' } })
			.reply(200, payout({ state: 'AwaitingPayment', payoutMethodId: 'BTC-LN' }));
		const out = await api().createStorePayout(STORE, { destination: 'lnbc1...', payoutMethodId: 'BTC-LN', pullPaymentId: 'pp1', approved: true, metadata: { source: 'n8n' } });
		expect(out.state).toBe('AwaitingPayment');
		scope.done();
	});

	it('approve reads the revision when not given; cancel and mark paid', async () => {
		const scope = nock(BASE)
			.get(`${S}/payouts/po1`)
			.reply(200, payout({ revision: 3 }))
			.post(`${S}/payouts/po1`, { revision: 3 })
			.reply(200, payout({ revision: 3, state: 'AwaitingPayment', payoutAmount: '0.0001' }))
			.post(`${S}/payouts/po1`, { revision: 4, rateRule: 'kraken(BTC_USD)' })
			.reply(200, payout({ revision: 4, state: 'AwaitingPayment' }))
			.delete(`${S}/payouts/po1`)
			.reply(200)
			.post(`${S}/payouts/po1/mark-paid`)
			.reply(200);
		expect((await api().approvePayout(STORE, 'po1')).state).toBe('AwaitingPayment');
		expect((await api().approvePayout(STORE, 'po1', { revision: '4', rateRule: 'kraken(BTC_USD)' })).revision).toBe(4);
		await api().cancelPayout(STORE, 'po1');
		await api().markPayoutPaid(STORE, 'po1');
		scope.done();
	});

	it('maps approve conflicts and unknown payouts', async () => {
		nock(BASE).post(`${S}/payouts/po1`).reply(400, { code: 'old-revision', message: 'The payout has been modified since' });
		const err = await caught(api().approvePayout(STORE, 'po1', { revision: 0 }));
		expect(err.kind).toBe('business');
		expect(err.code).toBe('old-revision');
		nock(BASE).delete(`${S}/payouts/zz`).reply(404, { code: 'payout-not-found', message: 'x' });
		expect((await caught(api().cancelPayout(STORE, 'zz'))).message).toMatch(/^Payout "zz" was not found/);
		expect((await caught(api().approvePayout(STORE, 'po1', { revision: -1 }))).field).toBe('Revision');
	});
});
