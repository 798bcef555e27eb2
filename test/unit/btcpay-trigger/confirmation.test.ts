/**
 * What `confirmed` means (nodes/BtcPay/trigger/confirm.ts), the store check for every
 * event, invoice deliveries with unexpected type strings, and the answer-time budget.
 * BTCPay is a fake ConfirmApi here; payloads follow BTCPay v2.4.1's webhook models
 * (BTCPayServer.Client/Models/WebhookInvoiceEvent.cs, WebhookSubscriptionEvent.cs).
 */
import { DeliveryMemory } from '../../../nodes/shared/delivery-memory';
import { ServiceError } from '../../../nodes/shared/errors';
import type { ConfirmApi, InvoiceView, PaymentMethodView } from '../../../nodes/BtcPay/trigger/confirm';
import { handleDelivery, type TriggerSettings } from '../../../nodes/BtcPay/trigger/handler';
import { STORE_UNREACHABLE } from '../../../nodes/BtcPay/client/errors';
import { invoiceEvent, SECRET, signed, STORE } from './fixtures';

const settings = (over: Partial<TriggerSettings> = {}): TriggerSettings => ({
	secret: SECRET,
	storeId: STORE,
	events: [],
	confirmWithApi: true,
	simplify: true,
	...over,
});

const inv = (id: string, status: string, additionalStatus = 'None', extra: Partial<InvoiceView> = {}): InvoiceView => ({
	id,
	storeId: STORE,
	status,
	additionalStatus,
	amount: '10.00',
	currency: 'USD',
	expirationTime: 1_700_000_900,
	metadata: {},
	...extra,
});

const notFound = () => new ServiceError('The invoice was not found in BTCPay (404)', { kind: 'not_found', service: 'BTCPay', status: 404 });

interface FakeBtcPay extends ConfirmApi {
	calls: string[];
}

function btcpay(invoices: Record<string, InvoiceView>, methods: Record<string, PaymentMethodView[]> = {}, delayMs = 0): FakeBtcPay {
	const calls: string[] = [];
	const wait = () => new Promise((r) => setTimeout(r, delayMs));
	return {
		calls,
		invoice: async (_s, id) => {
			calls.push(`invoice ${id}`);
			if (delayMs) await wait();
			if (!invoices[id]) throw notFound();
			return invoices[id];
		},
		paymentMethods: async (_s, id) => {
			calls.push(`payment-methods ${id}`);
			if (delayMs) await wait();
			if (!invoices[id]) throw notFound();
			return methods[id] ?? [];
		},
		pullPayment: async (id) => {
			calls.push(`pull-payment ${id}`);
			if (id !== 'PpReal') throw new ServiceError('The pull payment was not found (404)', { kind: 'not_found', service: 'BTCPay', status: 404 });
			return { id };
		},
	};
}

const payment = (id: string, status: string, extra: Record<string, unknown> = {}) => ({
	id,
	receivedDate: 1_700_000_100,
	value: '0.00012',
	fee: '0.0',
	status,
	destination: 'bcrt1qdest',
	...extra,
});

