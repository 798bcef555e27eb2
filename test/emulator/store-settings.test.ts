/**
 * Payment methods, Lightning addresses, apps, rates, users, notifications,
 * store users and server info against the OpenAPI-checked BTCPay emulator:
 * every operation runs through the node; zero spec violations.
 */
import type { IDataObject } from 'n8n-workflow';
import { BtcPayClient } from '../../nodes/BtcPay/client';
import { runBtcPayNode } from '../helpers/btcpay-node';
import { caught } from '../helpers/caught';
import {
	addNotification,
	createAppInvoice,
	emulatedAddress,
	invoicesOf,
	payInvoice,
	seedStore,
	setDefaultCurrencyPairs,
	setServerPolicies,
	startEmulator,
	storePaymentMethods,
	usersState,
	type BtcPayEmulator,
} from '../btcpay-emulator';

jest.setTimeout(60_000);

let emu: BtcPayEmulator;
let client: BtcPayClient;
let storeId: string;

const TPUB = 'tpubDC8msFGeGuwnKG9Upg7DM2b4DaRqg3CUZa5g8v2SRQ6K4NSkxUgd7HsL2XVWbVm39yBA4LAxysQAm397zwQSQoQgewGiYZqrA9DsP4zbQ1M';
const LND = 'type=lnd-rest;server=https://lnd.shop.example:8080/;macaroon=0201036c6e64025803a1b2c3d4e5f60718293a4b5c6d7e8f90';

/** The error a node run failed with: its message and description (what n8n shows). */
async function failure(promise: Promise<unknown>): Promise<{ message: string; description: string }> {
	try {
		await promise;
	} catch (error) {
		return { message: String((error as Error).message), description: String((error as { description?: string }).description ?? '') };
	}
	throw new Error('expected the node to fail, but it succeeded');
}

async function node(parameters: IDataObject, store = storeId, apiKey = emu.apiKey): Promise<IDataObject[]> {
	return runBtcPayNode({ url: emu.url, apiKey, storeId: store, parameters });
}

beforeAll(async () => {
	emu = await startEmulator();
	client = new BtcPayClient({ url: emu.url, apiKey: emu.apiKey, retryDelayMs: 1 });
	storeId = seedStore(emu, { name: 'Tea Shop', defaultCurrency: 'EUR' }).id;
});
afterAll(async () => {
	try {
		emu.assertNoViolations();
	} finally {
		await emu.close();
	}
});

