/**
 * Real n8n 2.40.7 server (`n8n start` on 127.0.0.1) with the packed package:
 * - the editor's type files list every node and credential, and their icons are served;
 * - BTCPay Trigger: on activation it registers its webhook with the OpenAPI-checked
 *   emulator; a signed, pretty-printed delivery starts exactly one execution; a forged or
 *   unsigned one gets 401 and starts none; a redelivery is acknowledged without a second run;
 *   the answer body is the node's documented JSON also when an execution starts; after a clean
 *   restart of n8n (SIGTERM), redeliveries of events emitted before it start nothing;
 * - a second BTCPay Trigger (payment events, Confirm With API on) fed by the emulator's
 *   own sender: an on-chain payment and its confirmation give exactly the four expected
 *   executions, in order; a forged settlement gives none;
 * - LNbits Trigger: real payments between two wallets of a real LNbits start exactly one
 *   execution each.
 * Executions are read through n8n's internal REST API (/rest/executions) as the owner.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEmulator, seedStore, payInvoice, simulatePayment, confirmPayment, type BtcPayEmulator } from '../btcpay-emulator';
import { deliveryAttempts, sendWebhookEvent, settleDeliveries, webhooksOf } from '../btcpay-emulator/routes/webhooks';
import { startLnbits, type LnbitsServer } from '../lnbits-server/server';
import { lnbitsCall, payBetween } from '../helpers/lnbits-api';
import { makeSelfSignedCert, startLndEmulator, type LndEmulator, type TlsPair } from '../lnd-emulator/server';
import { LndClient } from '../../nodes/Lnd/client';
import { N8nInstance, PACKAGE_NAME } from './harness/n8n';
import { signBtcPayPayload } from '../../nodes/BtcPay/trigger/signing';
import {
	BTCPAY_CREDENTIAL_ID,
	BTCPAY_LIMITED_CREDENTIAL_ID,
	BTCPAY_MANUAL_WEBHOOK_ID,
	LNBITS_CREDENTIAL_ID,
	LNBITS_WEBHOOK_ID,
	LND_CREDENTIAL_ID,
	BTCPAY_PAYMENT_FLOW_EVENTS,
	btcpayManualTriggerWorkflow,
	btcpayPaymentFlowWorkflow,
	btcpayTriggerWorkflow,
	lndTriggerWorkflow,
	lnbitsTriggerWorkflow,
	lnbitsWebhookWorkflow,
} from './fixtures/trigger-workflows';

jest.setTimeout(15 * 60_000);

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));

let emu: BtcPayEmulator;
let lnbits: LnbitsServer;
let n8n: N8nInstance;
let storeId: string;
/** The store of the second BTCPay Trigger (payment events, fed by the emulator's sender). */
let flowStoreId: string;
/** The store of the manually registered BTCPay Trigger whose key may not read delivery records. */
let manualStoreId: string;
/** The secret pasted into that trigger and given to BTCPay when the test creates its webhook. */
const manualSecret = randomBytes(18).toString('base64url');
const btcWf = () => btcpayTriggerWorkflow(storeId);
const manualWf = () => btcpayManualTriggerWorkflow(manualStoreId, manualSecret);
const flowWf = () => btcpayPaymentFlowWorkflow(flowStoreId);
const lnWf = lnbitsTriggerWorkflow();
const hookWf = lnbitsWebhookWorkflow();
const lndWf = lndTriggerWorkflow();
const LND_MACAROON = '0201036c6e6402f801030a10' + 'ef'.repeat(40) + '1201301a160a0761646472657373120472656164120577726974651a130a04696e666f';
let lnd: LndEmulator;
let lndTls: TlsPair;

async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn();
		if (v !== undefined && v !== null && v !== false) return v;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}. n8n log:\n${n8n.logTail(60)}`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

async function createInvoice(orderId: string, store = storeId): Promise<string> {
	const res = await fetch(`${emu.url}/api/v1/stores/${store}/invoices`, {
		method: 'POST',
		headers: { authorization: `token ${emu.apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({ amount: '12.50', currency: 'USD', metadata: { orderId } }),
	});
	const body = (await res.json()) as { id: string };
	if (res.status !== 200) throw new Error(`create invoice: ${res.status} ${JSON.stringify(body)}`);
	return body.id;
}

/** The BTCPay webhook the trigger registered (its secret signs our own deliveries). */
function btcHook() {
	const hook = [...webhooksOf(emu).values()].find((h) => h.storeId === storeId);
	if (!hook) throw new Error('no BTCPay webhook registered');
	return hook;
}

