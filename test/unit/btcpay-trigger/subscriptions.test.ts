/**
 * Subscription events through the BTCPay Trigger's delivery handler: Confirm With API
 * reads the subscriber back (nodes/BtcPay/trigger/confirm.ts, confirmSubscriptionEvent)
 * and the item carries flat fields and exact amounts (trigger/output.ts). BTCPay is a
 * fake here; payloads follow BTCPay v2.4.1 (BTCPayServer.Client/Models/
 * WebhookSubscriptionEvent.cs, Plugins/Subscriptions/SubscriberWebhookProvider.cs,
 * Mapper.cs: `total`/`amount` are JSON numbers).
 */
import { DeliveryMemory } from '../../../nodes/shared/delivery-memory';
import { ServiceError } from '../../../nodes/shared/errors';
import type { ConfirmApi, SubscriberView } from '../../../nodes/BtcPay/trigger/confirm';
import { handleDelivery, type TriggerSettings } from '../../../nodes/BtcPay/trigger/handler';
import { jsonNumberToDecimal, topLevelNumberTexts } from '../../../nodes/BtcPay/trigger/output';
import { OBJECT_UNREACHABLE, STORE_UNREACHABLE } from '../../../nodes/BtcPay/client/errors';
import { signBtcPayPayload } from '../../../nodes/BtcPay/trigger/signing';
import { SECRET, signed, STORE } from './fixtures';

const settings = (over: Partial<TriggerSettings> = {}): TriggerSettings => ({
	secret: SECRET,
	storeId: STORE,
	events: [],
	confirmWithApi: true,
	simplify: true,
	...over,
});

const OFFERING = 'offering_7Lm2';
const CUSTOMER = 'cust_Qx81';

function subscriberView(over: Partial<SubscriberView> = {}): SubscriberView {
	return {
		customer: { id: CUSTOMER, storeId: STORE, externalId: null, identities: { Email: 'ann@example.com' } },
		offering: { id: OFFERING, storeId: STORE },
		plan: { id: 'plan_M1', name: 'Monthly', price: '9.90', currency: 'EUR' },
		phase: 'Normal',
		isActive: true,
		isSuspended: false,
		periodEnd: 1_769_904_000,
		trialEnd: null,
		gracePeriodEnd: 1_770_163_200,
		metadata: { seat: 'A1' },
		...over,
	};
}

let counter = 0;
/** A subscription event as SubscriberWebhookProvider builds it: own fields, `subscriber`, the envelope. */
function subscriptionEvent(type: string, own: Record<string, unknown> = {}, sub: Partial<SubscriberView> = {}): Record<string, unknown> {
	counter += 1;
	const deliveryId = `SubDeliv${counter}`;
	return {
		...own,
		subscriber: subscriberView(sub),
		deliveryId,
		webhookId: 'Hook1',
		originalDeliveryId: deliveryId,
		isRedelivery: false,
		type,
		timestamp: 1_767_225_600 + counter,
		storeId: STORE,
	};
}

/** Signs a hand-written body (numbers written exactly as BTCPay's serializer would). */
function signedText(text: string) {
	const rawBody = Buffer.from(text, 'utf8');
	return { rawBody, signatureHeader: signBtcPayPayload(SECRET, rawBody) };
}

interface FakeBtcPay extends ConfirmApi {
	calls: string[];
}

function btcpay(subscribers: Record<string, SubscriberView | Error>, delayMs = 0): FakeBtcPay {
	const calls: string[] = [];
	return {
		calls,
		invoice: async () => Promise.reject(new Error('no invoices here')),
		paymentMethods: async () => [],
		pullPayment: async () => ({}),
		subscriber: async (store, offeringId, customer, signal) => {
			calls.push(`subscriber ${store}/${offeringId}/${customer}`);
			if (delayMs) {
				await new Promise<void>((resolve, reject) => {
					const t = setTimeout(resolve, delayMs);
					signal.addEventListener('abort', () => {
						clearTimeout(t);
						reject(new Error('aborted'));
					});
				});
			}
			const found = subscribers[`${offeringId}/${customer}`];
			if (found instanceof Error) throw found;
			if (!found) throw new ServiceError('The subscriber was not found in BTCPay (404 subscriber-not-found)', { kind: 'not_found', service: 'BTCPay', status: 404, code: 'subscriber-not-found' });
			return found;
		},
	};
}

const key = `${OFFERING}/${CUSTOMER}`;

