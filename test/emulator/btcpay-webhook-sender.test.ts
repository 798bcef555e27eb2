/**
 * Webhooks generated from state changes and sent like BTCPay v2.4.1's
 * WebhookSender (per-webhook sequential queue, retry schedule, timeout,
 * redelivery fields), checked with raw HTTP and a local receiver.
 */
import * as http from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
	confirmPayment,
	deliveryAttempts,
	seedStore,
	sendWebhookEvent,
	settleDeliveries,
	simulatePayment,
	startEmulator,
	webhookQueueIdle,
	type BtcPayEmulator,
} from '../btcpay-emulator';

interface Received {
	raw: string;
	json: any;
	sig: string | undefined;
	at: number;
}

let emu: BtcPayEmulator;
let receiver: http.Server;
let url: string;
let received: Received[];
/** Answer for each request (status, delay ms); default 200 at once. */
let answer: (r: Received, n: number) => { status?: number; delayMs?: number; onReceive?: () => Promise<void> };
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
	receiver = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			const raw = Buffer.concat(chunks).toString('utf8');
			const r: Received = { raw, json: JSON.parse(raw), sig: req.headers['btcpay-sig'] as string | undefined, at: Date.now() };
			received.push(r);
			const a = answer(r, received.length);
			void (async () => {
				if (a.onReceive) await a.onReceive();
				// A delayed answer ends early when the sender gave up (timeout): nothing is left running.
				if (a.delayMs) {
					await new Promise<void>((d) => {
						const timer = setTimeout(d, a.delayMs);
						res.once('close', () => {
							clearTimeout(timer);
							d();
						});
					});
				}
				inFlight--;
				if (!res.destroyed) {
					res.writeHead(a.status ?? 200, { 'content-type': 'application/json' });
					res.end('{}');
				}
			})();
		});
	});
	await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
	url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
	receiver.closeAllConnections();
	await new Promise<void>((r) => receiver.close(() => r()));
});
beforeEach(async () => {
	// Retry delays in ms (10 s → 10 ms); the 100 s answer timeout at 5 s, so a delivery answered late
	// by a loaded machine is not retried (a redelivery would add events the tests do not expect).
	emu = await startEmulator({ webhookTimeScale: 0.001, webhookTimeoutScale: 0.05 });
	received = [];
	answer = () => ({});
	inFlight = 0;
	maxInFlight = 0;
});
afterEach(async () => {
	emu.assertNoViolations();
	await emu.close();
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
	const response = await fetch(`${emu.url}${path}`, {
		method,
		headers: { Authorization: `token ${emu.apiKey}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function setup(hook: Record<string, unknown> = {}) {
	const store = seedStore(emu, { name: 'Hooks' });
	const created = (await call('POST', `/api/v1/stores/${store.id}/webhooks`, { url, ...hook })).body;
	return { store, hook: created as { id: string; secret: string } };
}

const types = () => received.map((r) => r.json.type);

describe('events from state changes (InvoiceTriggerProvider, InvoiceWatcher, PaymentService)', () => {
	it('InvoiceCreated: the envelope, field order, pretty-printed body and signature of BTCPay', async () => {
		const { store, hook } = await setup();
		const inv = (await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '10', currency: 'USD', metadata: { orderId: 'A1' } })).body;
		await settleDeliveries(emu);
		expect(received).toHaveLength(1);
		const [r] = received;
		expect(Object.keys(r.json)).toEqual(['deliveryId', 'webhookId', 'originalDeliveryId', 'isRedelivery', 'type', 'timestamp', 'storeId', 'invoiceId', 'metadata']);
		expect(r.json).toMatchObject({ webhookId: hook.id, isRedelivery: false, type: 'InvoiceCreated', storeId: store.id, invoiceId: inv.id, metadata: { orderId: 'A1' } });
		expect(r.json.originalDeliveryId).toBe(r.json.deliveryId);
		expect(r.raw).toBe(JSON.stringify(r.json, null, 2));
		expect(r.sig).toBe(`sha256=${createHmac('sha256', hook.secret).update(r.raw).digest('hex')}`);
	});

	it('a Lightning payment: PaymentSettled, ReceivedPayment (payment listed in payments[]), Processing, Settled', async () => {
		const { store } = await setup();
		const inv = (await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '10', currency: 'USD' })).body;
		const { payment } = simulatePayment(emu, inv.id, { paymentMethodId: 'BTC-LN' });
		await settleDeliveries(emu);
		expect(types()).toEqual(['InvoiceCreated', 'InvoicePaymentSettled', 'InvoiceReceivedPayment', 'InvoiceProcessing', 'InvoiceSettled']);
		const got = received[2].json;
		expect(Object.keys(got).slice(0, 4)).toEqual(['afterExpiration', 'paymentMethodId', 'payment', 'deliveryId']);
		expect(got).toMatchObject({ afterExpiration: false, paymentMethodId: 'BTC-LN', payment: { id: payment.id, value: '0.00010000', status: 'Settled', destination: payment.destination } });
		expect(received[3].json).toMatchObject({ overPaid: false });
		expect(received[4].json).toMatchObject({ manuallyMarked: false, overPaid: false });
		const methods = (await call('GET', `/api/v1/invoices/${inv.id}/payment-methods`)).body;
		expect(methods.find((m: any) => m.paymentMethodId === 'BTC-LN').payments).toEqual([payment]);
	});

	it('an on-chain payment is Processing until confirmed, then PaymentSettled and InvoiceSettled; overpaid is flagged', async () => {
		const { store } = await setup();
		const inv = (await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '10', currency: 'USD' })).body;
		const { payment } = simulatePayment(emu, inv.id, { paymentMethodId: 'BTC-CHAIN', value: '0.00012' });
		await settleDeliveries(emu);
		expect(types()).toEqual(['InvoiceCreated', 'InvoiceReceivedPayment', 'InvoiceProcessing']);
		expect(received[2].json.overPaid).toBe(true);
		expect((await call('GET', `/api/v1/invoices/${inv.id}`)).body).toMatchObject({ status: 'Processing', additionalStatus: 'PaidOver' });
		confirmPayment(emu, inv.id, payment.id);
		await settleDeliveries(emu);
		expect(types().slice(3)).toEqual(['InvoicePaymentSettled', 'InvoiceSettled']);
		expect(received[4].json).toMatchObject({ manuallyMarked: false, overPaid: true });
	});

	it('ReceivedPayment can arrive while the invoice still reads New; the payment is already in payments[]', async () => {
		const { store } = await setup({ authorizedEvents: { everything: false, specificEvents: ['InvoiceReceivedPayment'] } });
		const inv = (await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '10', currency: 'USD' })).body;
		let seen: any;
		answer = () => ({
			onReceive: async () => {
				seen = {
					invoice: (await call('GET', `/api/v1/invoices/${inv.id}`)).body,
					methods: (await call('GET', `/api/v1/invoices/${inv.id}/payment-methods`)).body,
				};
			},
		});
		const { payment } = simulatePayment(emu, inv.id, { paymentMethodId: 'BTC-LN', statusDelayMs: 300 });
		await settleDeliveries(emu);
		expect(seen.invoice).toMatchObject({ status: 'New', additionalStatus: 'None' });
		expect(seen.methods.find((m: any) => m.paymentMethodId === 'BTC-LN').payments.map((p: any) => p.id)).toEqual([payment.id]);
		await new Promise((r) => setTimeout(r, 350));
		expect((await call('GET', `/api/v1/invoices/${inv.id}`)).body.status).toBe('Settled');
	});

	it('expiry by the clock: InvoiceExpired (partiallyPaid) and InvoiceExpiredPaidPartial; a late payment is afterExpiration, PaidAfterExpiration, never Settled', async () => {
		const { store } = await setup();
		let now = 1_800_000_000;
		emu.setClock(() => now);
		const inv = (await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '10', currency: 'USD', checkout: { expirationMinutes: 15 } })).body;
		simulatePayment(emu, inv.id, { paymentMethodId: 'BTC-CHAIN', value: '0.00004', status: 'Settled' });
		now += 15 * 60;
		emu.tick();
		await settleDeliveries(emu);
		expect(types()).toEqual(['InvoiceCreated', 'InvoicePaymentSettled', 'InvoiceReceivedPayment', 'InvoiceExpired', 'InvoiceExpiredPaidPartial']);
		expect(received[3].json.partiallyPaid).toBe(true);
		received.length = 0;
		simulatePayment(emu, inv.id, { paymentMethodId: 'BTC-LN', value: '0.00006' });
		await settleDeliveries(emu);
		expect(types()).toEqual(['InvoicePaymentSettled', 'InvoiceReceivedPayment', 'InvoicePaidAfterExpiration']);
		expect(received[0].json.afterExpiration).toBe(true);
		expect(received[1].json.afterExpiration).toBe(true);
		expect((await call('GET', `/api/v1/invoices/${inv.id}`)).body).toMatchObject({ status: 'Expired', additionalStatus: 'PaidLate' });
	});

	it('an unpaid invoice expires with partiallyPaid false and no PaidPartial event', async () => {
		const { store } = await setup();
		let now = 1_800_000_000;
		emu.setClock(() => now);
		await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '1', currency: 'USD', checkout: { expirationMinutes: 1 } });
		now += 61;
		emu.setClock(() => now);
		await settleDeliveries(emu);
		expect(types()).toEqual(['InvoiceCreated', 'InvoiceExpired']);
		expect(received[1].json.partiallyPaid).toBe(false);
	});

	it('marking by hand: InvoiceSettled / InvoiceInvalid with manuallyMarked true', async () => {
		const { store } = await setup();
		const a = (await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '1', currency: 'USD' })).body;
		await call('POST', `/api/v1/invoices/${a.id}/status`, { status: 'Settled' });
		await call('POST', `/api/v1/invoices/${a.id}/status`, { status: 'Invalid' });
		await settleDeliveries(emu);
		expect(types()).toEqual(['InvoiceCreated', 'InvoiceSettled', 'InvoiceInvalid']);
		expect(received[1].json).toMatchObject({ manuallyMarked: true, overPaid: false });
		expect(received[2].json).toMatchObject({ manuallyMarked: true });
		expect(Object.keys(received[2].json)[0]).toBe('manuallyMarked');
	});

	it('payouts: PayoutCreated, PayoutApproved, PayoutUpdated with payoutState; refunds: InvoiceRefund with pullPaymentId', async () => {
		const { store } = await setup();
		const pp = (await call('POST', `/api/v1/stores/${store.id}/pull-payments`, { name: 'P', amount: '0.001', currency: 'BTC' })).body;
		const one = (await call('POST', `/api/v1/pull-payments/${pp.id}/payouts`, { destination: 'bcrt1qexample0', payoutMethodId: 'BTC-CHAIN', amount: '0.0001' })).body;
		await call('POST', `/api/v1/stores/${store.id}/payouts/${one.id}`, { revision: one.revision });
		await call('POST', `/api/v1/stores/${store.id}/payouts/${one.id}/mark-paid`);
		const two = (await call('POST', `/api/v1/pull-payments/${pp.id}/payouts`, { destination: 'bcrt1qexample1', payoutMethodId: 'BTC-CHAIN', amount: '0.0001' })).body;
		await call('DELETE', `/api/v1/stores/${store.id}/payouts/${two.id}`);
		const inv = (await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '10', currency: 'USD' })).body;
		simulatePayment(emu, inv.id, { paymentMethodId: 'BTC-LN' });
		const refund = (await call('POST', `/api/v1/stores/${store.id}/invoices/${inv.id}/refund`, { refundVariant: 'Fiat' })).body;
		await settleDeliveries(emu);
		const payoutEvents = received.filter((r) => r.json.type.startsWith('Payout')).map((r) => [r.json.type, r.json.payoutId, r.json.payoutState]);
		expect(payoutEvents).toEqual([
			['PayoutCreated', one.id, 'AwaitingApproval'],
			['PayoutApproved', one.id, 'AwaitingPayment'],
			['PayoutUpdated', one.id, 'Completed'],
			['PayoutCreated', two.id, 'AwaitingApproval'],
			['PayoutUpdated', two.id, 'Cancelled'],
		]);
		const created = received.find((r) => r.json.type === 'PayoutCreated')?.json;
		expect(Object.keys(created).slice(-4)).toEqual(['storeId', 'payoutId', 'pullPaymentId', 'payoutState']);
		expect(created.pullPaymentId).toBe(pp.id);
		const refundEvent = received.find((r) => r.json.type === 'InvoiceRefund')?.json;
		expect(refundEvent).toMatchObject({ pullPaymentId: refund.id, invoiceId: inv.id, storeId: store.id });
		expect(Object.keys(refundEvent)[0]).toBe('pullPaymentId');
	});

	it('payment requests: Created, Updated, StatusChanged and Completed when paid, Archived', async () => {
		const { store } = await setup();
		const pr = (await call('POST', `/api/v1/stores/${store.id}/payment-requests`, { title: 'Rent', amount: '10', currency: 'USD' })).body;
		await call('PUT', `/api/v1/stores/${store.id}/payment-requests/${pr.id}`, { title: 'Rent May', amount: '10', currency: 'USD' });
		const inv = (await call('POST', `/api/v1/stores/${store.id}/payment-requests/${pr.id}/pay`, {})).body;
		simulatePayment(emu, inv.id, { paymentMethodId: 'BTC-LN' });
		await call('DELETE', `/api/v1/stores/${store.id}/payment-requests/${pr.id}`);
		await call('DELETE', `/api/v1/stores/${store.id}/payment-requests/${pr.id}`);
		await settleDeliveries(emu);
		const prEvents = received.filter((r) => r.json.type.startsWith('PaymentRequest')).map((r) => [r.json.type, r.json.status]);
		expect(prEvents).toEqual([
			['PaymentRequestCreated', 'Pending'],
			['PaymentRequestUpdated', 'Pending'],
			['PaymentRequestStatusChanged', 'Completed'],
			['PaymentRequestCompleted', 'Completed'],
			['PaymentRequestArchived', 'Completed'],
		]);
		expect(Object.keys(received.find((r) => r.json.type === 'PaymentRequestCreated')?.json).slice(-3)).toEqual(['storeId', 'paymentRequestId', 'status']);
	});
});

describe('the sender (WebhookSender.Process / SendDelivery)', () => {
	it('sends one webhook\'s deliveries strictly one after another', async () => {
		const { store } = await setup();
		answer = () => ({ delayMs: 40 });
		for (let i = 0; i < 4; i++) await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: String(i + 1), currency: 'USD', metadata: { orderId: `o${i}` } });
		await settleDeliveries(emu);
		expect(maxInFlight).toBe(1);
		expect(received.map((r) => r.json.metadata.orderId)).toEqual(['o0', 'o1', 'o2', 'o3']);
	});

	it('retries a 5xx after 10 s, 1 min, then 6 × 10 min (scaled), as redeliveries of the first delivery; later events wait', async () => {
		const { store, hook } = await setup();
		answer = (_r, n) => ({ status: n <= 3 ? 503 : 200 });
		const first = (await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '1', currency: 'USD' })).body;
		await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '2', currency: 'USD' });
		expect(webhookQueueIdle(emu, hook.id)).toBe(false);
		await settleDeliveries(emu, hook.id);
		expect(received.map((r) => r.json.invoiceId === first.id)).toEqual([true, true, true, true, false]);
		const [original, ...retries] = received.slice(0, 4).map((r) => r.json);
		for (const retry of retries) {
			expect(retry).toMatchObject({ isRedelivery: true, originalDeliveryId: original.deliveryId, timestamp: original.timestamp });
			expect(retry.deliveryId).not.toBe(original.deliveryId);
		}
		const gaps = [1, 2, 3].map((i) => received[i].at - received[i - 1].at);
		expect(gaps[0]).toBeGreaterThanOrEqual(9); // 10 s × 0.001
		expect(gaps[1]).toBeGreaterThanOrEqual(55); // 60 s × 0.001
		const attempts = deliveryAttempts(emu, hook.id);
		expect(attempts.map((a) => a.httpCode)).toEqual([503, 503, 503, 200, 200]);
		const records = (await call('GET', `/api/v1/stores/${store.id}/webhooks/${hook.id}/deliveries`)).body;
		expect(records).toHaveLength(5);
		expect(records.filter((d: any) => d.status === 'HttpError').every((d: any) => d.httpCode === 503)).toBe(true);
		const failed = (await call('GET', `/api/v1/stores/${store.id}/webhooks/${hook.id}/deliveries/${original.deliveryId}`)).body;
		expect(failed).toMatchObject({ status: 'HttpError', httpCode: 503, errorMessage: 'HTTP Error Code 503' });
	});

	it('retries 408, 429 and a timeout (100 s, scaled); not a 400, nor anything when automaticRedelivery is off', async () => {
		const { store } = await setup();
		// The timeout at 2 s; the third answer comes after 3 s, the others at once.
		emu.webhookTimeoutScale = 0.02;
		const seq = [408, 429, 0, 200, 400];
		answer = (_r, n) => (seq[n - 1] === 0 ? { delayMs: 3000 } : { status: seq[n - 1] });
		await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '1', currency: 'USD' });
		await settleDeliveries(emu);
		const attempts = deliveryAttempts(emu);
		expect(attempts.map((a) => a.status)).toEqual(['HttpError', 'HttpError', 'Failed', 'HttpSuccess']);
		expect(attempts[2].httpCode).toBeUndefined();
		await call('POST', `/api/v1/stores/${store.id}/invoices`, { amount: '2', currency: 'USD' });
		await settleDeliveries(emu);
		expect(deliveryAttempts(emu).map((a) => a.httpCode)).toEqual([408, 429, undefined, 200, 400]);

		const other = seedStore(emu, { name: 'No redelivery' });
		const off = (await call('POST', `/api/v1/stores/${other.id}/webhooks`, { url, automaticRedelivery: false })).body;
		answer = () => ({ status: 500 });
		await call('POST', `/api/v1/stores/${other.id}/invoices`, { amount: '1', currency: 'USD' });
		await settleDeliveries(emu);
		expect(deliveryAttempts(emu, off.id).map((a) => a.httpCode)).toEqual([500]);
	});

	it('manual redelivery keeps the original timestamp and originalDeliveryId; sendWebhookEvent goes through the queue', async () => {
		const { store, hook } = await setup();
		let now = 1_800_000_000;
		emu.setClock(() => now);
		const [sent] = await sendWebhookEvent(emu, store.id, { type: 'InvoiceSettled', invoiceId: 'Hand1' });
		expect(sent).toMatchObject({ webhookId: hook.id, httpCode: 200 });
		now += 500;
		const again = await call('POST', `/api/v1/stores/${store.id}/webhooks/${hook.id}/deliveries/${sent.deliveryId}/redeliver`);
		await settleDeliveries(emu);
		const redelivered = received[1].json;
		expect(redelivered).toMatchObject({ deliveryId: again.body, originalDeliveryId: sent.deliveryId, isRedelivery: true, timestamp: 1_800_000_000 });
		const list = (await call('GET', `/api/v1/stores/${store.id}/webhooks/${hook.id}/deliveries`)).body;
		expect(list.map((d: any) => [d.id, d.timestamp])).toEqual([
			[again.body, 1_800_000_500],
			[sent.deliveryId, 1_800_000_000],
		]);
	});
});
