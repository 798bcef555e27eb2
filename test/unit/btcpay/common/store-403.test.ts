/**
 * BTCPay v2.4.1 answers an unknown store, or one the key cannot reach, with 403
 * missing-permission (no store-not-found exists). The client tells that apart from
 * a key that really lacks the permission by reading the key's own permissions.
 */
import nock from 'nock';
import { BtcPayClient } from '../../../../nodes/BtcPay/client';
import { keyGrants } from '../../../../nodes/BtcPay/client/permissions';
import { caught } from '../../../helpers/caught';

const BASE = 'http://btcpay.test';
const KEY = 'apikey-store403-0123456789abcdef';
const STORE = 'MistypedStore1234567890';
const client = () => new BtcPayClient({ url: BASE, apiKey: KEY, retryDelayMs: 1, retries: 0 });
const denied = (permission: string) => ({ code: 'missing-permission', message: 'Insufficient API Permissions.', missingPermission: permission });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('403 on a store route', () => {
	it('says the store does not exist or is not visible when the key holds the permission for every store', async () => {
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices`).reply(403, denied(`btcpay.store.canviewinvoices:${STORE}`));
		nock(BASE).get('/api/v1/api-keys/current').reply(200, { apiKey: KEY, label: 'n8n', permissions: ['btcpay.store.canmodifystoresettings'] });
		const error = await caught(client().invoices.list(STORE));
		expect(error.message).toBe(`The BTCPay store "${STORE}" does not exist or this API key cannot see it (403 Forbidden)`);
		expect(error).toMatchObject({ kind: 'not_found', status: 403 });
		expect(error.message).not.toContain(KEY);
		expect(error.message).not.toMatch(/lacks the permission/);
	});

	it('keeps the missing-permission message when the key really lacks it, and reads the key only once per client', async () => {
		const c = client();
		nock(BASE).get(`/api/v1/stores/${STORE}/invoices`).times(2).reply(403, denied(`btcpay.store.canviewinvoices:${STORE}`));
		const keyScope = nock(BASE).get('/api/v1/api-keys/current').once().reply(200, { permissions: ['btcpay.store.cancreateinvoice:OtherStore99'] });
		for (let i = 0; i < 2; i++) {
			const error = await caught(c.invoices.list(STORE));
			expect(error).toMatchObject({ kind: 'permission', missingPermission: `btcpay.store.canviewinvoices:${STORE}` });
			expect(error.message).toContain('lacks the permission');
		}
		keyScope.done();
	});

	it.each([
		['invoice', (c: BtcPayClient) => c.invoices.get(STORE, 'Inv404'), `/api/v1/stores/${STORE}/invoices/Inv404`, 'Inv404'],
		['payout', (c: BtcPayClient) => c.pullPayments.getPayout(STORE, 'Po404'), `/api/v1/stores/${STORE}/payouts/Po404`, 'Po404'],
		['webhook', (c: BtcPayClient) => c.webhooks.get(STORE, 'Wh404'), `/api/v1/stores/${STORE}/webhooks/Wh404`, 'Wh404'],
	] as const)('names the %s when the route names one of the store (BTCPay authorizes it by its owner store)', async (label, call, path, id) => {
		nock(BASE).get(path).reply(403, denied(`btcpay.store.canmodifystoresettings:${STORE}`));
		nock(BASE).get('/api/v1/api-keys/current').reply(200, { permissions: [`btcpay.store.canmodifystoresettings:${STORE}`] });
		const error = await caught(call(client()));
		expect(error.message).toBe(`The ${label} "${id}" was not found in the BTCPay store "${STORE}" (403 Forbidden)`);
		expect(error).toMatchObject({ kind: 'not_found', status: 403, code: 'object-unreachable' });
		expect(error.hint).toContain('belongs to another store');
	});

	it('keeps the original 403 when the key cannot be read', async () => {
		nock(BASE).get(`/api/v1/stores/${STORE}/webhooks`).reply(403, denied('btcpay.store.webhooks.canmodifywebhooks'));
		nock(BASE).get('/api/v1/api-keys/current').reply(500, {});
		const error = await caught(client().webhooks.list(STORE));
		expect(error).toMatchObject({ kind: 'permission', missingPermission: 'btcpay.store.webhooks.canmodifywebhooks' });
	});
});

describe('keyGrants (permission implication, BTCPayServer.Client/Permissions.cs)', () => {
	it.each([
		[['unrestricted'], 'btcpay.store.canviewinvoices', true],
		[['btcpay.store.canviewinvoices'], 'btcpay.store.canviewinvoices:S1', true],
		[['btcpay.store.canviewinvoices:S1'], 'btcpay.store.canviewinvoices', true],
		[['btcpay.store.canviewinvoices:S2'], 'btcpay.store.canviewinvoices', false],
		[['btcpay.store.canmodifystoresettings:S1'], 'btcpay.store.canviewpayouts', true],
		[['btcpay.store.canmodifyinvoices'], 'btcpay.store.canviewinvoices', true],
		[['btcpay.store.canviewinvoices'], 'btcpay.store.canmodifyinvoices', false],
		[['btcpay.store.cancreateinvoice'], 'btcpay.store.canviewinvoices', false],
	])('%j grants %s for S1: %s', (granted, wanted, expected) => {
		expect(keyGrants(granted, wanted, 'S1')).toBe(expected);
	});
});
