/**
 * The shared Lightning wallet (nodes/shared/lightning-wallet.ts) that the Cashu and
 * L402 nodes receive and pay with: BTCPay store Lightning against the emulator,
 * LNbits and LND through nock. Guards refuse before any request; an invoice the
 * wallet already paid is reported, not paid again.
 */
import nock from 'nock';
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import {
	createWalletInvoice,
	getWalletInvoiceState,
	payFromWallet,
	walletCredentials,
	walletProperties,
	type WalletKind,
} from '../../nodes/shared/lightning-wallet';
import { encodeBolt11 } from '../fixtures/bolt11-encode';
import { SPEC_TIMESTAMP } from '../fixtures/bolt11-spec';
import { caught } from '../helpers/caught';
import { seedStore, startEmulator, type BtcPayEmulator } from '../btcpay-emulator';
import { receiveLightningPayment } from '../btcpay-emulator/routes/lightning';
import { apiPayment } from '../unit/lnbits/fixtures';
import { BASE as LND, COFFEE, HASH_B64, HASH_B64URL, HASH_HEX, INFO, MACAROON_HEX, NOW, lndInvoice, lndPayment, streamBody } from '../unit/lnd/fixtures';

const LNBITS = 'http://lnbits.test';
const HASH = 'ab'.repeat(32);

