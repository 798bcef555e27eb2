/**
 * Every SubscriptionsApi operation against the OpenAPI-checked emulator: the
 * client's requests and the emulator's answers both match the spec (0 violations),
 * and the client's own checks (currency fix-up, overdraft refusal) hold.
 */
import { BtcPayClient } from '../../nodes/BtcPay/client';
import { caught } from '../helpers/caught';
import { seedStore, simulatePayment, startEmulator, type BtcPayEmulator } from '../btcpay-emulator';

jest.setTimeout(60_000);

let emu: BtcPayEmulator;
let client: BtcPayClient;
let storeId: string;

beforeAll(async () => {
	emu = await startEmulator();
	client = new BtcPayClient({ url: emu.url, apiKey: emu.apiKey, retryDelayMs: 1 });
	storeId = seedStore(emu, { name: 'Magazine', defaultCurrency: 'EUR' }).id;
});
afterAll(async () => {
	emu.assertNoViolations();
	await emu.close();
});

it('offering → plan → checkout → paid → subscriber operations → portal', async () => {
	const s = client.subscriptions;
	const offering = await s.createOffering(storeId, { appName: 'Magazine', features: [{ id: 'print', description: 'Printed issue' }] });
	expect((await s.listOfferings(storeId)).map((o) => o.id)).toEqual([offering.id]);
	expect((await s.updateOffering(storeId, offering.id, { successRedirectUrl: 'https://mag.example/thanks' })).appName).toBe('Magazine');
	expect((await s.getOffering(storeId, offering.id)).successRedirectUrl).toBe('https://mag.example/thanks');

	// asked in USD: v2.4.1 creates it in the store's EUR, the client sets USD right after
	const plan = await s.createPlan(storeId, offering.id, { name: 'Monthly', price: '4.50', currency: 'USD', gracePeriodDays: 5, features: ['print'] });
	expect(plan).toMatchObject({ currency: 'USD', price: '4.5', gracePeriodDays: 5, features: ['print'] });
	expect((await s.updatePlan(storeId, offering.id, plan.id, { description: 'Twelve issues a year' })).description).toBe('Twelve issues a year');
	expect((await s.getPlan(storeId, offering.id, plan.id)).currency).toBe('USD');

	const checkout = await s.createPlanCheckout({ storeId, offeringId: offering.id, planId: plan.id, newSubscriberEmail: 'reader@example.com' });
	expect(checkout.url).toBe(`${emu.url}/plan-checkout/${checkout.id}`);
	const proceeded = await s.proceedPlanCheckout(checkout.id);
	expect(proceeded.invoiceId).toBeTruthy();
	simulatePayment(emu, proceeded.invoiceId!, { paymentMethodId: 'BTC-LN' });
	expect((await s.getPlanCheckout(checkout.id)).planStarted).toBe(true);

	const sub = await s.getSubscriber(storeId, offering.id, 'reader@example.com');
	expect(sub).toMatchObject({ phase: 'Normal', isActive: true, plan: { id: plan.id } });
	expect(await s.getCredit(storeId, offering.id, sub.customer.id)).toEqual({ currency: 'USD', value: '0.00' });
	expect((await s.updateCredit(storeId, offering.id, sub.customer.id, 'USD', { credit: '1.25', description: 'goodwill' })).value).toBe('1.25');
	const refused = await caught(s.updateCredit(storeId, offering.id, sub.customer.id, undefined, { charge: '1.26' }));
	expect(refused.message).toMatch(/^Debit: 1\.26 USD is more than the balance of 1\.25 USD/);
	expect((await s.updateCredit(storeId, offering.id, sub.customer.id, undefined, { charge: '1.25' })).value).toBe('0.00');

	expect((await s.suspendSubscriber(storeId, offering.id, 'reader@example.com', 'Fraud check')).isActive).toBe(false);
	expect((await s.unsuspendSubscriber(storeId, offering.id, 'reader@example.com')).isActive).toBe(true);
	const moved = await s.updateSubscriberDates(storeId, offering.id, 'reader@example.com', { expirationDate: (sub.periodEnd ?? 0) + 86_400 });
	expect(moved.periodEnd).toBe((sub.periodEnd ?? 0) + 86_400);

	const portal = await s.createPortalSession({ storeId, offeringId: offering.id, customerSelector: 'reader@example.com' });
	expect((await s.getPortalSession(portal.id)).url).toBe(`${emu.url}/subscriber-portal/${portal.id}`);

	await s.deleteSubscriber(storeId, offering.id, 'reader@example.com');
	expect((await caught(s.getSubscriber(storeId, offering.id, 'reader@example.com'))).message).toBe('The subscriber "reader@example.com" was not found in BTCPay (404 subscriber-not-found)');
	expect((await caught(s.getOffering(storeId, 'offering_nope'))).message).toBe(`The offering "offering_nope" was not found in the BTCPay store "${storeId}" (403 Forbidden)`);
});
