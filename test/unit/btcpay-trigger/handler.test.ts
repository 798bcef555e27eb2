import { DeliveryMemory } from '../../../nodes/shared/delivery-memory';
import { ServiceError } from '../../../nodes/shared/errors';
import type { ConfirmApi, InvoiceView, PaymentMethodView } from '../../../nodes/BtcPay/trigger/confirm';
import { contradiction } from '../../../nodes/BtcPay/trigger/confirm';
import { handleDelivery, type TriggerSettings } from '../../../nodes/BtcPay/trigger/handler';
import { flattenObject, toOutputItem } from '../../../nodes/BtcPay/trigger/output';
import { eventSelected, wantedEvents } from '../../../nodes/BtcPay/trigger/events';
import { invoiceEvent, SECRET, signed, STORE } from './fixtures';

const settings = (over: Partial<TriggerSettings> = {}): TriggerSettings => ({
	secret: SECRET,
	storeId: STORE,
	events: [],
	confirmWithApi: true,
	simplify: true,
	...over,
});

function invoice(id: string, status: string, additionalStatus = 'None', extra: Partial<InvoiceView> = {}): InvoiceView {
	return { id, storeId: STORE, status, additionalStatus, amount: '12.50', currency: 'EUR', metadata: { orderId: 'srv-1' }, ...extra };
}

const notFound = () => new ServiceError('The invoice was not found in BTCPay (404)', { kind: 'not_found', service: 'BTCPay', status: 404 });

/** A BTCPay stand-in backed by maps, recording its calls. */
function fetcher(invoices: Record<string, InvoiceView | Error>, methods: Record<string, PaymentMethodView[] | Error> = {}) {
	const calls: Array<[string, string]> = [];
	const methodCalls: string[] = [];
	const api: ConfirmApi = {
		invoice: async (storeId, invoiceId) => {
			calls.push([storeId, invoiceId]);
			const found = invoices[invoiceId];
			if (found instanceof Error) throw found;
			if (!found) throw notFound();
			return found;
		},
		paymentMethods: async (_storeId, invoiceId) => {
			methodCalls.push(invoiceId);
			const found = methods[invoiceId];
			if (found instanceof Error) throw found;
			if (!found) return invoices[invoiceId] && !(invoices[invoiceId] instanceof Error) ? [] : Promise.reject(notFound());
			return found;
		},
		pullPayment: async (id) => {
			if (id === 'PpMissing') throw new ServiceError('not found', { kind: 'not_found', service: 'BTCPay', status: 404 });
			return { id };
		},
	};
	return Object.assign(api, { calls, methodCalls });
}