function ctx(parameters: IDataObject, credentials: Record<string, ICredentialDataDecryptedObject>): IExecuteFunctions {
	return {
		getNodeParameter: (name: string, _i: number, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
		getCredentials: async (name: string) => {
			if (!credentials[name]) throw new Error(`no credential ${name}`);
			return credentials[name];
		},
	} as unknown as IExecuteFunctions;
}

const lnbitsCreds = { lnbitsApi: { url: LNBITS, invoiceKey: 'inv-key', adminKey: 'admin-key' } };
const lndCreds = { lndRestApi: { url: LND, macaroon: MACAROON_HEX, tlsCert: '' } };

let emu: BtcPayEmulator;
let shop: string;
let supplier: string;

beforeAll(async () => {
	nock.disableNetConnect();
	nock.enableNetConnect('127.0.0.1');
	emu = await startEmulator();
	shop = seedStore(emu, { name: 'Shop' }).id;
	supplier = seedStore(emu, { name: 'Supplier' }).id;
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
	emu.assertNoViolations();
	await emu.close();
	nock.enableNetConnect();
});

describe('wallet fields', () => {
	it('offers a dropdown only when there is a choice, and one credential per wallet shown for it', () => {
		const kinds: WalletKind[] = ['lnbits', 'lnd', 'btcpay'];
		const props = walletProperties({ kinds, purpose: 'receive', displayOptions: { show: { operation: ['createChallenge'] } } });
		expect(props.map((p) => p.name)).toEqual(['wallet', 'walletStoreId']);
		expect(props[0].options?.map((o) => (o as { value: string }).value)).toEqual(kinds);
		expect(props[1].displayOptions?.show).toEqual({ operation: ['createChallenge'], wallet: ['btcpay'] });
		expect(walletCredentials(kinds)).toEqual([
			{ name: 'lnbitsApi', required: true, testedBy: 'lnbitsApiTest', displayOptions: { show: { wallet: ['lnbits'] } } },
			{ name: 'lndRestApi', required: true, testedBy: 'lndRestApiTest', displayOptions: { show: { wallet: ['lnd'] } } },
			{ name: 'btcPayApi', required: true, testedBy: 'btcPayApiTest', displayOptions: { show: { wallet: ['btcpay'] } } },
		]);
		expect(walletProperties({ kinds: ['lnbits'], purpose: 'pay' })).toEqual([]);
		expect(walletCredentials(['lnbits'])).toEqual([{ name: 'lnbitsApi', required: true, testedBy: 'lnbitsApiTest' }]);
	});
});

describe('LNbits wallet', () => {
	it('receives: an incoming invoice in sats, then its state by payment hash', async () => {
		let body: Record<string, unknown> = {};
		nock(LNBITS, { reqheaders: { 'x-api-key': 'inv-key' } })
			.post('/api/v1/payments', (b) => {
				body = b;
				return true;
			})
			.reply(201, apiPayment({ payment_hash: HASH, amount: 21000, bolt11: 'lnbcrt210n1ptest', status: 'pending' }));
		const c = ctx({ wallet: 'lnbits' }, lnbitsCreds);
		const inv = await createWalletInvoice(c, 0, { amountSats: 21, memo: 'API call', expirySeconds: 600 });
		expect(body).toEqual({ out: false, unit: 'sat', amount: 21, memo: 'API call', expiry: 600 });
		expect(inv).toMatchObject({ wallet: 'lnbits', bolt11: 'lnbcrt210n1ptest', paymentHash: HASH, amountSats: 21 });

		nock(LNBITS).get(`/api/v1/payments/${HASH}`).reply(200, { paid: false, status: 'pending', details: apiPayment({ payment_hash: HASH, amount: 21000 }) });
		expect(await getWalletInvoiceState(c, 0, HASH)).toEqual({ settled: false, preimage: null, amountSats: null });
		nock(LNBITS)
			.get(`/api/v1/payments/${HASH}`)
			.reply(200, { paid: true, preimage: '2'.repeat(64), details: apiPayment({ payment_hash: HASH, amount: 21000, status: 'success' }) });
		expect(await getWalletInvoiceState(c, 0, HASH)).toEqual({ settled: true, preimage: '2'.repeat(64), amountSats: 21 });
	});

	it('pays: over Max Amount, expired or another network is refused before any request', async () => {
		const c = ctx({ wallet: 'lnbits' }, lnbitsCreds);
		const over = encodeBolt11({ amountMsat: 5000_000 });
		expect((await caught(payFromWallet(c, 0, { bolt11: over.bolt11, maxAmountSats: 4999 }))).message).toMatch(/Max Amount/);
		const old = encodeBolt11({ amountMsat: 1000, timestamp: Math.floor(Date.now() / 1000) - 7200, expiry: 60 });
		expect((await caught(payFromWallet(c, 0, { bolt11: old.bolt11, maxAmountSats: 10 }))).message).toMatch(/expired/i);
		const main = encodeBolt11({ amountMsat: 1000, network: 'mainnet' });
		expect((await caught(payFromWallet(c, 0, { bolt11: main.bolt11, maxAmountSats: 10, network: 'regtest' }))).message).toMatch(/network|mainnet/i);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('pays once: an invoice the wallet already paid is reported and not sent again', async () => {
		const inv = encodeBolt11({ amountMsat: 7000 });
		const c = ctx({}, lnbitsCreds);
		nock(LNBITS).get(`/api/v1/payments/${inv.paymentHash}`).reply(404, { detail: 'Payment does not exist.' });
		nock(LNBITS, { reqheaders: { 'x-api-key': 'admin-key' } })
			.post('/api/v1/payments', { out: true, bolt11: inv.bolt11 })
			.reply(201, apiPayment({ payment_hash: inv.paymentHash, amount: -7000, fee: -1000, status: 'success', preimage: inv.preimage }));
		const first = await payFromWallet(c, 0, { bolt11: inv.bolt11, maxAmountSats: 10, kinds: ['lnbits'] });
		expect(first).toEqual({ wallet: 'lnbits', paymentHash: inv.paymentHash, status: 'success', preimage: inv.preimage, amountSats: 7, feeSats: 1, alreadyPaid: false });
		nock(LNBITS)
			.get(`/api/v1/payments/${inv.paymentHash}`)
			.reply(200, { paid: true, preimage: inv.preimage, details: apiPayment({ payment_hash: inv.paymentHash, amount: -7000, fee: -1000, status: 'success', preimage: inv.preimage }) });
		const again = await payFromWallet(c, 0, { bolt11: inv.bolt11, maxAmountSats: 10, kinds: ['lnbits'] });
		expect(again).toMatchObject({ status: 'success', alreadyPaid: true });
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('LND node', () => {
	const lnd = () => nock(LND, { reqheaders: { 'grpc-metadata-macaroon': MACAROON_HEX } });

	it('receives: the payment hash comes out as hex, the preimage once settled', async () => {
		const invoice = encodeBolt11({ amountMsat: 1000_000, network: 'mainnet' });
		lnd().post('/v1/invoices', { value: '1000', memo: 'tip', expiry: '300' }).reply(200, { r_hash: HASH_B64, payment_request: invoice.bolt11, add_index: '7' });
		const c = ctx({ wallet: 'lnd' }, lndCreds);
		const inv = await createWalletInvoice(c, 0, { amountSats: 1000, memo: 'tip', expirySeconds: 300 });
		expect(inv).toMatchObject({ wallet: 'lnd', paymentHash: HASH_HEX, bolt11: invoice.bolt11, amountSats: 1000 });
		expect(inv.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT/);
		lnd().get(`/v1/invoice/${HASH_HEX}`).reply(200, lndInvoice({ state: 'SETTLED', settled: true, amt_paid_sat: '1000' }));
		expect(await getWalletInvoiceState(c, 0, HASH_HEX)).toEqual({ settled: true, preimage: '22'.repeat(32), amountSats: 1000 });
		lnd().get(`/v1/invoice/${HASH_HEX}`).reply(200, lndInvoice({ state: 'OPEN' }));
		expect((await getWalletInvoiceState(c, 0, HASH_HEX)).settled).toBe(false);
	});

	it('pays with the fee limit given, after checking the node network and earlier payments', async () => {
		let sent: Record<string, unknown> = {};
		lnd()
			.get('/v1/getinfo')
			.reply(200, INFO)
			.get(`/v2/router/track/${HASH_B64URL}`)
			.reply(404, { error: { code: 5, message: "payment isn't initiated", details: [] } })
			.post('/v2/router/send', (b) => {
				sent = b;
				return true;
			})
			.reply(200, streamBody(lndPayment('SUCCEEDED')));
		const res = await payFromWallet(ctx({ wallet: 'lnd' }, lndCreds), 0, { bolt11: COFFEE, maxAmountSats: 300_000, maxFeeSats: 50, now: NOW });
		expect(sent).toMatchObject({ payment_request: COFFEE, fee_limit_sat: '50' });
		expect(res).toEqual({ wallet: 'lnd', paymentHash: HASH_HEX, status: 'success', preimage: '33'.repeat(32), amountSats: 250000, feeSats: 3, alreadyPaid: false });
		expect((await caught(payFromWallet(ctx({ wallet: 'lnd' }, lndCreds), 0, { bolt11: COFFEE, maxAmountSats: 249_999, now: SPEC_TIMESTAMP + 5 }))).message).toMatch(/Max Amount/);
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('BTCPay store Lightning (emulator)', () => {
	it('receives on the store node and sees the invoice settle', async () => {
		const c = ctx({ wallet: 'btcpay', walletStoreId: supplier }, { btcPayApi: { url: emu.url, apiKey: emu.apiKey } });
		const inv = await createWalletInvoice(c, 0, { amountSats: 1500, memo: 'Parts' });
		expect(inv).toMatchObject({ wallet: 'btcpay', amountSats: 1500 });
		expect(inv.paymentHash).toMatch(/^[0-9a-f]{64}$/);
		expect(await getWalletInvoiceState(c, 0, inv.paymentHash)).toMatchObject({ settled: false });
		receiveLightningPayment(emu, supplier, inv.paymentHash);
		expect(await getWalletInvoiceState(c, 0, inv.paymentHash)).toMatchObject({ settled: true, amountSats: 1500 });
	});

	it('pays another store once; a rerun reports the earlier payment', async () => {
		const receiver = ctx({ wallet: 'btcpay', walletStoreId: supplier }, { btcPayApi: { url: emu.url, apiKey: emu.apiKey } });
		const payer = ctx({ wallet: 'btcpay', walletStoreId: shop }, { btcPayApi: { url: emu.url, apiKey: emu.apiKey } });
		const inv = await createWalletInvoice(receiver, 0, { amountSats: 300 });
		const before = emu.requestLog.length;
		expect((await caught(payFromWallet(payer, 0, { bolt11: inv.bolt11, maxAmountSats: 299 }))).message).toMatch(/Max Amount/);
		expect(emu.requestLog.length).toBe(before);
		const paid = await payFromWallet(payer, 0, { bolt11: inv.bolt11, maxAmountSats: 300 });
		expect(paid).toMatchObject({ wallet: 'btcpay', paymentHash: inv.paymentHash, status: 'success', alreadyPaid: false, amountSats: 300 });
		const again = await payFromWallet(payer, 0, { bolt11: inv.bolt11, maxAmountSats: 300 });
		expect(again).toMatchObject({ status: 'success', alreadyPaid: true });
		expect(await getWalletInvoiceState(receiver, 0, inv.paymentHash)).toMatchObject({ settled: true });
	});

	it('names the missing store', async () => {
		const c = ctx({ wallet: 'btcpay', walletStoreId: ' ' }, { btcPayApi: { url: emu.url, apiKey: emu.apiKey } });
		expect((await caught(createWalletInvoice(c, 0, { amountSats: 1 }))).message).toMatch(/BTCPay Store ID/);
	});
});