/** The webhook the test created by hand for the manually registered trigger. */
function manualHook() {
	const hook = [...webhooksOf(emu).values()].find((h) => h.storeId === manualStoreId);
	if (!hook) throw new Error('no manual BTCPay webhook');
	return hook;
}

/** BTCPay's Redeliver (Greenfield API, as Store > Webhooks does); resolves with the redelivery's attempt once answered. */
async function redeliverAndWait(store: string, hookId: string, deliveryId: string) {
	const res = await fetch(`${emu.url}/api/v1/stores/${store}/webhooks/${hookId}/deliveries/${deliveryId}/redeliver`, {
		method: 'POST',
		headers: { authorization: `token ${emu.apiKey}` },
	});
	const text = await res.text();
	if (res.status !== 200) throw new Error(`redeliver ${deliveryId}: ${res.status} ${text}`);
	const newId = JSON.parse(text) as string;
	await settleDeliveries(emu, hookId);
	const attempt = deliveryAttempts(emu, hookId).find((a) => a.deliveryId === newId);
	if (!attempt) throw new Error(`redelivery ${newId} was not sent`);
	expect({ isRedelivery: attempt.isRedelivery, originalDeliveryId: attempt.originalDeliveryId }).toEqual({ isRedelivery: true, originalDeliveryId: deliveryId });
	return attempt;
}

let ownDelivery = 0;

/** POSTs a signed, pretty-printed delivery like BTCPay; returns n8n's answer. */
async function postSigned(event: Record<string, unknown> & { type: string }): Promise<{ status: number; body: any; deliveryId: string }> {
	const hook = btcHook();
	ownDelivery += 1;
	const deliveryId = `E2eOwn${Date.now().toString(36)}${ownDelivery}`;
	const payload = { deliveryId, webhookId: hook.id, originalDeliveryId: deliveryId, isRedelivery: false, timestamp: Math.floor(Date.now() / 1000), storeId, ...event };
	const raw = JSON.stringify(payload, null, 2);
	const res = await fetch(hook.url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'btcpay-sig': signBtcPayPayload(hook.secret, raw) },
		body: raw,
	});
	const text = await res.text();
	let body: any = text;
	try {
		body = JSON.parse(text);
	} catch {
		/* keep the text */
	}
	return { status: res.status, body, deliveryId };
}

/** The first item the "Handle" node produced in an execution. */
async function handled(executionId: string): Promise<Record<string, any>> {
	const exec = await n8n.execution(executionId);
	const runs = exec.data.resultData.runData.Handle;
	return runs[0].data.main[0][0].json;
}