describe('payment events are confirmed from the payment, not from the status (issue point 3)', () => {
	it('InvoiceReceivedPayment is emitted while the invoice still says New/None, because the payment is already listed', async () => {
		const event = invoiceEvent('InvoiceReceivedPayment', { afterExpiration: false, paymentMethodId: 'BTC-CHAIN', payment: payment('tx1-0', 'Processing') });
		const id = event.invoiceId as string;
		const api = btcpay({ [id]: inv(id, 'New') }, { [id]: [{ paymentMethodId: 'BTC-CHAIN', payments: [payment('tx1-0', 'Processing')] }] });
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), api);
		expect(out.body).toMatchObject({ emitted: true });
		expect(out.item).toMatchObject({ confirmed: true, invoiceStatus: 'New', paymentId: 'tx1-0', confirmedPaymentId: 'tx1-0', confirmedPaymentStatus: 'Processing' });
		expect(api.calls).toEqual(expect.arrayContaining([`invoice ${id}`, `payment-methods ${id}`]));
	});

	it('finds the payment by destination and value when the id differs, with amounts compared exactly ("0.00012" = "0.000120")', async () => {
		const event = invoiceEvent('InvoiceReceivedPayment', { paymentMethodId: 'BTC-LN', payment: payment('other-id', 'Settled', { destination: 'lnbc1x', value: '0.000120' }) });
		const id = event.invoiceId as string;
		const api = btcpay({ [id]: inv(id, 'New') }, { [id]: [{ paymentMethodId: 'BTC-LN', payments: [payment('hash1', 'Settled', { destination: 'lnbc1x' })] }] });
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), api);
		expect(out.item).toMatchObject({ confirmed: true, confirmedPaymentId: 'hash1' });
	});

	it('a payment BTCPay does not list is not emitted, even when the invoice is Settled', async () => {
		const event = invoiceEvent('InvoiceReceivedPayment', { payment: payment('forged', 'Settled', { destination: 'bcrt1qattacker' }) });
		const id = event.invoiceId as string;
		const api = btcpay({ [id]: inv(id, 'Settled') }, { [id]: [{ paymentMethodId: 'BTC-CHAIN', payments: [payment('tx1-0', 'Settled')] }] });
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), api);
		expect(out).toMatchObject({ status: 200, body: { emitted: false, reason: 'unconfirmed' } });
		expect(out.log?.message).toContain('not listed');
	});

	it('InvoicePaymentSettled needs that payment with status Settled', async () => {
		const event = invoiceEvent('InvoicePaymentSettled', { payment: payment('tx1-0', 'Settled') });
		const id = event.invoiceId as string;
		const processing = btcpay({ [id]: inv(id, 'Processing') }, { [id]: [{ paymentMethodId: 'BTC-CHAIN', payments: [payment('tx1-0', 'Processing')] }] });
		const a = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), processing);
		expect(a.body).toMatchObject({ emitted: false, reason: 'unconfirmed' });
		expect(a.log?.message).toContain('Processing');
		const settled = btcpay({ [id]: inv(id, 'Processing') }, { [id]: [{ paymentMethodId: 'BTC-CHAIN', payments: [payment('tx1-0', 'Settled')] }] });
		const b = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), settled);
		expect(b.item).toMatchObject({ confirmed: true, confirmedPaymentStatus: 'Settled' });
	});

	it('a late payment (afterExpiration: true) on an expired or invalid invoice is confirmable', async () => {
		for (const status of ['Expired', 'Invalid']) {
			const event = invoiceEvent('InvoicePaymentSettled', { afterExpiration: true, payment: payment('late-1', 'Settled') });
			const id = event.invoiceId as string;
			const api = btcpay({ [id]: inv(id, status, 'PaidLate') }, { [id]: [{ paymentMethodId: 'BTC-CHAIN', payments: [payment('late-1', 'Settled')] }] });
			const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), api);
			expect({ status, item: out.item }).toMatchObject({ status, item: { confirmed: true, afterExpiration: true, invoiceStatus: status } });
		}
	});

	it('InvoicePaidAfterExpiration (no payment in the event) needs Expired+PaidLate or a payment received after the expiry time', async () => {
		const event = invoiceEvent('InvoicePaidAfterExpiration');
		const id = event.invoiceId as string;
		const paidLate = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), btcpay({ [id]: inv(id, 'Expired', 'PaidLate') }));
		expect(paidLate.item).toMatchObject({ confirmed: true });
		const marked = btcpay(
			{ [id]: inv(id, 'Settled', 'Marked') },
			{ [id]: [{ paymentMethodId: 'BTC-CHAIN', payments: [payment('late', 'Settled', { receivedDate: 1_700_000_950 })] }] },
		);
		expect((await handleDelivery(signed(event), settings(), new DeliveryMemory(10), marked)).item).toMatchObject({ confirmed: true });
		const early = btcpay({ [id]: inv(id, 'Expired', 'PaidPartial') }, { [id]: [{ paymentMethodId: 'BTC-CHAIN', payments: [payment('early', 'Settled')] }] });
		const no = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), early);
		expect(no.body).toMatchObject({ emitted: false, reason: 'unconfirmed' });
	});
});