describe('handleDelivery', () => {
	it('emits a confirmed settled invoice once; a redelivery (new deliveryId, same originalDeliveryId) is acknowledged but not emitted', async () => {
		const first = invoiceEvent('InvoiceSettled');
		const fetch = fetcher({ [first.invoiceId as string]: invoice(first.invoiceId as string, 'Settled') });
		const seen = new DeliveryMemory(100);

		const a = await handleDelivery(signed(first), settings(), seen, fetch);
		expect(a.status).toBe(200);
		expect(a.body).toMatchObject({ received: true, emitted: true });
		expect(a.seenChanged).toBe(true);
		expect(a.item).toMatchObject({
			type: 'InvoiceSettled',
			invoiceId: first.invoiceId,
			confirmed: true,
			invoiceStatus: 'Settled',
			invoiceAmount: '12.50',
			invoiceCurrency: 'EUR',
			invoiceMetadata: { orderId: 'srv-1' },
			orderId: (first.metadata as { orderId: string }).orderId,
		});

		const redelivery = { ...first, deliveryId: 'NewDelivery9', isRedelivery: true, originalDeliveryId: first.deliveryId };
		const b = await handleDelivery(signed(redelivery), settings(), seen, fetch);
		expect(b).toMatchObject({ status: 200, body: { received: true, emitted: false, reason: 'duplicate' }, seenChanged: false });
		expect(b.item).toBeUndefined();
		expect(fetch.calls).toHaveLength(1);
	});

	it('rejects forged or broken deliveries with 401/400 and never emits or remembers them', async () => {
		const seen = new DeliveryMemory(10);
		const event = invoiceEvent('InvoiceSettled');
		const forged = await handleDelivery(signed(event, 'leaked-or-guessed'), settings(), seen, fetcher({}));
		expect(forged).toMatchObject({ status: 401, body: { received: false, error: 'signature_mismatch' } });
		const missing = await handleDelivery({ rawBody: signed(event).rawBody, signatureHeader: undefined }, settings(), seen, fetcher({}));
		expect(missing.status).toBe(401);
		const big = await handleDelivery(signed(event), settings({ maxBodyBytes: 10 }), seen, fetcher({}));
		expect(big.status).toBe(400);
		expect(seen.size).toBe(0);
	});

	it('does not emit a payment BTCPay contradicts, answers 200 and explains in a warning', async () => {
		const event = invoiceEvent('InvoiceSettled');
		const seen = new DeliveryMemory(10);
		const out = await handleDelivery(signed(event), settings(), seen, fetcher({ [event.invoiceId as string]: invoice(event.invoiceId as string, 'New') }));
		expect(out).toMatchObject({ status: 200, body: { emitted: false, reason: 'unconfirmed' } });
		expect(out.item).toBeUndefined();
		expect(out.log).toMatchObject({ level: 'warn', message: expect.stringContaining('BTCPay says New') });
		expect(seen.size).toBe(0);
	});

	it('does not emit an event for an invoice BTCPay does not know', async () => {
		const event = invoiceEvent('InvoiceReceivedPayment');
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), fetcher({}));
		expect(out).toMatchObject({ status: 200, body: { emitted: false, reason: 'unconfirmed' } });
		expect(out.log?.message).toContain('not found');
	});

	it('does not emit an event that names another store, without asking BTCPay', async () => {
		const event = invoiceEvent('InvoiceSettled', { storeId: 'OtherStore' });
		const fetch = fetcher({});
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), fetch);
		expect(out.body).toMatchObject({ emitted: false });
		expect(fetch.calls).toHaveLength(0);
	});

	it('answers 503 (so BTCPay redelivers) when the confirmation call fails transiently, and emits the redelivery later', async () => {
		const event = invoiceEvent('InvoiceProcessing');
		const seen = new DeliveryMemory(10);
		const down = new ServiceError('BTCPay had a server error (502)', { kind: 'server', service: 'BTCPay', status: 502 });
		const out = await handleDelivery(signed(event), settings(), seen, fetcher({ [event.invoiceId as string]: down }));
		expect(out).toMatchObject({ status: 503, seenChanged: false, body: { received: false, error: 'confirmation_unavailable' } });
		expect(out.item).toBeUndefined();
		const redelivery = { ...event, deliveryId: 'Retry1', isRedelivery: true };
		const again = await handleDelivery(signed(redelivery), settings(), seen, fetcher({ [event.invoiceId as string]: invoice(event.invoiceId as string, 'Processing') }));
		expect(again.body).toMatchObject({ emitted: true });
	});

	// Was 500 (BTCPay retried for up to an hour, holding back every later event): no retry cures it.
	it('answers 403 (not 5xx) and logs an error naming the permission when the key cannot read invoices', async () => {
		const event = invoiceEvent('InvoiceSettled');
		const denied = new ServiceError('The BTCPay API key lacks the permission "btcpay.store.canviewinvoices" (403 Forbidden)', {
			kind: 'permission',
			service: 'BTCPay',
			status: 403,
		});
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), fetcher({ [event.invoiceId as string]: denied }));
		expect(out.status).toBe(403);
		expect(out.body).toMatchObject({ received: true, emitted: false, error: 'confirmation_failed' });
		expect(out.log).toMatchObject({ level: 'error', message: expect.stringContaining('btcpay.store.canviewinvoices') });
		expect(out.log?.message).not.toContain(SECRET);
	});

	// Was: `__test__` ids skipped confirmation and came out isTest: true. BTCPay v2.3.0+ sends no test deliveries.
	it('gives a __test__ id no trust: it is confirmed like any other delivery, and there is no isTest field', async () => {
		const event = invoiceEvent('InvoiceSettled', { invoiceId: '__test__9f2b__test__', deliveryId: '__test__d1__test__' });
		const fetch = fetcher({});
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), fetch);
		expect(out).toMatchObject({ status: 200, body: { emitted: false, reason: 'unconfirmed' } });
		expect(out.item).toBeUndefined();
		expect(fetch.calls).toEqual([[STORE, '__test__9f2b__test__']]);
		const off = await handleDelivery(signed(invoiceEvent('InvoiceSettled', { invoiceId: '__test__x__test__' })), settings({ confirmWithApi: false }), new DeliveryMemory(10), fetch);
		expect(off.item).toMatchObject({ confirmed: false });
		expect(off.item).not.toHaveProperty('isTest');
	});

	it('does not confirm non-invoice events or when the option is off', async () => {
		const payout = { ...invoiceEvent('PayoutApproved'), invoiceId: undefined, metadata: undefined, payoutId: 'Po1', pullPaymentId: 'Pp1', payoutState: 'AwaitingPayment' };
		const fetch = fetcher({});
		const a = await handleDelivery(signed(payout), settings(), new DeliveryMemory(10), fetch);
		expect(a.item).toMatchObject({ type: 'PayoutApproved', payoutId: 'Po1', payoutState: 'AwaitingPayment', confirmed: false });
		const settled = invoiceEvent('InvoiceSettled');
		const b = await handleDelivery(signed(settled), settings({ confirmWithApi: false }), new DeliveryMemory(10), fetch);
		expect(b.item).toMatchObject({ confirmed: false, type: 'InvoiceSettled' });
		expect(fetch.calls).toHaveLength(0);
	});

	it('acknowledges event types that were not selected without emitting; unknown types pass with "any event"', async () => {
		const created = invoiceEvent('InvoiceCreated');
		const out = await handleDelivery(signed(created), settings({ events: ['InvoiceSettled'] }), new DeliveryMemory(10), fetcher({}));
		expect(out).toMatchObject({ status: 200, body: { emitted: false, reason: 'event_not_selected' } });
		const unknown = { ...invoiceEvent('VaultSomethingNew'), invoiceId: undefined };
		const any = await handleDelivery(signed(unknown), settings(), new DeliveryMemory(10), fetcher({}));
		expect(any.item).toMatchObject({ type: 'VaultSomethingNew', confirmed: false });
		const refundEvent = invoiceEvent('InvoiceRefund', { pullPaymentId: 'Pp1' });
		const fetch = fetcher({ [refundEvent.invoiceId as string]: invoice(refundEvent.invoiceId as string, 'Settled') });
		const refund = await handleDelivery(signed(refundEvent), settings(), new DeliveryMemory(10), fetch);
		expect(refund.item).toMatchObject({ type: 'InvoiceRefund', pullPaymentId: 'Pp1', confirmed: true });
	});

	// Was 500: BTCPay retried it for an hour, holding back the store's later events; nothing but a reactivation cures it.
	it('refuses to work without a secret: 401 (not 5xx) and an error in the log', async () => {
		const out = await handleDelivery(signed(invoiceEvent('InvoiceSettled')), settings({ secret: '' }), new DeliveryMemory(10));
		expect(out).toMatchObject({ status: 401, body: { received: false, error: 'no_secret' }, log: { level: 'error' } });
		expect(out.item).toBeUndefined();
	});
});