beforeAll(async () => {
	emu = await startEmulator();
	storeId = String(seedStore(emu, { name: 'E2E Shop' }).id);
	flowStoreId = String(seedStore(emu, { name: 'E2E Payment flow' }).id);
	manualStoreId = String(seedStore(emu, { name: 'E2E Manual webhook' }).id);
	// The delivery records (GET .../webhooks/{id}/deliveries...) need btcpay.store.webhooks.canmodifywebhooks; this key lacks it.
	const limitedKey = emu.addApiKey({ label: 'invoices only', permissions: [`btcpay.store.canviewinvoices:${manualStoreId}`] }).apiKey;
	lnbits = await startLnbits();
	lndTls = makeSelfSignedCert({ cn: 'lnd', san: 'DNS:localhost,IP:127.0.0.1' });
	lnd = await startLndEmulator({ tls: lndTls, macaroonHex: LND_MACAROON });
	n8n = await N8nInstance.create();
	await n8n.importCredentials([
		{ id: BTCPAY_CREDENTIAL_ID, name: 'BTCPay (emulator)', type: 'btcPayApi', data: { url: emu.url, apiKey: emu.apiKey } },
		{ id: BTCPAY_LIMITED_CREDENTIAL_ID, name: 'BTCPay (invoices only)', type: 'btcPayApi', data: { url: emu.url, apiKey: limitedKey } },
		{
			id: LNBITS_CREDENTIAL_ID,
			name: 'LNbits wallet A',
			type: 'lnbitsApi',
			data: { url: lnbits.url, invoiceKey: lnbits.walletA.invoiceKey, adminKey: lnbits.walletA.adminKey },
		},
		{ id: LND_CREDENTIAL_ID, name: 'LND (emulator)', type: 'lndRestApi', data: { url: lnd.url, macaroon: LND_MACAROON, tlsCert: lndTls.cert } },
	]);
	await n8n.importWorkflow([btcWf(), flowWf(), manualWf(), lnWf, hookWf, lndWf]);
	for (const id of [btcWf().id, flowWf().id, manualWf().id, lnWf.id, hookWf.id, lndWf.id]) await n8n.publishWorkflow(id);
	await n8n.start();
	// Manual registration: the shop owner creates the webhook in BTCPay with the node's Production URL and pastes its secret.
	const created = await fetch(`${emu.url}/api/v1/stores/${manualStoreId}/webhooks`, {
		method: 'POST',
		headers: { authorization: `token ${emu.apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({ url: `${n8n.url}/webhook/${BTCPAY_MANUAL_WEBHOOK_ID}/webhook`, secret: manualSecret, authorizedEvents: { everything: false, specificEvents: ['InvoiceSettled'] } }),
	});
	if (created.status !== 200) throw new Error(`create the manual webhook: ${created.status} ${await created.text()}`);
});

afterAll(async () => {
	await n8n?.dispose();
	await emu?.close();
	await lnbits?.stop();
	await lnd?.close();
});

/** An icon URL, or both of a themed icon ({ light, dark }). */
function iconUrls(iconUrl: unknown): unknown[] {
	if (iconUrl && typeof iconUrl === 'object') {
		const { light, dark } = iconUrl as { light?: unknown; dark?: unknown };
		return [light, dark];
	}
	return [iconUrl];
}

describe('the editor sees the package', () => {
	test('every node type is listed with an icon that n8n serves as SVG', async () => {
		const res = await n8n.get('/types/nodes.json');
		expect(res.status).toBe(200);
		const types = (await res.json()) as any[];
		const ours = types.filter((t) => String(t.name).startsWith(`${PACKAGE_NAME}.`) && !/Tool$/.test(t.name));
		expect(new Set(ours.map((t) => t.name)).size).toBe(pkg.n8n.nodes.length);
		for (const t of ours) {
			for (const url of iconUrls(t.iconUrl)) {
				const res = await fetch(`${n8n.url}/${url}`);
				const body = await res.text();
				expect({ node: t.name, url, status: res.status, svg: /<svg[\s>]/.test(body) }).toEqual({ node: t.name, url, status: 200, svg: true });
			}
		}
	});

	test('every credential type is listed with its icon', async () => {
		const res = await n8n.get('/types/credentials.json');
		expect(res.status).toBe(200);
		const creds: any[] = (await res.json()) as any[];
		const ours = creds.filter((c) => ['btcPayApi', 'lnbitsApi', 'lndRestApi'].includes(c.name));
		expect(ours.map((c) => c.name).sort()).toEqual(['btcPayApi', 'lnbitsApi', 'lndRestApi']);
		expect(creds.filter((c) => c.supportedNodes?.some((n: string) => n.startsWith(`${PACKAGE_NAME}.`))).length).toBe(pkg.n8n.credentials.length);
		for (const c of ours) {
			for (const url of iconUrls(c.iconUrl)) {
				expect({ credential: c.name, iconUrl: url }).toEqual({ credential: c.name, iconUrl: expect.stringMatching(/\.svg$/) });
				const icon = await fetch(`${n8n.url}/${url}`);
				expect({ credential: c.name, url, status: icon.status, svg: /<svg[\s>]/.test(await icon.text()) }).toEqual({ credential: c.name, url, status: 200, svg: true });
			}
		}
	});

	test('the log has no load error for the package', () => {
		const log = n8n.log();
		expect(log).toContain(`Loaded all credentials and nodes from ${PACKAGE_NAME}`);
		expect(log).not.toContain(`Failed to load package "${PACKAGE_NAME}"`);
		expect(log).not.toMatch(/Skipping package/);
	});
});

describe('BTCPay Trigger in a real n8n', () => {
	let hookUrl: string;

	beforeAll(async () => {
		const hook = await waitFor('the BTCPay webhook registration', () => [...webhooksOf(emu).values()].find((h) => h.storeId === storeId));
		hookUrl = hook.url;
	});

	test('activation registered the store webhook at n8n’s production URL for the chosen events', () => {
		const hooks = [...webhooksOf(emu).values()].filter((h) => h.storeId === storeId);
		expect(hooks).toHaveLength(1);
		expect(hooks[0].url).toBe(`${n8n.url}/webhook/${(btcWf().nodes[0] as any).webhookId}/webhook`);
		expect(hooks[0].authorizedEvents.everything).toBe(false);
		expect(hooks[0].authorizedEvents.specificEvents).toEqual(['InvoiceSettled']);
		expect(hooks[0].enabled).toBe(true);
	});

	test('a signed, pretty-printed delivery starts exactly one execution, confirmed with the API', async () => {
		const invoiceId = await createInvoice('order-e2e-1');
		payInvoice(emu, invoiceId);
		const [delivery] = await sendWebhookEvent(emu, storeId, { type: 'InvoiceSettled', invoiceId, metadata: { orderId: 'order-e2e-1' } });
		expect(delivery.httpCode).toBe(200);
		const execs = await n8n.waitForExecutions(btcWf().id, 1);
		expect(execs).toHaveLength(1);
		expect(execs[0].status).toBe('success');
		const item = await handled(execs[0].id);
		expect(item).toMatchObject({
			type: 'InvoiceSettled',
			invoiceId,
			handled: invoiceId,
			orderId: 'order-e2e-1',
			confirmed: true,
			invoiceStatus: 'Settled',
			invoiceAmount: expect.stringMatching(/^12\.50?$/),
			invoiceCurrency: 'USD',
		});
		expect(item).not.toHaveProperty('isTest');
	});

	test('forged, unsigned and badly signed deliveries get 401 and start nothing', async () => {
		const before = (await n8n.executions(btcWf().id)).length;
		const invoiceId = await createInvoice('order-e2e-forged');
		payInvoice(emu, invoiceId);
		const body = JSON.stringify({ deliveryId: 'forged1', webhookId: 'x', originalDeliveryId: 'forged1', isRedelivery: false, type: 'InvoiceSettled', timestamp: 1, storeId, invoiceId }, null, 2);
		const post = (headers: Record<string, string>) =>
			fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
		expect((await post({ 'btcpay-sig': `sha256=${'ab'.repeat(32)}` })).status).toBe(401);
		expect((await post({})).status).toBe(401);
		expect((await post({ 'btcpay-sig': 'sha1=abcdef' })).status).toBe(401);

		// A genuine event after them: once it has run, every earlier request has been handled.
		const lastInvoice = await createInvoice('order-e2e-after-forged');
		payInvoice(emu, lastInvoice);
		const [last] = await sendWebhookEvent(emu, storeId, { type: 'InvoiceSettled', invoiceId: lastInvoice });
		expect(last.httpCode).toBe(200);
		const execs = await n8n.waitForExecutions(btcWf().id, before + 1);
		expect(execs).toHaveLength(before + 1);
		const invoices = await Promise.all(execs.map(async (e) => (await handled(e.id)).invoiceId));
		expect(invoices).toContain(lastInvoice);
		expect(invoices).not.toContain(invoiceId);
	});

	test('a delivery that starts an execution is answered with the documented JSON, not n8n\'s default', async () => {
		const before = (await n8n.executions(btcWf().id)).length;
		const invoiceId = await createInvoice('order-e2e-answer');
		payInvoice(emu, invoiceId);
		const { status, body, deliveryId } = await postSigned({ type: 'InvoiceSettled', invoiceId, metadata: { orderId: 'order-e2e-answer' } });
		expect({ status, body }).toEqual({ status: 200, body: { received: true, emitted: true, deliveryId } });
		await n8n.waitForExecutions(btcWf().id, before + 1);
		const again = await postSigned({ type: 'InvoiceSettled', invoiceId, originalDeliveryId: deliveryId, isRedelivery: true });
		expect(again).toMatchObject({ status: 200, body: { received: true, emitted: false, reason: 'duplicate' } });
	});

	// The node answers through the response object before n8n starts the execution, so n8n's
	// response callback saves the static data (with the redelivery memory) first: a restart
	// does not forget which deliveries ran (see the last test of this file).
	test('a redelivery (same originalDeliveryId) is acknowledged but does not run the workflow again', async () => {
		const before = (await n8n.executions(btcWf().id)).length;
		const invoiceId = await createInvoice('order-e2e-redelivered');
		payInvoice(emu, invoiceId);
		const [first] = await sendWebhookEvent(emu, storeId, { type: 'InvoiceSettled', invoiceId });
		expect(first.httpCode).toBe(200);
		const [again] = await sendWebhookEvent(emu, storeId, { type: 'InvoiceSettled', invoiceId, originalDeliveryId: first.deliveryId, isRedelivery: true });
		expect(again.httpCode).toBe(200);
		const marker = await createInvoice('order-e2e-marker');
		payInvoice(emu, marker);
		await sendWebhookEvent(emu, storeId, { type: 'InvoiceSettled', invoiceId: marker });
		const execs = await n8n.waitForExecutions(btcWf().id, before + 2);
		const invoices = await Promise.all(execs.map(async (e) => (await handled(e.id)).invoiceId));
		expect(invoices.filter((i) => i === invoiceId)).toHaveLength(1);
		expect(invoices).toContain(marker);
	});
});

describe('BTCPay Trigger in a real n8n, fed by the emulator’s webhook sender', () => {
	let hookId: string;
	/**
	 * Executions of the payment-flow workflow with their item, in BTCPay's delivery order. n8n numbers
	 * an execution when it starts it, just after the trigger has answered, so two back-to-back
	 * deliveries may be numbered either way round: the order that counts is the sender's (checked
	 * through its delivery attempts), and each event must have run exactly once.
	 */
	const flowRuns = async () => {
		const execs = (await n8n.executions(flowWf().id)).sort((a, b) => Number(a.id) - Number(b.id));
		const runs = await Promise.all(execs.map(async (e) => ({ status: e.status, item: await handled(e.id) })));
		const order = new Map(deliveryAttempts(emu, hookId).map((a, i) => [a.deliveryId, i]));
		const rank = (r: { item: Record<string, any> }) => order.get(r.item.deliveryId) ?? Number.MAX_SAFE_INTEGER;
		return runs.sort((a, b) => rank(a) - rank(b));
	};

	beforeAll(async () => {
		// Registered by the trigger's activation: the sender POSTs to the URL n8n gave it.
		const hook = await waitFor('the payment-flow webhook registration', () => [...webhooksOf(emu).values()].find((h) => h.storeId === flowStoreId));
		expect(hook).toMatchObject({ url: `${n8n.url}/webhook/${(flowWf().nodes[0] as any).webhookId}/webhook`, authorizedEvents: { everything: false } });
		expect([...hook.authorizedEvents.specificEvents].sort()).toEqual([...BTCPAY_PAYMENT_FLOW_EVENTS].sort());
		hookId = hook.id;
	});

	test('an on-chain payment (ReceivedPayment while the invoice is still New, then Processing), then its confirmation (PaymentSettled, Settled): exactly 4 executions, one per delivery in the sender’s order, all confirmed', async () => {
		const invoiceId = await createInvoice('order-e2e-flow', flowStoreId);
		// the invoice watcher waits 3 s, so the trigger reads the invoice while it is still New
		const { payment } = simulatePayment(emu, invoiceId, { paymentMethodId: 'BTC-CHAIN', statusDelayMs: 3_000 });
		await n8n.waitForExecutions(flowWf().id, 2);
		await settleDeliveries(emu, hookId);
		confirmPayment(emu, invoiceId, payment.id);
		await settleDeliveries(emu, hookId);
		const execs = await n8n.waitForExecutions(flowWf().id, 4);
		expect(execs).toHaveLength(4);

		const runs = await flowRuns();
		expect(runs.map((r) => r.status)).toEqual(['success', 'success', 'success', 'success']);
		expect(runs.map((r) => [r.item.type, r.item.invoiceId, r.item.confirmed])).toEqual([
			['InvoiceReceivedPayment', invoiceId, true],
			['InvoiceProcessing', invoiceId, true],
			['InvoicePaymentSettled', invoiceId, true],
			['InvoiceSettled', invoiceId, true],
		]);
		expect(runs[0].item).toMatchObject({ invoiceStatus: 'New', paymentId: payment.id, confirmedPaymentId: payment.id, confirmedPaymentStatus: 'Processing', orderId: 'order-e2e-flow' });
		expect(runs[1].item).toMatchObject({ invoiceStatus: 'Processing' });
		expect(runs[2].item).toMatchObject({ paymentId: payment.id, confirmedPaymentStatus: 'Settled' });
		expect(runs[3].item).toMatchObject({ invoiceStatus: 'Settled', invoiceCurrency: 'USD', handled: invoiceId });
		// each delivery answered 200 with the documented JSON at its first attempt: no retry, no duplicate
		const attempts = deliveryAttempts(emu, hookId);
		expect(attempts.map((a) => [a.type, a.httpCode, a.isRedelivery])).toEqual([
			['InvoiceReceivedPayment', 200, false],
			['InvoiceProcessing', 200, false],
			['InvoicePaymentSettled', 200, false],
			['InvoiceSettled', 200, false],
		]);
		for (const a of attempts) expect(JSON.parse(a.responseBody ?? '{}')).toEqual({ received: true, emitted: true, deliveryId: a.deliveryId });
	});

	test('a forged InvoiceSettled for a New invoice, signed with the webhook’s secret, starts no execution', async () => {
		const before = (await n8n.executions(flowWf().id)).length;
		const forgedInvoice = await createInvoice('order-e2e-flow-forged', flowStoreId);
		const [forged] = await sendWebhookEvent(emu, flowStoreId, { type: 'InvoiceSettled', invoiceId: forgedInvoice, manuallyMarked: false, overPaid: false });
		expect(forged.httpCode).toBe(200);
		expect(JSON.parse(forged.responseBody ?? '{}')).toEqual({ received: true, emitted: false, deliveryId: forged.deliveryId, reason: 'unconfirmed' });
		// A genuine Lightning payment after it (4 events): once they ran, the forged delivery has long been handled.
		const marker = await createInvoice('order-e2e-flow-marker', flowStoreId);
		simulatePayment(emu, marker, { paymentMethodId: 'BTC-LN' });
		await settleDeliveries(emu, hookId);
		await n8n.waitForExecutions(flowWf().id, before + 4);
		const runs = await flowRuns();
		expect(runs).toHaveLength(before + 4);
		expect(runs.filter((r) => r.item.invoiceId === forgedInvoice)).toHaveLength(0);
		expect(runs.slice(before).map((r) => [r.item.type, r.item.invoiceId, r.item.confirmed])).toEqual([
			['InvoicePaymentSettled', marker, true],
			['InvoiceReceivedPayment', marker, true],
			['InvoiceProcessing', marker, true],
			['InvoiceSettled', marker, true],
		]);
	});
});

describe('LNbits Trigger in a real n8n', () => {
	const payAFromB = (sats: number, memo: string) => payBetween(lnbits.url, lnbits.walletB, lnbits.walletA, sats, memo);

	test('each real payment into wallet A starts exactly one execution', async () => {
		// The trigger connects its WebSocket when the workflow is activated at startup.
		await waitFor('the LNbits Trigger to connect', () => /LNbits Trigger: .*connected/i.test(n8n.log()) || undefined, 60_000);
		const first = await payAFromB(21, 'e2e first');
		const execsAfterFirst = await n8n.waitForExecutions(lnWf.id, 1);
		expect(execsAfterFirst).toHaveLength(1);
		const second = await payAFromB(34, 'e2e second');
		const execs = await n8n.waitForExecutions(lnWf.id, 2);
		expect(execs).toHaveLength(2);
		const items = await Promise.all(execs.map((e) => handled(e.id)));
		const byHash = Object.fromEntries(items.map((i) => [i.paymentHash, i]));
		expect(Object.keys(byHash).sort()).toEqual([first, second].sort());
		expect(byHash[first]).toMatchObject({ amountSats: 21, seen: true });
		expect(byHash[second]).toMatchObject({ amountSats: 34, seen: true });
		expect(execs.every((e) => e.status === 'success')).toBe(true);
	});
});

describe('LNbits Webhook Trigger in a real n8n', () => {
	test('LNbits calls the node’s URL when the invoice is paid: the confirmed payment starts the workflow; a forged call does not', async () => {
		const url = `${n8n.url}/webhook/${LNBITS_WEBHOOK_ID}/lnbits`;
		// Anyone can call the URL: a claim for a payment LNbits does not know must not start the workflow.
		const forged = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(JSON.stringify({ payment_hash: 'ab'.repeat(32), amount: 5_000_000, status: 'success', memo: 'forged' })),
		});
		expect(forged.status).toBeLessThan(500);

		const inv = await lnbitsCall(lnbits.url, 'POST', '/api/v1/payments', lnbits.walletA.invoiceKey, { out: false, amount: 55, memo: 'e2e webhook', webhook: url });
		await lnbitsCall(lnbits.url, 'POST', '/api/v1/payments', lnbits.walletB.adminKey, { out: true, bolt11: inv.bolt11 });
		await n8n.waitForExecutions(hookWf.id, 1, { timeoutMs: 120_000 });
		// For an internal payment LNbits 1.6.2 calls the webhook twice (when the payment settles
		// and from its invoice listener), close together; the node claims the hash in process
		// memory before its first await, so only one call starts the workflow. A second paid
		// invoice marks the point by which both calls for the first have been answered.
		const marker = await lnbitsCall(lnbits.url, 'POST', '/api/v1/payments', lnbits.walletA.invoiceKey, { out: false, amount: 8, memo: 'e2e webhook marker', webhook: url });
		await lnbitsCall(lnbits.url, 'POST', '/api/v1/payments', lnbits.walletB.adminKey, { out: true, bolt11: marker.bolt11 });
		const items = await waitFor('the marker payment to run the workflow', async () => {
			try {
				const all = await Promise.all((await n8n.executions(hookWf.id)).map((e) => handled(e.id)));
				return all.some((i) => i.paymentHash === marker.payment_hash) ? all : undefined;
			} catch {
				return undefined; // an execution still running has no output yet
			}
		}, 120_000);
		const runs = items.filter((i) => i.paymentHash === inv.payment_hash);
		expect(runs).toHaveLength(1);
		expect(runs[0]).toMatchObject({ paymentHash: inv.payment_hash, amountSats: 55, direction: 'incoming', viaWebhook: true, confirmed: true });
		expect(items.filter((i) => i.paymentHash === marker.payment_hash)).toHaveLength(1);
	});
});

describe('LND Trigger in a real n8n', () => {
	const client = () => new LndClient({ url: lnd.url, macaroon: LND_MACAROON, tlsCert: lndTls.cert, retries: 0, timeoutMs: 20_000 });
	const subscribed = () => lnd.requests.filter((r) => r.path.startsWith('/v1/invoices/subscribe')).length;

	async function paidInvoice(sats: number, memo: string): Promise<string> {
		const created = await client().createInvoice({ amountSats: sats, memo, expirySeconds: 600 });
		const hash = Buffer.from(created.r_hash, 'base64').toString('hex');
		lnd.settle(hash);
		return hash;
	}

	test('each settled invoice starts exactly one execution, also across a dropped stream (catch-up)', async () => {
		await waitFor('the LND Trigger to subscribe', () => subscribed() >= 1 || undefined, 60_000);
		const first = await paidInvoice(2100, 'e2e lnd one');
		expect(await n8n.waitForExecutions(lndWf.id, 1)).toHaveLength(1);

		// LND restarts: the stream is cut, an invoice settles while the trigger is away.
		const streamsBefore = subscribed();
		lnd.dropStreams();
		const second = await paidInvoice(3300, 'e2e lnd two');
		await waitFor('the LND Trigger to resubscribe', () => subscribed() > streamsBefore || undefined, 90_000);
		const third = await paidInvoice(500, 'e2e lnd three');

		const execs = await n8n.waitForExecutions(lndWf.id, 3, { timeoutMs: 120_000 });
		expect(execs).toHaveLength(3);
		const items = await Promise.all(execs.map((e) => handled(e.id)));
		const byHash = Object.fromEntries(items.map((i) => [i.paymentHash, i]));
		expect(Object.keys(byHash).sort()).toEqual([first, second, third].sort());
		expect(byHash[first]).toMatchObject({ amountSats: 2100, memo: 'e2e lnd one', settled: true, fromLnd: true });
		expect(byHash[second]).toMatchObject({ amountSats: 3300, settled: true });
		expect(byHash[third]).toMatchObject({ amountSats: 500, settled: true });
	});
});

describe('BTCPay Trigger whose key may not read the delivery records (manual registration)', () => {
	test('a delivery from the sender starts one execution, answered with the documented JSON; a redelivery through Redeliver starts none; the log names the missing permission', async () => {
		const hook = manualHook();
		const before = (await n8n.executions(manualWf().id)).length;
		const invoiceId = await createInvoice('order-e2e-manual', manualStoreId);
		payInvoice(emu, invoiceId);
		const [first] = await sendWebhookEvent(emu, manualStoreId, { type: 'InvoiceSettled', invoiceId });
		expect({ code: first.httpCode, body: JSON.parse(first.responseBody ?? '{}') }).toEqual({ code: 200, body: { received: true, emitted: true, deliveryId: first.deliveryId } });
		await n8n.waitForExecutions(manualWf().id, before + 1);
		const again = await redeliverAndWait(manualStoreId, hook.id, first.deliveryId);
		expect({ code: again.httpCode, body: JSON.parse(again.responseBody ?? '{}') }).toMatchObject({ code: 200, body: { received: true, emitted: false, reason: 'duplicate' } });
		const execs = await n8n.executions(manualWf().id);
		expect(execs).toHaveLength(before + 1);
		expect((await handled(execs[0].id)).invoiceId).toBe(invoiceId);
		expect(n8n.log()).toMatch(/may not read the webhook's delivery records \("btcpay\.store\.webhooks\.canmodifywebhooks"\)/);
	});
});

// Last: it restarts n8n.
describe('BTCPay Trigger across a clean n8n restart', () => {
	// As a real BTCPay: the originals come from its sender, the redeliveries from its Redeliver
	// (Store > Webhooks), each with a delivery record. The trigger with the full key recognises them
	// from those records; the one whose key may not read them, from its memory saved by n8n.
	test('redeliveries of events that ran just before a restart (SIGTERM) start no execution after it', async () => {
		await waitFor('the BTCPay webhook registration', () => [...webhooksOf(emu).values()].find((h) => h.storeId === storeId));
		const triggers = [
			{ wf: btcWf(), store: storeId, hook: btcHook() },
			{ wf: manualWf(), store: manualStoreId, hook: manualHook() },
		];
		const counts = new Map<string, number>();
		const sent: Array<{ wfId: string; store: string; hookId: string; invoiceId: string; deliveryId: string }> = [];
		for (const t of triggers) {
			counts.set(t.wf.id, (await n8n.executions(t.wf.id)).length);
			for (let i = 0; i < 3; i++) {
				const invoiceId = await createInvoice(`order-e2e-restart-${t.wf.id}-${i}`, t.store);
				payInvoice(emu, invoiceId);
				const [d] = await sendWebhookEvent(emu, t.store, { type: 'InvoiceSettled', invoiceId });
				expect({ wf: t.wf.id, code: d.httpCode }).toEqual({ wf: t.wf.id, code: 200 });
				sent.push({ wfId: t.wf.id, store: t.store, hookId: t.hook.id, invoiceId, deliveryId: d.deliveryId });
			}
			await n8n.waitForExecutions(t.wf.id, (counts.get(t.wf.id) ?? 0) + 3);
		}

		await n8n.stop();
		await n8n.start(180_000, { samePort: true });
		// same address: the registration is kept (same webhook, same secret), as in production
		expect(btcHook()).toMatchObject({ id: triggers[0].hook.id, url: triggers[0].hook.url });
		for (const t of triggers) {
			expect({ wf: t.wf.id, n: (await n8n.executions(t.wf.id)).length }).toEqual({ wf: t.wf.id, n: (counts.get(t.wf.id) ?? 0) + 3 });
			// BTCPay does not retry a 404: wait until n8n serves the production webhook again (an unsigned POST gets 401, starts nothing)
			await waitFor('the production webhook after the restart', async () => {
				const res = await fetch(t.hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => undefined);
				await res?.arrayBuffer();
				return res && res.status !== 404 ? true : undefined;
			}, 60_000);
		}

		for (const d of sent) {
			const answer = await redeliverAndWait(d.store, d.hookId, d.deliveryId);
			expect({ wf: d.wfId, invoiceId: d.invoiceId, code: answer.httpCode, body: JSON.parse(answer.responseBody ?? '{}') }).toMatchObject({
				wf: d.wfId,
				invoiceId: d.invoiceId,
				code: 200,
				body: { received: true, emitted: false, reason: 'duplicate' },
			});
		}
		for (const t of triggers) {
			// A new event after them: once it has run, every redelivery above has been handled.
			const marker = await createInvoice(`order-e2e-restart-marker-${t.wf.id}`, t.store);
			payInvoice(emu, marker);
			const [m] = await sendWebhookEvent(emu, t.store, { type: 'InvoiceSettled', invoiceId: marker });
			expect(m.httpCode).toBe(200);
			const want = (counts.get(t.wf.id) ?? 0) + 4;
			const execs = await n8n.waitForExecutions(t.wf.id, want);
			expect({ wf: t.wf.id, n: execs.length }).toEqual({ wf: t.wf.id, n: want });
			const invoices = await Promise.all(execs.map(async (e) => (await handled(e.id)).invoiceId));
			for (const d of sent.filter((x) => x.wfId === t.wf.id)) expect({ invoiceId: d.invoiceId, runs: invoices.filter((i) => i === d.invoiceId).length }).toEqual({ invoiceId: d.invoiceId, runs: 1 });
			expect(invoices).toContain(marker);
		}
	});
});