describe('Payment Method', () => {
	it('get many / get (config only on request, connection string redacted)', async () => {
		const list = await node({ resource: 'paymentMethod', operation: 'getAll' });
		expect(list.map((m) => m.paymentMethodId).sort()).toEqual(['BTC-CHAIN', 'BTC-LN', 'BTC-LNURL']);
		expect(list.every((m) => m.enabled === true && m.config === undefined)).toBe(true);
		const [ln] = await node({ resource: 'paymentMethod', operation: 'get', paymentMethodId: 'BTC-LN', getOptions: { includeConfig: true } });
		expect(ln.config).toEqual({ connectionString: 'type=lnd-rest;server=https://lnd.emulator.test:8080/;macaroon=***' });
	});

	it('connects a Lightning node: the connection string never comes back, in the output or an error', async () => {
		const [out] = await node({ resource: 'paymentMethod', operation: 'update', paymentMethodId: 'BTC-LN', updateFields: { connectionString: LND, enabled: true } });
		expect(out).toMatchObject({ paymentMethodId: 'BTC-LN', enabled: true, config: { connectionString: 'type=lnd-rest;server=https://lnd.shop.example:8080/;macaroon=***' } });
		expect(JSON.stringify(out)).not.toContain('0201036c6e64');
		// the store really has it (the emulator's state holds the secret, BTCPay stores it)
		const raw = await fetch(`${emu.url}/api/v1/stores/${storeId}/payment-methods/BTC-LN?includeConfig=true`, { headers: { Authorization: `token ${emu.apiKey}` } });
		expect(((await raw.json()) as { config: { connectionString: string } }).config.connectionString).toBe(LND);

		// a store-scoped key may not point the store at a local node
		const scoped = emu.addApiKey({ permissions: [`btcpay.store.canmodifystoresettings:${storeId}`] });
		const local = 'type=lnd-rest;server=https://127.0.0.1:8080/;macaroon=abcdef0123456789abcdef';
		const err = await failure(node({ resource: 'paymentMethod', operation: 'update', paymentMethodId: 'BTC-LN', updateFields: { connectionString: local } }, storeId, scoped.apiKey));
		expect(err.message).toMatch(/ConnectionString: You do not have 'btcpay.server.canmodifyserversettings' rights/);
		expect(JSON.stringify(err)).not.toContain('abcdef0123456789abcdef');
		// the Internal Node needs a server permission: 403 names it
		const scopedClient = new BtcPayClient({ url: emu.url, apiKey: scoped.apiKey, retryDelayMs: 1 });
		const internal = await caught(scopedClient.paymentMethods.update(storeId, 'BTC-LN', { config: { kind: 'lightning', connectionString: 'Internal Node' } }));
		expect(internal).toMatchObject({ kind: 'permission', missingPermission: 'btcpay.server.canuseinternallightningnode' });
		const invalid = await caught(client.paymentMethods.update(storeId, 'BTC-LN', { config: { kind: 'lightning', connectionString: 'type=nonsense;server=https://x.example/;api-key=supersecret123' } }));
		expect(invalid.kind).toBe('validation');
		expect(invalid.message).not.toContain('supersecret123');
	});

	it('LNURL settings, on-chain derivation scheme, disable (invoices follow), remove', async () => {
		const [lnurl] = await node({ resource: 'paymentMethod', operation: 'update', paymentMethodId: 'BTC-LNURL', updateFields: { lud12Enabled: false, useBech32Scheme: true } });
		expect(lnurl.config).toEqual({ useBech32Scheme: true, lud12Enabled: false, lud21Enabled: true });
		const [chain] = await node({ resource: 'paymentMethod', operation: 'update', paymentMethodId: 'BTC-CHAIN', updateFields: { derivationScheme: TPUB, label: 'Cold wallet' } });
		expect(chain.config).toMatchObject({ derivationScheme: TPUB, label: 'Cold wallet' });
		const [off] = await node({ resource: 'paymentMethod', operation: 'update', paymentMethodId: 'BTC-LNURL', updateFields: { enabled: false } });
		expect(off).toMatchObject({ paymentMethodId: 'BTC-LNURL', enabled: false });
		expect(off.config).toBeUndefined();
		expect(storePaymentMethods(emu, storeId)).not.toContain('BTC-LNURL');
		const invoice = await client.invoices.create(storeId, { amount: '5', currency: 'EUR' });
		expect((await client.invoices.paymentMethods(storeId, invoice.id)).map((m) => m.paymentMethodId).sort()).toEqual(['BTC-CHAIN', 'BTC-LN']);
		expect(await node({ resource: 'paymentMethod', operation: 'getAll', listOptions: { onlyEnabled: true } })).toHaveLength(2);

		expect(await node({ resource: 'paymentMethod', operation: 'remove', paymentMethodId: 'BTC-LNURL' })).toEqual([{ success: true, paymentMethodId: 'BTC-LNURL', removed: true }]);
		const gone = await failure(node({ resource: 'paymentMethod', operation: 'get', paymentMethodId: 'BTC-LNURL' }));
		expect(gone.message).toMatch(/not found.*404 paymentmethod-not-found/);
		const bad = await caught(client.http.request('PUT', `/api/v1/stores/${storeId}/payment-methods/BTC-CHAIN`, { json: { config: 'not a key' } }));
		expect(bad.details).toEqual(['config: Invalid configuration (Invalid derivation scheme)']);
	});

	it('previews addresses of the current wallet and of a proposed scheme (count is how many)', async () => {
		const current = await node({ resource: 'paymentMethod', operation: 'previewAddresses', paymentMethodId: 'BTC-CHAIN', previewOptions: { offset: 2, count: 3 } });
		expect(current.map((a) => a.index)).toEqual([2, 3, 4]);
		expect(current[0]).toMatchObject({ keyPath: '0/2', address: emulatedAddress(TPUB, 2), source: 'current' });
		const other = 'vpub5YVsXyV1ZMSjDGKpSPrXjyTkS5mcpeDoXDrDBaagqvSGtJ7BJ9yybbsQ3MV5kKYtvYbFsypwbBDJpQ3MFpLjL37ZGTWkPYdJBhA8pZ9ykPK2CAbPfgDfXHqbjE';
		const proposed = await node({ resource: 'paymentMethod', operation: 'previewAddresses', paymentMethodId: 'BTC-CHAIN', derivationScheme: other });
		expect(proposed).toHaveLength(10);
		expect(proposed[0]).toMatchObject({ address: emulatedAddress(other, 0), source: 'proposed' });
	});
});