describe('Confirm With API reads the subscriber back', () => {
	it.each([
		['SubscriberActivated', {}, { isActive: true }],
		['SubscriberDisabled', { reason: 'Expired', suspensionReason: null }, { isActive: false, phase: 'Expired' }],
		['SubscriberDisabled', { reason: 'Suspension', suspensionReason: 'fraud' }, { isActive: false, isSuspended: true }],
		['SubscriberPhaseChanged', { previousPhase: 'Normal', currentPhase: 'Grace' }, { phase: 'Grace' }],
		['SubscriberCreated', {}, {}],
		['SubscriberCredited', { total: 9.9, amount: 9.9, currency: 'EUR' }, {}],
		['SubscriberCharged', { total: 0.0, amount: 9.9, currency: 'EUR' }, {}],
		['PlanStarted', { autoRenew: false }, {}],
		['PaymentReminder', {}, { phase: 'Normal' }],
		['SubscriberNeedUpgrade', {}, { phase: 'Grace' }],
		['CreditRefunded', { amount: 2.5, currency: 'EUR', pullPaymentUrl: 'https://btcpay.example/pull-payments/pp1' }, {}],
	] as Array<[string, Record<string, unknown>, Partial<SubscriberView>]>)('%s %j: BTCPay agrees, emitted with confirmed: true', async (type, own, state) => {
		const event = subscriptionEvent(type, own, state);
		const api = btcpay({ [key]: subscriberView(state) });
		const out = await handleDelivery(signed(event), settings({ events: [type] }), new DeliveryMemory(10), api);
		expect(out).toMatchObject({ status: 200, body: { emitted: true } });
		expect(out.item).toMatchObject({
			type,
			confirmed: true,
			confirmedPhase: subscriberView(state).phase,
			confirmedIsActive: subscriberView(state).isActive,
			confirmedPlanId: 'plan_M1',
			confirmedSubscriberMetadata: { seat: 'A1' },
		});
		expect(api.calls).toEqual([`subscriber ${STORE}/${OFFERING}/${CUSTOMER}`]);
	});

	it.each([
		['SubscriberActivated', {}, { isActive: false, phase: 'Expired' }, 'event says the subscriber was activated, BTCPay says inactive, phase Expired'],
		['SubscriberDisabled', { reason: 'Expired' }, { isActive: true }, 'event says the subscriber was disabled, BTCPay says active, phase Normal'],
		['SubscriberPhaseChanged', { previousPhase: 'Normal', currentPhase: 'Expired' }, { phase: 'Grace' }, 'event says phase Expired, BTCPay says active, phase Grace'],
		['SubscriberPhaseChanged', { previousPhase: 'Normal' }, { phase: 'Grace' }, 'phase change event without currentPhase'],
	] as Array<[string, Record<string, unknown>, Partial<SubscriberView>, string]>)('%s %j when BTCPay shows %j: 200 unconfirmed, not emitted', async (type, own, state, reason) => {
		const event = subscriptionEvent(type, own, {});
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), btcpay({ [key]: subscriberView(state) }));
		expect(out).toMatchObject({ status: 200, body: { received: true, emitted: false, reason: 'unconfirmed' } });
		expect(out.item).toBeUndefined();
		expect(out.log?.message).toContain(reason);
	});

	it('a subscriber BTCPay does not know (deleted, forged customer, unknown offering: 403 object-unreachable) is not emitted', async () => {
		const forged = subscriptionEvent('SubscriberCreated', {}, { customer: { id: 'cust_Forged', storeId: STORE } });
		const a = await handleDelivery(signed(forged), settings(), new DeliveryMemory(10), btcpay({ [key]: subscriberView() }));
		expect(a.body).toMatchObject({ emitted: false, reason: 'unconfirmed' });
		const foreignOffering = new ServiceError('The offering "offering_x" was not found in the BTCPay store (403 Forbidden)', {
			kind: 'not_found',
			service: 'BTCPay',
			status: 403,
			code: OBJECT_UNREACHABLE,
		});
		const b = await handleDelivery(signed(subscriptionEvent('SubscriberCharged', { total: 0, amount: 9.9, currency: 'EUR' })), settings(), new DeliveryMemory(10), btcpay({ [key]: foreignOffering }));
		expect(b.body).toMatchObject({ emitted: false, reason: 'unconfirmed' });
	});

	it('BTCPay answering with another customer, or one of another store, is a disagreement', async () => {
		const other = subscriberView({ customer: { id: 'cust_Other', storeId: STORE } });
		const a = await handleDelivery(signed(subscriptionEvent('SubscriberCreated')), settings(), new DeliveryMemory(10), btcpay({ [key]: other }));
		expect(a.log?.message).toContain('another customer');
		const foreign = subscriberView({ customer: { id: CUSTOMER, storeId: 'StoreB2' } });
		const b = await handleDelivery(signed(subscriptionEvent('SubscriberCreated')), settings(), new DeliveryMemory(10), btcpay({ [key]: foreign }));
		expect(b.log?.message).toContain('another store');
		expect(b.item).toBeUndefined();
	});

	it('an event that names no customer or offering is not emitted, and BTCPay is not asked', async () => {
		const event = { ...subscriptionEvent('SubscriberActivated'), subscriber: { phase: 'Normal', isActive: true } };
		const api = btcpay({ [key]: subscriberView() });
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), api);
		expect(out.body).toMatchObject({ emitted: false, reason: 'unconfirmed' });
		expect(api.calls).toEqual([]);
		const bare = { ...subscriptionEvent('PaymentReminder'), subscriber: undefined };
		expect((await handleDelivery(signed(bare), settings(), new DeliveryMemory(10), api)).body).toMatchObject({ reason: 'unconfirmed' });
	});

	it('an unknown type carrying a subscriber is checked for existence and passes under Any Event with confirmed: false', async () => {
		const event = subscriptionEvent('SubscriberPaused');
		const ok = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), btcpay({ [key]: subscriberView() }));
		expect(ok.item).toMatchObject({ type: 'SubscriberPaused', confirmed: false, confirmedPhase: 'Normal' });
		const ghost = await handleDelivery(signed(subscriptionEvent('SubscriberPaused')), settings(), new DeliveryMemory(10), btcpay({}));
		expect(ghost.body).toMatchObject({ emitted: false, reason: 'unconfirmed' });
	});

	it('with Confirm With API off, BTCPay is not asked and the item says confirmed: false', async () => {
		const api = btcpay({});
		const out = await handleDelivery(signed(subscriptionEvent('SubscriberActivated')), settings({ confirmWithApi: false }), new DeliveryMemory(10), api);
		expect(out.item).toMatchObject({ type: 'SubscriberActivated', confirmed: false, phase: 'Normal', isActive: true });
		expect(out.item).not.toHaveProperty('confirmedPhase');
		expect(api.calls).toEqual([]);
	});
});

