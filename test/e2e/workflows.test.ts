/**
 * The example workflows in workflows/ run in a real n8n 2.40.7 (`n8n start`) against the BTCPay
 * emulator and a real LNbits, as a user would run them:
 * - with the editor's Execute workflow (a manual run from the workflow's only trigger, its Schedule
 *   Trigger, which fires once at once): invoice-based subscription billing creates one invoice per
 *   subscriber; the revenue report takes BTCPay's revenue summary (on-chain / Lightning) and the
 *   LNbits wallet's customer payments, exactly;
 * - published: the payments half of invoice-based subscription billing reacts to the InvoiceSettled/
 *   InvoiceExpired deliveries the emulator's sender generates from a payment and an expiry;
 *   the pay-per-use API is an L402 API: a call without a token gets HTTP 402 with the L402
 *   challenge, Alby's fetchWithL402 pays it from another LNbits wallet and gets the result, and
 *   the token is single use; subscription billing on native Subscriptions
 *   sends a checkout link, then follows the emulator's own subscription events (checkout paid,
 *   renewal from credit, reminder, grace, expiry) with one execution per event.
 * The committed files are used as they are; only the store, offering and plan placeholders are replaced.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEmulator, seedStore, payInvoice, simulatePayment, invoicesOf, type BtcPayEmulator } from '../btcpay-emulator';
import { deliveryAttempts, settleDeliveries, webhooksOf } from '../btcpay-emulator/routes/webhooks';
import { startLnbits, type LnbitsServer } from '../lnbits-server/server';
import { lnbitsCall, payBetween } from '../helpers/lnbits-api';
import { fetchWithL402 } from '@getalby/lightning-tools/402/l402';
import { N8nInstance, nodeOutput, type WorkflowJson } from './harness/n8n';

jest.setTimeout(15 * 60_000);

const WORKFLOWS = path.join(__dirname, '..', '..', 'workflows');

let emu: BtcPayEmulator;
let lnbits: LnbitsServer;
let n8n: N8nInstance;
let storeId: string;
/** The store, offering and plan of the native subscriptions workflow (its own store: the clock moves for it). */
let subs: { storeId: string; offeringId: string; planId: string };

function load(file: string, replace: Record<string, string> = {}): WorkflowJson {
	let text = fs.readFileSync(path.join(WORKFLOWS, file), 'utf8');
	for (const [placeholder, value] of Object.entries({ YOUR_STORE_ID: storeId, ...replace })) text = text.replaceAll(placeholder, value);
	return JSON.parse(text) as WorkflowJson;
}

const billing = () => load('subscription-invoices-billing.json');
const payments = () => load('subscription-invoices-payments.json');
const nativeSubscription = () => load('subscription-billing.json', { YOUR_STORE_ID: subs.storeId, YOUR_OFFERING_ID: subs.offeringId, YOUR_PLAN_ID: subs.planId });
const payPerUse = () => load('pay-per-use-api.json');
const report = () => load('revenue-report.json');

