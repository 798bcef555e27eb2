import nock from 'nock';
import { BtcPayClient, createBtcPayHttp } from '../../../../nodes/BtcPay/client';
import { SubscriptionsApi, isCustomerSelector } from '../../../../nodes/BtcPay/client/subscriptions';
import { caught } from '../../../helpers/caught';

const BASE = 'http://btcpay.test';
const KEY = 'subscriptionkey0123';
const STORE = 'Store1234';
const OFF = 'offering_abc';
const OFFERINGS = `/api/v1/stores/${STORE}/offerings`;
const SUB = `${OFFERINGS}/${OFF}/subscribers/ann%40example.com`;

const api = () => new SubscriptionsApi(createBtcPayHttp({ url: BASE, apiKey: KEY, retryDelayMs: 1, retries: 1 }));

const plan = (extra: Record<string, unknown> = {}) => ({
	id: 'plan_1',
	name: 'Monthly',
	status: 'Active',
	price: '9.90',
	currency: 'EUR',
	recurringType: 'Monthly',
	gracePeriodDays: 3,
	trialDays: 0,
	description: '',
	memberCount: 0,
	optimisticActivation: false,
	features: [],
	renewable: true,
	metadata: {},
	...extra,
});
const offering = (extra: Record<string, unknown> = {}) => ({ id: OFF, storeId: STORE, appId: 'app1', appName: 'Newsletter', successRedirectUrl: null, plans: [plan()], features: [], metadata: {}, ...extra });
const subscriber = (extra: Record<string, unknown> = {}) => ({
	created: 1_767_225_600,
	customer: { storeId: STORE, id: 'cust_1', externalId: null, identities: { Email: 'ann@example.com' }, metadata: {} },
	offering: offering(),
	plan: plan(),
	periodEnd: 1_769_904_000,
	trialEnd: null,
	gracePeriodEnd: 1_770_163_200,
	isActive: true,
	isSuspended: false,
	suspensionReason: null,
	autoRenew: true,
	metadata: {},
	processingInvoiceId: null,
	nextPlan: plan(),
	scheduledPlan: null,
	scheduledPlanActivatesAt: null,
	phase: 'Normal',
	...extra,
});
const checkout = (extra: Record<string, unknown> = {}) => ({
	id: 'plancheckout_1',
	subscriber: null,
	plan: plan(),
	baseUrl: `${BASE}/`,
	invoiceId: null,
	successRedirectUrl: null,
	expiration: 1_767_312_000,
	redirectUrl: null,
	invoiceMetadata: {},
	metadata: {},
	newSubscriber: true,
	isTrial: false,
	created: 1_767_225_600,
	planStarted: false,
	newSubscriberMetadata: {},
	refundAmount: null,
	creditedByInvoice: '0.00',
	onPayBehavior: 'SoftMigration',
	isExpired: false,
	url: `${BASE}/plan-checkout/plancheckout_1`,
	creditPurchase: null,
	...extra,
});

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('SubscriptionsApi: offerings and plans', () => {
	it('is wired into BtcPayClient', () => {
		expect(new BtcPayClient({ url: BASE, apiKey: KEY }).subscriptions).toBeInstanceOf(SubscriptionsApi);
	});

	it('creates an offering with only the given fields; app name required before sending', async () => {
		const scope = nock(BASE, { reqheaders: { authorization: `token ${KEY}` } })
			.post(OFFERINGS, { appName: 'Newsletter', features: [{ id: 'pro', description: 'Pro' }], metadata: { a: 1 } })
			.reply(200, offering());
		expect((await api().createOffering(STORE, { appName: ' Newsletter ', successRedirectUrl: '', features: [{ id: 'pro', description: 'Pro' }], metadata: { a: 1 } })).id).toBe(OFF);
		scope.done();
		expect((await caught(api().createOffering(STORE, {}))).message).toMatch(/^App Name: is required/);
		expect((await caught(api().createOffering(STORE, { appName: 'x', successRedirectUrl: 'ftp://x' }))).message).toMatch(/^Success Redirect URL:/);
		expect((await caught(api().createOffering(STORE, { appName: 'x', features: [{ id: '' }] }))).message).toMatch(/^Features\.id: is required/);
	});

	it('update keeps the current app name (BTCPay requires one); nothing to change is refused', async () => {
		const scope = nock(BASE)
			.get(`${OFFERINGS}/${OFF}`)
			.reply(200, offering())
			.put(`${OFFERINGS}/${OFF}`, { successRedirectUrl: 'https://shop.example/ok', appName: 'Newsletter' })
			.reply(200, offering({ successRedirectUrl: 'https://shop.example/ok' }));
		expect((await api().updateOffering(STORE, OFF, { successRedirectUrl: 'https://shop.example/ok' })).successRedirectUrl).toBe('https://shop.example/ok');
		scope.done();
		expect((await caught(api().updateOffering(STORE, OFF, {}))).message).toMatch(/choose at least one field/);
	});

	it('lists offerings and gets one; unknown offering 403 is explained as not found in the store', async () => {
		nock(BASE).get(OFFERINGS).reply(200, [offering()]);
		expect((await api().listOfferings(STORE)).map((o) => o.id)).toEqual([OFF]);
		nock(BASE)
			.get(`${OFFERINGS}/offering_nope`)
			.reply(403, { code: 'missing-permission', message: 'no', missingPermission: 'btcpay.store.canviewofferings' })
			.get('/api/v1/api-keys/current')
			.reply(200, { apiKey: 'x', label: 'k', permissions: [`btcpay.store.canmodifystoresettings:${STORE}`] });
		const e = await caught(api().getOffering(STORE, 'offering_nope'));
		expect(e.message).toBe(`The offering "offering_nope" was not found in the BTCPay store "${STORE}" (403 Forbidden)`);
	});

	it('plan price is checked against the currency; a currency the store default overrode is set by an update', async () => {
		expect((await caught(api().createPlan(STORE, OFF, { name: 'M', price: '9.999', currency: 'EUR' }))).message).toBe('Price: 9.999 has 3 decimals; EUR allows 2 decimals');
		expect((await caught(api().createPlan(STORE, OFF, { name: 'M', price: '1', currency: 'JPY', trialDays: -1 }))).message).toMatch(/^Trial Days: must not be negative/);
		expect((await caught(api().createPlan(STORE, OFF, { price: '1' }))).message).toMatch(/^Name: is required/);
		expect((await caught(api().createPlan(STORE, OFF, { name: 'M', recurringType: 'Weekly' as never }))).message).toMatch(/^Recurring Type: "Weekly" is not one of Monthly/);
		const scope = nock(BASE)
			.post(`${OFFERINGS}/${OFF}/plans`, { name: 'M', currency: 'USD', recurringType: 'Yearly', trialDays: 14, price: '120.5' })
			.reply(200, plan({ currency: 'EUR', price: '120.5' }))
			.put(`${OFFERINGS}/${OFF}/plans/plan_1`, { currency: 'USD' })
			.reply(200, plan({ currency: 'USD', price: '120.5' }));
		const created = await api().createPlan(STORE, OFF, { name: 'M', price: '120.50', currency: 'usd', recurringType: 'Yearly', trialDays: '14' as never });
		expect(created).toMatchObject({ currency: 'USD', price: '120.5' });
		scope.done();
	});

	it("plan update checks a new price against the plan's current currency", async () => {
		nock(BASE).get(`${OFFERINGS}/${OFF}/plans/plan_1`).reply(200, plan({ currency: 'JPY' }));
		expect((await caught(api().updatePlan(STORE, OFF, 'plan_1', { price: '10.5' }))).message).toBe('Price: 10.5 has 1 decimals; JPY allows 0 decimals');
		const scope = nock(BASE).put(`${OFFERINGS}/${OFF}/plans/plan_1`, { currency: 'EUR', price: '10.5' }).reply(200, plan({ price: '10.5' }));
		expect((await api().updatePlan(STORE, OFF, 'plan_1', { price: '10.50', currency: 'EUR' })).price).toBe('10.5');
		scope.done();
	});
});

