/**
 * BTCPay node, Payment Method / Lightning Address / App / Rate / User /
 * Notification / Store User / Server Get Info: every operation against nock,
 * with its error classes (input refused before any request, 401, 403, 404,
 * 409, 422) and the connection string never in an output or an error.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { BtcPay } from '../../../../nodes/BtcPay/BtcPay.node';
import { redactConnectionString } from '../../../../nodes/BtcPay/client/paymentMethods';
import { executeContext } from '../../../helpers/execute-context';

const BASE = 'http://btcpay.test';
const KEY = 'apikey-store-settings-0123';
const STORE = '9CiNzKoANXxmk5ayZngSXrHTiVvvgCrwrpFQd4m2K776';
const S = `/api/v1/stores/${STORE}`;
const store = { __rl: true, mode: 'id', value: STORE };
const MACAROON = '0201036c6e640258030a10b3e4e9f1d9b7c3e1d4a5b6c7d8e9f0';
const CONNECTION = `type=lnd-rest;server=https://admin:hunter22@lnd.example:8080/;macaroon=${MACAROON}`;

async function run(parameters: IDataObject): Promise<IDataObject[]> {
	const node = new BtcPay();
	const ctx = executeContext({ nodeType: node, parameters: { store, ...parameters }, credentials: { btcPayApi: { url: BASE, apiKey: KEY } } });
	const [out] = await node.execute.call(ctx);
	return out.map((i) => i.json);
}

/** The failure of a run: message and description, as n8n shows them. */
async function failure(parameters: IDataObject): Promise<{ message: string; description: string; httpCode?: string }> {
	try {
		await run(parameters);
	} catch (error) {
		const e = error as { message: string; description?: string; httpCode?: string };
		return { message: e.message, description: String(e.description ?? ''), httpCode: e.httpCode };
	}
	throw new Error('expected the node to fail');
}

const forbidden = (permission: string) => ({ code: 'missing-permission', message: 'Insufficient API Permissions', missingPermission: permission });

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	const pending = nock.pendingMocks();
	nock.cleanAll();
	expect(pending).toEqual([]);
});
afterAll(() => nock.enableNetConnect());