async function btcpay(method: string, pathname: string, body?: unknown): Promise<any> {
	const res = await fetch(`${emu.url}${pathname}`, {
		method,
		headers: { authorization: `token ${emu.apiKey}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	if (res.status !== 200) throw new Error(`BTCPay ${method} ${pathname}: ${res.status} ${text}`);
	return text ? JSON.parse(text) : undefined;
}

/** The editor's Execute workflow: a manual run from the workflow's trigger; it must succeed. */
async function executeOk(id: string, trigger: string): Promise<any> {
	const run = await n8n.runManually(id, trigger);
	if (run.status !== 'success') throw new Error(`workflow ${id} run from "${trigger}" ended ${run.status}:\n${JSON.stringify(run.data?.resultData?.error ?? {}).slice(0, 3000)}\n${n8n.logTail()}`);
	expect(run.mode).toBe('manual');
	return run;
}

async function runOutput(executionId: string, node: string): Promise<Array<Record<string, any>> | undefined> {
	const exec = await n8n.execution(executionId);
	const runs = exec.data?.resultData?.runData?.[node];
	return runs?.[0]?.data?.main?.[0]?.map((i: { json: Record<string, any> }) => i.json);
}

beforeAll(async () => {
	emu = await startEmulator();
	storeId = String(seedStore(emu, { name: 'Example Shop' }).id);
	const subsStore = String(seedStore(emu, { name: 'Newsletter Co', defaultCurrency: 'EUR' }).id);
	const offering = await btcpay('POST', `/api/v1/stores/${subsStore}/offerings`, { appName: 'Newsletter' });
	const plan = await btcpay('POST', `/api/v1/stores/${subsStore}/offerings/${offering.id}/plans`, { name: 'Monthly', price: '9.90', currency: 'EUR', recurringType: 'Monthly', gracePeriodDays: 3 });
	subs = { storeId: subsStore, offeringId: offering.id, planId: plan.id };
	lnbits = await startLnbits();
	n8n = await N8nInstance.create();
	// The ids and names the committed workflows reference, so they bind without edits.
	await n8n.importCredentials([
		{ id: 'btcpayCredential', name: 'BTCPay Server account', type: 'btcPayApi', data: { url: emu.url, apiKey: emu.apiKey } },
		{ id: 'lnbitsCredential', name: 'LNbits account', type: 'lnbitsApi', data: { url: lnbits.url, invoiceKey: lnbits.walletA.invoiceKey } },
		{ id: 'l402Credential', name: 'L402 account', type: 'l402Api', data: { rootKey: crypto.randomBytes(32).toString('hex') } },
	]);
	await n8n.importWorkflow([billing(), payments(), nativeSubscription(), payPerUse(), report()]);
	// The workflows with event triggers are published; the schedule ones are run with Execute workflow.
	for (const id of [payments().id, payPerUse().id, nativeSubscription().id]) await n8n.publishWorkflow(id);
	await n8n.start();
});

afterAll(async () => {
	await n8n?.dispose();
	await emu?.close();
	await lnbits?.stop();
});

describe('Execute workflow (a manual run from the Schedule Trigger)', () => {
	test('subscription billing with invoices (billing): one BTCPay invoice per subscriber, with orderId, metadata and a checkout message', async () => {
		const run = await executeOk(billing().id, 'Every month');
		expect(Object.keys(run.data.resultData.runData)).toContain('Every month');
		const subscribers = nodeOutput(run, 'Subscribers');
		expect(subscribers.length).toBe(2);
		const messages = nodeOutput(run, 'Checkout message');
		expect(messages).toHaveLength(subscribers.length);

		const invoices = await btcpay('GET', `/api/v1/stores/${storeId}/invoices`);
		expect(invoices).toHaveLength(subscribers.length);
		for (const [i, sub] of subscribers.entries()) {
			const inv = invoices.find((x: any) => x.metadata?.orderId === sub.orderId);
			expect(inv).toBeDefined();
			expect(inv.amount.replace(/0+$/, '').replace(/\.$/, '')).toBe(sub.price.replace(/0+$/, '').replace(/\.$/, ''));
			expect(inv.currency).toBe(sub.currency);
			expect(inv.metadata).toMatchObject({ customerId: sub.customerId, plan: sub.plan, period: sub.period, buyerEmail: sub.email });
			expect(messages[i]).toMatchObject({ to: sub.email, invoiceId: inv.id, orderId: sub.orderId, checkoutLink: inv.checkoutLink });
			expect(messages[i].text).toContain(inv.checkoutLink);
		}
		// The e-mail node ships disabled: it passes the message through without sending.
		expect(nodeOutput(run, 'Send checkout link')).toEqual(messages);
	});

	test('revenue report: the node\'s revenue summary split on-chain/Lightning, LNbits customer payments without the admin credit, and an HTML table', async () => {
		// BTCPay: settled invoices in two currencies, one USD over Lightning; one unpaid (not counted).
		const amounts: Array<[string, string, string]> = [
			['10.10', 'USD', 'BTC-CHAIN'],
			['0.20', 'USD', 'BTC-LN'],
			['5.05', 'EUR', 'BTC-CHAIN'],
		];
		for (const [amount, currency, paymentMethodId] of amounts) {
			const inv = await btcpay('POST', `/api/v1/stores/${storeId}/invoices`, { amount, currency });
			payInvoice(emu, inv.id, { paymentMethodId });
		}
		await btcpay('POST', `/api/v1/stores/${storeId}/invoices`, { amount: '99', currency: 'USD' });
		// LNbits: two real incoming payments into wallet A, and an admin top-up (not revenue).
		for (const sats of [21, 1000]) await payBetween(lnbits.url, lnbits.walletB, lnbits.walletA, sats, `report ${sats}`);
		const topUp = await fetch(`${lnbits.url}/users/api/v1/balance`, {
			method: 'PUT',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${lnbits.superToken}` },
			body: JSON.stringify({ id: lnbits.walletA.id, amount: 5000 }),
		});
		expect(topUp.status).toBe(200);
		// The period ends at $now in whole seconds, exclusive (the node's custom period), and the run starts
		// within milliseconds: start it a second after the last payment, as any later report would.
		await new Promise((r) => setTimeout(r, 1100));

		const run = await executeOk(report().id, 'Every Monday');
		expect(Object.keys(run.data.resultData.runData)).toContain('Every Monday');
		const [summary] = nodeOutput(run, 'BTCPay revenue summary');
		expect(summary).toMatchObject({ period: 'custom', invoiceCount: 3 });
		expect(summary).not.toHaveProperty('pagesFetched');
		const rows = nodeOutput(run, 'Build report');
		const byKey = Object.fromEntries(rows.map((r) => [`${r.source}|${r.method}|${r.currency}`, r]));
		expect(Object.keys(byKey).sort()).toEqual(['BTCPay|Lightning|USD', 'BTCPay|On-chain|EUR', 'BTCPay|On-chain|USD', 'LNbits|Lightning|SATS']);
		expect(byKey['BTCPay|On-chain|USD']).toMatchObject({ count: 1, total: '10.10' });
		expect(byKey['BTCPay|Lightning|USD']).toMatchObject({ count: 1, total: '0.20' });
		expect(byKey['BTCPay|On-chain|EUR']).toMatchObject({ count: 1, total: '5.05' });
		expect(byKey['LNbits|Lightning|SATS']).toMatchObject({ count: 2, total: '1021' });
		expect(rows[0].period).toMatch(/^\d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2} \(.+\)$/);

		const [table] = nodeOutput(run, 'HTML table');
		expect(table.rows).toBe(4);
		expect(table.html).toContain('<td align="right">10.10</td>');
		expect(table.html).toContain('<td align="right">1021</td>');
		expect(table.html).not.toContain('6021');
	});
});

