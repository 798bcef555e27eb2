/**
 * The LNbits client against a real LNbits 1.6.2 (FakeWallet): wallet, payment
 * lookup and history filters/paging, with payments made through raw fetch so the
 * client's reading side is checked against what the server really stores.
 */
import { LnbitsClient } from '../../nodes/Lnbits/client';
import { ServiceError } from '../../nodes/shared/errors';
import { startLnbits, type LnbitsServer } from '../lnbits-server/server';
import { caught } from '../helpers/caught';

jest.setTimeout(120_000);

let lnbits: LnbitsServer;
let a: LnbitsClient;
let aAdmin: LnbitsClient;

beforeAll(async () => {
	lnbits = await startLnbits();
	a = new LnbitsClient({ url: lnbits.url, invoiceKey: lnbits.walletA.invoiceKey });
	aAdmin = new LnbitsClient({
		url: `${lnbits.url}/api/v1/`,
		invoiceKey: lnbits.walletA.invoiceKey,
		adminKey: lnbits.walletA.adminKey,
	});
}, 600_000);

afterAll(async () => {
	await lnbits?.stop();
});

async function raw(method: string, path: string, key: string, body?: unknown): Promise<any> {
	const res = await fetch(lnbits.url + path, {
		method,
		headers: { 'x-api-key': key, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
	return JSON.parse(text);
}

test('getWallet: balance in msat and sats; id only with the admin key', async () => {
	const b = new LnbitsClient({ url: lnbits.url, invoiceKey: lnbits.walletB.invoiceKey });
	const wallet = await b.getWallet();
	expect(wallet).toEqual({ name: 'B', balanceMsat: lnbits.fundedSats * 1000, balanceSats: lnbits.fundedSats });
	expect(aAdmin.baseUrl).toBe(lnbits.url);
	expect(await aAdmin.getWallet({ key: 'admin' })).toMatchObject({ name: 'A', id: lnbits.walletA.id });
});

test('getPayment and listPayments read what the server stored', async () => {
	const invoice = await raw('POST', '/api/v1/payments', lnbits.walletA.invoiceKey, { out: false, amount: 7, memo: 'core-1' });
	const before = await a.getPayment(invoice.payment_hash);
	expect(before.paid).toBe(false);
	expect(before.status).toBe('pending');
	expect(before.details).toMatchObject({ direction: 'incoming', amountMsat: 7000, amountSats: 7, status: 'pending', memo: 'core-1' });

	await raw('POST', '/api/v1/payments', lnbits.walletB.adminKey, { out: true, bolt11: invoice.bolt11 });
	const after = await a.getPayment(invoice.payment_hash.toUpperCase());
	expect(after.paid).toBe(true);
	expect(after.status).toBe('success');
	expect(after.preimage).toMatch(/^[0-9a-f]{64}$/);
	expect(after.details?.paymentHash).toBe(invoice.payment_hash);
	expect(after.details?.expiry).toMatch(/Z$/);

	const list = await a.listPayments({ limit: 5 });
	expect(list[0].paymentHash).toBe(invoice.payment_hash);
	const outgoing = await new LnbitsClient({ url: lnbits.url, invoiceKey: lnbits.walletB.invoiceKey }).listPayments({
		direction: 'outgoing',
		memo: 'core-1',
	});
	expect(outgoing).toHaveLength(1);
	expect(outgoing[0]).toMatchObject({ direction: 'outgoing', amountMsat: 7000, status: 'success', feeMsat: 0 });
	expect(outgoing[0].checkingId).toBe(`internal_${invoice.payment_hash}`);

	const unknown = await caught(a.getPayment('0'.repeat(64)));
	expect(unknown).toBeInstanceOf(ServiceError);
	expect((unknown as ServiceError).kind).toBe('not_found');
});