describe('SubscriptionsApi: subscribers and credit', () => {
	it('customer selectors follow BTCPay (id, e-mail, [ref], Type:value); the selector is URL-encoded', async () => {
		expect(['cust_1', 'a@b.co', '[ext]', 'Email:a@b.co'].every(isCustomerSelector)).toBe(true);
		expect(isCustomerSelector('plain')).toBe(false);
		expect((await caught(api().getSubscriber(STORE, OFF, 'plain'))).message).toMatch(/^Customer: is not a customer selector/);
		nock(BASE).get(SUB).reply(200, subscriber());
		expect(await api().getSubscriber(STORE, OFF, 'ann@example.com')).toMatchObject({ phase: 'Normal', isActive: true });
		nock(BASE).get(`${OFFERINGS}/${OFF}/subscribers/%5Bext%5D`).reply(404, { code: 'subscriber-not-found', message: 'The subscriber was not found' });
		expect((await caught(api().getSubscriber(STORE, OFF, '[ext]'))).message).toBe('The subscriber "[ext]" was not found in BTCPay (404 subscriber-not-found)');
	});

	it('delete, suspend with a reason, unsuspend', async () => {
		const scope = nock(BASE)
			.delete(SUB)
			.reply(204)
			.post(`${SUB}/suspend`, { reason: 'Chargeback' })
			.reply(200, subscriber({ isSuspended: true, isActive: false, suspensionReason: 'Chargeback' }))
			.post(`${SUB}/unsuspend`)
			.reply(200, subscriber());
		await api().deleteSubscriber(STORE, OFF, 'ann@example.com');
		expect((await api().suspendSubscriber(STORE, OFF, 'ann@example.com', 'Chargeback')).suspensionReason).toBe('Chargeback');
		expect((await api().unsuspendSubscriber(STORE, OFF, 'ann@example.com')).isSuspended).toBe(false);
		scope.done();
	});

	it('dates: ISO dates become unix seconds; an expiration before the start is refused before sending', async () => {
		const scope = nock(BASE).put(`${SUB}/dates`, { expirationDate: 1_769_904_000 }).reply(200, subscriber());
		await api().updateSubscriberDates(STORE, OFF, 'ann@example.com', { expirationDate: '2026-02-01T00:00:00Z' });
		scope.done();
		expect((await caught(api().updateSubscriberDates(STORE, OFF, 'ann@example.com', { startDate: 200, expirationDate: 100 }))).message).toMatch(/^Expiration Date: must be after the start date/);
		expect((await caught(api().updateSubscriberDates(STORE, OFF, 'ann@example.com', {}))).message).toMatch(/^Dates:/);
	});

	it('credit balance: "current" by default; credit with exact decimals', async () => {
		nock(BASE).get(`${SUB}/credits/current`).reply(200, { currency: 'EUR', value: '0.30' });
		expect(await api().getCredit(STORE, OFF, 'ann@example.com')).toEqual({ currency: 'EUR', value: '0.30' });
		const scope = nock(BASE)
			.get(`${SUB}/credits/EUR`)
			.reply(200, { currency: 'EUR', value: '0.30' })
			.post(`${SUB}/credits/EUR`, { credit: '0.2', description: 'bonus' })
			.reply(200, { currency: 'EUR', value: '0.50' });
		expect((await api().updateCredit(STORE, OFF, 'ann@example.com', 'eur', { credit: '0.20', description: 'bonus' })).value).toBe('0.50');
		scope.done();
	});

	it('a debit larger than the balance is refused before sending, unless overdraft is allowed', async () => {
		const read = nock(BASE).get(`${SUB}/credits/current`).reply(200, { currency: 'EUR', value: '0.30' });
		const e = await caught(api().updateCredit(STORE, OFF, 'ann@example.com', undefined, { charge: '0.31' }));
		expect(e.message).toBe('Debit: 0.31 EUR is more than the balance of 0.30 EUR (it would leave -0.01); turn on Allow Overdraft to allow a negative balance');
		read.done();
		expect(nock.pendingMocks()).toEqual([]);
		const scope = nock(BASE)
			.get(`${SUB}/credits/current`)
			.reply(200, { currency: 'EUR', value: '0.30' })
			.post(`${SUB}/credits/current`, { charge: '0.5', allowOverdraft: true })
			.reply(200, { currency: 'EUR', value: '-0.20' });
		expect((await api().updateCredit(STORE, OFF, 'ann@example.com', 'current', { charge: '0.50', allowOverdraft: true })).value).toBe('-0.20');
		scope.done();
		nock(BASE).get(`${SUB}/credits/current`).reply(200, { currency: 'EUR', value: '0.30' });
		expect((await caught(api().updateCredit(STORE, OFF, 'ann@example.com', undefined, { credit: '0.001' }))).message).toBe('Credit: 0.001 has 3 decimals; EUR allows 2 decimals');
		expect((await caught(api().updateCredit(STORE, OFF, 'ann@example.com', undefined, { credit: '-1' }))).message).toMatch(/^Credit: must not be negative/);
		expect((await caught(api().updateCredit(STORE, OFF, 'ann@example.com', undefined, {}))).message).toMatch(/^Amount: give a credit or a debit/);
	});

	it('a 400 overdraft from the server is a business error', async () => {
		nock(BASE)
			.get(`${SUB}/credits/current`)
			.reply(200, { currency: 'EUR', value: '5.00' })
			.post(`${SUB}/credits/current`)
			.reply(400, { code: 'overdraft', message: "The subscriber's balance would be overdrawn. Use allowOverdraft to allow this." });
		const e = await caught(api().updateCredit(STORE, OFF, 'ann@example.com', undefined, { charge: '1' }));
		expect(e.message).toBe("BTCPay refused: The subscriber's balance would be overdrawn. Use allowOverdraft to allow this. (overdraft)");
	});
});

