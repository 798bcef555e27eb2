import { DeliveryMemory } from '../../../nodes/shared/delivery-memory';
import { ServiceError } from '../../../nodes/shared/errors';
import type { InvoiceView } from '../../../nodes/BtcPay/trigger/confirm';
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

function invoice(id: string, status: string, additionalStatus = 'None'): InvoiceView {
	return { id, storeId: STORE, status, additionalStatus, amount: '12.50', currency: 'EUR', metadata: { orderId: 'srv-1' } };
}

/** An invoice fetcher backed by a map, recording its calls. */
function fetcher(invoices: Record<string, InvoiceView | Error>) {
	const calls: Array<[string, string]> = [];
	const fn = async (storeId: string, invoiceId: string) => {
		calls.push([storeId, invoiceId]);
		const found = invoices[invoiceId];
		if (found instanceof Error) throw found;
		if (!found) throw new ServiceError('The invoice was not found in BTCPay (404)', { kind: 'not_found', service: 'BTCPay', status: 404 });
		return found;
	};
	return Object.assign(fn, { calls });
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
			isTest: false,
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
		expect(out.warning).toContain('BTCPay says New');
		expect(seen.size).toBe(0);
	});

	it('does not emit an event for an invoice BTCPay does not know', async () => {
		const event = invoiceEvent('InvoiceReceivedPayment');
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), fetcher({}));
		expect(out).toMatchObject({ status: 200, body: { emitted: false, reason: 'unconfirmed' } });
		expect(out.warning).toContain('not found');
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
		expect(out).toMatchObject({ status: 503, seenChanged: false });
		expect(out.item).toBeUndefined();
		const redelivery = { ...event, deliveryId: 'Retry1', isRedelivery: true };
		const again = await handleDelivery(signed(redelivery), settings(), seen, fetcher({ [event.invoiceId as string]: invoice(event.invoiceId as string, 'Processing') }));
		expect(again.body).toMatchObject({ emitted: true });
	});

	it('answers 500 and names the permission when the key cannot read invoices', async () => {
		const event = invoiceEvent('InvoiceSettled');
		const denied = new ServiceError('The BTCPay API key lacks the permission "btcpay.store.canviewinvoices" (403 Forbidden)', {
			kind: 'permission',
			service: 'BTCPay',
			status: 403,
		});
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), fetcher({ [event.invoiceId as string]: denied }));
		expect(out.status).toBe(500);
		expect(out.warning).toContain('btcpay.store.canviewinvoices');
		expect(out.warning).not.toContain(SECRET);
	});

	it('passes test deliveries through marked isTest without asking BTCPay', async () => {
		const event = invoiceEvent('InvoiceSettled', { invoiceId: '__test__9f2b__test__' });
		const fetch = fetcher({});
		const out = await handleDelivery(signed(event), settings(), new DeliveryMemory(10), fetch);
		expect(out.item).toMatchObject({ isTest: true, confirmed: false, invoiceId: '__test__9f2b__test__' });
		expect(fetch.calls).toHaveLength(0);
	});

	it('does not confirm non-invoice events or when the option is off', async () => {
		const payout = { ...invoiceEvent('PayoutApproved'), invoiceId: undefined, payoutId: 'Po1', pullPaymentId: 'Pp1', payoutState: 'AwaitingPayment' };
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
		const unknown = { ...invoiceEvent('SubscriberCreated'), invoiceId: undefined };
		const any = await handleDelivery(signed(unknown), settings(), new DeliveryMemory(10), fetcher({}));
		expect(any.item).toMatchObject({ type: 'SubscriberCreated' });
		const unknownInvoice = invoiceEvent('InvoiceRefund');
		const fetch = fetcher({ [unknownInvoice.invoiceId as string]: invoice(unknownInvoice.invoiceId as string, 'Settled') });
		const refund = await handleDelivery(signed(unknownInvoice), settings(), new DeliveryMemory(10), fetch);
		expect(refund.item).toMatchObject({ type: 'InvoiceRefund', confirmed: true });
	});

	it('refuses to work without a secret', async () => {
		const out = await handleDelivery(signed(invoiceEvent('InvoiceSettled')), settings({ secret: '' }), new DeliveryMemory(10));
		expect(out.status).toBe(500);
		expect(out.item).toBeUndefined();
	});
});

describe('contradiction rules', () => {
	const inv = (status: string, extra = 'None') => invoice('I', status, extra);
	it.each([
		['InvoiceSettled', 'Settled', 'None', true],
		['InvoiceSettled', 'Processing', 'None', false],
		['InvoiceSettled', 'Expired', 'PaidPartial', false],
		['InvoiceProcessing', 'Processing', 'None', true],
		['InvoiceProcessing', 'Settled', 'None', true],
		['InvoiceProcessing', 'New', 'None', false],
		['InvoiceReceivedPayment', 'New', 'PaidPartial', true],
		['InvoiceReceivedPayment', 'New', 'None', false],
		['InvoicePaymentSettled', 'Expired', 'PaidLate', true],
		['InvoicePaymentSettled', 'Expired', 'None', false],
		['InvoiceExpired', 'Expired', 'None', true],
		['InvoiceCreated', 'New', 'None', true],
	])('%s with server %s/%s agrees: %s', (type, status, extra, agrees) => {
		expect(contradiction(type, inv(status, extra)) === undefined).toBe(agrees);
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
		const out = toOutputItem(event, { isTest: false, simplify: true });
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
		expect(toOutputItem(event, { isTest: true, simplify: false })).toEqual({ type: 'X', payment: { id: 'p' }, isTest: true, confirmed: false });
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
