import nock from 'nock';
import { createBtcPayHttp } from '../../../../nodes/BtcPay/client';
import { PaymentRequestsApi } from '../../../../nodes/BtcPay/client/paymentRequests';
import { caught } from '../../../helpers/caught';

const BASE = 'http://btcpay.test';
const KEY = 'paymentrequestkey0123';
const STORE = 'Store1234';
const PR = `/api/v1/stores/${STORE}/payment-requests`;

const api = () => new PaymentRequestsApi(createBtcPayHttp({ url: BASE, apiKey: KEY, retryDelayMs: 1, retries: 1 }));

const pr = (extra: Record<string, unknown> = {}) => ({
	id: 'pr1',
	storeId: STORE,
	status: 'Pending',
	createdTime: 1_700_000_000,
	amount: '12.50',
	title: 'Consulting',
	currency: 'USD',
	email: null,
	description: null,
	expiryDate: null,
	allowCustomPaymentAmounts: false,
	...extra,
});

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('PaymentRequestsApi', () => {
	it('creates with canonical decimal amount and only the given fields', async () => {
		const scope = nock(BASE, { reqheaders: { authorization: `token ${KEY}` } })
			.post(PR, { title: 'Consulting', amount: '12.5', currency: 'USD', expiryDate: 1_767_225_600, allowCustomPaymentAmounts: true })
			.reply(200, pr({ allowCustomPaymentAmounts: true, expiryDate: 1_767_225_600 }));
		const out = await api().create(STORE, {
			title: ' Consulting ',
			amount: '12.50',
			currency: 'usd',
			email: '',
			expiryDate: '2026-01-01T00:00:00Z',
			allowCustomPaymentAmounts: true,
		});
		expect(out).toMatchObject({ id: 'pr1', amount: '12.50', status: 'Pending' });
		scope.done();
	});

	it.each([
		[{ amount: '10' }, /^Title: is required/],
		[{ title: 'x', amount: '' }, /^Amount: is required/],
		[{ title: 'x', amount: '1.234', currency: 'USD' }, /^Amount: 1\.234 has 3 decimals; USD allows 2/],
		[{ title: 'x', amount: '0' }, /^Amount: must be greater than 0/],
		[{ title: 'x', amount: '5', currency: 'dollars!' }, /^Currency: must be a currency code/],
		[{ title: 'x', amount: '5', email: 'nope' }, /^Email: is not a valid email/],
		[{ title: 'x', amount: '5', expiryDate: 'tomorrow-ish' }, /^Expiry Date:/],
		[{ title: 'x', amount: '5', colour: 'red' }, /unknown field/],
	])('refuses %j before sending', async (input, message) => {
		const err = await caught(api().create(STORE, input as never));
		expect(err.kind).toBe('input');
		expect(err.message).toMatch(message);
	});

	it('gets, lists and archives with store-nested routes', async () => {
		const scope = nock(BASE)
			.get(`${PR}/pr1`)
			.reply(200, pr())
			.get(PR)
			.reply(200, [pr(), pr({ id: 'pr2', amount: 3 })])
			.delete(`${PR}/pr1`)
			.reply(200);
		expect((await api().get(STORE, 'pr1')).title).toBe('Consulting');
		const list = await api().list(STORE);
		expect(list.map((p) => p.amount)).toEqual(['12.50', '3']);
		await api().archive(STORE, 'pr1');
		scope.done();
	});

	it('update reads the request and sends it back with only the changed fields replaced', async () => {
		const scope = nock(BASE)
			.get(`${PR}/pr1`)
			.reply(200, pr({ description: '<p>hi</p>' }))
			.put(`${PR}/pr1`, { title: 'Consulting', amount: '20', currency: 'USD', description: '<p>hi</p>', allowCustomPaymentAmounts: false })
			.reply(200, pr({ amount: '20.00', description: '<p>hi</p>' }));
		const out = await api().update(STORE, 'pr1', { amount: 20 });
		expect(out.amount).toBe('20.00');
		scope.done();
	});

	it('update with nothing to change fails before any request', async () => {
		const err = await caught(api().update(STORE, 'pr1', { title: '' }));
		expect(err.field).toBe('Update Fields');
		expect(nock.pendingMocks()).toHaveLength(0);
	});

	it('pay creates an invoice (amount optional) and maps business errors', async () => {
		const scope = nock(BASE)
			.post(`${PR}/pr1/pay`, { allowPendingInvoiceReuse: true })
			.reply(200, { id: 'inv9', storeId: STORE, amount: '12.50', currency: 'USD', status: 'New', checkoutLink: 'http://x/i/inv9' })
			.post(`${PR}/pr1/pay`, { amount: '5' })
			.reply(422, [{ path: 'amount', message: 'Custom amounts are not allowed' }])
			.post(`${PR}/pr1/pay`, {})
			.reply(400, { code: 'already-paid', message: 'The payment request is already paid' });
		expect(await api().pay(STORE, 'pr1', { allowPendingInvoiceReuse: true })).toMatchObject({ id: 'inv9', status: 'New' });
		const v = await caught(api().pay(STORE, 'pr1', { amount: '5.00' }));
		expect(v.kind).toBe('validation');
		expect(v.details).toEqual(['amount: Custom amounts are not allowed']);
		const b = await caught(api().pay(STORE, 'pr1'));
		expect(b.kind).toBe('business');
		expect(b.code).toBe('already-paid');
		scope.done();
	});

	it('404 names the payment request; 401 points at the credential; never leaks the key', async () => {
		nock(BASE).get(`${PR}/nope`).reply(404, { code: 'payment-request-not-found', message: 'x' });
		const nf = await caught(api().get(STORE, 'nope'));
		expect(nf.message).toMatch(/^Payment request "nope" was not found/);
		nock(BASE).get(PR).reply(401, { code: 'unauthenticated', message: `bad key ${KEY}` });
		const auth = await caught(api().list(STORE));
		expect(auth.kind).toBe('auth');
		expect(JSON.stringify({ m: auth.message, d: auth.details, h: auth.hint })).not.toContain(KEY);
	});

	it('rejects a malformed ID without sending', async () => {
		const err = await caught(api().get(STORE, '../../api-keys'));
		expect(err.field).toBe('Payment Request ID');
	});
});