describe('Lightning Address', () => {
	it('create or update, get, get many, delete; another store cannot take the name', async () => {
		const [created] = await node({ resource: 'lightningAddress', operation: 'upsert', username: 'Tips', additionalFields: { min: '1', max: '100000', currencyCode: 'sats', invoiceMetadata: '{"source":"n8n"}' } });
		expect(created).toMatchObject({ username: 'tips', min: '1', max: '100000', currencyCode: 'SATS', invoiceMetadata: { source: 'n8n' }, address: `tips@${new URL(emu.url).host}` });
		const [updated] = await node({ resource: 'lightningAddress', operation: 'upsert', username: 'tips', additionalFields: { max: '5000' } });
		expect(updated).toMatchObject({ username: 'tips', max: '5000', min: null });
		expect((await node({ resource: 'lightningAddress', operation: 'get', username: 'TIPS' }))[0].max).toBe('5000');
		expect((await node({ resource: 'lightningAddress', operation: 'getAll' })).map((a) => a.username)).toEqual(['tips']);

		const other = seedStore(emu, { name: 'Other' }).id;
		const taken = await caught(client.paymentMethods.setLightningAddress(other, 'tips'));
		expect(taken).toMatchObject({ kind: 'business', code: 'username-already-used' });
		const minZero = await caught(client.http.request('POST', `/api/v1/stores/${storeId}/lightning-addresses/zero`, { json: { min: '0' } }));
		expect(minZero.details).toEqual(['Min: Minimum must be greater than 0 if provided.']);

		expect(await node({ resource: 'lightningAddress', operation: 'delete', username: 'tips' })).toEqual([{ success: true, username: 'tips', deleted: true }]);
		const missing = await failure(node({ resource: 'lightningAddress', operation: 'get', username: 'tips' }));
		expect(missing.message).toMatch(/404 lightning-address-not-found/);
	});
});