describe('Payment Method', () => {
	it('get many with options; get; config connection strings redacted', async () => {
		nock(BASE)
			.get(`${S}/payment-methods`)
			.query({ onlyEnabled: 'true', includeConfig: 'true' })
			.reply(200, [{ enabled: true, paymentMethodId: 'BTC-LN', config: { connectionString: CONNECTION } }]);
		const [ln] = await run({ resource: 'paymentMethod', operation: 'getAll', listOptions: { onlyEnabled: true, includeConfig: true } });
		expect(ln).toEqual({ storeId: STORE, enabled: true, paymentMethodId: 'BTC-LN', config: { connectionString: 'type=lnd-rest;server=https://lnd.example:8080/;macaroon=***' } });
		nock(BASE).get(`${S}/payment-methods/BTC-CHAIN`).reply(200, { enabled: false, paymentMethodId: 'BTC-CHAIN' });
		expect(await run({ resource: 'paymentMethod', operation: 'get', paymentMethodId: 'btc' })).toEqual([{ storeId: STORE, enabled: false, paymentMethodId: 'BTC-CHAIN' }]);
	});

	it('update connects a Lightning node; a 422 echoing the string is redacted; nothing leaks', async () => {
		nock(BASE)
			.put(`${S}/payment-methods/BTC-LN`, { config: { connectionString: CONNECTION }, enabled: true })
			.reply(200, { enabled: true, paymentMethodId: 'BTC-LN', config: { connectionString: CONNECTION } });
		const out = await run({ resource: 'paymentMethod', operation: 'update', paymentMethodId: 'BTC-LN', updateFields: { connectionString: CONNECTION, enabled: true } });
		for (const secret of [MACAROON, 'hunter22', CONNECTION]) expect(JSON.stringify(out)).not.toContain(secret);

		nock(BASE)
			.put(`${S}/payment-methods/BTC-LN`)
			.reply(422, [{ path: 'ConnectionString', message: `Invalid connection string ${CONNECTION} (macaroon ${MACAROON})` }]);
		const err = await failure({ resource: 'paymentMethod', operation: 'update', paymentMethodId: 'BTC-LN', updateFields: { connectionString: CONNECTION } });
		expect(err.message).toMatch(/^BTCPay rejected the request: ConnectionString: Invalid connection string/);
		for (const secret of [MACAROON, 'hunter22', 'admin:hunter22']) expect(JSON.stringify(err)).not.toContain(secret);
	});

	it('refuses bad input before any request (no type=, wrong field for the method, nothing to change, bad ID)', async () => {
		expect((await failure({ resource: 'paymentMethod', operation: 'update', paymentMethodId: 'BTC-LN', updateFields: { connectionString: `server=https://x.example;macaroon=${MACAROON}` } })).message).toBe(
			'Connection String: has no type= (e.g. type=lnd-rest, type=clightning, type=lnbits)',
		);
		expect((await failure({ resource: 'paymentMethod', operation: 'update', paymentMethodId: 'BTC-LN', updateFields: { derivationScheme: 'xpub' } })).message).toBe('Derivation Scheme (On-Chain): does not apply to BTC-LN');
		expect((await failure({ resource: 'paymentMethod', operation: 'update', paymentMethodId: 'BTC-CHAIN', updateFields: { derivationScheme: 'not-a-key' } })).message).toMatch(/^Derivation Scheme: is not an extended public key/);
		expect((await failure({ resource: 'paymentMethod', operation: 'update', paymentMethodId: 'BTC-CHAIN', updateFields: {} })).message).toBe('Update Fields: set a configuration or Enabled');
		expect((await failure({ resource: 'paymentMethod', operation: 'get', paymentMethodId: 'PayPal' })).message).toMatch(/^Payment Method: "PayPal" is not a payment method ID/);
	});

	it('LNURL and on-chain configs are sent as BTCPay reads them; remove; 404 and 403 classes', async () => {
		nock(BASE).put(`${S}/payment-methods/BTC-LNURL`, { config: { lud12Enabled: false } }).reply(200, { enabled: true, paymentMethodId: 'BTC-LNURL', config: { useBech32Scheme: false, lud12Enabled: false, lud21Enabled: true } });
		expect((await run({ resource: 'paymentMethod', operation: 'update', paymentMethodId: 'BTC-LNURL', updateFields: { lud12Enabled: false } }))[0].config).toMatchObject({ lud12Enabled: false });
		const tpub = `tpub${'D'.repeat(107)}`;
		nock(BASE).put(`${S}/payment-methods/BTC-CHAIN`, { config: { derivationScheme: tpub, label: 'Cold' } }).reply(200, { enabled: true, paymentMethodId: 'BTC-CHAIN', config: { derivationScheme: tpub, label: 'Cold' } });
		await run({ resource: 'paymentMethod', operation: 'update', paymentMethodId: 'BTC-CHAIN', updateFields: { derivationScheme: tpub, label: 'Cold' } });

		nock(BASE).delete(`${S}/payment-methods/BTC-LNURL`).reply(200);
		expect(await run({ resource: 'paymentMethod', operation: 'remove', paymentMethodId: 'BTC-LNURL' })).toEqual([{ success: true, paymentMethodId: 'BTC-LNURL', removed: true }]);
		nock(BASE).get(`${S}/payment-methods/BTC-LN`).reply(404, { code: 'paymentmethod-not-found', message: 'The payment method is not found' });
		expect((await failure({ resource: 'paymentMethod', operation: 'get', paymentMethodId: 'BTC-LN' })).message).toBe('The payment method BTC-LN of the store was not found in BTCPay (404 paymentmethod-not-found)');
		nock(BASE).get(`${S}/payment-methods`).query({ includeConfig: 'true' }).reply(403, forbidden('btcpay.store.canmodifystoresettings'));
		nock(BASE).get('/api/v1/api-keys/current').reply(200, { label: 'k', permissions: [`btcpay.store.canviewstoresettings:${STORE}`] });
		const err = await failure({ resource: 'paymentMethod', operation: 'getAll', listOptions: { includeConfig: true } });
		expect(err.message).toMatch(/lacks the permission "btcpay.store.canmodifystoresettings" \(Modify your stores\)/);
	});

	it('preview addresses: current (GET) and proposed (POST {config}), count sent as an end index', async () => {
		nock(BASE).get(`${S}/payment-methods/BTC-CHAIN/wallet/preview`).query({ offset: '5', count: '7' }).reply(200, { addresses: [{ keyPath: '0/5', index: 5, address: 'bcrt1qa' }, { keyPath: '0/6', index: 6, address: 'bcrt1qb' }] });
		expect(await run({ resource: 'paymentMethod', operation: 'previewAddresses', paymentMethodId: 'BTC-CHAIN', previewOptions: { offset: 5, count: 2 } })).toEqual([
			{ keyPath: '0/5', index: 5, address: 'bcrt1qa', source: 'current' },
			{ keyPath: '0/6', index: 6, address: 'bcrt1qb', source: 'current' },
		]);
		const vpub = `vpub${'5'.repeat(107)}`;
		nock(BASE).post(`${S}/payment-methods/BTC-CHAIN/wallet/preview`, { config: vpub }).query({ offset: '0', count: '10' }).reply(200, { addresses: [{ keyPath: '0/0', address: 'bcrt1qc' }] });
		expect((await run({ resource: 'paymentMethod', operation: 'previewAddresses', paymentMethodId: 'BTC-CHAIN', derivationScheme: vpub }))[0]).toMatchObject({ address: 'bcrt1qc', source: 'proposed' });
		expect((await failure({ resource: 'paymentMethod', operation: 'previewAddresses', paymentMethodId: 'BTC-LN' })).message).toMatch(/BTC-LN is not an on-chain payment method/);
	});

	it('redactConnectionString keeps type and server only', () => {
		expect(redactConnectionString('type=lnbits;server=https://lnbits.example/;api-key=abcdefabcdef')).toBe('type=lnbits;server=https://lnbits.example/;api-key=***');
		expect(redactConnectionString('Internal Node')).toBe('Internal Node');
		expect(redactConnectionString('nonsense-without-equals')).toBe('***');
	});
});

