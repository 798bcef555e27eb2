/**
 * Refunds, pull payments and payouts against the OpenAPI-checked BTCPay
 * emulator: refund variants with exact amounts and claim links, the payout
 * state machine (approve with revision, cancel, mark paid), limits and
 * permissions; zero spec violations.
 */
import { BtcPayClient } from '../../nodes/BtcPay/client';
import type { IDataObject } from 'n8n-workflow';
import { runBtcPayNode } from '../helpers/btcpay-node';
import { caught } from '../helpers/caught';
import { payInvoice, seedStore, startEmulator, type BtcPayEmulator } from '../btcpay-emulator';

jest.setTimeout(60_000);

let emu: BtcPayEmulator;
let client: BtcPayClient;
let storeId: string;

beforeAll(async () => {
	emu = await startEmulator();
	client = new BtcPayClient({ url: emu.url, apiKey: emu.apiKey, retryDelayMs: 1 });
	storeId = seedStore(emu, { name: 'Refund Shop' }).id;
});
afterAll(async () => {
	emu.assertNoViolations();
	await emu.close();
});

/** A settled USD invoice paid over `method` (emulator rate: 100 000 USD/BTC). */
async function settledInvoice(amount: string, btc?: string): Promise<string> {
	const inv = await client.invoices.create(storeId, { amount, currency: 'USD' });
	payInvoice(emu, inv.id, { paymentMethodId: 'BTC-CHAIN', btc });
	return inv.id;
}

describe('refunds', () => {
	it('RateThen / Fiat / Custom / OverpaidAmount with subtracted percentage; the claim link opens the pull payment', async () => {
		const id = await settledInvoice('50.00');
		const rateThen = await client.pullPayments.refundInvoice(storeId, id, { refundVariant: 'RateThen' });
		expect(rateThen).toMatchObject({ currency: 'BTC', amount: '0.00050000', name: `Refund ${id}` });
		expect(rateThen.claimLink).toBe(`${emu.url}/pull-payments/${rateThen.id}`);

		const fiat = await client.pullPayments.refundInvoice(storeId, id, { refundVariant: 'Fiat', subtractPercentage: '10' });
		expect(fiat).toMatchObject({ currency: 'USD', amount: '45.00' });

		const custom = await client.pullPayments.refundInvoice(storeId, id, { refundVariant: 'Custom', customAmount: '12.34', customCurrency: 'EUR', name: 'Goodwill', payoutMethods: ['BTC-LN'] });
		expect(custom).toMatchObject({ currency: 'EUR', amount: '12.34', name: 'Goodwill' });

		const notOver = await caught(client.pullPayments.refundInvoice(storeId, id, { refundVariant: 'OverpaidAmount' }));
		expect(notOver.kind).toBe('validation');
		const over = await settledInvoice('10.00', '0.00015');
		const overpaid = await client.pullPayments.refundInvoice(storeId, over, { refundVariant: 'OverpaidAmount' });
		expect(overpaid).toMatchObject({ currency: 'BTC', amount: '0.00005000' });

		expect((await client.pullPayments.get(custom.id)).claimLink).toBe(custom.claimLink);
	});

	it('refuses unpaid invoices (400) and unknown ones (403)', async () => {
		const unpaid = await client.invoices.create(storeId, { amount: '5', currency: 'USD' });
		const err = await caught(client.pullPayments.refundInvoice(storeId, unpaid.id, { refundVariant: 'Fiat' }));
		expect(err).toMatchObject({ kind: 'validation', status: 400 });
		expect(err.message).toContain('Cannot refund this invoice');
		// An unknown invoiceId fails the authorization (BuiltInPermissionScopeProvider.cs): 403, no 404.
		expect(await caught(client.pullPayments.refundInvoice(storeId, 'missing', { refundVariant: 'Fiat' }))).toMatchObject({ kind: 'not_found', status: 403, code: 'object-unreachable', message: expect.stringContaining('invoice "missing"') });
	});

	it('needs cancreatepullpayments (403 names it)', async () => {
		const id = await settledInvoice('1.00');
		const viewer = emu.addApiKey({ label: 'invoices only', permissions: [`btcpay.store.canviewinvoices:${storeId}`] });
		const limited = new BtcPayClient({ url: emu.url, apiKey: viewer.apiKey, retryDelayMs: 1 });
		const err = await caught(limited.pullPayments.refundInvoice(storeId, id, { refundVariant: 'Fiat' }));
		expect(err).toMatchObject({ kind: 'permission', missingPermission: 'btcpay.store.cancreatepullpayments' });
	});
});