describe('published workflows', () => {
	test('subscription billing with invoices (payments): settled invoice extends the subscription, expired invoice sends a reminder', async () => {
		const deadline = Date.now() + 120_000;
		while (![...webhooksOf(emu).values()].some((h) => h.storeId === storeId) && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 250));
		}
		const hook = [...webhooksOf(emu).values()].find((h) => h.storeId === storeId);
		expect(hook?.authorizedEvents.specificEvents.sort()).toEqual(['InvoiceExpired', 'InvoiceSettled']);

		// The two invoices the billing workflow's run created for this month.
		const invoices: any[] = (await btcpay('GET', `/api/v1/stores/${storeId}/invoices`)).filter((i: any) => String(i.metadata?.orderId ?? '').startsWith('sub-'));
		const alice = invoices.find((i) => i.metadata.customerId === 'cust-001');
		const bob = invoices.find((i) => i.metadata.customerId === 'cust-002');
		// The emulator's sender delivers what BTCPay sends for these state changes: alice pays
		// over Lightning (InvoiceSettled), bob's invoice reaches its expiration (InvoiceExpired).
		// Hand-built deliveries on top would be second, distinct deliveries of the same events.
		simulatePayment(emu, alice.id, { paymentMethodId: 'BTC-LN' });
		invoicesOf(emu).get(bob.id)!.expirationTime = emu.now() - 1;
		emu.tick();
		await settleDeliveries(emu, hook!.id);
		expect(deliveryAttempts(emu, hook!.id).map((a) => [a.type, a.httpCode])).toEqual([
			['InvoiceSettled', 200],
			['InvoiceExpired', 200],
		]);

		const execs = await n8n.waitForExecutions(payments().id, 2, { mode: 'webhook' });
		expect(execs).toHaveLength(2);
		const outputs = await Promise.all(execs.map(async (e) => ({ extend: await runOutput(e.id, 'Extend subscription'), remind: await runOutput(e.id, 'Reminder') })));
		const extend = outputs.find((o) => o.extend)?.extend;
		const remind = outputs.find((o) => o.remind)?.remind;
		const [year, month] = alice.metadata.period.split('-').map(Number);
		expect(extend).toEqual([
			{
				action: 'extend',
				customerId: 'cust-001',
				plan: 'Pro',
				period: alice.metadata.period,
				paidUntil: new Date(Date.UTC(year, month, 0, 23, 59, 59)).toISOString(),
				invoiceId: alice.id,
				// The trigger's invoiceAmount keeps the currency's decimals (the emulator stores "25").
				amount: '25.00',
				currency: 'USD',
			},
		]);
		expect(remind).toHaveLength(1);
		expect(remind![0]).toMatchObject({ action: 'remind', customerId: 'cust-002', orderId: bob.metadata.orderId });
		// Each execution took exactly one branch.
		expect(outputs.filter((o) => o.extend && o.remind)).toHaveLength(0);
	});

	test("pay-per-use API (L402): a call without a token gets 402 with the challenge; Alby's fetchWithL402 pays it from an LNbits wallet and gets the result; the token is single use", async () => {
		const url = `${n8n.url}/webhook/paid-api`;
		const call = (headers: Record<string, string> = {}) =>
			fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: 'weather in Lisbon' }) });
		const first = await call();
		const challengeHeader = first.headers.get('www-authenticate') ?? '';
		expect(first.status).toBe(402);
		expect(challengeHeader).toMatch(/^L402 macaroon="[A-Za-z0-9+/]+=*", invoice="lnbc1\w+"$/);
		expect(await first.json()).toMatchObject({ error: 'Payment required', amountSats: 100, reason: 'missing_header' });

		// A third-party client: Alby's lightning-tools, paying from wallet B over LNbits' REST API.
		let challengedAt = 0;
		const payments: string[] = [];
		const wallet = {
			payInvoice: async ({ invoice }: { invoice: string }) => {
				challengedAt ||= performance.now();
				const paid = await lnbitsCall(lnbits.url, 'POST', '/api/v1/payments', lnbits.walletB.adminKey, { out: true, bolt11: invoice });
				payments.push(paid.payment_hash);
				const record = await lnbitsCall(lnbits.url, 'GET', `/api/v1/payments/${paid.payment_hash}`, lnbits.walletB.adminKey);
				return { preimage: record.preimage as string };
			},
		};
		const started = performance.now();
		const res = await fetchWithL402(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'weather in Lisbon' }) }, { wallet });
		const done = performance.now();
		expect(res.status).toBe(200);
		const body = (await res.json()) as any;
		expect(body).toEqual({ query: 'weather in Lisbon', result: 'Result for "weather in Lisbon"', paymentHash: payments[0], answeredAt: expect.any(String) });
		expect(payments).toHaveLength(1);
		expect(res.payment).toMatchObject({ paid: true, amountSat: 100 });
		// The invoice was wallet A's: it is settled there.
		expect((await lnbitsCall(lnbits.url, 'GET', `/api/v1/payments/${payments[0]}`, lnbits.walletA.invoiceKey)).paid).toBe(true);
		// eslint-disable-next-line no-console
		console.log(`L402 with real LNbits in real n8n: challenge → paid response ${Math.round(done - challengedAt)} ms (whole call incl. the 402 round trip ${Math.round(done - started)} ms)`);

		// Single use: the same token again gets a fresh challenge and the reason.
		const replay = await call({ authorization: res.payment!.credentials.value });
		expect(replay.status).toBe(402);
		expect(await replay.json()).toMatchObject({ reason: 'already_used' });
		// A forged preimage is refused too.
		const macaroon = /macaroon="([^"]+)"/.exec(challengeHeader)![1];
		const forged = await call({ authorization: `L402 ${macaroon}:${'00'.repeat(32)}` });
		expect(forged.status).toBe(402);
		expect(await forged.json()).toMatchObject({ reason: 'wrong_preimage' });
	});

	test('subscription billing on native Subscriptions: checkout link → activation → renewal charge → reminder → grace → expiry, one execution per event', async () => {
		const id = nativeSubscription().id;
		const deadline = Date.now() + 120_000;
		while (![...webhooksOf(emu).values()].some((h) => h.storeId === subs.storeId) && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 250));
		}
		const hook = [...webhooksOf(emu).values()].find((h) => h.storeId === subs.storeId)!;
		expect(hook.authorizedEvents.specificEvents.sort()).toEqual(['PaymentReminder', 'SubscriberActivated', 'SubscriberCharged', 'SubscriberDisabled', 'SubscriberPhaseChanged']);
		let now = emu.now();
		emu.setClock(() => now);
		try {
			// 1. A sign-up: the workflow answers with BTCPay's checkout link.
			const res = await fetch(`${n8n.url}/webhook/subscribe`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ email: 'carol@example.com', userId: 'u-42' }),
			});
			expect(res.status).toBe(200);
			const link = (await res.json()) as { checkoutId: string; checkoutUrl: string };
			const checkout = await btcpay('GET', `/api/v1/plan-checkout/${link.checkoutId}`);
			expect(link.checkoutUrl).toBe(checkout.url);
			expect(checkout).toMatchObject({ newSubscriber: true, newSubscriberMetadata: { appUserId: 'u-42' }, plan: { id: subs.planId } });

			// Every later execution comes from a delivery the emulator's own state changes produce.
			let seen = 1;
			const step = async (events: number): Promise<Array<Record<string, any>>> => {
				await settleDeliveries(emu, hook.id);
				seen += events;
				const execs = await n8n.waitForExecutions(id, seen, { mode: 'webhook' });
				expect(execs).toHaveLength(seen);
				const ordered = [...execs].sort((a, b) => Number(a.id) - Number(b.id)).slice(seen - events);
				return await Promise.all(
					ordered.map(async (e) => {
						const [event] = (await runOutput(e.id, 'Subscription event')) ?? [];
						return { event, grant: await runOutput(e.id, 'Grant access'), remind: await runOutput(e.id, 'Reminder'), revoke: await runOutput(e.id, 'Revoke access') };
					}),
				);
			};
			const types = (runs: Array<Record<string, any>>) => runs.map((r) => r.event?.type);

			// 2. The customer pays the checkout (the page creates the invoice): charged, phase Normal, activated.
			const proceeded = await btcpay('POST', `/api/v1/plan-checkout/${link.checkoutId}`);
			simulatePayment(emu, proceeded.invoiceId, { paymentMethodId: 'BTC-LN' });
			const paid = await step(3);
			expect(types(paid)).toEqual(['SubscriberCharged', 'SubscriberPhaseChanged', 'SubscriberActivated']);
			const subscriber = await btcpay('GET', `/api/v1/stores/${subs.storeId}/offerings/${subs.offeringId}/subscribers/carol%40example.com`);
			const until = (unix: number) => new Date(unix * 1000).toISOString();
			expect(paid[0].grant).toEqual([expect.objectContaining({ action: 'extend', customerId: subscriber.customer.id, email: 'carol@example.com', appUserId: 'u-42', plan: 'Monthly', charged: '9.90 EUR', accessUntil: until(subscriber.periodEnd) })]);
			expect(paid[1]).toMatchObject({ grant: undefined, remind: undefined, revoke: undefined }); // to Normal: nothing to do
			expect(paid[2].grant).toEqual([expect.objectContaining({ action: 'grant', phase: 'Normal', appUserId: 'u-42', accessUntil: until(subscriber.periodEnd) })]);

			// 3. Credit for one more period; at the period end BTCPay charges it: access extended.
			await btcpay('POST', `/api/v1/stores/${subs.storeId}/offerings/${subs.offeringId}/subscribers/${subscriber.customer.id}/credits/EUR`, { credit: '9.90' });
			now = subscriber.periodEnd + 60;
			emu.tick();
			const renewed = await step(1);
			const second = await btcpay('GET', `/api/v1/stores/${subs.storeId}/offerings/${subs.offeringId}/subscribers/${subscriber.customer.id}`);
			expect(second.periodEnd).toBeGreaterThan(subscriber.periodEnd);
			expect(renewed[0].grant).toEqual([expect.objectContaining({ action: 'extend', charged: '9.90 EUR', accessUntil: until(second.periodEnd) })]);

			// 4. No credit left: the reminder 3 days before the end, with a portal link.
			now = second.periodEnd - 3 * 86_400 + 60;
			emu.tick();
			const reminded = await step(1);
			expect(types(reminded)).toEqual(['PaymentReminder']);
			expect(reminded[0].remind).toEqual([expect.objectContaining({ action: 'remind', customerId: subscriber.customer.id, to: 'carol@example.com', portalUrl: expect.stringContaining('/subscriber-portal/') })]);

			// 5. The period ends unpaid: grace period, access revoked.
			now = second.periodEnd + 60;
			emu.tick();
			const grace = await step(1);
			expect(grace[0].event).toMatchObject({ type: 'SubscriberPhaseChanged', currentPhase: 'Grace', confirmed: true });
			expect(grace[0].revoke).toEqual([expect.objectContaining({ action: 'revoke', reason: 'grace period', appUserId: 'u-42' })]);

			// 6. The grace period ends: expired and disabled.
			now = second.gracePeriodEnd + 60;
			emu.tick();
			const expired = await step(2);
			expect(types(expired)).toEqual(['SubscriberPhaseChanged', 'SubscriberDisabled']);
			expect(expired.map((r) => r.revoke?.[0]?.reason)).toEqual(['expired', 'expired']);

			// Exactly one execution per delivery: every delivery answered 200, no delivery twice.
			const attempts = deliveryAttempts(emu, hook.id);
			expect(attempts.map((a) => a.httpCode)).toEqual(Array(8).fill(200));
			await new Promise((r) => setTimeout(r, 1_000));
			const all = (await n8n.executions(id)).filter((e) => e.mode === 'webhook');
			expect(all).toHaveLength(9);
			expect(all.every((e) => e.status === 'success')).toBe(true);
		} finally {
			emu.setClock(undefined);
		}
	});
});