describe('Lightning Address', () => {
	it('get many, get, create or update, delete; 400 username-already-used; 404; bad input', async () => {
		nock(BASE).get(`${S}/lightning-addresses`).reply(200, [{ username: 'tips', currencyCode: null, min: null, max: null, invoiceMetadata: null }]);
		expect(await run({ resource: 'lightningAddress', operation: 'getAll' })).toEqual([{ username: 'tips', currencyCode: null, min: null, max: null, invoiceMetadata: null, address: 'tips@btcpay.test', storeId: STORE }]);
		nock(BASE).get(`${S}/lightning-addresses/tips`).reply(200, { username: 'tips', min: '1.5', max: 1000 });
		expect((await run({ resource: 'lightningAddress', operation: 'get', username: 'Tips@btcpay.test' }))[0]).toMatchObject({ min: '1.5', max: '1000' });
		nock(BASE).post(`${S}/lightning-addresses/tips`, { currencyCode: 'EUR', min: '1', max: '250.5', invoiceMetadata: { tag: 'n8n' } }).reply(200, { username: 'tips', currencyCode: 'EUR', min: '1', max: '250.5' });
		await run({ resource: 'lightningAddress', operation: 'upsert', username: 'tips', additionalFields: { currencyCode: 'eur', min: '1', max: '250.50', invoiceMetadata: '{"tag":"n8n"}' } });
		nock(BASE).post(`${S}/lightning-addresses/shop`).reply(400, { code: 'username-already-used', message: 'The username is already in use by another store.' });
		expect((await failure({ resource: 'lightningAddress', operation: 'upsert', username: 'shop' })).message).toBe('BTCPay refused: The username is already in use by another store. (username-already-used)');
		nock(BASE).delete(`${S}/lightning-addresses/tips`).reply(200);
		expect(await run({ resource: 'lightningAddress', operation: 'delete', username: 'tips' })).toEqual([{ success: true, username: 'tips', deleted: true }]);
		nock(BASE).get(`${S}/lightning-addresses/gone`).reply(404, { code: 'lightning-address-not-found', message: 'The lightning address was not present.' });
		expect((await failure({ resource: 'lightningAddress', operation: 'get', username: 'gone' })).message).toBe('The Lightning address "gone" was not found in BTCPay (404 lightning-address-not-found)');
		expect((await failure({ resource: 'lightningAddress', operation: 'upsert', username: 'tips', additionalFields: { min: '10', max: '5' } })).message).toBe('Min: must not be above Max');
		expect((await failure({ resource: 'lightningAddress', operation: 'upsert', username: 'tips', additionalFields: { min: '-1' } })).message).toMatch(/^Min: must not be negative/);
		expect((await failure({ resource: 'lightningAddress', operation: 'get', username: 'has space' })).message).toMatch(/^Username: "has space" is not a Lightning address user name/);
	});
});