describe('pull payments and payouts', () => {
	it('claim → approve (revision read first) → mark paid; the pull payment limit holds', async () => {
		const pp = await client.pullPayments.create(storeId, { name: 'Bug bounty', amount: '100.00', currency: 'USD', payoutMethods: ['BTC-CHAIN', 'BTC-LN'] });
		expect(pp).toMatchObject({ name: 'Bug bounty', amount: '100.00', currency: 'USD', archived: false });

		const first = await client.pullPayments.createPayout(pp.id, { destination: 'bcrt1qbounty1', amount: '60', payoutMethodId: 'BTC-CHAIN' });
		expect(first).toMatchObject({ state: 'AwaitingApproval', originalAmount: '60.00', payoutAmount: null });
		const over = await caught(client.pullPayments.createPayout(pp.id, { destination: 'bcrt1qbounty2', amount: '50', payoutMethodId: 'BTC-CHAIN' }));
		expect(over).toMatchObject({ kind: 'business', code: 'overdraft' });
		const rest = await client.pullPayments.createPayout(pp.id, { destination: 'bcrt1qbounty2', payoutMethodId: 'BTC-CHAIN' });
		expect(rest.originalAmount).toBe('40.00');

		const approved = await client.pullPayments.approvePayout(storeId, first.id);
		expect(approved).toMatchObject({ state: 'AwaitingPayment', payoutAmount: '0.00060000', payoutCurrency: 'BTC' });
		await client.pullPayments.markPayoutPaid(storeId, first.id);
		expect((await client.pullPayments.getPayout(storeId, first.id)).state).toBe('Completed');

		await client.pullPayments.cancelPayout(storeId, rest.id);
		expect((await client.pullPayments.listPayouts(pp.id)).map((p) => p.id)).toEqual([first.id]);
		expect((await client.pullPayments.listPayouts(pp.id, { includeCancelled: true })).map((p) => p.state).sort()).toEqual(['Cancelled', 'Completed']);
		expect((await client.pullPayments.listStorePayouts(storeId)).map((p) => p.id)).toContain(first.id);
	});

	it('approve with a stale revision and mark-paid before approval are refused', async () => {
		const pp = await client.pullPayments.create(storeId, { amount: '0.001', currency: 'BTC' });
		const payout = await client.pullPayments.createPayout(pp.id, { destination: 'bcrt1qstale', amount: '0.0005', payoutMethodId: 'BTC-CHAIN' });
		const stale = await caught(client.pullPayments.approvePayout(storeId, payout.id, { revision: 7 }));
		expect(stale).toMatchObject({ kind: 'business', code: 'old-revision' });
		const early = await caught(client.pullPayments.markPayoutPaid(storeId, payout.id));
		expect(early).toMatchObject({ kind: 'business', code: 'invalid-state' });
		expect(await caught(client.pullPayments.getPayout(storeId, 'nope'))).toMatchObject({ kind: 'not_found', status: 403, code: 'object-unreachable' }); // unknown payoutId: 403 in v2.4.1
	});

	it('auto-approve, store payouts, list and archive', async () => {
		const pp = await client.pullPayments.create(storeId, { name: 'Auto', amount: '20', currency: 'EUR', autoApproveClaims: true, BOLT11Expiration: 7 });
		expect(pp.BOLT11Expiration).toBe('7');
		const claimed = await client.pullPayments.createPayout(pp.id, { destination: 'bcrt1qauto', amount: '9', payoutMethodId: 'BTC-LN' });
		expect(claimed.state).toBe('AwaitingPayment');
		const direct = await client.pullPayments.createStorePayout(storeId, { destination: 'bcrt1qdirect', amount: '0.0001', payoutMethodId: 'BTC-CHAIN', approved: true, metadata: { source: 'n8n' } });
		expect(direct).toMatchObject({ state: 'AwaitingPayment', payoutAmount: '0.00010000', metadata: { source: 'n8n' } });
		expect((await client.pullPayments.list(storeId)).map((p) => p.id)).toContain(pp.id);
		await client.pullPayments.archive(storeId, pp.id);
		expect((await client.pullPayments.list(storeId)).map((p) => p.id)).not.toContain(pp.id);
		expect((await client.pullPayments.list(storeId, { includeArchived: true })).find((p) => p.id === pp.id)?.archived).toBe(true);
		const closed = await caught(client.pullPayments.createPayout(pp.id, { destination: 'bcrt1qlate', amount: '1', payoutMethodId: 'BTC-LN' }));
		expect(closed.code).toBe('archived');
	});

	it('server-side validation comes back as a field list; bad input sends nothing', async () => {
		const err = await caught(client.pullPayments.create(storeId, { amount: '1', currency: 'XYZ' }));
		expect(err.kind).toBe('validation');
		expect(err.details).toEqual(['Currency: Invalid currency']);
		const before = emu.requestCount;
		await expect(client.pullPayments.create(storeId, { amount: '1.001', currency: 'USD' })).rejects.toThrow(/^Amount:/);
		await expect(client.pullPayments.refundInvoice(storeId, 'x', { refundVariant: 'Custom', customAmount: '1' })).rejects.toThrow(/^Custom Currency/);
		expect(emu.requestCount).toBe(before);
	});
});