describe('confirmed means BTCPay agrees, for every invoice event type (issue point 12)', () => {
	it.each([
		['InvoiceExpired', 'New'],
		['InvoiceInvalid', 'New'],
		['InvoiceSettled', 'Processing'],
		['InvoiceProcessing', 'New'],
		['InvoiceExpiredPaidPartial', 'Expired'],
		['InvoiceRefund', 'New'],
	])('%s for an invoice that is %s is answered 200 and not emitted', async (type, status) => {
		const event = invoiceEvent(type);
		const id = event.invoiceId as string;
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), btcpay({ [id]: inv(id, status) }));
		expect(out).toMatchObject({ status: 200, body: { received: true, emitted: false, reason: 'unconfirmed' } });
		expect(out.item).toBeUndefined();
	});

	it.each([
		['InvoiceExpired', 'Expired', 'None'],
		['InvoiceInvalid', 'Invalid', 'Marked'],
		['InvoiceExpiredPaidPartial', 'Expired', 'PaidPartial'],
		['InvoiceCreated', 'New', 'None'],
	])('%s for an invoice that is %s/%s comes out confirmed', async (type, status, extra) => {
		const event = invoiceEvent(type);
		const id = event.invoiceId as string;
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), btcpay({ [id]: inv(id, status, extra) }));
		expect(out.item).toMatchObject({ type, confirmed: true, invoiceStatus: status });
	});

	it('InvoiceRefund needs its pull payment to exist', async () => {
		const real = invoiceEvent('InvoiceRefund', { pullPaymentId: 'PpReal' });
		const rid = real.invoiceId as string;
		expect((await handleDelivery(signed(real), settings(), new DeliveryMemory(10), btcpay({ [rid]: inv(rid, 'Settled') }))).item).toMatchObject({ confirmed: true, pullPaymentId: 'PpReal' });
		const fake = invoiceEvent('InvoiceRefund', { pullPaymentId: 'PpInvented' });
		const fid = fake.invoiceId as string;
		const out = await handleDelivery(signed(fake), settings(), new DeliveryMemory(10), btcpay({ [fid]: inv(fid, 'Settled') }));
		expect(out.body).toMatchObject({ emitted: false, reason: 'unconfirmed' });
		expect(out.log?.message).toContain('pull payment');
	});

	it('an invoice that BTCPay reports for another store is not emitted', async () => {
		const event = invoiceEvent('InvoiceSettled');
		const id = event.invoiceId as string;
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), btcpay({ [id]: inv(id, 'Settled', 'None', { storeId: 'OtherStore' }) }));
		expect(out.body).toMatchObject({ emitted: false });
	});
});

describe('permanent misconfiguration is not answered 5xx (issue point 4)', () => {
	it('the configured store is gone or out of the key\'s reach: 403 and an error naming the store', async () => {
		const event = invoiceEvent('InvoiceSettled');
		const gone = new ServiceError(`The BTCPay store "${STORE}" does not exist or this API key cannot see it (403 Forbidden)`, {
			kind: 'not_found',
			service: 'BTCPay',
			status: 403,
			code: STORE_UNREACHABLE,
		});
		const api: ConfirmApi = { invoice: async () => Promise.reject(gone), paymentMethods: async () => [], pullPayment: async () => ({}) };
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), api);
		expect(out).toMatchObject({ status: 403, body: { error: 'confirmation_failed' }, log: { level: 'error' } });
		expect(out.log?.message).toContain(STORE);
	});
});