describe('SubscriptionsApi: plan checkouts and portal sessions', () => {
	it('creates a checkout for a new subscriber; credit purchase checked against the plan currency', async () => {
		const scope = nock(BASE)
			.post('/api/v1/plan-checkout', { storeId: STORE, offeringId: OFF, planId: 'plan_1', newSubscriberEmail: 'ann@example.com', metadata: { src: 'form' }, durationMinutes: 60 })
			.reply(200, checkout());
		expect((await api().createPlanCheckout({ storeId: STORE, offeringId: OFF, planId: 'plan_1', newSubscriberEmail: 'ann@example.com', metadata: { src: 'form' }, durationMinutes: '60' as never })).url).toBe(
			`${BASE}/plan-checkout/plancheckout_1`,
		);
		scope.done();
		const withCredit = nock(BASE)
			.get(`${OFFERINGS}/${OFF}/plans/plan_1`)
			.reply(200, plan())
			.post('/api/v1/plan-checkout', { storeId: STORE, offeringId: OFF, planId: 'plan_1', customerSelector: 'cust_1', creditPurchase: '20' })
			.reply(200, checkout({ creditPurchase: '20.00', newSubscriber: false }));
		expect((await api().createPlanCheckout({ storeId: STORE, offeringId: OFF, planId: 'plan_1', customerSelector: 'cust_1', creditPurchase: '20.00' })).creditPurchase).toBe('20.00');
		withCredit.done();
		expect((await caught(api().createPlanCheckout({ storeId: STORE, offeringId: OFF, planId: 'plan_1', customerSelector: 'cust_1', newSubscriberEmail: 'a@b.co' }))).message).toMatch(/^New Subscriber Email: must be empty/);
		expect((await caught(api().createPlanCheckout({ storeId: STORE, offeringId: OFF, planId: 'plan_1', onPayBehavior: 'Later' as never }))).message).toMatch(/^On Pay:/);
		nock(BASE).post('/api/v1/plan-checkout').reply(404, { code: 'plan-not-found', message: 'The plan was not found' });
		expect((await caught(api().createPlanCheckout({ storeId: STORE, offeringId: OFF, planId: 'plan_x' }))).message).toBe('The plan was not found in BTCPay (404 plan-not-found)');
	});

	it('gets and proceeds a checkout (email in the query); an expired one is a business error', async () => {
		nock(BASE).get('/api/v1/plan-checkout/plancheckout_1').reply(200, checkout());
		expect((await api().getPlanCheckout('plancheckout_1')).id).toBe('plancheckout_1');
		const scope = nock(BASE).post('/api/v1/plan-checkout/plancheckout_1').query({ email: 'ann@example.com' }).reply(200, checkout({ invoiceId: 'inv1' }));
		expect((await api().proceedPlanCheckout('plancheckout_1', 'ann@example.com')).invoiceId).toBe('inv1');
		scope.done();
		nock(BASE).post('/api/v1/plan-checkout/plancheckout_1').reply(404, { code: 'checkout-plan-expired', message: 'The checkout plan is expired' });
		const e = await caught(api().proceedPlanCheckout('plancheckout_1'));
		expect(e).toMatchObject({ kind: 'business', message: 'The plan checkout has expired in BTCPay (404 checkout-plan-expired)' });
	});

	it('creates and reads a portal session', async () => {
		const session = { id: 'ps_1', baseUrl: `${BASE}/`, subscriber: subscriber(), expiration: 1_767_312_000, isExpired: false, url: `${BASE}/subscriber-portal/ps_1` };
		const scope = nock(BASE)
			.post('/api/v1/subscriber-portal', { storeId: STORE, offeringId: OFF, customerSelector: 'ann@example.com', durationMinutes: 30 })
			.reply(200, session)
			.get('/api/v1/subscriber-portal/ps_1')
			.reply(200, session);
		expect((await api().createPortalSession({ storeId: STORE, offeringId: OFF, customerSelector: 'ann@example.com', durationMinutes: 30 })).url).toBe(`${BASE}/subscriber-portal/ps_1`);
		expect((await api().getPortalSession('ps_1')).subscriber.phase).toBe('Normal');
		scope.done();
		expect((await caught(api().createPortalSession({ storeId: STORE, offeringId: OFF, customerSelector: '' }))).message).toMatch(/^Customer: is required/);
	});
});
