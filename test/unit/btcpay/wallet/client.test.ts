import nock from 'nock';
import { createBtcPayHttp } from '../../../../nodes/BtcPay/client';
import { WalletApi, planSend } from '../../../../nodes/BtcPay/client/wallet';
import { PayoutProcessorsApi } from '../../../../nodes/BtcPay/client/payoutProcessors';
import { LightningApi } from '../../../../nodes/BtcPay/client/lightning';
import { encodeSegwitAddress } from '../../../../nodes/shared/bitcoin';
import { caught } from '../../../helpers/caught';

const BASE = 'http://btcpay.test';
const KEY = 'walletkey0123456789';
const STORE = 'Store1234';
const W = `/api/v1/stores/${STORE}/payment-methods/BTC-CHAIN/wallet`;
const LN = `/api/v1/stores/${STORE}/lightning/BTC`;
const http = () => createBtcPayHttp({ url: BASE, apiKey: KEY, retryDelayMs: 1, retries: 1 });
const api = () => new WalletApi(http());
const reg = (n: number) => encodeSegwitAddress('bcrt', 0, new Uint8Array(20).fill(n));
const main = (n: number) => encodeSegwitAddress('bc', 0, new Uint8Array(20).fill(n));
const TXID = 'ab'.repeat(32);
const tx = (labels: Record<string, unknown> = {}) => ({ transactionHash: TXID, comment: '', labels, amount: '-0.10000200', blockHash: null, blockHeight: null, confirmations: 0, timestamp: 1_700_000_000, status: 'Unconfirmed' });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('WalletApi: reads', () => {
	it('overview, fee rate, address, UTXOs, histogram with the token header and query parameters', async () => {
		const scope = nock(BASE, { reqheaders: { authorization: `token ${KEY}` } })
			.get(W)
			.reply(200, { balance: '1.5', unconfirmedBalance: '0.5', confirmedBalance: '1.0', label: 'xpub' })
			.get(`${W}/feerate`)
			.query({ blockTarget: '3' })
			.reply(200, { feeRate: 7.5 })
			.get(`${W}/address`)
			.query({ forceGenerate: 'true' })
			.reply(200, { address: reg(1), keyPath: '0/3', paymentLink: `bitcoin:${reg(1)}` })
			.get(`${W}/utxos`)
			.reply(200, [{ outpoint: `${TXID}-0`, amount: '0.5', address: reg(1), confirmations: 3, labels: {} }])
			.get(`${W}/histogram`)
			.query({ type: 'Month' })
			.reply(200, { type: 'Month', balance: '1.5', series: ['1', '1.5'], labels: [1, 2] });
		await expect(api().overview(STORE)).resolves.toMatchObject({ balance: '1.5', confirmedBalance: '1.0' });
		await expect(api().feeRate(STORE, 3)).resolves.toEqual({ feeRate: '7.5', blockTarget: 3 });
		await expect(api().receiveAddress(STORE, true)).resolves.toMatchObject({ address: reg(1) });
		await expect(api().listUtxos(STORE)).resolves.toHaveLength(1);
		await expect(api().histogram(STORE, 'Month')).resolves.toMatchObject({ series: ['1', '1.5'] });
		scope.done();
	});

	it('transactions: repeated statusFilter, labelFilter, limit; PATCH comment and labels', async () => {
		const scope = nock(BASE)
			.get(`${W}/transactions`)
			.query({ statusFilter: ['Confirmed', 'Unconfirmed'], labelFilter: 'cold', limit: '5' })
			.reply(200, [tx({ cold: { type: 'raw', text: 'cold' } })])
			.patch(`${W}/transactions/${TXID}`, { comment: 'hi', labels: ['a', 'b'] })
			.reply(200, tx({ a: {}, b: {} }));
		expect(await api().listTransactions(STORE, { status: ['Confirmed', 'Unconfirmed'], label: 'cold', limit: 5 })).toHaveLength(1);
		expect((await api().updateTransaction(STORE, TXID.toUpperCase(), { comment: 'hi', labels: ['a', ' b '] })).labels).toEqual({ a: {}, b: {} });
		scope.done();
		expect((await caught(api().updateTransaction(STORE, TXID, {}))).message).toMatch(/give a comment or at least one label/);
		expect((await caught(api().getTransaction(STORE, 'nothex'))).field).toBe('Transaction ID');
	});

	it('error classes: 403 names the permission, 404 transaction-not-found, 503 explained, 422 fields', async () => {
		nock(BASE).get(`${W}/utxos`).reply(403, { code: 'missing-permission', message: 'no', missingPermission: 'btcpay.store.canviewwallet' });
		nock(BASE).get('/api/v1/api-keys/current').reply(200, { permissions: [] });
		const denied = await caught(api().listUtxos(STORE));
		expect(denied).toMatchObject({ kind: 'permission', missingPermission: 'btcpay.store.canviewwallet' });
		expect(denied.message).toMatch(/View wallets/);
		expect(denied.message).not.toContain(KEY);
		nock(BASE).get(`${W}/transactions/${TXID}`).reply(404, { code: 'transaction-not-found', message: 'The transaction was not found.' });
		const missing = await caught(api().getTransaction(STORE, TXID));
		expect(missing).toMatchObject({ kind: 'not_found', status: 404 });
		expect(missing.message).toMatch(/was not found in BTCPay \(404 transaction-not-found\)/);
		nock(BASE).get(W).times(2).reply(503, { code: 'not-available', message: "BTC doesn't have any derivation scheme set" });
		const off = await caught(api().overview(STORE));
		expect(off.message).toMatch(/on-chain wallet is not available in BTCPay \(503 not-available\)/);
		nock(BASE).delete(`${W}/address`).reply(400, { code: 'no-reserved-address', message: 'There was no reserved address for BTC on this store.' });
		expect(await caught(api().unreserveAddress(STORE))).toMatchObject({ status: 400, code: 'no-reserved-address' });
	});
});