describe('App', () => {
	it('Point of Sale: create, get, update (merged), sales and top items, get many, delete', async () => {
		const items = JSON.stringify([{ id: 'green-tea', title: 'Green Tea', price: '2.50' }, { id: 'black-tea', title: 'Black Tea', price: '3' }]);
		const [pos] = await node({ resource: 'app', operation: 'create', appType: 'PointOfSale', appName: 'Tea Counter', additionalFields: { template: items, defaultView: 'Cart', showSearch: true, customTipPercentages: '10,15' }, simplify: false });
		expect(pos).toMatchObject({ appName: 'Tea Counter', appType: 'PointOfSale', storeId, currency: 'EUR', defaultView: 'Cart', showSearch: true, customTipPercentages: [10, 15] });
		const appId = String(pos.id);
		const app = { __rl: true, mode: 'id', value: appId };

		const [updated] = await node({ resource: 'app', operation: 'update', app, updateFields: { title: 'Tea!', enableTips: true }, simplify: false });
		// the settings not given are kept (BTCPay's PUT alone would reset them)
		expect(updated).toMatchObject({ title: 'Tea!', enableTips: true, defaultView: 'Cart', showSearch: true, customTipPercentages: [10, 15], currency: 'EUR' });
		expect((updated.items as IDataObject[]).map((i) => i.id)).toEqual(['green-tea', 'black-tea']);
		const wrong = await failure(node({ resource: 'app', operation: 'update', app, updateFields: { targetAmount: '5' } }));
		expect(wrong.message).toMatch(/Target Amount: does not apply to a Point of Sale app/);

		for (const [code, price] of [['green-tea', '2.50'], ['green-tea', '2.50'], ['black-tea', '3']]) payInvoice(emu, createAppInvoice(emu, appId, code, price));
		createAppInvoice(emu, appId, 'black-tea', '3'); // not paid: not a sale
		const [sales] = await node({ resource: 'app', operation: 'getSales', app, numberOfDays: 3 });
		expect(sales).toMatchObject({ appId, salesCount: 3 });
		expect(sales.series).toHaveLength(3);
		const top = await node({ resource: 'app', operation: 'getTopItems', app, returnAll: true });
		expect(top).toEqual([
			expect.objectContaining({ itemCode: 'green-tea', title: 'Green Tea', salesCount: 2, total: '5' }),
			expect.objectContaining({ itemCode: 'black-tea', salesCount: 1, total: '3' }),
		]);
		expect(await node({ resource: 'app', operation: 'getTopItems', app, returnAll: false, limit: 1 })).toHaveLength(1);

		const [simple] = await node({ resource: 'app', operation: 'get', app: { __rl: true, mode: 'url', value: `${emu.url}/apps/${appId}/pos` } });
		expect(simple).toMatchObject({ id: appId, appName: 'Tea Counter', appType: 'PointOfSale', itemCount: 2 });
		expect((await node({ resource: 'app', operation: 'getAll', scope: 'store' })).map((a) => a.id)).toContain(appId);
		expect((await node({ resource: 'app', operation: 'getAll', scope: 'all' })).map((a) => a.id)).toContain(appId);

		expect(await node({ resource: 'app', operation: 'delete', app })).toEqual([{ success: true, appId, deleted: true }]);
		const gone = await failure(node({ resource: 'app', operation: 'get', app }));
		// right after a delete BTCPay still has the app's store cached (10 min), so the handler answers 404
		expect(gone.message).toMatch(/The app ".+" was not found in BTCPay \(404 app-not-found\)/);
		const unknown = await failure(node({ resource: 'app', operation: 'get', app: { __rl: true, mode: 'id', value: 'NeverExisted1' } }));
		expect(unknown.message).toBe('The app "NeverExisted1" was not found in BTCPay (403 Forbidden)');
		expect(invoicesOf(emu).size).toBeGreaterThan(0);
	});

	it('Crowdfund: create with a goal, 422 names the field, update keeps the perks', async () => {
		const [cf] = await node({
			resource: 'app',
			operation: 'create',
			appType: 'Crowdfund',
			appName: 'New Roof',
			additionalFields: { targetAmount: '5000.50', targetCurrency: 'usd', startDate: '2026-01-01T00:00:00Z', resetEvery: 'Month', perksTemplate: '[{"id":"sticker","title":"Sticker","price":"5"}]' },
			simplify: false,
		});
		expect(cf).toMatchObject({ appType: 'Crowdfund', targetAmount: 5000.5, targetCurrency: 'USD', resetEvery: 'Month', startDate: 1767225600 });
		const app = { __rl: true, mode: 'id', value: String(cf.id) };
		const [updated] = await node({ resource: 'app', operation: 'update', app, updateFields: { tagline: 'Help us' }, simplify: false });
		expect(updated).toMatchObject({ tagline: 'Help us', targetAmount: 5000.5, resetEvery: 'Month' });
		expect((updated.perks as IDataObject[]).map((p) => p.id)).toEqual(['sticker']);
		const err = await caught(client.http.request('POST', `/api/v1/stores/${storeId}/apps/crowdfund`, { json: { appName: 'x', targetCurrency: 'ZZZ' } }));
		expect(err.details).toEqual(['TargetCurrency: Invalid currency']);
		const [simple] = await node({ resource: 'app', operation: 'getAll', scope: 'store' });
		expect(simple).toHaveProperty('appType');
	});
});