describe('permanent and temporary failures', () => {
	it('a key without btcpay.store.canviewofferings, or a gone store: 403 confirmation_failed, logged as error', async () => {
		const noPermission = new ServiceError('The BTCPay API key lacks the permission "btcpay.store.canviewofferings" (403 Forbidden)', {
			kind: 'permission',
			service: 'BTCPay',
			status: 403,
			missingPermission: 'btcpay.store.canviewofferings',
		});
		const gone = new ServiceError(`The BTCPay store "${STORE}" does not exist or this API key cannot see it (403 Forbidden)`, {
			kind: 'not_found',
			service: 'BTCPay',
			status: 403,
			code: STORE_UNREACHABLE,
		});
		for (const error of [noPermission, gone]) {
			const out = await handleDelivery(signed(subscriptionEvent('SubscriberActivated')), settings(), new DeliveryMemory(10), btcpay({ [key]: error }));
			expect(out).toMatchObject({ status: 403, body: { emitted: false, error: 'confirmation_failed' }, log: { level: 'error' } });
			expect(out.item).toBeUndefined();
		}
	});

	it('BTCPay down (5xx, network) or no subscriber reader: 503, and the delivery stays free for the redelivery', async () => {
		const memory = new DeliveryMemory(10);
		const event = subscriptionEvent('SubscriberActivated');
		const down = new ServiceError('BTCPay answered 502', { kind: 'server', service: 'BTCPay', status: 502 });
		const a = await handleDelivery(signed(event), settings(), memory, btcpay({ [key]: down }));
		expect(a).toMatchObject({ status: 503, body: { error: 'confirmation_unavailable' } });
		const { subscriber: _none, ...withoutReader } = btcpay({ [key]: subscriberView() });
		const b = await handleDelivery(signed(event), settings(), memory, withoutReader);
		expect(b.status).toBe(503);
		const c = await handleDelivery(signed(event), settings(), memory, btcpay({ [key]: subscriberView() }));
		expect(c.item).toMatchObject({ confirmed: true });
	});

	it('a hanging BTCPay is given up at the confirmation deadline: 503 within the budget', async () => {
		const started = Date.now();
		const out = await handleDelivery(
			signed(subscriptionEvent('SubscriberActivated')),
			settings({ confirmDeadlineMs: 2_000 }),
			new DeliveryMemory(10),
			btcpay({ [key]: subscriberView() }, 60_000),
		);
		expect(out).toMatchObject({ status: 503, body: { error: 'confirmation_unavailable' } });
		expect(out.log?.message).toMatch(/did not answer within 2 s/);
		expect(Date.now() - started).toBeLessThan(5_000);
	});
});