describe('WalletApi: guarded send', () => {
	const input = (over: Record<string, unknown> = {}) => ({ destinations: [{ address: reg(7), amount: '0.1' }], maxAmount: '0.1', feeRate: '2', reference: 'ref-1', ...over });
	const network = () => nock(BASE).get(`${W}/preview`).query({ offset: '0', count: '1' }).reply(200, { addresses: [{ keyPath: '0/0', address: reg(1) }] });

	it('local checks need no request: Max Amount required and exact, fee choice, reference, amounts, addresses', async () => {
		// nock has no interceptors here: any request would fail the test with a NetConnectNotAllowedError
		expect((await caught(api().send(STORE, input({ maxAmount: '' })))).field).toBe('Max Amount (BTC)');
		expect(await caught(api().send(STORE, input({ maxAmount: '0.09999999' })))).toMatchObject({ kind: 'safety', field: 'Max Amount (BTC)' });
		expect(planSend(input({ maxAmount: '0.10000000' })).total).toBe('0.10000000');
		expect((await caught(api().send(STORE, input({ feeRate: undefined })))).message).toMatch(/either a fee rate .* or a block target/);
		expect((await caught(api().send(STORE, input({ blockTarget: 6 })))).message).toMatch(/not both/);
		expect((await caught(api().send(STORE, input({ reference: ' ' })))).field).toBe('Reference');
		expect((await caught(api().send(STORE, input({ reference: 'x'.repeat(47) })))).message).toMatch(/at most 46 characters/);
		expect((await caught(api().send(STORE, input({ destinations: [{ address: reg(7), amount: '0.000000001' }] })))).message).toMatch(/8 decimals/);
		expect((await caught(api().send(STORE, input({ destinations: [] })))).field).toBe('Destinations');
		expect((await caught(api().send(STORE, input({ destinations: [{ address: reg(7), amount: '0.05' }, { address: 'bc1qnope', amount: '0.05' }] })))).field).toBe('Destinations[1].Address');
		expect((await caught(api().send(STORE, input({ expectedNetwork: 'mainnet' })))).message).toMatch(/regtest address, but the wallet is on mainnet/);
		const sum = planSend(input({ destinations: [{ address: reg(1), amount: '0.1' }, { address: reg(2), amount: '0.2' }], maxAmount: '0.3' }));
		expect(sum.total).toBe('0.30000000');
	});

	it('wrong network: refused after reading the wallet network, before any send', async () => {
		const scope = network();
		const err = await caught(api().send(STORE, input({ destinations: [{ address: main(7), amount: '0.1' }] })));
		expect(err).toMatchObject({ kind: 'input', field: 'Destinations[0].Address' });
		scope.done();
	});

	it('sends once and labels; a rerun finds the labelled transaction and sends nothing', async () => {
		const scope = network()
			.get(`${W}/transactions`)
			.query({ labelFilter: 'n8n:ref-1' })
			.reply(200, [])
			.post(`${W}/transactions`, (body) => body.feerate === 2 && body.signWithSeed === true && body.proceedWithBroadcast === true && body.destinations[0].amount === '0.10000000')
			.reply(200, tx())
			.patch(`${W}/transactions/${TXID}`, { labels: ['n8n:ref-1'], comment: 'sweep' })
			.reply(200, { ...tx({ 'n8n:ref-1': { type: 'raw', text: 'n8n:ref-1' } }), comment: 'sweep' });
		const sent = await api().send(STORE, input({ comment: 'sweep' }));
		expect(sent).toMatchObject({ outcome: 'sent', sent: true, transactionHash: TXID, network: 'regtest', feeRate: '2' });
		scope.done();

		const rerun = network().get(`${W}/transactions`).query({ labelFilter: 'n8n:ref-1' }).reply(200, [tx({ 'n8n:ref-1': {} })]);
		const again = await api().send(STORE, input());
		expect(again).toMatchObject({ outcome: 'already_sent', sent: false, transactionHash: TXID });
		rerun.done();
	});

	it('block target: reads the estimate first; 422 from BTCPay names the fields in plain language', async () => {
		const scope = network()
			.get(`${W}/feerate`)
			.query({ blockTarget: '6' })
			.reply(200, { feeRate: 4 })
			.get(`${W}/transactions`)
			.query({ labelFilter: 'n8n:ref-1' })
			.reply(200, [])
			.post(`${W}/transactions`, (body) => body.feerate === 4)
			.reply(422, [{ path: 'Destinations', message: 'You are attempting to send more than is available' }]);
		const err = await caught(api().send(STORE, input({ feeRate: undefined, blockTarget: 6 })));
		expect(err.status).toBe(422);
		expect(err.message).toMatch(/Destinations.*more than is available/);
		scope.done();
	});

	it('a timeout on the send is looked up by label before calling it unknown; the POST is never retried', async () => {
		const scope = network()
			.get(`${W}/transactions`)
			.query({ labelFilter: 'n8n:ref-1' })
			.reply(200, [])
			.post(`${W}/transactions`)
			.replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
			.get(`${W}/transactions`)
			.query({ labelFilter: 'n8n:ref-1' })
			.reply(200, []);
		const err = await caught(api().send(STORE, input()));
		expect(err.message).toMatch(/whether the transaction went out is unknown/);
		expect(err.hint).toMatch(/label the one for this payment "n8n:ref-1"/);
		scope.done();
	});

	it('labelling fails after the send: the error names the transaction and says not to rerun', async () => {
		const scope = network()
			.get(`${W}/transactions`)
			.query({ labelFilter: 'n8n:ref-1' })
			.reply(200, [])
			.post(`${W}/transactions`)
			.reply(200, tx())
			.patch(`${W}/transactions/${TXID}`)
			.times(2)
			.reply(500, { code: 'server-error', message: 'boom' });
		const err = await caught(api().send(STORE, input()));
		expect(err.message).toMatch(new RegExp(`transaction ${TXID} was sent, but labelling it "n8n:ref-1" failed`));
		expect(err.hint).toMatch(/Do not rerun/);
		scope.done();
	});

	it('preview: unsigned PSBT, nothing broadcast', async () => {
		const scope = network()
			.get(`${W}/transactions`)
			.query({ labelFilter: 'n8n:ref-1' })
			.reply(200, [])
			.post(`${W}/transactions`, (body) => body.signWithSeed === false && body.proceedWithBroadcast === false)
			.reply(200, { psbt: 'cHNidP8B' });
		expect(await api().preview(STORE, input())).toMatchObject({ preview: true, psbt: 'cHNidP8B', alreadySent: false, total: '0.10000000' });
		scope.done();
	});
});