describe('Rate', () => {
	it('rates for pairs as decimal strings; default pairs; a pair without a rate has errors', async () => {
		const rates = await node({ resource: 'rate', operation: 'get', currencyPairs: 'BTC_EUR, btc/usd, BTC_XYZ' });
		expect(rates).toEqual([
			expect.objectContaining({ currencyPair: 'BTC_EUR', rate: '90000', ok: true }),
			expect.objectContaining({ currencyPair: 'BTC_USD', rate: '100000', ok: true }),
			expect.objectContaining({ currencyPair: 'BTC_XYZ', rate: null, errors: ['RateUnavailable'], ok: false }),
		]);
		setDefaultCurrencyPairs(emu, storeId, ['BTC_CHF']);
		expect((await node({ resource: 'rate', operation: 'get', currencyPairs: '' })).map((r) => r.currencyPair)).toEqual(['BTC_CHF']);
		const bad = await failure(node({ resource: 'rate', operation: 'get', currencyPairs: 'BTC_EUR, EURO' }));
		expect(bad.message).toMatch(/Currency Pairs\[1\]: "EURO" is not a currency pair/);
	});

	it('configuration: get, update (spread kept as decimal), preview a custom script, fallback', async () => {
		const [config] = await node({ resource: 'rate', operation: 'getConfiguration', rateSource: 'primary' });
		expect(config).toMatchObject({ rateSource: 'primary', isCustomScript: false, preferredSource: 'coingecko', spread: '0' });
		const [updated] = await node({ resource: 'rate', operation: 'updateConfiguration', rateSource: 'primary', updateFields: { preferredSource: 'Kraken', spread: '0.5' } });
		expect(updated).toMatchObject({ preferredSource: 'kraken', spread: '0.5', isCustomScript: false });
		const [withSpread] = await node({ resource: 'rate', operation: 'get', currencyPairs: 'BTC_USD' });
		expect(withSpread.rate).toBe('99500');
		const [kept] = await node({ resource: 'rate', operation: 'updateConfiguration', rateSource: 'primary', updateFields: { spread: '1' } });
		expect(kept).toMatchObject({ preferredSource: 'kraken', spread: '1' });

		const preview = await node({ resource: 'rate', operation: 'preview', currencyPairs: 'BTC_USD,BTC_EUR', configuration: { isCustomScript: true, effectiveScript: 'BTC_USD = kraken(BTC_USD) * 1.1; BTC_EUR = 91234.5678;', spread: '0' } });
		expect(preview.map((p) => p.rate)).toEqual(['110000', '91234.5678']);
		const invalid = await failure(node({ resource: 'rate', operation: 'preview', configuration: { isCustomScript: true, effectiveScript: 'this is not a script' } }));
		expect(invalid.message).toMatch(/EffectiveScript: Script syntax is invalid/);
		const unknownSource = await failure(node({ resource: 'rate', operation: 'updateConfiguration', updateFields: { preferredSource: 'nowhere' } }));
		expect(unknownSource.message).toMatch(/PreferredSource: Unsupported source/);

		const fallbackMissing = await caught(client.rates.getConfiguration(storeId, 'fallback'));
		expect(fallbackMissing).toMatchObject({ status: 404, code: 'fallback-disabled' });
		const [fallback] = await node({ resource: 'rate', operation: 'updateConfiguration', rateSource: 'fallback', updateFields: { preferredSource: 'bitstamp' } });
		expect(fallback).toMatchObject({ rateSource: 'fallback', preferredSource: 'bitstamp' });
	});
});