describe('App', () => {
	const APP = 'AppId123';
	const app = { __rl: true, mode: 'id', value: APP };
	const pos = { id: APP, appName: 'Counter', storeId: STORE, created: 1_700_000_000, appType: 'PointOfSale', archived: false, title: 'Counter', currency: 'EUR', showSearch: true, items: [{ id: 'tea', title: 'Tea', price: '2.5' }] };

	it('create (Point of Sale / Crowdfund), get (simplified), get many in a store and everywhere', async () => {
		nock(BASE).post(`${S}/apps/pos`, { template: '[{"id":"tea","price":"2.5"}]', showSearch: true, appName: 'Counter' }).reply(200, pos);
		expect(await run({ resource: 'app', operation: 'create', appType: 'PointOfSale', appName: 'Counter', additionalFields: { template: '[{"id":"tea","price":"2.5"}]', showSearch: true } })).toEqual([
			{ id: APP, appName: 'Counter', appType: 'PointOfSale', storeId: STORE, archived: false, title: 'Counter', currency: 'EUR', createdAt: '2023-11-14T22:13:20.000Z', itemCount: 1 },
		]);
		nock(BASE).post(`${S}/apps/crowdfund`, { targetAmount: 1000.5, targetCurrency: 'USD', startDate: 1767225600, resetEvery: 'Month', appName: 'Roof' }).reply(200, { id: 'Cf1', appName: 'Roof', appType: 'Crowdfund' });
		await run({ resource: 'app', operation: 'create', appType: 'Crowdfund', appName: 'Roof', additionalFields: { targetAmount: '1000.50', targetCurrency: 'usd', startDate: '2026-01-01T00:00:00Z', resetEvery: 'Month' } });
		nock(BASE).get(`/api/v1/apps/${APP}`).reply(200, { id: APP, appType: 'PointOfSale', appName: 'Counter' });
		nock(BASE).get(`/api/v1/apps/pos/${APP}`).reply(200, pos);
		expect((await run({ resource: 'app', operation: 'get', app, simplify: false }))[0]).toEqual(pos);
		nock(BASE).get(`${S}/apps`).reply(200, [pos]);
		expect(await run({ resource: 'app', operation: 'getAll', scope: 'store' })).toHaveLength(1);
		nock(BASE).get('/api/v1/apps').reply(200, [pos, { id: 'Cf1', appType: 'Crowdfund' }]);
		expect(await run({ resource: 'app', operation: 'getAll', scope: 'all' })).toHaveLength(2);
	});

	it('update reads the app and sends it back with the changes (PUT replaces every setting)', async () => {
		nock(BASE).get(`/api/v1/apps/${APP}`).times(2).reply(200, { id: APP, appType: 'PointOfSale' });
		nock(BASE).get(`/api/v1/apps/pos/${APP}`).reply(200, pos);
		nock(BASE)
			.put(`/api/v1/apps/pos/${APP}`, { appName: 'Counter', archived: false, title: 'New', currency: 'EUR', showSearch: true, template: '[{"id":"tea","title":"Tea","price":"2.5"}]' })
			.reply(200, { ...pos, title: 'New' });
		expect((await run({ resource: 'app', operation: 'update', app, updateFields: { title: 'New' } }))[0]).toMatchObject({ title: 'New' });
		nock(BASE).get(`/api/v1/apps/${APP}`).reply(200, { id: APP, appType: 'PointOfSale' });
		expect((await failure({ resource: 'app', operation: 'update', app, updateFields: { tagline: 'x' } })).message).toBe('Tagline: does not apply to a Point of Sale app');
	});

	it('delete, sales, top items (Return All / Limit); 403 for an unknown app explained; 422 and input errors', async () => {
		nock(BASE).delete(`/api/v1/apps/${APP}`).reply(200);
		expect(await run({ resource: 'app', operation: 'delete', app })).toEqual([{ success: true, appId: APP, deleted: true }]);
		nock(BASE).get(`/api/v1/apps/${APP}/sales`).query({ numberOfDays: '30' }).reply(200, { salesCount: 2, series: [{ date: 1_700_000_000, label: 'Nov 14', salesCount: 2 }] });
		expect((await run({ resource: 'app', operation: 'getSales', app, numberOfDays: 30 }))[0]).toMatchObject({ appId: APP, salesCount: 2 });
		nock(BASE).get(`/api/v1/apps/${APP}/top-items`).query({ offset: '0', count: '2' }).reply(200, [{ itemCode: 'tea', title: 'Tea', salesCount: 3, total: 7.5, totalFormatted: '€7.50' }]);
		expect(await run({ resource: 'app', operation: 'getTopItems', app, returnAll: false, limit: 2 })).toEqual([{ appId: APP, itemCode: 'tea', title: 'Tea', salesCount: 3, total: '7.5', totalFormatted: '€7.50' }]);

		nock(BASE).get('/api/v1/apps/Nope').reply(403, forbidden('btcpay.store.canmodifystoresettings'));
		nock(BASE).get('/api/v1/apps/pos/Nope').reply(404, { code: 'app-not-found', message: 'The app with specified ID was not found' });
		nock(BASE).get('/api/v1/apps/crowdfund/Nope').reply(404, { code: 'app-not-found', message: 'The app with specified ID was not found' });
		expect((await failure({ resource: 'app', operation: 'get', app: { __rl: true, mode: 'id', value: 'Nope' } })).message).toBe('The app "Nope" was not found in BTCPay (403 Forbidden)');
		// an existing app with a key that lacks the permission: the 403 stays a permission error
		nock(BASE).get(`/api/v1/apps/${APP}/sales`).query(true).reply(403, forbidden('btcpay.store.canmodifystoresettings'));
		nock(BASE).get(`/api/v1/apps/pos/${APP}`).reply(200, pos);
		expect((await failure({ resource: 'app', operation: 'getSales', app, numberOfDays: 7 })).message).toMatch(/lacks the permission "btcpay.store.canmodifystoresettings"/);

		nock(BASE).post(`${S}/apps/pos`).reply(422, [{ path: 'Currency', message: 'Invalid currency' }]);
		expect((await failure({ resource: 'app', operation: 'create', appType: 'PointOfSale', appName: 'X', additionalFields: { currency: 'ABC' } })).message).toBe('BTCPay rejected the request: Currency: Invalid currency');
		expect((await failure({ resource: 'app', operation: 'create', appType: 'PointOfSale', appName: 'X', additionalFields: { template: '{"id":"tea"}' } })).message).toMatch(/^Items \(Template\): must be a JSON array/);
		expect((await failure({ resource: 'app', operation: 'create', appType: 'Crowdfund', appName: 'X', additionalFields: { targetAmount: '0.12345678901234567' } })).message).toMatch(/Target Amount: .* more digits than BTCPay can take exactly/);
		expect((await failure({ resource: 'app', operation: 'create', appType: 'PointOfSale', appName: '' })).message).toBe('App Name: is required');
		expect((await failure({ resource: 'app', operation: 'get', app: { __rl: true, mode: 'id', value: 'bad/id' } })).message).toMatch(/^App: is not a valid app ID/);
	});
});

