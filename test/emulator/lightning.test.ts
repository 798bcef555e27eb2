/**
 * Store Lightning against the OpenAPI-checked BTCPay emulator: node info and
 * balance, invoices created from sats, paying between two stores (200 paid),
 * external invoices (202 pending, later complete), no double pay across
 * reruns, guards and 503; zero spec violations.
 */
import { BtcPayClient } from '../../nodes/BtcPay/client';
import type { IDataObject } from 'n8n-workflow';
import { runBtcPayNode } from '../helpers/btcpay-node';
import { caught } from '../helpers/caught';
import { encodeBolt11 } from '../fixtures/bolt11-encode';
import { seedStore, startEmulator, type BtcPayEmulator } from '../btcpay-emulator';
import { lightningNode, receiveLightningPayment, setLightningAvailable, settleLightningPayment } from '../btcpay-emulator/routes/lightning';

jest.setTimeout(60_000);

let emu: BtcPayEmulator;
let client: BtcPayClient;
let shop: string;
let supplier: string;

beforeAll(async () => {
	emu = await startEmulator();
	client = new BtcPayClient({ url: emu.url, apiKey: emu.apiKey, retryDelayMs: 1 });
	shop = seedStore(emu, { name: 'Shop' }).id;
	supplier = seedStore(emu, { name: 'Supplier' }).id;
});
afterAll(async () => {
	emu.assertNoViolations();
	await emu.close();
});