describe('contradiction rules (status events)', () => {
	const NOW = 1_800_000_000;
	const inv = (status: string, extra = 'None', expirationTime = NOW - 60) => invoice('I', status, extra, { expirationTime });
	it.each([
		['InvoiceSettled', 'Settled', 'None', true],
		['InvoiceSettled', 'Processing', 'None', false],
		['InvoiceSettled', 'Expired', 'PaidPartial', false],
		['InvoiceProcessing', 'Processing', 'None', true],
		['InvoiceProcessing', 'Settled', 'None', true],
		['InvoiceProcessing', 'New', 'None', false],
		['InvoiceExpired', 'Expired', 'None', true],
		['InvoiceExpired', 'Expired', 'PaidLate', true],
		['InvoiceExpired', 'New', 'None', false],
		['InvoiceExpired', 'Invalid', 'Marked', true],
		['InvoiceExpired', 'Settled', 'Marked', true],
		['InvoiceExpired', 'Settled', 'None', false],
		['InvoiceInvalid', 'Invalid', 'None', true],
		['InvoiceInvalid', 'Invalid', 'Marked', true],
		['InvoiceInvalid', 'New', 'None', false],
		['InvoiceInvalid', 'Expired', 'None', false],
		['InvoiceExpiredPaidPartial', 'Expired', 'PaidPartial', true],
		['InvoiceExpiredPaidPartial', 'Expired', 'PaidLate', true],
		['InvoiceExpiredPaidPartial', 'Expired', 'None', false],
		['InvoiceExpiredPaidPartial', 'New', 'PaidPartial', false],
		['InvoiceRefund', 'Settled', 'None', true],
		['InvoiceRefund', 'Invalid', 'Marked', true],
		['InvoiceRefund', 'Expired', 'PaidPartial', true],
		['InvoiceRefund', 'Expired', 'None', false],
		['InvoiceRefund', 'New', 'None', false],
		['InvoiceCreated', 'New', 'None', true],
	])('%s with server %s/%s agrees: %s', (type, status, extra, agrees) => {
		expect(contradiction(type, inv(status, extra), { now: NOW }) === undefined).toBe(agrees);
	});

	it('an Invalid invoice confirms InvoiceExpired only once its expiry time has passed', () => {
		expect(contradiction('InvoiceExpired', inv('Invalid', 'Marked', NOW + 600), { now: NOW })).toContain('event says Expired');
	});
});