describe('Rate', () => {
	it('get rates for normalized pairs (decimal strings kept); preview; configuration get/update (merged)', async () => {
		nock(BASE)
			.get(`${S}/rates`)
			.query('currencyPair=BTC_USD&currencyPair=BTC_EUR')
			.reply(200, [
				{ currencyPair: 'BTC_USD', errors: [], rate: '64392.23000001' },
				{ currencyPair: 'BTC_EUR', errors: ['RateUnavailable'], rate: null },
			]);
		expect(await run({ resource: 'rate', operation: 'get', currencyPairs: 'btc/usd, BTC-EUR' })).toEqual([
			{ storeId: STORE, currencyPair: 'BTC_USD', errors: [], rate: '64392.23000001', ok: true },
			{ storeId: STORE, currencyPair: 'BTC_EUR', errors: ['RateUnavailable'], rate: null, ok: false },
		]);
		nock(BASE).get(`${S}/rates/configuration/fallback`).reply(200, { spread: '0', preferredSource: 'kraken', isCustomScript: false, effectiveScript: 'X_X = kraken(X_X);' });
		expect((await run({ resource: 'rate', operation: 'getConfiguration', rateSource: 'fallback' }))[0]).toMatchObject({ rateSource: 'fallback', preferredSource: 'kraken' });
		nock(BASE).get(`${S}/rates/configuration/primary`).reply(200, { spread: '1.5', preferredSource: 'kraken', isCustomScript: false, effectiveScript: 'X_X = kraken(X_X);' });
		nock(BASE).put(`${S}/rates/configuration/primary`, { spread: '0.25', isCustomScript: false, preferredSource: 'kraken' }).reply(200, { spread: '0.25', preferredSource: 'kraken', isCustomScript: false, effectiveScript: '' });
		expect((await run({ resource: 'rate', operation: 'updateConfiguration', rateSource: 'primary', updateFields: { spread: '0.25' } }))[0]).toMatchObject({ spread: '0.25' });
		nock(BASE).post(`${S}/rates/configuration/preview`, { spread: '0', isCustomScript: true, effectiveScript: 'BTC_USD = 1;' }).query({ currencyPair: 'BTC_USD' }).reply(200, [{ currencyPair: 'BTC_USD', errors: [], rate: '1' }]);
		expect((await run({ resource: 'rate', operation: 'preview', currencyPairs: 'BTC_USD', configuration: { isCustomScript: true, effectiveScript: 'BTC_USD = 1;' } }))[0]).toMatchObject({ rate: '1', ok: true });
	});

	it('refuses malformed pairs, spread over 100, script without Custom Script; 422 and 404 fallback-disabled', async () => {
		expect((await failure({ resource: 'rate', operation: 'get', currencyPairs: 'BTC_USD, EURO' })).message).toBe('Currency Pairs[1]: "EURO" is not a currency pair (write it like BTC_USD)');
		expect((await failure({ resource: 'rate', operation: 'preview', configuration: { spread: '101' } })).message).toBe('Spread: must be a percentage from 0 to 100 (got 101)');
		expect((await failure({ resource: 'rate', operation: 'preview', configuration: { effectiveScript: 'X_X = 1;' } })).message).toMatch(/^Effective Script: needs Custom Script on/);
		expect((await failure({ resource: 'rate', operation: 'updateConfiguration', updateFields: {} })).message).toBe('Update Fields: choose at least one field to change');
		nock(BASE).post(`${S}/rates/configuration/preview`).reply(422, [{ path: 'EffectiveScript', message: 'Script syntax is invalid' }]);
		expect((await failure({ resource: 'rate', operation: 'preview', configuration: { isCustomScript: true, effectiveScript: 'garbage' } })).message).toBe('BTCPay rejected the request: EffectiveScript: Script syntax is invalid');
		nock(BASE).get(`${S}/rates/configuration/fallback`).reply(404, { code: 'fallback-disabled', message: 'The fallback rates are disabled' });
		expect((await failure({ resource: 'rate', operation: 'getConfiguration', rateSource: 'fallback' })).message).toBe('The fallback rate configuration of the store was not found in BTCPay (404 fallback-disabled)');
		// updating the fallback when it is disabled starts from nothing
		nock(BASE).get(`${S}/rates/configuration/fallback`).reply(404, { code: 'fallback-disabled', message: 'The fallback rates are disabled' });
		nock(BASE).put(`${S}/rates/configuration/fallback`, { spread: '0', isCustomScript: false, preferredSource: 'bitstamp' }).reply(200, { spread: '0', preferredSource: 'bitstamp', isCustomScript: false, effectiveScript: '' });
		await run({ resource: 'rate', operation: 'updateConfiguration', rateSource: 'fallback', updateFields: { preferredSource: 'bitstamp' } });
	});
});

