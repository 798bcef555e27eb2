import nock from 'nock';
import { BtcPayClient } from '../../../../nodes/BtcPay/client';
import { InputError } from '../../../../nodes/shared/errors';
import { caught } from '../../../helpers/caught';

const BASE = 'http://btcpay.test';
const KEY = 'apikey-invoices-0123456789abcdef';
const STORE = '9CiNzKoANXxmk5ayZngSXrHTiVvvgCrwrpFQd4m2K776';
const INV = 'NxHkgTkK7qX5p6X4p5Zc8q';
const client = (retries = 2) => new BtcPayClient({ url: BASE, apiKey: KEY, retryDelayMs: 1, retries });
const PATH = `/api/v1/stores/${STORE}/invoices`;

export const invoice = {
	id: INV,
	storeId: STORE,
	amount: '12.50',
	paidAmount: '0.00',
	currency: 'USD',
	type: 'Standard',
	checkoutLink: `${BASE}/i/${INV}`,
	createdTime: 1700000000,
	expirationTime: 1700000900,
	monitoringExpiration: 1700086400,
	status: 'New',
	additionalStatus: 'None',
	availableStatusesForManualMarking: ['Settled', 'Invalid'],
	archived: false,
	metadata: { orderId: 'A-1' },
	checkout: { speedPolicy: 'MediumSpeed' },
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('InvoicesApi operations', () => {
	it('creates an invoice with amount, currency, metadata and checkout options', async () => {
		const scope = nock(BASE, { reqheaders: { authorization: `token ${KEY}` } })
			.post(PATH, {
				amount: '12.5',
				currency: 'USD',
				metadata: { source: 'n8n', orderId: 'A-1', buyerEmail: 'buyer@example.com', itemDesc: 'Tea' },
				checkout: { speedPolicy: 'HighSpeed', paymentMethods: ['BTC-LN'], expirationMinutes: 30, redirectURL: 'https://shop.example/thanks' },
			})
			.reply(200, invoice);
		const created = await client().invoices.create(STORE, {
			amount: '12.50',
			currency: 'usd',
			orderId: 'A-1',
			buyerEmail: 'buyer@example.com',
			itemDesc: 'Tea',
			metadata: { source: 'n8n' },
			checkout: { speedPolicy: 'HighSpeed', paymentMethods: ['BTC-LN'], expirationMinutes: 30, redirectURL: 'https://shop.example/thanks' },
		});
		expect(created.id).toBe(INV);
		expect(created.amount).toBe('12.50');
		scope.done();
	});

	it('creates a top-up invoice without amount', async () => {
		const scope = nock(BASE).post(PATH, { currency: 'EUR' }).reply(200, { ...invoice, type: 'TopUp', amount: '0' });
		expect((await client().invoices.create(STORE, { currency: 'EUR' })).type).toBe('TopUp');
		scope.done();
	});

	it('keeps amounts exact (no float): 0.1 + 8 decimals BTC, numbers accepted', async () => {
		const scope = nock(BASE)
			.post(PATH, { amount: '0.12345678', currency: 'BTC' })
			.reply(200, { ...invoice, amount: '0.12345678', currency: 'BTC' })
			.post(PATH, { amount: '1000', currency: 'JPY' })
			.reply(200, { ...invoice, amount: '1000', currency: 'JPY' });
		expect((await client().invoices.create(STORE, { amount: '0.12345678', currency: 'BTC' })).amount).toBe('0.12345678');
		expect((await client().invoices.create(STORE, { amount: 1000, currency: 'JPY' })).amount).toBe('1000');
		scope.done();
	});

	it('gets an invoice on the store-nested route', async () => {
		const scope = nock(BASE).get(`${PATH}/${INV}`).reply(200, invoice);
		expect((await client().invoices.get(STORE, INV)).status).toBe('New');
		scope.done();
	});

	it('lists invoices with repeated status/orderId filters, unix-second dates and skip/take', async () => {
		const scope = nock(BASE)
			.get(PATH)
			.query((q) => {
				expect(q).toEqual({
					status: ['New', 'Settled'],
					orderId: ['A-1', 'A-2'],
					textSearch: 'tea',
					startDate: '1704067200',
					endDate: '1706745600',
					skip: '20',
					take: '10',
				});
				return true;
			})
			.reply(200, [invoice]);
		const list = await client().invoices.list(STORE, {
			status: ['New', 'Settled'],
			orderId: ['A-1', 'A-2'],
			textSearch: 'tea',
			startDate: '2024-01-01T00:00:00Z',
			endDate: new Date('2024-02-01T00:00:00Z'),
			skip: 20,
			take: 10,
		});
		expect(list).toHaveLength(1);
		scope.done();
	});

	it('gets payment methods with their payments', async () => {
		const methods = [
			{
				paymentMethodId: 'BTC-CHAIN',
				currency: 'BTC',
				destination: 'bcrt1qxyz',
				paymentLink: 'bitcoin:bcrt1qxyz',
				rate: '100000',
				paymentMethodPaid: '0.000125',
				totalPaid: '0.000125',
				due: '0',
				amount: '0.000125',
				paymentMethodFee: '0',
				payments: [{ id: 'p1', receivedDate: 1700000100, value: '0.000125', fee: '0', status: 'Settled', destination: 'bcrt1qxyz' }],
				activated: true,
				additionalData: {},
			},
		];
		const scope = nock(BASE).get(`${PATH}/${INV}/payment-methods`).query({ onlyAccountedPayments: 'true' }).reply(200, methods);
		const out = await client().invoices.paymentMethods(STORE, INV, { onlyAccountedPayments: true });
		expect(out[0].payments[0].value).toBe('0.000125');
		scope.done();
	});

	it('marks an invoice settled or invalid', async () => {
		const scope = nock(BASE)
			.post(`${PATH}/${INV}/status`, { status: 'Settled' })
			.reply(200, { ...invoice, status: 'Settled', additionalStatus: 'Marked' })
			.post(`${PATH}/${INV}/status`, { status: 'Invalid' })
			.reply(200, { ...invoice, status: 'Invalid', additionalStatus: 'Marked' });
		expect((await client().invoices.markStatus(STORE, INV, 'Settled')).status).toBe('Settled');
		expect((await client().invoices.markStatus(STORE, INV, 'Invalid')).status).toBe('Invalid');
		scope.done();
	});

	it('archives and unarchives', async () => {
		const scope = nock(BASE)
			.delete(`${PATH}/${INV}`)
			.reply(200)
			.post(`${PATH}/${INV}/unarchive`)
			.reply(200, { ...invoice, archived: false });
		await expect(client().invoices.archive(STORE, INV)).resolves.toBeUndefined();
		expect((await client().invoices.unarchive(STORE, INV)).archived).toBe(false);
		scope.done();
	});
});

describe('InvoicesApi input validation (nothing is sent)', () => {
	const cases: Array<[string, () => Promise<unknown>, string, RegExp]> = [
		['negative amount', () => client().invoices.create(STORE, { amount: '-5', currency: 'USD' }), 'Amount', /negative/],
		['non-numeric amount', () => client().invoices.create(STORE, { amount: 'ten', currency: 'USD' }), 'Amount', /not a number/],
		['zero amount', () => client().invoices.create(STORE, { amount: '0', currency: 'USD' }), 'Amount', /greater than 0/],
		['too many decimals for USD', () => client().invoices.create(STORE, { amount: '1.234', currency: 'USD' }), 'Amount', /USD allows 2 decimals/],
		['decimals for JPY', () => client().invoices.create(STORE, { amount: '10.5', currency: 'JPY' }), 'Amount', /JPY allows 0 decimals/],
		['9 decimals for BTC', () => client().invoices.create(STORE, { amount: '0.123456789', currency: 'BTC' }), 'Amount', /BTC allows 8/],
		['bad currency', () => client().invoices.create(STORE, { amount: '1', currency: 'US D' }), 'Currency', /currency code/],
		['bad email', () => client().invoices.create(STORE, { amount: '1', buyerEmail: 'nope' }), 'Buyer Email', /email/],
		['bad redirect', () => client().invoices.create(STORE, { amount: '1', checkout: { redirectURL: 'ftp://x' } }), 'Redirect URL', /http/],
		['bad expiration', () => client().invoices.create(STORE, { amount: '1', checkout: { expirationMinutes: 0 } }), 'Expiration Minutes', /at least 1/],
		['bad speed policy', () => client().invoices.create(STORE, { amount: '1', checkout: { speedPolicy: 'Fast' as never } }), 'Speed Policy', /not one of/],
		['malformed store id', () => client().invoices.create('store/../x', { amount: '1' }), 'Store', /not a BTCPay store ID/],
		['empty store id', () => client().invoices.get('', INV), 'Store', /required/],
		['malformed invoice id', () => client().invoices.get(STORE, 'a b'), 'Invoice ID', /not a valid invoice ID/],
		['unknown status filter', () => client().invoices.list(STORE, { status: ['Paid' as never] }), 'Status', /"Paid" is not one of New, Processing, Expired, Invalid, Settled/],
		['bad start date', () => client().invoices.list(STORE, { startDate: 'yesterday' }), 'Start Date', /not a date/],
		['start after end', () => client().invoices.list(STORE, { startDate: 200, endDate: 100 }), 'Start Date', /after End Date/],
		['negative skip', () => client().invoices.list(STORE, { skip: -1 }), 'Skip', /0 or more/],
		['unknown mark status', () => client().invoices.markStatus(STORE, INV, 'Paid' as never), 'Status', /not one of Settled, Invalid/],
	];

	it.each(cases)('%s → InputError naming the field', async (_name, run, field, message) => {
		const scope = nock(BASE).post(/.*/).reply(500).get(/.*/).reply(500);
		const error = await caught(run());
		expect(error).toBeInstanceOf(InputError);
		expect(error.field).toBe(field);
		expect(error.message).toMatch(message);
		expect(scope.isDone()).toBe(false);
		expect(scope.pendingMocks()).toHaveLength(2);
	});
});

describe('InvoicesApi error mapping', () => {
	it('401 → auth error without the key', async () => {
		nock(BASE).get(`${PATH}/${INV}`).reply(401, { code: 'unauthenticated', message: `bad key ${KEY}` });
		const error = await caught(client().invoices.get(STORE, INV));
		expect(error.kind).toBe('auth');
		expect(error.status).toBe(401);
		expect(error.message).toMatch(/rejected the credentials/);
		expect(JSON.stringify({ m: error.message, d: error.details, h: error.hint })).not.toContain(KEY);
	});

	it('403 names the missing permission', async () => {
		nock(BASE)
			.post(PATH)
			.reply(403, { code: 'missing-permission', message: 'Insufficient API Permissions', missingPermission: 'btcpay.store.cancreateinvoice' });
		const error = await caught(client().invoices.create(STORE, { amount: '1', currency: 'USD' }));
		expect(error.kind).toBe('permission');
		expect(error.missingPermission).toBe('btcpay.store.cancreateinvoice');
		expect(error.message).toContain('"btcpay.store.cancreateinvoice" (Create an invoice)');
		expect(error.hint).toMatch(/API Keys/);
	});

	it('404 says which invoice', async () => {
		nock(BASE).get(`${PATH}/${INV}`).reply(404, { code: 'invoice-not-found', message: 'The invoice is not found' });
		const error = await caught(client().invoices.get(STORE, INV));
		expect(error.kind).toBe('not_found');
		expect(error.message).toContain(`Invoice "${INV}" was not found`);
	});

	it('422 lists each path: message', async () => {
		nock(BASE)
			.post(`${PATH}/${INV}/status`)
			.reply(422, [
				{ path: 'status', message: 'Status can only be marked to Settled or Invalid' },
				{ path: 'invoiceId', message: 'Invoice cannot be marked' },
			]);
		const error = await caught(client().invoices.markStatus(STORE, INV, 'Settled'));
		expect(error.kind).toBe('validation');
		expect(error.details).toEqual(['status: Status can only be marked to Settled or Invalid', 'invoiceId: Invoice cannot be marked']);
		expect(error.message).toContain('status: Status can only be marked to Settled or Invalid; invoiceId: Invoice cannot be marked');
	});

	it('400 business error keeps its code', async () => {
		nock(BASE).post(PATH).reply(400, { code: 'invoice-creation-failed', message: 'No payment method available' });
		const error = await caught(client().invoices.create(STORE, { amount: '1', currency: 'USD' }));
		expect(error.kind).toBe('business');
		expect(error.code).toBe('invoice-creation-failed');
	});

	it('429 on GET is retried honouring Retry-After, then succeeds', async () => {
		const scope = nock(BASE).get(`${PATH}/${INV}`).reply(429, { code: 'rate-limited' }, { 'Retry-After': '0' }).get(`${PATH}/${INV}`).reply(200, invoice);
		expect((await client().invoices.get(STORE, INV)).id).toBe(INV);
		scope.done();
	});

	it('429 that persists → rate_limited error naming Retry-After', async () => {
		const scope = nock(BASE).get(PATH).times(3).reply(429, { code: 'rate-limited' }, { 'Retry-After': '0' });
		const error = await caught(client().invoices.list(STORE));
		expect(error.kind).toBe('rate_limited');
		expect(error.hint).toMatch(/concurrency/);
		scope.done();
	});

	it('5xx on GET is retried then reported as a server error', async () => {
		const scope = nock(BASE).get(`${PATH}/${INV}`).times(3).reply(503, { message: 'maintenance' });
		const error = await caught(client().invoices.get(STORE, INV));
		expect(error.kind).toBe('server');
		expect(error.status).toBe(503);
		scope.done();
	});

	it('5xx on POST (create) is not retried: no duplicate invoice', async () => {
		const scope = nock(BASE).post(PATH).once().reply(502, 'bad gateway');
		const spare = nock(BASE).post(PATH).reply(200, invoice);
		const error = await caught(client().invoices.create(STORE, { amount: '1', currency: 'USD' }));
		expect(error.kind).toBe('server');
		scope.done();
		expect(spare.isDone()).toBe(false);
	});

	it('a response of the wrong shape is a protocol error', async () => {
		nock(BASE).get(`${PATH}/${INV}`).reply(200, { hello: 'world' });
		const error = await caught(client().invoices.get(STORE, INV));
		expect(error.kind).toBe('protocol');
	});

	it('a server that does not answer in time is a timeout error', async () => {
		nock(BASE).get(`${PATH}/${INV}`).delay(2000).reply(200, invoice);
		const slow = new BtcPayClient({ url: BASE, apiKey: KEY, timeoutMs: 100, retries: 0 });
		const error = await caught(slow.invoices.get(STORE, INV));
		expect(error.kind).toBe('timeout');
		expect(error.message).toContain('did not answer');
	});

	it('network failure is a network error without the key', async () => {
		nock(BASE).get(`${PATH}/${INV}`).times(3).replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
		const error = await caught(client().invoices.get(STORE, INV));
		expect(error.kind).toBe('network');
		expect(error.message).not.toContain(KEY);
	});
});
