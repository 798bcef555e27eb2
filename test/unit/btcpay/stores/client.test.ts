import nock from 'nock';
import { BtcPayClient } from '../../../../nodes/BtcPay/client';
import { InputError } from '../../../../nodes/shared/errors';
import { caught } from '../../../helpers/caught';

const BASE = 'https://btcpay.test';
const KEY = 'apikey-stores-0123456789abcdef';
const STORE = '9CiNzKoANXxmk5ayZngSXrHTiVvvgCrwrpFQd4m2K776';
const client = () => new BtcPayClient({ url: 'btcpay.test/', apiKey: KEY, retryDelayMs: 1 });
const store = {
	id: STORE,
	name: 'Shop',
	website: null,
	defaultCurrency: 'USD',
	invoiceExpiration: 900,
	monitoringExpiration: 86400,
	speedPolicy: 'MediumSpeed',
	defaultLang: 'en',
	archived: false,
	paymentTolerance: 0,
	lightningAmountInSatoshi: true,
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('StoresApi', () => {
	it('lists stores (scheme added to a bare host)', async () => {
		const scope = nock(BASE, { reqheaders: { authorization: `token ${KEY}` } }).get('/api/v1/stores').reply(200, [store]);
		expect((await client().stores.list()).map((s) => s.name)).toEqual(['Shop']);
		scope.done();
	});

	it('gets a store', async () => {
		const scope = nock(BASE).get(`/api/v1/stores/${STORE}`).reply(200, store);
		expect((await client().stores.get(STORE)).defaultCurrency).toBe('USD');
		scope.done();
	});

	it('creates a store with settings (currency upper-cased)', async () => {
		const scope = nock(BASE)
			.post('/api/v1/stores', { name: 'New', defaultCurrency: 'EUR', invoiceExpiration: 1800, speedPolicy: 'HighSpeed' })
			.reply(200, { ...store, name: 'New', defaultCurrency: 'EUR' });
		const created = await client().stores.create({ name: 'New', defaultCurrency: 'eur', invoiceExpiration: 1800, speedPolicy: 'HighSpeed' });
		expect(created.name).toBe('New');
		scope.done();
	});

	it('updates by reading the store first and keeping the other settings', async () => {
		const { id: _id, ...rest } = store;
		void _id;
		const scope = nock(BASE)
			.get(`/api/v1/stores/${STORE}`)
			.reply(200, store)
			.put(`/api/v1/stores/${STORE}`, { ...rest, website: 'https://shop.example', name: 'Renamed' })
			.reply(200, { ...store, name: 'Renamed', website: 'https://shop.example' });
		const updated = await client().stores.update(STORE, { name: 'Renamed', website: 'https://shop.example' });
		expect(updated.name).toBe('Renamed');
		scope.done();
	});

	it.each([
		['empty name', () => client().stores.create({ name: '  ' }), 'Name', /required/],
		['bad website', () => client().stores.create({ name: 'a', website: 'shop' }), 'Website', /http/],
		['bad currency', () => client().stores.create({ name: 'a', defaultCurrency: 'dollars' }), 'Default Currency', /currency code/],
		['short expiration', () => client().stores.create({ name: 'a', invoiceExpiration: 30 }), 'Invoice Expiration', /at least 60/],
		['unknown setting', () => client().stores.create({ name: 'a', colour: 'red' } as never), 'input', /unknown field/],
		['malformed store id', () => client().stores.get('../admin'), 'Store', /not a BTCPay store ID/],
		['nothing to update', () => client().stores.update(STORE, {}), 'Update Fields', /at least one/],
	] as Array<[string, () => Promise<unknown>, string, RegExp]>)('%s → InputError, nothing sent', async (_n, run, field, message) => {
		const scope = nock(BASE).get(/.*/).reply(500).post(/.*/).reply(500);
		const error = await caught(run());
		expect(error).toBeInstanceOf(InputError);
		expect(error.field).toBe(field);
		expect(error.message).toMatch(message);
		expect(scope.pendingMocks()).toHaveLength(2);
	});

	it('403 on create names the unscoped permission', async () => {
		nock(BASE).post('/api/v1/stores').reply(403, { code: 'missing-permission', message: 'no', missingPermission: 'btcpay.store.canmodifystoresettings' });
		const error = await caught(client().stores.create({ name: 'x' }));
		expect(error.missingPermission).toBe('btcpay.store.canmodifystoresettings');
		expect(error.message).toContain('Modify your stores');
	});

	it('404 names the store', async () => {
		nock(BASE).get(`/api/v1/stores/${STORE}`).reply(404, { code: 'store-not-found', message: 'Store not found' });
		const error = await caught(client().stores.get(STORE));
		expect(error.kind).toBe('not_found');
		expect(error.message).toContain(`Store "${STORE}"`);
	});

	it('422 on update lists the fields', async () => {
		nock(BASE)
			.get(`/api/v1/stores/${STORE}`)
			.reply(200, store)
			.put(`/api/v1/stores/${STORE}`)
			.reply(422, [{ path: 'name', message: 'Name can only contain 50 characters' }]);
		const error = await caught(client().stores.update(STORE, { name: 'x' }));
		expect(error.kind).toBe('validation');
		expect(error.details).toEqual(['name: Name can only contain 50 characters']);
	});
});