describe('every event of another store is dropped (issue point 11)', () => {
	it.each([
		['PayoutApproved', { payoutId: 'Po1', pullPaymentId: 'Pp1', payoutState: 'AwaitingPayment' }],
		['PaymentRequestCreated', { paymentRequestId: 'Pr1', status: 'Pending' }],
		['SubscriberCreated', { subscriber: { customer: { id: 'C1' } } }],
		['PendingTransactionCreated', { pendingTransactionId: 'Pt1', cryptoCode: 'BTC' }],
		['InvoiceSettled', {}],
	])('%s naming another store: 200, not emitted, BTCPay not asked', async (type, fields) => {
		const event = { ...invoiceEvent(type), ...(type.startsWith('Invoice') ? {} : { invoiceId: undefined, metadata: undefined }), ...fields, storeId: 'ForeignStore9' };
		const api = btcpay({});
		for (const confirmWithApi of [true, false]) {
			const out = await handleDelivery(signed(event), settings({ confirmWithApi }), new DeliveryMemory(10), api);
			expect(out).toMatchObject({ status: 200, body: { received: true, emitted: false, reason: 'other_store' } });
			expect(out.item).toBeUndefined();
		}
		expect(api.calls).toEqual([]);
	});

	it('an event without storeId is not the trigger store either', async () => {
		const event = { ...invoiceEvent('PayoutCreated'), invoiceId: undefined, storeId: undefined, payoutId: 'Po2' };
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), btcpay({}));
		expect(out.body).toMatchObject({ emitted: false, reason: 'other_store' });
	});
});

describe('a delivery naming an invoice is confirmed whatever its type string (issue point 13)', () => {
	it('"invoicesettled" (other case) for an invoice BTCPay does not know is not emitted', async () => {
		const event = invoiceEvent('invoicesettled');
		const api = btcpay({});
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), api);
		expect(out.body).toMatchObject({ emitted: false, reason: 'unconfirmed' });
		expect(api.calls).toEqual([`invoice ${event.invoiceId}`]);
	});

	it('an unknown type naming an existing invoice passes under Any Event with confirmed: false, never like a confirmed payment', async () => {
		const event = invoiceEvent('invoicesettled');
		const id = event.invoiceId as string;
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), btcpay({ [id]: inv(id, 'Settled') }));
		expect(out.item).toMatchObject({ type: 'invoicesettled', confirmed: false });
		const future = { ...invoiceEvent('SomethingNew'), invoiceId: 'Ghost1' };
		const ghost = await handleDelivery(signed(future), settings(), new DeliveryMemory(10), btcpay({}));
		expect(ghost.body).toMatchObject({ emitted: false, reason: 'unconfirmed' });
	});

	it('with a selected list, an unknown spelling is not selected at all', async () => {
		const out = await handleDelivery(signed(invoiceEvent('invoicesettled')), settings({ events: ['InvoiceSettled'] }), new DeliveryMemory(10), btcpay({}));
		expect(out.body).toMatchObject({ emitted: false, reason: 'event_not_selected' });
	});
});

describe('subscription and wallet events (issue point 6)', () => {
	it('SubscriberCredited comes out flattened (subscriber fields, amount, currency), metadata kept as an object', async () => {
		const event = {
			deliveryId: 'SubDel1',
			webhookId: 'Hook1',
			originalDeliveryId: 'SubDel1',
			isRedelivery: false,
			type: 'SubscriberCredited',
			timestamp: 1_763_870_000,
			storeId: STORE,
			subscriber: {
				created: 1_763_000_000,
				customer: { id: 'Cust1', externalRef: 'crm-7', email: 'a@b.c' },
				offering: { id: 'Off1' },
				plan: { id: 'Plan1', name: 'Pro' },
				phase: 'Normal',
				isActive: true,
				metadata: { tier: 'gold' },
			},
			total: 30,
			amount: 10,
			currency: 'USD',
		};
		// Confirm With API off here (test/unit/btcpay-trigger/subscriptions.test.ts confirms them)
		const out = await handleDelivery(signed(event), settings({ events: ['SubscriberCredited'], confirmWithApi: false }), new DeliveryMemory(10), btcpay({}));
		expect(out.item).toMatchObject({
			type: 'SubscriberCredited',
			subscriberCustomerId: 'Cust1',
			subscriberCustomerEmail: 'a@b.c',
			subscriberPlanName: 'Pro',
			subscriberPhase: 'Normal',
			subscriberMetadata: { tier: 'gold' },
			amount: '10.00',
			total: '30.00',
			currency: 'USD',
			confirmed: false,
		});
	});
});

