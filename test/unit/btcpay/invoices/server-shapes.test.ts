/**
 * Shapes the real server sends that the OpenAPI files do not announce, and the
 * list filter for archived invoices (BTCPay v2.4.1 source:
 * BTCPayServer.Client/Models/InvoicePaymentMethodDataModel.cs, GreenfieldInvoiceController.cs).
 */
import nock from 'nock';
import { BtcPayClient } from '../../../../nodes/BtcPay/client';

const BASE = 'http://btcpay.test';
const KEY = 'apikey-shapes-0123456789abcdef';
const STORE = '9CiNzKoANXxmk5ayZngSXrHTiVvvgCrwrpFQd4m2K776';
const INV = 'NxHkgTkK7qX5p6X4p5Zc8q';
const PATH = `/api/v1/stores/${STORE}/invoices`;
const client = () => new BtcPayClient({ url: BASE, apiKey: KEY, retryDelayMs: 1, retries: 0 });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('invoice payment methods as BTCPay sends them', () => {
	it('accepts a BTC-LNURL method with null destination and currency, and a payment with a null destination, and passes null through', async () => {
		const methods = [
			{
				activated: true,
				destination: 'lnbcrt1250n1p...',
				paymentLink: 'lightning:lnbcrt1250n1p...',
				rate: '100000',
				paymentMethodPaid: '0',
				totalPaid: '0',
				due: '0.000125',
				amount: '0.000125',
				paymentMethodFee: '0',
				payments: [],
				paymentMethodId: 'BTC-LN',
				additionalData: { providedComment: null },
				currency: 'BTC',
			},
			{
				activated: false,
				destination: null,
				paymentLink: '',
				rate: '0',
				paymentMethodPaid: '0',
				totalPaid: '0',
				due: '0',
				amount: '0',
				paymentMethodFee: '0',
				payments: [{ id: 'p-lnurl', receivedDate: 1700000100, value: '0.0001', fee: '0', status: 'Processing', destination: null }],
				paymentMethodId: 'BTC-LNURL',
				additionalData: null,
				currency: null,
			},
		];
		nock(BASE).get(`${PATH}/${INV}/payment-methods`).reply(200, methods);
		const out = await client().invoices.paymentMethods(STORE, INV);
		expect(out).toHaveLength(2);
		expect(out[1]).toMatchObject({ paymentMethodId: 'BTC-LNURL', destination: null, currency: null, additionalData: null });
		expect(out[1].payments[0]).toMatchObject({ id: 'p-lnurl', destination: null });
	});
});

describe('invoice list', () => {
	it('sends includeArchived when asked (archived invoices are hidden otherwise)', async () => {
		const scope = nock(BASE).get(PATH).query({ includeArchived: 'true', take: '5' }).reply(200, []);
		await expect(client().invoices.list(STORE, { includeArchived: true, take: 5 })).resolves.toEqual([]);
		scope.done();
	});
});