describe('User', () => {
	const user = { id: 'U1', email: 'clerk@shop.example', name: 'Clerk', approved: true, requiresApproval: false, emailConfirmed: true, disabled: false, roles: [], created: 1_700_000_000 };

	it('create (201, password never in an error), get, get many, current, lock, unlock, approve', async () => {
		nock(BASE).post('/api/v1/users', { email: 'clerk@shop.example', password: 'secret-pass-1', sendInvitationEmail: false }).reply(201, user);
		expect(await run({ resource: 'user', operation: 'create', email: 'clerk@shop.example', additionalFields: { password: 'secret-pass-1', sendInvitationEmail: false } })).toEqual([
			{ id: 'U1', email: 'clerk@shop.example', name: 'Clerk', roles: [], approved: true, requiresApproval: false, emailConfirmed: true, disabled: false, createdAt: '2023-11-14T22:13:20.000Z' },
		]);
		nock(BASE).post('/api/v1/users').reply(422, [{ path: 'Password', message: 'Password secret-pass-2 is too common' }]);
		const err = await failure({ resource: 'user', operation: 'create', email: 'x@shop.example', additionalFields: { password: 'secret-pass-2' } });
		expect(err.message).toBe('BTCPay rejected the request: Password: Password *** is too common');
		nock(BASE).get('/api/v1/users/clerk%40shop.example').reply(200, user);
		expect((await run({ resource: 'user', operation: 'get', user: 'clerk@shop.example', simplify: false }))[0]).toEqual(user);
		nock(BASE).get('/api/v1/users').reply(200, [user]);
		expect(await run({ resource: 'user', operation: 'getAll' })).toHaveLength(1);
		nock(BASE).get('/api/v1/users/me').reply(200, user);
		expect((await run({ resource: 'user', operation: 'getCurrent' }))[0].email).toBe('clerk@shop.example');
		nock(BASE).post('/api/v1/users/U1/lock', { locked: true }).reply(200);
		expect(await run({ resource: 'user', operation: 'lock', user: 'U1' })).toEqual([{ success: true, user: 'U1', locked: true }]);
		nock(BASE).post('/api/v1/users/U1/lock', { locked: false }).reply(200);
		expect(await run({ resource: 'user', operation: 'unlock', user: 'U1' })).toEqual([{ success: true, user: 'U1', locked: false }]);
		nock(BASE).post('/api/v1/users/U1/approve', { approved: true }).reply(200);
		expect(await run({ resource: 'user', operation: 'approve', user: 'U1', approved: true })).toEqual([{ success: true, user: 'U1', approved: true }]);
	});

	it('error classes: 403 server permission explained, 404, 400 invalid-state, 401, input', async () => {
		nock(BASE).get('/api/v1/users').reply(403, forbidden('btcpay.server.canviewusers'));
		const denied = await failure({ resource: 'user', operation: 'getAll' });
		expect(denied.message).toBe('The BTCPay API key lacks the permission "btcpay.server.canviewusers" (View users) (403 Forbidden)');
		expect(denied.description).toMatch(/server-wide permission: a server administrator must create the API key/);
		nock(BASE).get('/api/v1/users/nobody').reply(404, { code: 'user-not-found', message: 'The user was not found' });
		expect((await failure({ resource: 'user', operation: 'get', user: 'nobody' })).message).toBe('The user "nobody" was not found in BTCPay (404 user-not-found)');
		nock(BASE).post('/api/v1/users/U1/approve').reply(400, { code: 'invalid-state', message: 'Approving user failed: No approval required' });
		expect((await failure({ resource: 'user', operation: 'approve', user: 'U1', approved: true })).message).toBe('BTCPay refused: Approving user failed: No approval required (invalid-state)');
		nock(BASE).get('/api/v1/users/me').reply(401, { code: 'unauthenticated', message: 'Authentication is required' });
		expect((await failure({ resource: 'user', operation: 'getCurrent' })).message).toBe('BTCPay rejected the credentials (401 Unauthorized)');
		expect((await failure({ resource: 'user', operation: 'create', email: 'not-an-email' })).message).toBe('Email: is not an e-mail address');
		expect((await failure({ resource: 'user', operation: 'create', email: 'a@b.example', additionalFields: { password: 'abc' } })).message).toBe('Password: must be at least 6 characters');
		expect((await failure({ resource: 'user', operation: 'lock', user: '' })).message).toMatch(/^User: is required/);
	});
});