describe('through the BTCPay node', () => {
	async function run(resource: string, parameters: Record<string, unknown>, continueOnFail = false) {
		return runBtcPayNode({ url: emu.url, apiKey: emu.apiKey, storeId, parameters: { resource, ...parameters } as IDataObject, continueOnFail });
	}

	it('refund an invoice: claim link, custom variant, bad custom currency names the field', async () => {
		const id = await settledInvoice('20.00');
		const [refund] = await run('refund', { operation: 'refundInvoice', invoiceId: id, refundVariant: 'Fiat', additionalFields: { subtractPercentage: '5', payoutMethods: 'BTC-CHAIN, BTC-LN' } });
		expect(refund).toMatchObject({ invoiceId: id, amount: '19.00', currency: 'USD' });
		expect(String(refund.claimLink)).toBe(`${emu.url}/pull-payments/${String(refund.id)}`);
		const [custom] = await run('refund', { operation: 'refundInvoice', invoiceId: id, refundVariant: 'Custom', customAmount: '3', customCurrency: 'EUR' });
		expect(custom).toMatchObject({ amount: '3.00', currency: 'EUR' });
		const [bad] = await run('refund', { operation: 'refundInvoice', invoiceId: id, refundVariant: 'Custom', customAmount: '3', customCurrency: '' }, true);
		expect(bad).toMatchObject({ errorKind: 'input', field: 'Custom Currency' });
	});

	it('pull payment and payout operations', async () => {
		const [pp] = await run('pullPayment', { operation: 'create', amount: '0.01', currency: 'BTC', additionalFields: { name: 'Node PP', BOLT11Expiration: 3, payoutMethods: 'BTC-LN,BTC-CHAIN' } });
		expect(pp).toMatchObject({ name: 'Node PP', amount: '0.01000000', currency: 'BTC', BOLT11Expiration: '3' });
		const ppId = String(pp.id);
		expect((await run('pullPayment', { operation: 'get', pullPaymentId: ppId }))[0].claimLink).toBe(pp.claimLink);
		expect((await run('pullPayment', { operation: 'getAll', returnAll: true })).map((p) => p.id)).toContain(ppId);

		const [payout] = await run('payout', { operation: 'create', destination: 'bcrt1qnode', payoutMethodId: 'BTC-CHAIN', amount: '0.004', additionalFields: { pullPaymentId: ppId, metadata: '{"ticket":"T-9"}' } });
		expect(payout).toMatchObject({ state: 'AwaitingApproval', pullPaymentId: ppId, originalAmount: '0.00400000' });
		const payoutId = String(payout.id);
		expect((await run('payout', { operation: 'approve', payoutId, approveOptions: {} }))[0]).toMatchObject({ state: 'AwaitingPayment', payoutAmount: '0.00400000' });
		expect(await run('payout', { operation: 'markPaid', payoutId })).toEqual([{ success: true, payoutId, state: 'Completed' }]);
		expect((await run('payout', { operation: 'get', payoutId }))[0].state).toBe('Completed');
		expect((await run('payout', { operation: 'getAll', returnAll: true, filters: { pullPaymentId: ppId } })).map((p) => p.id)).toEqual([payoutId]);

		const [other] = await run('payout', { operation: 'create', destination: 'bcrt1qcancel', payoutMethodId: 'BTC-CHAIN', amount: '0.0001' });
		expect(await run('payout', { operation: 'cancel', payoutId: String(other.id) })).toEqual([{ success: true, payoutId: other.id, state: 'Cancelled' }]);
		expect(await run('pullPayment', { operation: 'archive', pullPaymentId: ppId })).toEqual([{ success: true, pullPaymentId: ppId, archived: true }]);
	});
});