describe('output', () => {
	it('flattens nested objects into camelCase keys and keeps metadata as sent', () => {
		const event = {
			type: 'InvoiceReceivedPayment',
			metadata: { orderId: 'o-7', buyer: { email: 'a@b.c' } },
			payment: { id: 'p1', value: '0.0001', status: 'Settled', extra: { fee: '0.00001' } },
			emptyObject: {},
			list: [1, 2],
		};
		const out = toOutputItem(event, { confirmed: false, simplify: true });
		expect(out).toMatchObject({
			paymentId: 'p1',
			paymentValue: '0.0001',
			paymentStatus: 'Settled',
			paymentExtraFee: '0.00001',
			metadata: { orderId: 'o-7', buyer: { email: 'a@b.c' } },
			orderId: 'o-7',
			emptyObject: {},
			list: [1, 2],
		});
		expect(out).not.toHaveProperty('payment');
	});

	it('returns the event as received with simplify off', () => {
		const event = { type: 'X', payment: { id: 'p' } };
		expect(toOutputItem(event, { confirmed: false, simplify: false })).toEqual({ type: 'X', payment: { id: 'p' }, confirmed: false });
		expect(toOutputItem({ ...event, timestamp: 1764633600 }, { confirmed: false, simplify: false })).toEqual({ type: 'X', payment: { id: 'p' }, timestamp: 1764633600, confirmed: false, eventTime: '2025-12-02T00:00:00.000Z' });
	});

	it('puts what a workflow reads first, adds the event time in ISO and the checkout link, and keeps the currency decimals', () => {
		const event = { deliveryId: 'd1', webhookId: 'w1', originalDeliveryId: 'd1', isRedelivery: false, type: 'InvoiceSettled', timestamp: 1764633600, storeId: 'S1', invoiceId: 'Inv1', metadata: { orderId: 'o-9' } };
		const invoice = { id: 'Inv1', status: 'Settled', amount: '12.5', currency: 'USD', checkoutLink: 'https://pay.test/i/Inv1' };
		const out = toOutputItem(event, { confirmed: true, invoice, simplify: true });
		expect(Object.keys(out).slice(0, 8)).toEqual(['type', 'invoiceId', 'checkoutLink', 'invoiceStatus', 'invoiceAmount', 'invoiceCurrency', 'orderId', 'eventTime']);
		expect(out).toMatchObject({ checkoutLink: 'https://pay.test/i/Inv1', invoiceAmount: '12.50', eventTime: '2025-12-02T00:00:00.000Z', timestamp: 1764633600 });
		expect(toOutputItem(event, { confirmed: true, invoice: { ...invoice, amount: '1500', currency: 'JPY' }, simplify: true }).invoiceAmount).toBe('1500');
		expect(toOutputItem(event, { confirmed: true, invoice: { ...invoice, amount: '0.0001', currency: 'BTC' }, simplify: true }).invoiceAmount).toBe('0.00010000');
	});

	it('builds the checkout link from the server URL when the invoice was not read back', () => {
		const event = { type: 'InvoiceCreated', timestamp: 1764633600, invoiceId: 'Inv 2' };
		expect(toOutputItem(event, { confirmed: false, simplify: true, serverUrl: 'https://pay.test/btcpay/' }).checkoutLink).toBe('https://pay.test/btcpay/i/Inv%202');
		expect(toOutputItem(event, { confirmed: false, simplify: false, serverUrl: 'https://pay.test' })).toMatchObject({ checkoutLink: 'https://pay.test/i/Inv%202', eventTime: '2025-12-02T00:00:00.000Z' });
		expect(toOutputItem({ type: 'PayoutCreated', timestamp: 1 }, { confirmed: false, simplify: true, serverUrl: 'https://pay.test' })).not.toHaveProperty('checkoutLink');
	});

	it('never overwrites a top-level field with a flattened one', () => {
		expect(flattenObject({ paymentId: 'top', payment: { id: 'nested' } })).toEqual({ paymentId: 'top' });
		expect(flattenObject({ payment: { id: 'nested' }, paymentId: 'top' })).toEqual({ paymentId: 'top' });
	});
});

describe('event selection', () => {
	it('treats "any event" or nothing as every event', () => {
		expect(wantedEvents(['*', 'InvoiceSettled'])).toEqual([]);
		expect(wantedEvents([])).toEqual([]);
		expect(wantedEvents(['InvoiceSettled', 'InvoiceCreated', 'InvoiceSettled'])).toEqual(['InvoiceCreated', 'InvoiceSettled']);
		expect(eventSelected('Anything', [])).toBe(true);
		expect(eventSelected('Anything', ['InvoiceSettled'])).toBe(false);
	});
});