describe('Notification', () => {
	const n = (id: string, seen = false) => ({ id, identifier: 'invoice_paid', type: 'invoicestate', body: `Invoice ${id} paid`, storeId: STORE, link: null, createdTime: 1_700_000_000, seen });

	it('get many (filters, skip/take paging), get, mark seen / unseen, delete; 404', async () => {
		nock(BASE).get('/api/v1/users/me/notifications').query({ seen: 'false', storeId: STORE, skip: '0', take: '2' }).reply(200, [n('a'), n('b')]);
		const list = await run({ resource: 'notification', operation: 'getAll', returnAll: false, limit: 2, filters: { seen: 'unseen', storeIds: STORE } });
		expect(list.map((x) => x.id)).toEqual(['a', 'b']);
		expect(list[0].createdAt).toBe('2023-11-14T22:13:20.000Z');
		nock(BASE).get('/api/v1/users/me/notifications').query({ skip: '0', take: '100' }).reply(200, [n('c', true)]);
		expect(await run({ resource: 'notification', operation: 'getAll', returnAll: true })).toHaveLength(1);
		nock(BASE).get('/api/v1/users/me/notifications/a').reply(200, n('a'));
		expect((await run({ resource: 'notification', operation: 'get', notificationId: 'a' }))[0].id).toBe('a');
		nock(BASE).put('/api/v1/users/me/notifications/a', { seen: true }).reply(200, n('a', true));
		expect((await run({ resource: 'notification', operation: 'markSeen', notificationId: 'a' }))[0].seen).toBe(true);
		nock(BASE).put('/api/v1/users/me/notifications/a', { seen: false }).reply(200, n('a'));
		expect((await run({ resource: 'notification', operation: 'markUnseen', notificationId: 'a' }))[0].seen).toBe(false);
		nock(BASE).delete('/api/v1/users/me/notifications/a').reply(200);
		expect(await run({ resource: 'notification', operation: 'delete', notificationId: 'a' })).toEqual([{ success: true, notificationId: 'a', deleted: true }]);
		nock(BASE).get('/api/v1/users/me/notifications/zz').reply(404, { code: 'notification-not-found', message: 'The notification was not found' });
		expect((await failure({ resource: 'notification', operation: 'get', notificationId: 'zz' })).message).toBe('The notification "zz" was not found in BTCPay (404 notification-not-found)');
		nock(BASE).get('/api/v1/users/me/notifications').query(true).reply(403, forbidden('btcpay.user.canviewnotificationsforuser'));
		expect((await failure({ resource: 'notification', operation: 'getAll', returnAll: true })).message).toMatch(/"btcpay.user.canviewnotificationsforuser" \(View your notifications\)/);
		expect((await failure({ resource: 'notification', operation: 'get', notificationId: 'a b' })).message).toBe('Notification ID: "a b" is not a notification ID');
	});
});

