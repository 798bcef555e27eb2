/**
 * Native subscriptions on the OpenAPI-checked BTCPay emulator (raw HTTP): offerings,
 * plans, plan checkouts paid with real emulator invoices, the subscriber's phases
 * moving with the emulator clock (reminder, auto-renewal from credit, grace,
 * expiry), credits, suspension, dates, portal sessions, permissions, and the
 * webhook events each change sends; zero spec violations.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { addMonths, roundHalfEven, seedStore, settleDeliveries, simulatePayment, startEmulator, parseSelector, type BtcPayEmulator } from '../btcpay-emulator';

jest.setTimeout(60_000);

let emu: BtcPayEmulator;
let storeId: string;
let receiver: http.Server;
let hookUrl: string;
let received: any[] = [];
let now = 1_767_225_600; // 2026-01-01T00:00:00Z

async function api(method: string, path: string, body?: unknown, key = emu.apiKey): Promise<{ status: number; body: any }> {
	const res = await fetch(`${emu.url}${path}`, {
		method,
		headers: { authorization: `token ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
		body: body !== undefined ? JSON.stringify(body) : undefined,
	});
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function events(): Promise<any[]> {
	await settleDeliveries(emu);
	const out = received.filter((e) => !String(e.type).startsWith('Invoice'));
	received = [];
	return out;
}

beforeAll(async () => {
	receiver = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
		req.on('end', () => {
			received.push(JSON.parse(raw));
			res.writeHead(200).end();
		});
	});
	await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
	hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
	emu = await startEmulator({ webhookTimeScale: 0.001, webhookTimeoutScale: 0.05 });
	emu.setClock(() => now);
	storeId = seedStore(emu, { name: 'SaaS', defaultCurrency: 'EUR' }).id;
	const hook = await api('POST', `/api/v1/stores/${storeId}/webhooks`, { url: hookUrl, authorizedEvents: { everything: true } });
	expect(hook.status).toBe(200);
});
afterAll(async () => {
	emu.assertNoViolations();
	await emu.close();
	receiver.closeAllConnections();
	await new Promise<void>((r) => receiver.close(() => r()));
});

async function offering(features: Array<{ id: string; description?: string }> = [{ id: 'pro', description: 'Pro features' }]): Promise<any> {
	const o = await api('POST', `/api/v1/stores/${storeId}/offerings`, { appName: 'Newsletter', successRedirectUrl: 'https://shop.example/welcome', features, metadata: { tier: 'x' } });
	expect(o.status).toBe(200);
	return o.body;
}

async function plan(offeringId: string, fields: Record<string, unknown> = {}): Promise<any> {
	const p = await api('POST', `/api/v1/stores/${storeId}/offerings/${offeringId}/plans`, { name: 'Monthly', price: '9.90', currency: 'EUR', recurringType: 'Monthly', gracePeriodDays: 3, ...fields });
	expect(p.status).toBe(200);
	return p.body;
}

async function subscribe(o: any, p: any, email: string): Promise<{ checkout: any; subscriber: any }> {
	const created = await api('POST', '/api/v1/plan-checkout', { storeId, offeringId: o.id, planId: p.id, newSubscriberEmail: email });
	expect(created.status).toBe(200);
	const proceeded = await api('POST', `/api/v1/plan-checkout/${created.body.id}`);
	expect(proceeded.status).toBe(200);
	simulatePayment(emu, proceeded.body.invoiceId, { paymentMethodId: 'BTC-LN' });
	const sub = await api('GET', `/api/v1/stores/${storeId}/offerings/${o.id}/subscribers/${encodeURIComponent(email)}`);
	expect(sub.status).toBe(200);
	return { checkout: proceeded.body, subscriber: sub.body };
}

describe('helpers follow C#', () => {
	it('Math.Round half to even, AddMonths clamps to the month end, customer selectors', () => {
		expect(roundHalfEven('2.345', 2)).toBe('2.34');
		expect(roundHalfEven('2.355', 2)).toBe('2.36');
		expect(roundHalfEven('2.3451', 2)).toBe('2.35');
		expect(roundHalfEven('7', 2)).toBe('7.00');
		expect(new Date(addMonths(Date.UTC(2026, 0, 31) / 1000, 1) * 1000).toISOString()).toBe('2026-02-28T00:00:00.000Z');
		expect(parseSelector('cust_abc')).toEqual({ kind: 'id', id: 'cust_abc' });
		expect(parseSelector('[ext-1]')).toEqual({ kind: 'ref', ref: 'ext-1' });
		expect(parseSelector('ann@example.com')).toEqual({ kind: 'identity', type: 'Email', value: 'ann@example.com' });
		expect(parseSelector('Email:ann@example.com')).toEqual({ kind: 'identity', type: 'Email', value: 'ann@example.com' });
		expect(parseSelector('nobody')).toBeUndefined();
	});
});

describe('offerings and plans', () => {
	it('create, get, list, update; AppName and feature ids required', async () => {
		const o = await offering();
		expect(o).toMatchObject({ storeId, appName: 'Newsletter', successRedirectUrl: 'https://shop.example/welcome', plans: [], features: [{ id: 'pro', description: 'Pro features' }], metadata: { tier: 'x' } });
		expect(o.id).toMatch(/^offering_/);
		expect((await api('GET', `/api/v1/stores/${storeId}/offerings/${o.id}`)).body.id).toBe(o.id);
		expect((await api('GET', `/api/v1/stores/${storeId}/offerings`)).body.map((x: any) => x.id)).toContain(o.id);
		const updated = await api('PUT', `/api/v1/stores/${storeId}/offerings/${o.id}`, { appName: 'Letters' });
		expect(updated.body).toMatchObject({ appName: 'Letters', successRedirectUrl: 'https://shop.example/welcome' });
		const bad = await api('POST', `/api/v1/stores/${storeId}/offerings`, { appName: null, features: [{ id: '', description: 'unnamed' }] });
		expect(bad.status).toBe(422);
		expect(bad.body).toEqual([
			{ path: 'AppName', message: 'AppName is required' },
			{ path: 'Features[0].Id', message: 'Feature id is required' },
		]);
		// an unknown offering id fails the authorization (the offering's store is looked up): 403
		expect((await api('GET', `/api/v1/stores/${storeId}/offerings/offering_nope`)).status).toBe(403);
	});

	it("plan create takes the store's default currency (v2.4.1), update changes it; unknown features refused", async () => {
		const o = await offering();
		const p = await plan(o.id, { currency: 'USD', features: ['pro'], trialDays: 7, description: 'All issues' });
		expect(p).toMatchObject({ name: 'Monthly', price: '9.90', currency: 'EUR', recurringType: 'Monthly', trialDays: 7, gracePeriodDays: 3, status: 'Active', features: ['pro'], renewable: true, optimisticActivation: false, memberCount: 0 });
		expect(p.id).toMatch(/^plan_/);
		const updated = await api('PUT', `/api/v1/stores/${storeId}/offerings/${o.id}/plans/${p.id}`, { currency: 'USD', price: '12.5' });
		expect(updated.body).toMatchObject({ currency: 'USD', price: '12.5', name: 'Monthly' });
		const bad = await api('POST', `/api/v1/stores/${storeId}/offerings/${o.id}/plans`, { name: 'X', features: ['nope'] });
		expect(bad).toEqual({ status: 422, body: [{ path: 'Features', message: "A feature with id 'nope' does not exist on the offering." }] });
		expect((await api('GET', `/api/v1/stores/${storeId}/offerings/${o.id}/plans/plan_nope`)).body.code).toBe('plan-not-found');
		expect((await api('GET', `/api/v1/stores/${storeId}/offerings/${o.id}`)).body.plans.map((x: any) => x.id)).toEqual([p.id]);
	});
});

describe('a subscriber through checkout, renewal, grace and expiry', () => {
	it('checkout paid → created, credited, charged, plan started, phase changed, activated', async () => {
		now = 1_767_225_600;
		emu.tick();
		await events();
		const o = await offering();
		const p = await plan(o.id);
		const created = await api('POST', '/api/v1/plan-checkout', { storeId, offeringId: o.id, planId: p.id, metadata: { source: 'form' } });
		expect(created.body).toMatchObject({ newSubscriber: true, invoiceId: null, subscriber: null, planStarted: false, isTrial: false, onPayBehavior: 'SoftMigration', isExpired: false, expiration: now + 86_400 });
		expect(created.body.url).toBe(`${emu.url}/plan-checkout/${created.body.id}`);
		const noEmail = await api('POST', `/api/v1/plan-checkout/${created.body.id}`);
		expect(noEmail).toEqual({ status: 422, body: [{ path: 'email', message: 'You need to pass `email` as query string' }] });
		const proceeded = await api('POST', `/api/v1/plan-checkout/${created.body.id}?email=ann%40example.com`);
		expect(proceeded.status).toBe(200);
		expect(proceeded.body.redirectUrl).toBe(`https://shop.example/welcome?checkoutPlanId=${created.body.id}`);
		const invoice = await api('GET', `/api/v1/stores/${storeId}/invoices/${proceeded.body.invoiceId}`);
		expect(invoice.body).toMatchObject({ amount: '9.9', currency: 'EUR', metadata: { planId: p.id, offeringId: o.id, buyerEmail: 'ann@example.com' } });
		expect(await events()).toEqual([]);

		simulatePayment(emu, proceeded.body.invoiceId, { paymentMethodId: 'BTC-LN' });
		const evs = await events();
		expect(evs.map((e) => e.type)).toEqual(['SubscriberCreated', 'SubscriberCredited', 'SubscriberCharged', 'PlanStarted', 'SubscriberPhaseChanged', 'SubscriberActivated']);
		expect(evs[1]).toMatchObject({ amount: 9.9, total: 9.9, currency: 'EUR', storeId });
		expect(evs[2]).toMatchObject({ amount: 9.9, total: 0, currency: 'EUR' });
		expect(evs[4]).toMatchObject({ previousPhase: 'Expired', currentPhase: 'Normal' });
		const periodEnd = addMonths(now, 1);
		expect(evs[5].subscriber).toMatchObject({ phase: 'Normal', isActive: true, periodEnd, gracePeriodEnd: periodEnd + 3 * 86_400, customer: { identities: { Email: 'ann@example.com' } } });

		const sub = await api('GET', `/api/v1/stores/${storeId}/offerings/${o.id}/subscribers/ann%40example.com`);
		expect(sub.body).toMatchObject({ phase: 'Normal', isActive: true, periodEnd, plan: { id: p.id, memberCount: 1 } });
		const byId = await api('GET', `/api/v1/stores/${storeId}/offerings/${o.id}/subscribers/${sub.body.customer.id}`);
		expect(byId.body.customer.id).toBe(sub.body.customer.id);
		const after = await api('GET', `/api/v1/plan-checkout/${created.body.id}`);
		expect(after.body).toMatchObject({ planStarted: true, creditedByInvoice: '9.90', subscriber: { customer: { id: sub.body.customer.id } } });

		// the reminder date (3 days before the period end) with no credit for the next period
		now = periodEnd - 3 * 86_400;
		emu.tick(); // the poll takes dates strictly before now
		expect(await events()).toEqual([]);
		now += 60;
		emu.tick();
		expect((await events()).map((e) => e.type)).toEqual(['PaymentReminder']);

		// credit enough for one period: the period end renews from the balance (no phase change)
		const credited = await api('POST', `/api/v1/stores/${storeId}/offerings/${o.id}/subscribers/ann%40example.com/credits/EUR`, { credit: '10.00', description: 'top-up' });
		expect(credited.body).toEqual({ currency: 'EUR', value: '10.00' });
		expect((await events()).map((e) => [e.type, e.amount, e.total])).toEqual([['SubscriberCredited', 10, 10]]);
		now = periodEnd + 60;
		emu.tick();
		const renewed = await events();
		expect(renewed.map((e) => e.type)).toEqual(['SubscriberCharged', 'PlanStarted']);
		expect(renewed[0]).toMatchObject({ amount: 9.9, total: 0.1 });
		expect(renewed[1]).toMatchObject({ autoRenew: true, subscriber: { phase: 'Normal', periodEnd: addMonths(periodEnd, 1) } });
		expect((await api('GET', `/api/v1/stores/${storeId}/offerings/${o.id}/subscribers/ann%40example.com/credits/current`)).body).toEqual({ currency: 'EUR', value: '0.10' });

		// the next period end without credit: grace, then expiry
		const end2 = addMonths(periodEnd, 1);
		now = end2 - 3 * 86_400 + 60;
		emu.tick();
		expect((await events()).map((e) => e.type)).toEqual(['PaymentReminder']);
		now = end2 + 1;
		emu.tick();
		const grace = await events();
		expect(grace.map((e) => e.type)).toEqual(['SubscriberPhaseChanged']);
		expect(grace[0]).toMatchObject({ previousPhase: 'Normal', currentPhase: 'Grace', subscriber: { isActive: true, phase: 'Grace' } });
		now = end2 + 3 * 86_400 + 1;
		emu.tick();
		const expired = await events();
		expect(expired.map((e) => e.type)).toEqual(['SubscriberPhaseChanged', 'SubscriberDisabled']);
		expect(expired[1]).toMatchObject({ reason: 'Expired', suspensionReason: null, subscriber: { phase: 'Expired', isActive: false } });
		// nothing more happens with time
		now += 40 * 86_400;
		emu.tick();
		expect(await events()).toEqual([]);

		// a checkout for the existing subscriber (in Expired) charges the plan and restarts it
		const again = await api('POST', '/api/v1/plan-checkout', { storeId, offeringId: o.id, planId: p.id, customerSelector: 'ann@example.com' });
		expect(again.body).toMatchObject({ newSubscriber: false, subscriber: { phase: 'Expired' } });
		const inv = await api('POST', `/api/v1/plan-checkout/${again.body.id}`);
		expect((await api('GET', `/api/v1/stores/${storeId}/invoices/${inv.body.invoiceId}`)).body.amount).toBe('9.8'); // price minus the 0.10 balance
		simulatePayment(emu, inv.body.invoiceId, { paymentMethodId: 'BTC-LN' });
		expect((await events()).map((e) => e.type)).toEqual(['SubscriberCredited', 'SubscriberCharged', 'PlanStarted', 'SubscriberPhaseChanged', 'SubscriberActivated']);
	});

	it('an on-chain payment waits for settlement unless the plan activates optimistically', async () => {
		const o = await offering();
		const p = await plan(o.id, { optimisticActivation: true });
		const c = await api('POST', '/api/v1/plan-checkout', { storeId, offeringId: o.id, planId: p.id, newSubscriberEmail: 'opt@example.com' });
		const inv = (await api('POST', `/api/v1/plan-checkout/${c.body.id}`)).body.invoiceId;
		await events();
		simulatePayment(emu, inv, { paymentMethodId: 'BTC-CHAIN' });
		const evs = await events();
		expect(evs.map((e) => e.type)).toEqual(['SubscriberCreated', 'SubscriberCredited', 'SubscriberCharged', 'PlanStarted', 'SubscriberPhaseChanged', 'SubscriberActivated']);
		expect(evs[5].subscriber.processingInvoiceId).toBeNull(); // set on the subscriber only once it exists

		const strict = await plan(o.id, { name: 'Strict' });
		const c2 = await api('POST', '/api/v1/plan-checkout', { storeId, offeringId: o.id, planId: strict.id, newSubscriberEmail: 'strict@example.com' });
		const inv2 = (await api('POST', `/api/v1/plan-checkout/${c2.body.id}`)).body.invoiceId;
		simulatePayment(emu, inv2, { paymentMethodId: 'BTC-CHAIN' });
		expect(await events()).toEqual([]);
		expect((await api('GET', `/api/v1/stores/${storeId}/offerings/${o.id}/subscribers/strict%40example.com`)).status).toBe(404);
	});

	it('a trial starts without an invoice', async () => {
		const o = await offering();
		const p = await plan(o.id, { trialDays: 14 });
		const c = await api('POST', '/api/v1/plan-checkout', { storeId, offeringId: o.id, planId: p.id, newSubscriberEmail: 'trial@example.com', isTrial: true });
		expect(c.body.isTrial).toBe(true);
		await events();
		const started = await api('POST', `/api/v1/plan-checkout/${c.body.id}`);
		expect(started.body).toMatchObject({ invoiceId: null, planStarted: true, subscriber: { phase: 'Trial', trialEnd: now + 14 * 86_400, periodEnd: null } });
		expect((await events()).map((e) => e.type)).toEqual(['SubscriberCreated', 'PlanStarted', 'SubscriberPhaseChanged', 'SubscriberActivated']);
	});
});

describe('subscriber operations', () => {
	let o: any;
	const path = () => `/api/v1/stores/${storeId}/offerings/${o.id}/subscribers/bob%40example.com`;
	beforeAll(async () => {
		o = await offering();
		const p = await plan(o.id);
		await subscribe(o, p, 'bob@example.com');
		await events();
	});

	it('credits are exact; a debit beyond the balance is refused unless overdraft is allowed', async () => {
		expect((await api('POST', `${path()}/credits/EUR`, { credit: '0.10' })).body.value).toBe('0.10');
		expect((await api('POST', `${path()}/credits/EUR`, { credit: '0.20' })).body.value).toBe('0.30');
		const refused = await api('POST', `${path()}/credits/EUR`, { charge: '0.31' });
		expect(refused).toEqual({ status: 400, body: { code: 'overdraft', message: "The subscriber's balance would be overdrawn. Use allowOverdraft to allow this." } });
		expect((await api('GET', `${path()}/credits/EUR`)).body.value).toBe('0.30');
		expect((await api('POST', `${path()}/credits/EUR`, { charge: '0.50', allowOverdraft: true })).body.value).toBe('-0.20');
		expect((await events()).map((e) => [e.type, e.amount, e.total])).toEqual([
			['SubscriberCredited', 0.1, 0.1],
			['SubscriberCredited', 0.2, 0.3],
			['SubscriberCharged', 0.5, -0.2],
		]);
		// credit and charge at once: one credited and one charged event
		expect((await api('POST', `${path()}/credits/EUR`, { credit: '1.00', charge: '0.40' })).body.value).toBe('0.40');
		expect((await events()).map((e) => [e.type, e.amount, e.total])).toEqual([
			['SubscriberCredited', 1, 0.8],
			['SubscriberCharged', 0.4, 0.4],
		]);
	});

	it('suspend disables with the reason, unsuspend activates', async () => {
		const s = await api('POST', `${path()}/suspend`, { reason: 'Chargeback' });
		expect(s.body).toMatchObject({ isSuspended: true, isActive: false, suspensionReason: 'Chargeback', phase: 'Normal' });
		const off = await events();
		expect(off.map((e) => [e.type, e.reason, e.suspensionReason])).toEqual([['SubscriberDisabled', 'Suspension', 'Chargeback']]);
		const u = await api('POST', `${path()}/unsuspend`);
		expect(u.body).toMatchObject({ isSuspended: false, isActive: true, suspensionReason: null });
		expect((await events()).map((e) => e.type)).toEqual(['SubscriberActivated']);
	});

	it('dates: the expiration moves the period (and grace); an expiration before the start is refused', async () => {
		const before = (await api('GET', path())).body;
		const bad = await api('PUT', `${path()}/dates`, { startDate: now, expirationDate: now - 1 });
		expect(bad).toEqual({ status: 400, body: { code: 'invalid-dates', message: 'Expiration date must be after the start date.' } });
		const moved = await api('PUT', `${path()}/dates`, { expirationDate: now + 86_400 });
		expect(moved.body).toMatchObject({ periodEnd: now + 86_400, gracePeriodEnd: now + 4 * 86_400 });
		expect(moved.body.periodEnd).not.toBe(before.periodEnd);
		// the reminder date (3 days before) is already past and the balance does not cover the price
		expect((await events()).map((e) => e.type)).toEqual(['PaymentReminder']);
		// an expiration in the past: the subscriber moves to Grace at once
		const past = await api('PUT', `${path()}/dates`, { startDate: now - 40 * 86_400, expirationDate: now - 86_400 });
		expect(past.body.phase).toBe('Grace');
		expect((await events()).map((e) => [e.type, e.currentPhase])).toEqual([['SubscriberPhaseChanged', 'Grace'], ['PaymentReminder', undefined]]);
	});

	it('portal sessions; unknown subscriber, checkout and portal are 404; invalid selectors 422', async () => {
		const portal = await api('POST', '/api/v1/subscriber-portal', { storeId, offeringId: o.id, customerSelector: 'bob@example.com', durationMinutes: 30 });
		expect(portal.body).toMatchObject({ expiration: now + 1800, isExpired: false, subscriber: { customer: { identities: { Email: 'bob@example.com' } } } });
		expect(portal.body.url).toBe(`${emu.url}/subscriber-portal/${portal.body.id}`);
		expect((await api('GET', `/api/v1/subscriber-portal/${portal.body.id}`)).body.id).toBe(portal.body.id);
		expect((await api('GET', '/api/v1/subscriber-portal/ps_nope')).body.code).toBe('portal-session-not-found');
		expect((await api('GET', '/api/v1/plan-checkout/plancheckout_nope')).body.code).toBe('checkout-plan-not-found');
		expect((await api('GET', `/api/v1/stores/${storeId}/offerings/${o.id}/subscribers/nobody%40example.com`)).body.code).toBe('subscriber-not-found');
		const invalid = await api('GET', `/api/v1/stores/${storeId}/offerings/${o.id}/subscribers/nobody`);
		expect(invalid.status).toBe(422);
		const missing = await api('POST', '/api/v1/subscriber-portal', { storeId, offeringId: o.id });
		expect(missing.body).toEqual([{ path: 'CustomerSelector', message: 'CustomerSelector is required' }]);
	});

	it('checkout validation and expiry', async () => {
		const p = (await api('GET', `/api/v1/stores/${storeId}/offerings/${o.id}`)).body.plans[0];
		const both = await api('POST', '/api/v1/plan-checkout', { storeId, offeringId: o.id, planId: p.id, customerSelector: 'bob@example.com', newSubscriberEmail: 'x@example.com', creditPurchase: '0' });
		expect(both.body).toEqual([
			{ path: 'NewSubscriberEmail', message: 'If customerSelector is specified, newSubscriberEmail cannot be specified' },
			{ path: 'CreditPurchase', message: 'CreditPurchase must be greater than 0 or left null' },
		]);
		const short = await api('POST', '/api/v1/plan-checkout', { storeId, offeringId: o.id, planId: p.id, durationMinutes: 5, creditPurchase: '20.005' });
		expect(short.body).toMatchObject({ creditPurchase: '20.00', expiration: now + 300 });
		now += 301;
		expect((await api('POST', `/api/v1/plan-checkout/${short.body.id}?email=z%40example.com`)).body).toEqual({ code: 'checkout-plan-expired', message: 'The checkout plan is expired' });
		expect((await api('POST', '/api/v1/plan-checkout', { storeId, offeringId: o.id, planId: 'plan_nope' })).body.code).toBe('plan-not-found');
		await events();
	});

	it('the subscriber is deleted', async () => {
		expect((await api('DELETE', path())).status).toBe(204);
		expect((await api('GET', path())).status).toBe(404);
	});
});

describe('permissions', () => {
	it('view-only keys cannot change; checkouts check the store in the body; store settings imply offerings', async () => {
		const o = await offering();
		const p = await plan(o.id);
		const other = seedStore(emu, { name: 'Other' }).id;
		const viewer = emu.addApiKey({ permissions: [`btcpay.store.canviewofferings:${storeId}`] }).apiKey;
		const manager = emu.addApiKey({ permissions: [`btcpay.store.canmanagesubscribers:${other}`] }).apiKey;
		const owner = emu.addApiKey({ permissions: [`btcpay.store.canmodifystoresettings:${storeId}`] }).apiKey;
		expect((await api('GET', `/api/v1/stores/${storeId}/offerings/${o.id}`, undefined, viewer)).status).toBe(200);
		const denied = await api('POST', `/api/v1/stores/${storeId}/offerings`, { appName: 'x' }, viewer);
		expect(denied.body).toMatchObject({ code: 'missing-permission', missingPermission: 'btcpay.store.canmodifyofferings' });
		const wrongStore = await api('POST', '/api/v1/plan-checkout', { storeId, offeringId: o.id, planId: p.id }, manager);
		expect(wrongStore).toMatchObject({ status: 403, body: { missingPermission: 'btcpay.store.canmanagesubscribers' } });
		expect((await api('POST', '/api/v1/plan-checkout', { storeId, offeringId: o.id, planId: p.id }, owner)).status).toBe(200);
		// an offering of another store in the route: 403
		expect((await api('GET', `/api/v1/stores/${other}/offerings/${o.id}`)).status).toBe(403);
	});
});