describe('LightningApi: peers and channels', () => {
	const PEER = `02${'cd'.repeat(32)}`;
	const ln = () => new LightningApi(http());
	const chan = (capacity: string) => ({ remoteNode: PEER, isPublic: true, isActive: true, capacity, localBalance: capacity, channelPoint: `${TXID}:0` });

	it('connect sends the normalized URI; 400 could-not-connect passes through; a bad URI sends nothing', async () => {
		const scope = nock(BASE).post(`${LN}/connect`, { nodeURI: `${PEER}@h.example:9735` }).reply(200).post(`${LN}/connect`).reply(400, { code: 'could-not-connect', message: 'Could not connect to the remote node' });
		await expect(ln().connect(STORE, `${PEER.toUpperCase()}@h.example`)).resolves.toMatchObject({ nodeId: PEER, port: 9735 });
		expect(await caught(ln().connect(STORE, `${PEER}@h.example`))).toMatchObject({ status: 400, code: 'could-not-connect' });
		scope.done();
		expect((await caught(ln().connect(STORE, PEER))).field).toBe('Peer Node URI');
	});

	it('open channel: over Max Amount refused before any request; an open channel with that capacity is reported; pending channels block', async () => {
		expect(await caught(ln().openChannel(STORE, { nodeUri: `${PEER}@h:1`, amountSats: 101, maxAmountSats: 100, feeRate: 1 }))).toMatchObject({ kind: 'safety' });
		expect((await caught(ln().openChannel(STORE, { nodeUri: `${PEER}@h:1`, amountSats: 100, maxAmountSats: '', feeRate: 1 }))).field).toBe('Max Amount (Sats)');
		nock(BASE).get(`${LN}/channels`).reply(200, [chan('100000')]);
		expect(await ln().openChannel(STORE, { nodeUri: `${PEER}@h:1`, amountSats: 100, maxAmountSats: 100, feeRate: 1 })).toMatchObject({ outcome: 'already_open', opened: false });
		nock(BASE).get(`${LN}/channels`).reply(200, [chan('5000000')]).get(`${LN}/info`).reply(200, { pendingChannelsCount: 1 });
		expect(await ln().openChannel(STORE, { nodeUri: `${PEER}@h:1`, amountSats: 100, maxAmountSats: 100, feeRate: 1 })).toMatchObject({ outcome: 'pending_exists', pendingChannelsCount: 1 });
		const scope = nock(BASE)
			.get(`${LN}/channels`)
			.reply(200, [])
			.get(`${LN}/info`)
			.reply(200, { pendingChannelsCount: 0 })
			.post(`${LN}/channels`, { nodeURI: `${PEER}@h:1`, channelAmount: '100', feeRate: 1.5 })
			.reply(200);
		expect(await ln().openChannel(STORE, { nodeUri: `${PEER}@h:1`, amountSats: 100, maxAmountSats: 100, feeRate: '1.5' })).toMatchObject({ outcome: 'opened', opened: true });
		scope.done();
		nock(BASE).get(`${LN}/channels`).reply(200, []).get(`${LN}/info`).reply(200, {}).post(`${LN}/channels`).reply(400, { code: 'cannot-afford-funding', message: 'Not enough money to open a channel' });
		expect(await caught(ln().openChannel(STORE, { nodeUri: `${PEER}@h:1`, amountSats: 100, maxAmountSats: 100, feeRate: 1 }))).toMatchObject({ status: 400, code: 'cannot-afford-funding' });
	});

	it('deposit address, histogram, lists with their query flags; 403 names the permission', async () => {
		const scope = nock(BASE)
			.post(`${LN}/address`)
			.reply(200, JSON.stringify(reg(3)), { 'content-type': 'application/json' })
			.get(`${LN}/histogram`)
			.reply(200, { type: 'Week', balance: '0.1', series: ['0.1'], labels: [1] })
			.get(`${LN}/invoices`)
			.query({ pendingOnly: 'true' })
			.reply(200, [{ id: 'i1', status: 'Unpaid', BOLT11: 'lnbcrt1', amount: '5000' }])
			.get(`${LN}/payments`)
			.query({ includePending: 'true' })
			.reply(200, [{ id: 'p1', status: 'Pending', totalAmount: '1000' }]);
		expect(await ln().getDepositAddress(STORE)).toBe(reg(3));
		expect((await ln().getHistogram(STORE)).balance).toBe('0.1');
		expect((await ln().listInvoices(STORE, { pendingOnly: true }))[0].amountSats).toBe(5);
		expect(await ln().listPayments(STORE, { includePending: true })).toHaveLength(1);
		scope.done();
		nock(BASE).get(`${LN}/channels`).reply(403, { code: 'missing-permission', missingPermission: 'btcpay.store.cancreatelightninginvoice' });
		nock(BASE).get('/api/v1/api-keys/current').reply(200, { permissions: [] });
		expect(await caught(ln().listChannels(STORE))).toMatchObject({ kind: 'permission', missingPermission: 'btcpay.store.cancreatelightninginvoice' });
	});
});