describe('User, Notification, Store User, Server', () => {
	it('users: create (admin key), get, get many, current, lock/unlock, approve', async () => {
		setServerPolicies(emu, { requiresUserApproval: true });
		const [created] = await node({ resource: 'user', operation: 'create', email: 'clerk@shop.example', additionalFields: { name: 'Clerk', password: 'correct horse' } });
		expect(created).toMatchObject({ email: 'clerk@shop.example', name: 'Clerk', approved: true, requiresApproval: true });
		expect(JSON.stringify(created)).not.toContain('correct horse');
		const short = await failure(node({ resource: 'user', operation: 'create', email: 'x@shop.example', additionalFields: { password: 'abc' } }));
		expect(short.message).toMatch(/Password: must be at least 6 characters/);
		expect(short.message).not.toContain('abc"');
		const dup = await failure(node({ resource: 'user', operation: 'create', email: 'clerk@shop.example' }));
		expect(dup.message).toMatch(/Email: Username 'clerk@shop.example' is already taken/);

		expect((await node({ resource: 'user', operation: 'get', user: 'CLERK@shop.example' }))[0].id).toBe(created.id);
		expect((await node({ resource: 'user', operation: 'getAll' })).map((u) => u.email)).toEqual(expect.arrayContaining(['admin@emulator.test', 'clerk@shop.example']));
		expect((await node({ resource: 'user', operation: 'getCurrent' }))[0].email).toBe('admin@emulator.test');

		expect(await node({ resource: 'user', operation: 'lock', user: 'clerk@shop.example' })).toEqual([{ success: true, user: 'clerk@shop.example', locked: true }]);
		expect(usersState(emu).users.get(String(created.id))?.disabled).toBe(true);
		await node({ resource: 'user', operation: 'unlock', user: 'clerk@shop.example' });
		expect(usersState(emu).users.get(String(created.id))?.disabled).toBe(false);
		const again = await failure(node({ resource: 'user', operation: 'approve', user: 'clerk@shop.example', approved: true }));
		expect(again.message).toMatch(/User is already approved \(invalid-state\)/);
		expect(await node({ resource: 'user', operation: 'approve', user: 'clerk@shop.example', approved: false })).toEqual([{ success: true, user: 'clerk@shop.example', approved: false }]);

		// a store key is not a server admin: the 403 says what is needed and who can grant it
		const storeKey = emu.addApiKey({ permissions: [`btcpay.store.canmodifystoresettings:${storeId}`] });
		const forbidden = await failure(node({ resource: 'user', operation: 'lock', user: 'clerk@shop.example' }, storeId, storeKey.apiKey));
		expect(forbidden.message).toMatch(/lacks the permission "btcpay.server.canmodifyserversettings" \(Modify your server\)/);
		expect(forbidden.description).toMatch(/server-wide permission: a server administrator must create the API key/);
		const missingUser = await failure(node({ resource: 'user', operation: 'get', user: 'nobody@shop.example' }));
		expect(missingUser.message).toMatch(/404 user-not-found/);
	});

	it('notifications: get many (filters, paging), get, mark seen/unseen, delete', async () => {
		const a = addNotification(emu, { body: 'Invoice paid', storeId, createdTime: 1_700_000_003 });
		addNotification(emu, { body: 'New version', createdTime: 1_700_000_002 });
		addNotification(emu, { body: 'Payout approved', storeId, createdTime: 1_700_000_001, seen: true });
		expect((await node({ resource: 'notification', operation: 'getAll', returnAll: true })).map((n) => n.body)).toEqual(['Invoice paid', 'New version', 'Payout approved']);
		expect((await node({ resource: 'notification', operation: 'getAll', returnAll: true, filters: { seen: 'unseen' } })).map((n) => n.body)).toEqual(['Invoice paid', 'New version']);
		expect((await node({ resource: 'notification', operation: 'getAll', returnAll: true, filters: { seen: 'seen' } })).map((n) => n.body)).toEqual(['Payout approved']);
		expect((await node({ resource: 'notification', operation: 'getAll', returnAll: false, limit: 1, filters: { storeIds: storeId } })).map((n) => n.body)).toEqual(['Invoice paid']);
		const [one] = await node({ resource: 'notification', operation: 'get', notificationId: a.id });
		expect(one).toMatchObject({ id: a.id, seen: false, createdAt: new Date(1_700_000_003_000).toISOString() });
		expect((await node({ resource: 'notification', operation: 'markSeen', notificationId: a.id }))[0].seen).toBe(true);
		expect((await node({ resource: 'notification', operation: 'markUnseen', notificationId: a.id }))[0].seen).toBe(false);
		expect(await node({ resource: 'notification', operation: 'delete', notificationId: a.id })).toEqual([{ success: true, notificationId: a.id, deleted: true }]);
		expect((await failure(node({ resource: 'notification', operation: 'get', notificationId: a.id }))).message).toMatch(/404 notification-not-found/);
	});

	it('store users: list, add, change role, remove; the last owner stays', async () => {
		await client.users.create({ email: 'manager@shop.example' });
		expect((await node({ resource: 'storeUser', operation: 'getAll' })).map((u) => [u.email, u.storeRole])).toEqual([['admin@emulator.test', 'Owner']]);
		expect(await node({ resource: 'storeUser', operation: 'add', userId: 'manager@shop.example', role: 'Employee' })).toEqual([{ success: true, storeId, userId: 'manager@shop.example', storeRole: 'Employee' }]);
		const dup = await failure(node({ resource: 'storeUser', operation: 'add', userId: 'manager@shop.example', role: 'Guest' }));
		expect(dup.message).toMatch(/409.*already added/);
		await node({ resource: 'storeUser', operation: 'update', userId: 'manager@shop.example', role: 'manager' });
		expect((await node({ resource: 'storeUser', operation: 'getAll' })).find((u) => u.email === 'manager@shop.example')?.storeRole).toBe('Manager');
		const orphan = await failure(node({ resource: 'storeUser', operation: 'remove', userId: 'admin@emulator.test' }));
		expect(orphan.message).toMatch(/409.*no owner/);
		expect(await node({ resource: 'storeUser', operation: 'remove', userId: 'manager@shop.example' })).toEqual([{ success: true, userId: 'manager@shop.example', removed: true }]);
		const badRole = await caught(client.http.request('PUT', `/api/v1/stores/${storeId}/users/manager@shop.example`, { json: { storeRole: 'Boss' } }));
		expect(badRole.details).toEqual(['StoreRole: The role id provided does not exist']);
	});

	it('server info', async () => {
		const [info] = await node({ resource: 'server', operation: 'getInfo' });
		expect(info).toMatchObject({ version: '2.4.1', supportedPaymentMethods: ['BTC-CHAIN', 'BTC-LN', 'BTC-LNURL'], fullySynched: true });
	});
});
