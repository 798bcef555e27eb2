/**
 * The BTCPay node's subscription resources (Offering, Plan, Subscriber, Plan
 * Checkout, Subscriber Portal) run through the node's real execute() against
 * the OpenAPI-checked emulator: simplified outputs, validation before sending,
 * errors naming the item; zero spec violations.
 */
import type { IDataObject } from 'n8n-workflow';
import { runBtcPayNode } from '../helpers/btcpay-node';
import { seedStore, simulatePayment, startEmulator, type BtcPayEmulator } from '../btcpay-emulator';

jest.setTimeout(60_000);

let emu: BtcPayEmulator;
let storeId: string;

beforeAll(async () => {
	emu = await startEmulator();
	storeId = seedStore(emu, { name: 'Club', defaultCurrency: 'USD' }).id;
});
afterAll(async () => {
	emu.assertNoViolations();
	await emu.close();
});

const run = (resource: string, parameters: IDataObject) => runBtcPayNode({ url: emu.url, apiKey: emu.apiKey, storeId, parameters: { resource, ...parameters } });
/** The node error (NodeOperationError naming the item) a run rejects with. */
async function failed(promise: Promise<unknown>): Promise<Error> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the run to fail');
}
const rl = (value: string) => ({ __rl: true, mode: 'id', value });

it('offering → plan → checkout link → paid → subscriber operations → portal link', async () => {
	const [offering] = await run('offering', { operation: 'create', appName: 'Club', additionalFields: { features: { feature: [{ id: 'lounge', description: 'Lounge access' }] }, metadata: '{"app":"club"}' } });
	expect(offering).toMatchObject({ appName: 'Club', storeId, features: ['lounge'], plans: [] });
	const offeringId = String(offering.id);
	expect((await run('offering', { operation: 'getAll', returnAll: true })).map((o) => o.id)).toContain(offeringId);
	expect((await run('offering', { operation: 'update', offering: rl(offeringId), updateFields: { successRedirectUrl: 'https://club.example/in' } }))[0].successRedirectUrl).toBe('https://club.example/in');

	const [plan] = await run('plan', { operation: 'create', offering: rl(offeringId), name: 'Gold', price: '25.00', currency: 'USD', recurringType: 'Monthly', additionalFields: { gracePeriodDays: 7, features: 'lounge' } });
	expect(plan).toMatchObject({ name: 'Gold', price: '25.00', currency: 'USD', recurringType: 'Monthly', gracePeriodDays: 7, features: ['lounge'] });
	const planId = String(plan.id);
	expect((await run('plan', { operation: 'update', offering: rl(offeringId), plan: rl(planId), updateFields: { trialDays: 3 } }))[0].trialDays).toBe(3);
	expect((await run('plan', { operation: 'get', offering: rl(offeringId), plan: rl(planId) }))[0].id).toBe(planId);
	const bad = await failed(run('plan', { operation: 'create', offering: rl(offeringId), name: 'Cheap', price: '0.001', currency: 'USD', recurringType: 'Monthly' }));
	expect(bad.message).toMatch(/Price: 0\.001 has 3 decimals; USD allows 2 decimals/);

	const [checkout] = await run('planCheckout', { operation: 'create', offering: rl(offeringId), plan: rl(planId), customerMode: 'new', newSubscriberEmail: 'mia@example.com', additionalFields: { newSubscriberMetadata: '{"seat":"A1"}' } });
	expect(checkout).toMatchObject({ planId, newSubscriber: true, invoiceId: null, planStarted: false });
	expect(checkout.url).toBe(`${emu.url}/plan-checkout/${String(checkout.id)}`);
	const [proceeded] = await run('planCheckout', { operation: 'proceed', checkoutId: checkout.id });
	simulatePayment(emu, String(proceeded.invoiceId), { paymentMethodId: 'BTC-LN' });
	expect((await run('planCheckout', { operation: 'get', checkoutId: checkout.id }))[0]).toMatchObject({ planStarted: true, phase: 'Normal' });

	const sel = { offering: rl(offeringId), customerSelector: 'mia@example.com' };
	const [sub] = await run('subscriber', { operation: 'get', ...sel });
	expect(sub).toMatchObject({ email: 'mia@example.com', phase: 'Normal', isActive: true, planId, price: '25.00', currency: 'USD', metadata: { seat: 'A1' } });
	expect(typeof sub.periodEnd).toBe('string');
	expect((await run('subscriber', { operation: 'updateCredit', ...sel, credit: '5.50', options: { description: 'referral' } }))[0]).toEqual({ customerSelector: 'mia@example.com', currency: 'USD', balance: '5.50' });
	const overdraft = await failed(run('subscriber', { operation: 'updateCredit', ...sel, charge: '6' }));
	expect(overdraft.message).toMatch(/Debit: 6 USD is more than the balance of 5\.50 USD/);
	expect((await run('subscriber', { operation: 'getCredit', ...sel }))[0].balance).toBe('5.50');
	expect((await run('subscriber', { operation: 'suspend', ...sel, reason: 'Unpaid bar tab' }))[0]).toMatchObject({ isActive: false, isSuspended: true, suspensionReason: 'Unpaid bar tab' });
	expect((await run('subscriber', { operation: 'unsuspend', ...sel }))[0].isActive).toBe(true);
	expect((await run('subscriber', { operation: 'updateDates', ...sel, dates: { expirationDate: '2099-01-01T00:00:00Z' } }))[0].periodEnd).toBe('2099-01-01T00:00:00.000Z');

	const [portal] = await run('subscriberPortal', { operation: 'create', ...sel, durationMinutes: 60 });
	expect(portal).toMatchObject({ phase: 'Normal', isActive: true, url: `${emu.url}/subscriber-portal/${String(portal.id)}` });
	expect((await run('subscriberPortal', { operation: 'get', portalSessionId: portal.id }))[0].id).toBe(portal.id);

	expect((await run('subscriber', { operation: 'delete', ...sel }))[0]).toEqual({ success: true, customerSelector: 'mia@example.com' });
	const gone = await failed(run('subscriber', { operation: 'get', ...sel }));
	expect(gone.message).toMatch(/The subscriber "mia@example.com" was not found in BTCPay \(404 subscriber-not-found\)/);
});