describe('the item: flat fields for IF/Switch, exact amounts', () => {
	it('customer, plan, offering, phase, dates at the top level; the subscriber object flattened too', async () => {
		const event = subscriptionEvent('SubscriberPhaseChanged', { previousPhase: 'Normal', currentPhase: 'Grace' }, { phase: 'Grace' });
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), btcpay({ [key]: subscriberView({ phase: 'Grace' }) }));
		expect(out.item).toMatchObject({
			type: 'SubscriberPhaseChanged',
			previousPhase: 'Normal',
			currentPhase: 'Grace',
			customerId: CUSTOMER,
			customerEmail: 'ann@example.com',
			customerExternalId: null,
			offeringId: OFFERING,
			planId: 'plan_M1',
			planName: 'Monthly',
			planPrice: '9.90',
			planCurrency: 'EUR',
			phase: 'Grace',
			isActive: true,
			periodEnd: 1_769_904_000,
			gracePeriodEnd: 1_770_163_200,
			trialEnd: null,
			subscriberCustomerIdentitiesEmail: 'ann@example.com',
			subscriberMetadata: { seat: 'A1' },
			confirmed: true,
		});
	});

	it('amount and total come out as decimal strings with the currency\'s decimals, from the raw digits (never through a float)', async () => {
		const sub = JSON.stringify(subscriberView(), null, 2);
		const text = `{\n  "total": 12345678901234567.123456789,\n  "amount": 9.9,\n  "currency": "EUR",\n  "subscriber": ${sub},\n  "deliveryId": "RawD1",\n  "webhookId": "Hook1",\n  "originalDeliveryId": "RawD1",\n  "isRedelivery": false,\n  "type": "SubscriberCredited",\n  "timestamp": 1767225600,\n  "storeId": "${STORE}"\n}`;
		const out = await handleDelivery(signedText(text), settings(), new DeliveryMemory(10), btcpay({ [key]: subscriberView() }));
		expect(out.item).toMatchObject({ amount: '9.90', total: '12345678901234567.123456789', currency: 'EUR', confirmed: true });
		const raw = await handleDelivery(signedText(text.replace('RawD1', 'RawD2').replace('RawD1', 'RawD2')), settings({ simplify: false }), new DeliveryMemory(10), btcpay({ [key]: subscriberView() }));
		// Simplify off: the event as BTCPay sent it (JSON numbers), plus the server's view
		expect(raw.item).toMatchObject({ amount: 9.9, currency: 'EUR', confirmedPhase: 'Normal' });
	});

	it('BTC amounts keep 8 decimals, JPY none, a currency-less amount its digits as sent', () => {
		expect(jsonNumberToDecimal('0.0001', 8)).toBe('0.00010000');
		expect(jsonNumberToDecimal('0.000123456', 8)).toBe('0.000123456');
		expect(jsonNumberToDecimal('1200', 0)).toBe('1200');
		expect(jsonNumberToDecimal('9.9')).toBe('9.9');
		expect(jsonNumberToDecimal('1E-05', 8)).toBe('0.00001000');
		expect(jsonNumberToDecimal('1.5e3', 2)).toBe('1500.00');
		expect(jsonNumberToDecimal('-0.0', 2)).toBe('0.00');
		expect(jsonNumberToDecimal('-2.50', 2)).toBe('-2.50');
		expect(jsonNumberToDecimal('abc')).toBeUndefined();
	});

	it('reads only top-level numbers, past strings with braces, quotes and escapes', () => {
		const text = JSON.stringify({ note: 'a "b" {c} [d], "amount": 1', nested: { amount: 5, list: [1, { total: 2 }] }, amount: 0.10, total: -3e2, ok: true });
		expect(Object.fromEntries(topLevelNumberTexts(text))).toEqual({ amount: '0.1', total: '-300' });
		expect(Object.fromEntries(topLevelNumberTexts('{ "amount" : 1.230 , "x": "\\\\", "total":7}'))).toEqual({ amount: '1.230', total: '7' });
	});
});