describe('store Lightning on the emulator', () => {
	it('node info and balance', async () => {
		const info = await client.lightning.getInfo(shop);
		expect(info.alias).toMatch(/^emulated-/);
		expect(info.nodeURIs?.[0]).toMatch(/@127\.0\.0\.1:9735$/);
		const balance = await client.lightning.getBalance(shop);
		expect(balance.offchain?.local).toBe('5000000000');
		expect(balance.onchain?.confirmed).toBe('1000000');
	});

	it('creates an invoice from sats (msat on the wire) that decodes to the same amount', async () => {
		const inv = await client.lightning.createInvoice(supplier, { amountSats: 1234, description: 'Parts', expirySeconds: 900 });
		expect(inv).toMatchObject({ status: 'Unpaid', amount: '1234000', amountSats: 1234 });
		expect(emu.requestLog.at(-1)?.body).toEqual({ amount: '1234000', description: 'Parts', expiry: 900 });
		receiveLightningPayment(emu, supplier, inv.id);
		expect(await client.lightning.getInvoice(supplier, inv.id)).toMatchObject({ status: 'Paid', amountReceived: '1234000' });
	});

	it('pays another store (200 → paid), moves balances exactly, and a rerun does not pay again', async () => {
		const invoice = await client.lightning.createInvoice(supplier, { amountSats: 21000, description: 'Supplies' });
		const shopBefore = lightningNode(emu, shop).localMsat;
		const supplierBefore = lightningNode(emu, supplier).localMsat;

		const paid = await client.lightning.payInvoice(shop, { invoice: invoice.BOLT11, maxAmountSats: 25000, maxFeePercent: '1' });
		expect(paid).toMatchObject({ outcome: 'paid', paid: true, status: 'Complete', amountSats: 21000, httpStatus: 200, feeMsat: '0', description: 'Supplies' });
		expect(paid.preimage).toMatch(/^[0-9a-f]{64}$/);
		expect(lightningNode(emu, shop).localMsat).toBe(shopBefore - 21_000_000n);
		expect(lightningNode(emu, supplier).localMsat).toBe(supplierBefore + 21_000_000n);

		const posts = () => emu.requestLog.filter((r) => r.method === 'POST' && r.path.endsWith('/invoices/pay')).length;
		const before = posts();
		const rerun = await client.lightning.payInvoice(shop, { invoice: invoice.BOLT11, maxAmountSats: 25000 });
		expect(rerun).toMatchObject({ outcome: 'already_paid', paid: true, httpStatus: null });
		expect(posts()).toBe(before);
		expect(lightningNode(emu, shop).localMsat).toBe(shopBefore - 21_000_000n);

		expect((await client.lightning.getPayment(shop, paid.paymentHash)).status).toBe('Complete');
	});

	it('an external invoice is pending (202); a rerun while pending sends nothing; then it completes', async () => {
		const external = encodeBolt11({ amountMsat: 5_000_000, description: 'external' });
		const pending = await client.lightning.payInvoice(shop, { invoice: external.bolt11, maxAmountSats: 5000, maxFeeFlatSats: 2 });
		expect(pending).toMatchObject({ outcome: 'pending', pending: true, paid: false, httpStatus: 202, status: 'Pending', feeMsat: '1000', totalAmountMsat: '5001000' });

		const again = await client.lightning.payInvoice(shop, { invoice: external.bolt11, maxAmountSats: 5000 });
		expect(again).toMatchObject({ outcome: 'already_pending', httpStatus: null });

		settleLightningPayment(emu, shop, external.paymentHash, 'Complete');
		expect((await client.lightning.getPayment(shop, external.paymentHash)).status).toBe('Complete');
	});

	it('a failed earlier payment may be paid again; fee limit and balance errors are business errors', async () => {
		const external = encodeBolt11({ amountMsat: 1_000_000 });
		await client.lightning.payInvoice(shop, { invoice: external.bolt11, maxAmountSats: 1000 });
		settleLightningPayment(emu, shop, external.paymentHash, 'Failed');
		const retry = await client.lightning.payInvoice(shop, { invoice: external.bolt11, maxAmountSats: 1000 });
		expect(retry.outcome).toBe('pending');

		const tooExpensive = encodeBolt11({ amountMsat: 100_000 });
		const fee = await caught(client.lightning.payInvoice(shop, { invoice: tooExpensive.bolt11, maxAmountSats: 100, maxFeeFlatSats: 0, maxFeePercent: '0' }));
		expect(fee.kind).toBe('business');
		expect(fee.message).toMatch(/fee limit/);

		lightningNode(emu, supplier).localMsat = 0n;
		const inv = await client.lightning.createInvoice(shop, { amountSats: 10 });
		const broke = await caught(client.lightning.payInvoice(supplier, { invoice: inv.BOLT11, maxAmountSats: 10 }));
		expect(broke.message).toMatch(/insufficient balance/);
	});

	it('guards run before any request: max amount, expired, wrong network, zero amount', async () => {
		const before = emu.requestCount;
		const big = encodeBolt11({ amountMsat: 2_000_000 });
		await expect(client.lightning.payInvoice(shop, { invoice: big.bolt11, maxAmountSats: 1999 })).rejects.toThrow(/above the node's Max Amount/);
		const old = encodeBolt11({ amountMsat: 1000, timestamp: Math.floor(Date.now() / 1000) - 7200 });
		await expect(client.lightning.payInvoice(shop, { invoice: old.bolt11, maxAmountSats: 10 })).rejects.toThrow(/expired/);
		const mainnet = encodeBolt11({ amountMsat: 1000, network: 'mainnet' });
		await expect(client.lightning.payInvoice(shop, { invoice: mainnet.bolt11, maxAmountSats: 10, expectedNetwork: 'regtest' })).rejects.toThrow(/is for mainnet/);
		const any = encodeBolt11({});
		await expect(client.lightning.payInvoice(shop, { invoice: any.bolt11, maxAmountSats: 10 })).rejects.toThrow(/has no amount/);
		expect(emu.requestCount).toBe(before);
		const anyPaid = await client.lightning.payInvoice(shop, { invoice: any.bolt11, maxAmountSats: 10, amountSats: 7 });
		expect(anyPaid).toMatchObject({ amountSats: 7, amountMsat: '7000' });
		expect(emu.requestLog.at(-1)?.body).toEqual({ BOLT11: any.bolt11, amount: '7000' });
	});

	it('node unreachable → 503 in plain language; permissions are checked per store', async () => {
		setLightningAvailable(emu, supplier, false);
		const down = await caught(client.lightning.getInfo(supplier));
		expect(down.message).toMatch(/Lightning node is not reachable/);
		setLightningAvailable(emu, supplier, true);

		const key = emu.addApiKey({ label: 'ln invoices', permissions: [`btcpay.store.cancreatelightninginvoice:${shop}`] });
		const limited = new BtcPayClient({ url: emu.url, apiKey: key.apiKey, retryDelayMs: 1 });
		expect((await limited.lightning.createInvoice(shop, { amountSats: 1 })).amountSats).toBe(1);
		const other = await caught(limited.lightning.createInvoice(supplier, { amountSats: 1 }));
		expect(other.kind).toBe('permission');
		const invoice = await client.lightning.createInvoice(supplier, { amountSats: 1 });
		const pay = await caught(limited.lightning.payInvoice(shop, { invoice: invoice.BOLT11, maxAmountSats: 1 }));
		expect(pay).toMatchObject({ kind: 'permission', missingPermission: 'btcpay.store.canuselightningnode' });
	});
});

describe('through the BTCPay node', () => {
	async function run(storeId: string, parameters: Record<string, unknown>, continueOnFail = false) {
		return runBtcPayNode({ url: emu.url, apiKey: emu.apiKey, storeId, parameters: { resource: 'lightning', ...parameters } as IDataObject, continueOnFail });
	}

	it('info, balance in sats, create/get invoice, pay, get payment; Max Amount is required', async () => {
		expect((await run(shop, { operation: 'getInfo' }))[0].alias).toMatch(/^emulated-/);
		const [balance] = await run(shop, { operation: 'getBalance' });
		expect(balance).toMatchObject({ onchainConfirmedSats: 1_000_000 });
		expect(typeof balance.lightningLocalSats).toBe('number');

		const [inv] = await run(supplier, { operation: 'createInvoice', amountSats: 777, description: 'node', additionalFields: { expirySeconds: 600 } });
		expect(inv).toMatchObject({ status: 'Unpaid', amountSats: 777, amount: '777000' });
		const [missingMax] = await run(shop, { operation: 'payInvoice', bolt11: inv.BOLT11 }, true);
		expect(missingMax).toMatchObject({ errorKind: 'input', field: 'Max Amount (Sats)' });

		const [paid] = await run(shop, { operation: 'payInvoice', bolt11: inv.BOLT11, maxAmountSats: 1000, payOptions: { maxFeePercent: '0.5' } });
		expect(paid).toMatchObject({ outcome: 'paid', paid: true, amountSats: 777 });
		const [again] = await run(shop, { operation: 'payInvoice', bolt11: inv.BOLT11, maxAmountSats: 1000 });
		expect(again.outcome).toBe('already_paid');
		expect((await run(supplier, { operation: 'getInvoice', lightningInvoiceId: String(inv.id) }))[0]).toMatchObject({ status: 'Paid', amountReceivedSats: 777 });
		expect((await run(shop, { operation: 'getPayment', paymentHash: String(paid.paymentHash) }))[0]).toMatchObject({ status: 'Complete', feeSats: 0, totalAmountSats: 777 });
	});
});