describe('PayoutProcessorsApi', () => {
	const pp = () => new PayoutProcessorsApi(http());
	const P = `/api/v1/stores/${STORE}/payout-processors`;

	it('lists, gets (null when none), updates with BTCPay field names, removes', async () => {
		const scope = nock(BASE)
			.get('/api/v1/payout-processors')
			.reply(200, [{ name: 'OnChainAutomatedPayoutSenderFactory', friendlyName: 'Automated Bitcoin Sender', payoutMethods: ['BTC-CHAIN'] }])
			.get(P)
			.reply(200, [])
			.get(`${P}/OnChainAutomatedPayoutSenderFactory/BTC-CHAIN`)
			.reply(200, [])
			.put(`${P}/OnChainAutomatedPayoutSenderFactory/BTC-CHAIN`, { intervalSeconds: 600, processNewPayoutsInstantly: false, feeBlockTarget: 3, threshold: '0.01' })
			.reply(200, { payoutMethodId: 'BTC-CHAIN', intervalSeconds: 600, feeBlockTarget: 3, threshold: 0.01, processNewPayoutsInstantly: false })
			.put(`${P}/LightningAutomatedPayoutSenderFactory/BTC-LN`, { intervalSeconds: 60, processNewPayoutsInstantly: true })
			.reply(200, { payoutMethodId: 'BTC-LN', intervalSeconds: 60, processNewPayoutsInstantly: true })
			.delete(`${P}/LightningAutomatedPayoutSenderFactory/BTC-LN`)
			.reply(200);
		expect(await pp().listAvailable()).toHaveLength(1);
		expect(await pp().listForStore(STORE)).toEqual([]);
		expect(await pp().getSettings(STORE, 'onchain')).toBeNull();
		expect((await pp().updateSettings(STORE, 'onchain', { intervalSeconds: 600, feeBlockTarget: 3, threshold: '0.010' })).threshold).toBe('0.01');
		expect((await pp().updateSettings(STORE, 'lightning', { intervalSeconds: '60', processNewPayoutsInstantly: true })).intervalSeconds).toBe(60);
		await pp().remove(STORE, 'lightning');
		scope.done();
	});

	it('input errors before any request; 404 and 403 from BTCPay', async () => {
		expect((await caught(pp().updateSettings(STORE, 'onchain', { intervalSeconds: 59 }))).field).toBe('Interval (Seconds)');
		expect((await caught(pp().updateSettings(STORE, 'onchain', { intervalSeconds: 60, feeBlockTarget: 0 }))).field).toBe('Fee Block Target');
		expect((await caught(pp().updateSettings(STORE, 'lightning', { intervalSeconds: 60, threshold: '1' }))).message).toMatch(/on-chain processor only/);
		expect((await caught(pp().getSettings(STORE, 'onchain', 'not a method'))).field).toBe('Payout Method');
		nock(BASE).delete(`${P}/OnChainAutomatedPayoutSenderFactory/BTC-CHAIN`).reply(404);
		expect(await caught(pp().remove(STORE, 'onchain'))).toMatchObject({ kind: 'not_found', status: 404 });
		nock(BASE).put(`${P}/OnChainAutomatedPayoutSenderFactory/BTC-CHAIN`).reply(403, { code: 'missing-permission', missingPermission: 'btcpay.store.canmodifystoresettings' });
		nock(BASE).get('/api/v1/api-keys/current').reply(200, { permissions: [] });
		const denied = await caught(pp().updateSettings(STORE, 'onchain', { intervalSeconds: 60 }));
		expect(denied.message).toMatch(/Modify your stores/);
	});
});
