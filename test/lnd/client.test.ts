/**
 * The LND client against two real lnd nodes on regtest (global-setup.js): A pays B over one channel.
 */
import * as fs from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { LndClient, type Invoice } from '../../nodes/Lnd/client';
import { InvoiceSubscription } from '../../nodes/Lnd/client/subscribe';
import { caught } from '../helpers/caught';
import { client, file, hex, PORT } from './regtest';

jest.setTimeout(120_000);
async function until(check: () => boolean, ms = 30_000) {
	const end = Date.now() + ms;
	while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
	expect(check()).toBe(true);
}

const a = () => client('a');
const b = () => client('b');

describe('real lnd', () => {
	it('pins the node certificate and explains macaroon problems', async () => {
		expect((await a().getInfo()).chains?.[0]?.network).toBe('regtest');
		expect((await caught(client('a', 'admin', 'b').getInfo())).message).toMatch(/does not match the certificate in the credential/);
		const wrong = new LndClient({ url: `https://127.0.0.1:${PORT.a}`, macaroon: fs.readFileSync(file('b', 'admin')).toString('hex'), tlsCert: fs.readFileSync(file('a', 'tls'), 'utf8'), retries: 0 });
		expect((await caught(wrong.getInfo())).kind).toBe('auth');
		expect((await caught(client('a', 'readonly').createInvoice({ amountSats: 1 }))).kind).toBe('permission');
		expect((await caught(client('a', 'invoice').getInfo())).kind).toBe('permission');
	});

	it('creates, looks up, lists and decodes invoices', async () => {
		const created = await b().createInvoice({ amountSats: 1500, memo: 'real', expirySeconds: 900 });
		const invoice = await b().lookupInvoice(hex(created.r_hash));
		expect(invoice).toMatchObject({ memo: 'real', value: '1500', state: 'OPEN', expiry: '900' });
		expect((await caught(b().lookupInvoice('ab'.repeat(32)))).kind).toBe('not_found');
		const newest = await b().listInvoices({ limit: 3, reversed: true, pageSize: 2 });
		expect(newest[0].add_index).toBe(created.add_index);
		expect(newest.map((i) => Number(i.add_index))).toEqual([...newest.map((i) => Number(i.add_index))].sort((x, y) => y - x));
		expect(await a().decodePayReq(created.payment_request)).toMatchObject({ payment_hash: hex(created.r_hash), num_satoshis: '1500', description: 'real' });
		expect((await caught(a().decodePayReq('lnbcrt1garbage'))).kind).toBe('validation');
		expect(await a().trackPayment('cd'.repeat(32))).toBeNull();
	});

	it('pays once, reports too little balance, and delivers settled invoices once (live, resumed, from zero)', async () => {
		const live: string[] = [];
		const sub = new InvoiceSubscription({ client: client('b', 'invoice'), onSettled: (i: Invoice) => void live.push(String(i.settle_index)) });
		await sub.start();
		const base = Number(sub.settleIndex);
		const one = await b().createInvoice({ amountSats: 1000, memo: 'one' });
		const paid = await a().payInvoice({ paymentRequest: one.payment_request, maxAmountSats: 1000, feeLimitSats: 0, timeoutSeconds: 30 });
		expect(paid).toMatchObject({ state: 'succeeded', alreadyPaid: false });
		expect(createHash('sha256').update(Buffer.from(String(paid.payment.payment_preimage), 'hex')).digest('hex')).toBe(hex(one.r_hash));
		expect(await a().payInvoice({ paymentRequest: one.payment_request, maxAmountSats: 1000, feeLimitSats: 0, timeoutSeconds: 30 })).toMatchObject({ alreadyPaid: true });
		await until(() => live.length === 1);
		await sub.stop();

		const two = await b().createInvoice({ amountSats: 0, memo: 'two' });
		expect((await a().payInvoice({ paymentRequest: two.payment_request, maxAmountSats: 1000, amountSats: 123, feeLimitSats: 0, timeoutSeconds: 30 })).payment.value_sat).toBe('123');
		const resumed: string[] = [];
		const fromZero: string[] = [];
		const sub2 = new InvoiceSubscription({ client: client('b', 'invoice'), settleIndex: String(base + 1), onSettled: (i: Invoice) => void resumed.push(String(i.settle_index)) });
		const sub3 = new InvoiceSubscription({ client: client('b', 'invoice'), settleIndex: '0', onSettled: (i: Invoice) => void fromZero.push(String(i.settle_index)) });
		await sub2.start();
		await sub3.start();
		await until(() => resumed.length === 1 && fromZero.length === base + 2);
		const three = await b().createInvoice({ amountSats: 7, memo: 'three' });
		await a().payInvoice({ paymentRequest: three.payment_request, maxAmountSats: 10, feeLimitSats: 0, timeoutSeconds: 30 });
		await until(() => resumed.length === 2 && fromZero.length === base + 3);
		await sub2.stop();
		await sub3.stop();
		expect(live).toEqual([String(base + 1)]);
		expect(resumed).toEqual([String(base + 2), String(base + 3)]);
		expect(new Set(fromZero).size).toBe(fromZero.length);

		const big = await a().createInvoice({ amountSats: 500_000 });
		const failed = await caught(b().payInvoice({ paymentRequest: big.payment_request, maxAmountSats: 500_000, feeLimitSats: 10, timeoutSeconds: 10 }));
		expect(['FAILURE_REASON_INSUFFICIENT_BALANCE', 'FAILURE_REASON_NO_ROUTE']).toContain(failed.code);
		console.log('B pays more than its balance:', failed.code, failed.message);
	});

	it('reports a payment held by the payee as pending, never sends it twice', async () => {
		const preimage = randomBytes(32);
		const hash = createHash('sha256').update(preimage).digest();
		const hold = (await b().http.request('POST', '/v2/invoices/hodl', { json: { hash: hash.toString('base64'), value: '500', memo: 'hold' } })) as { payment_request: string };
		const pay = () => a().payInvoice({ paymentRequest: hold.payment_request, maxAmountSats: 500, feeLimitSats: 0, timeoutSeconds: 2, graceMs: 1000 });
		expect(await pay()).toMatchObject({ state: 'pending', alreadyPaid: false });
		expect(await pay()).toMatchObject({ state: 'pending', alreadyPaid: true });
		expect((await a().listPayments({ reversed: true, limit: 5 })).filter((p) => p.payment_hash === hash.toString('hex'))).toHaveLength(1);
		await b().http.request('POST', '/v2/invoices/settle', { json: { preimage: preimage.toString('base64') } });
		await new Promise((r) => setTimeout(r, 1500));
		expect(await pay()).toMatchObject({ state: 'succeeded', alreadyPaid: true });
	});
});
