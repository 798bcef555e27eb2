/**
 * The webhooks client against the OpenAPI-checked emulator: CRUD, a signed
 * pretty-printed delivery to a local receiver, delivery list/request,
 * redelivery with originalDeliveryId, 403 naming the permission.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BtcPayClient } from '../../nodes/BtcPay/client';
import { checkDelivery } from '../../nodes/BtcPay/trigger/delivery';
import { startEmulator, seedStore, type BtcPayEmulator } from '../btcpay-emulator';
import { sendWebhookEvent, settleDeliveries, webhooksOf } from '../btcpay-emulator/routes/webhooks';
import { caught } from '../helpers/caught';

interface Received {
	headers: http.IncomingHttpHeaders;
	raw: Buffer;
}

let emu: BtcPayEmulator;
let receiver: http.Server;
let receiverUrl: string;
const received: Received[] = [];
let answerStatus = 200;

beforeAll(async () => {
	emu = await startEmulator();
	receiver = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({ headers: req.headers, raw: Buffer.concat(chunks) });
			res.writeHead(answerStatus, { 'content-type': 'application/json' });
			res.end('{}');
		});
	});
	await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
	await emu.close();
	receiver.closeAllConnections();
	await new Promise<void>((r) => receiver.close(() => r()));
});

afterEach(() => {
	received.length = 0;
	answerStatus = 200;
	emu.assertNoViolations();
});

const client = () => new BtcPayClient({ url: emu.url, apiKey: emu.apiKey, retryDelayMs: 1 });

describe('webhooks against the emulator', () => {
	it('creates (secret returned once), gets, lists, updates and deletes a webhook', async () => {
		const store = seedStore(emu, { name: 'Webhook CRUD' });
		const c = client();
		const created = await c.webhooks.create(store.id, { url: receiverUrl, events: ['InvoiceSettled'] });
		expect(created.secret.length).toBeGreaterThan(8);
		const got = await c.webhooks.get(store.id, created.id);
		expect(got.secret ?? null).toBeNull();
		expect(got.authorizedEvents).toEqual({ everything: false, specificEvents: ['InvoiceSettled'] });
		expect((await c.webhooks.list(store.id)).map((w) => w.id)).toEqual([created.id]);
		const updated = await c.webhooks.update(store.id, created.id, { url: receiverUrl, enabled: false });
		expect(updated).toMatchObject({ enabled: false, authorizedEvents: { everything: true } });
		await c.webhooks.delete(store.id, created.id);
		expect((await caught(c.webhooks.get(store.id, created.id))).kind).toBe('not_found');
		expect(await c.webhooks.list(store.id)).toEqual([]);
	});

	it('delivers pretty-printed JSON signed over the raw bytes; deliveries, request and redelivery are visible through the API', async () => {
		const store = seedStore(emu, { name: 'Webhook deliveries' });
		const c = client();
		const hook = await c.webhooks.create(store.id, { url: receiverUrl, events: ['InvoiceSettled'] });

		const skipped = await sendWebhookEvent(emu, store.id, { type: 'InvoiceCreated', invoiceId: 'Inv1' });
		expect(skipped).toEqual([]);
		const [sent] = await sendWebhookEvent(emu, store.id, { type: 'InvoiceSettled', invoiceId: 'Inv1', metadata: { orderId: 'o1' } });
		expect(sent.httpCode).toBe(200);
		expect(received).toHaveLength(1);
		const { raw, headers } = received[0];
		expect(raw.toString('utf8')).toContain('\n  "deliveryId"');
		const checked = checkDelivery({ rawBody: raw, signatureHeader: headers['btcpay-sig'], secret: hook.secret });
		expect(checked).toMatchObject({ ok: true, event: { type: 'InvoiceSettled', invoiceId: 'Inv1', webhookId: hook.id, storeId: store.id } });

		const deliveries = await c.webhooks.listDeliveries(store.id, hook.id, 10);
		expect(deliveries).toEqual([expect.objectContaining({ id: sent.deliveryId, status: 'HttpSuccess', httpCode: 200 })]);
		expect((await c.webhooks.getDelivery(store.id, hook.id, sent.deliveryId)).status).toBe('HttpSuccess');
		expect(await c.webhooks.getDeliveryRequest(store.id, hook.id, sent.deliveryId)).toMatchObject({ deliveryId: sent.deliveryId, type: 'InvoiceSettled' });

		const newId = await c.webhooks.redeliver(store.id, hook.id, sent.deliveryId);
		expect(newId).not.toBe(sent.deliveryId);
		await settleDeliveries(emu);
		expect(received).toHaveLength(2);
		const again = checkDelivery({ rawBody: received[1].raw, signatureHeader: received[1].headers['btcpay-sig'], secret: hook.secret });
		expect(again).toMatchObject({ ok: true, dedupeKey: sent.deliveryId, event: { deliveryId: newId, isRedelivery: true } });
		expect((await c.webhooks.listDeliveries(store.id, hook.id)).map((d) => d.id)).toEqual([newId, sent.deliveryId]);
	});

	it('records a failed delivery when the receiver answers an error', async () => {
		const store = seedStore(emu, { name: 'Webhook errors' });
		const c = client();
		const hook = await c.webhooks.create(store.id, { url: receiverUrl });
		answerStatus = 401;
		await sendWebhookEvent(emu, store.id, { type: 'PayoutApproved', payoutId: 'Po1' });
		const [delivery] = await c.webhooks.listDeliveries(store.id, hook.id);
		expect(delivery).toMatchObject({ status: 'HttpError', httpCode: 401 });
	});

	it('answers 403 for another store\'s webhook and 403 naming btcpay.store.webhooks.canmodifywebhooks for a key without it', async () => {
		const a = seedStore(emu, { name: 'Store A' });
		const b = seedStore(emu, { name: 'Store B' });
		const hook = await client().webhooks.create(a.id, { url: receiverUrl });
		// another store's webhook through the nested route: 403 (BuiltInPermissionScopeProvider.cs, webhookId)
		expect(await caught(client().webhooks.get(b.id, hook.id))).toMatchObject({ kind: 'not_found', status: 403, code: 'object-unreachable' });
		const viewer = emu.addApiKey({ label: 'viewer', permissions: [`btcpay.store.canviewinvoices:${a.id}`] });
		const limited = new BtcPayClient({ url: emu.url, apiKey: viewer.apiKey, retryDelayMs: 1 });
		const err = await caught(limited.webhooks.create(a.id, { url: receiverUrl }));
		expect(err.kind).toBe('permission');
		expect(err.message).toContain('btcpay.store.webhooks.canmodifywebhooks');
		expect(webhooksOf(emu).size).toBeGreaterThan(0);
	});

	it('refuses an invalid URL with a field error (422)', async () => {
		const store = seedStore(emu, { name: 'Bad url' });
		// bypass the client-side check to see the server's answer
		const err = await caught(client().http.request('POST', `/api/v1/stores/${store.id}/webhooks`, { json: { url: 'not-a-url' } }));
		expect(err.kind).toBe('validation');
		expect(err.message).toContain('Url: Invalid Url');
		emu.violations.length = 0; // the request deliberately breaks the documented shape
	});
});