describe('answer time (issue point 9)', () => {
	it('answers 503 within the confirmation deadline when BTCPay hangs, and frees the delivery for the redelivery', async () => {
		const event = invoiceEvent('InvoiceSettled');
		const id = event.invoiceId as string;
		const hanging: ConfirmApi = {
			invoice: (_s, _i, signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
			paymentMethods: async () => [],
			pullPayment: async () => ({}),
		};
		const seen = new DeliveryMemory(10);
		const started = Date.now();
		const out = await handleDelivery(signed(event), settings({ confirmDeadlineMs: 200 }), seen, hanging);
		expect(Date.now() - started).toBeLessThan(1_500);
		expect(out).toMatchObject({ status: 503, body: { error: 'confirmation_unavailable' } });
		const again = await handleDelivery(signed({ ...event, deliveryId: 'Redel', isRedelivery: true }), settings(), seen, btcpay({ [id]: inv(id, 'Settled') }));
		expect(again.body).toMatchObject({ emitted: true });
	});

	it('a concurrent redelivery waits for the in-flight call: "duplicate" only when that call emitted', async () => {
		const event = invoiceEvent('InvoiceSettled');
		const id = event.invoiceId as string;
		const seen = new DeliveryMemory(10);
		const slow = btcpay({ [id]: inv(id, 'Settled') }, {}, 100);
		const redelivery = { ...event, deliveryId: 'Twin', isRedelivery: true };
		const [a, b] = await Promise.all([
			handleDelivery(signed(event), settings(), seen, slow),
			handleDelivery(signed(redelivery), settings(), seen, slow),
		]);
		expect([a.body.emitted, b.body]).toEqual([true, expect.objectContaining({ emitted: false, reason: 'duplicate' })]);
		expect(slow.calls.filter((c) => c.startsWith('invoice'))).toHaveLength(1);
	});

	it('a concurrent redelivery of a call that then fails is processed itself, not swallowed as "duplicate"', async () => {
		const event = invoiceEvent('InvoiceSettled');
		const id = event.invoiceId as string;
		const seen = new DeliveryMemory(10);
		let first = true;
		const flaky: ConfirmApi = {
			invoice: async () => {
				await new Promise((r) => setTimeout(r, 80));
				if (first) {
					first = false;
					throw new ServiceError('BTCPay had a server error (502)', { kind: 'server', service: 'BTCPay', status: 502 });
				}
				return inv(id, 'Settled');
			},
			paymentMethods: async () => [],
			pullPayment: async () => ({}),
		};
		const [a, b] = await Promise.all([
			handleDelivery(signed(event), settings(), seen, flaky),
			handleDelivery(signed({ ...event, deliveryId: 'Twin2', isRedelivery: true }), settings(), seen, flaky),
		]);
		expect(a.status).toBe(503);
		expect(b).toMatchObject({ status: 200, body: { emitted: true } });
	});

	it('a concurrent redelivery answers 503 (never "duplicate") when the in-flight call outlasts its budget', async () => {
		const event = invoiceEvent('InvoiceSettled');
		const id = event.invoiceId as string;
		const seen = new DeliveryMemory(10);
		const slow = btcpay({ [id]: inv(id, 'Settled') }, {}, 600);
		const [, b] = await Promise.all([
			handleDelivery(signed(event), settings(), seen, slow),
			handleDelivery(signed({ ...event, deliveryId: 'Late', isRedelivery: true }), settings({ answerBudgetMs: 1_700 }), seen, slow),
		]);
		expect(b).toMatchObject({ status: 503, body: { error: 'in_progress' } });
	});
});