describe('Store User', () => {
	it('get many, add, update, remove; 409 classes; bad role refused', async () => {
		nock(BASE).get(`${S}/users`).reply(200, [{ id: 'U1', email: 'a@shop.example', storeRole: 'Owner', userId: 'U1', role: 'Owner' }]);
		expect(await run({ resource: 'storeUser', operation: 'getAll' })).toEqual([{ id: 'U1', email: 'a@shop.example', storeRole: 'Owner' }]);
		nock(BASE).post(`${S}/users`, { id: 'b@shop.example', storeRole: 'Employee' }).reply(200);
		expect(await run({ resource: 'storeUser', operation: 'add', userId: 'b@shop.example', role: 'employee' })).toEqual([{ success: true, storeId: STORE, userId: 'b@shop.example', storeRole: 'employee' }]);
		nock(BASE).put(`${S}/users/b%40shop.example`, { storeRole: 'Manager' }).reply(200);
		await run({ resource: 'storeUser', operation: 'update', userId: 'b@shop.example', role: 'Manager' });
		nock(BASE).delete(`${S}/users/b%40shop.example`).reply(200);
		expect(await run({ resource: 'storeUser', operation: 'remove', userId: 'b@shop.example' })).toEqual([{ success: true, userId: 'b@shop.example', removed: true }]);
		nock(BASE).delete(`${S}/users/U1`).reply(409, { code: 'store-user-role-orphaned', message: 'Removing this user would result in the store having no owner.' });
		expect((await failure({ resource: 'storeUser', operation: 'remove', userId: 'U1' })).message).toBe('BTCPay answered 409: Removing this user would result in the store having no owner.');
		nock(BASE).post(`${S}/users`).reply(404, { code: 'user-not-found', message: 'The user was not found' });
		expect((await failure({ resource: 'storeUser', operation: 'add', userId: 'x@shop.example', role: 'Guest' })).message).toBe('The user "x@shop.example" was not found in BTCPay (404 user-not-found)');
		expect((await failure({ resource: 'storeUser', operation: 'update', userId: 'b@shop.example', role: 'Big;Boss' })).message).toMatch(/^Role: "Big;Boss" is not a store role/);
	});
});

describe('Server > Get Info', () => {
	it('answers the server info; a changed shape is a protocol error', async () => {
		const info = { version: '2.4.1', onion: null, supportedPaymentMethods: ['BTC-CHAIN'], fullySynched: true, syncStatus: [{ paymentMethodId: 'BTC-CHAIN', chainHeight: 100, syncHeight: 100, available: true }] };
		nock(BASE).get('/api/v1/server/info').reply(200, info);
		expect(await run({ resource: 'server', operation: 'getInfo' })).toEqual([info]);
		nock(BASE).get('/api/v1/server/info').reply(200, { hello: 'world' });
		expect((await failure({ resource: 'server', operation: 'getInfo' })).message).toMatch(/answered GET \/api\/v1\/server\/info with data this node does not understand/);
	});
});
