/**
 * Store Wallet, the Store Lightning peer/channel additions and Payout
 * Processors against the OpenAPI-checked emulator, through the client and
 * through the node (every operation). Guarded sends: over-limit and
 * wrong-network targets are refused before any send request, and a rerun
 * finds the earlier transaction (or channel) and sends nothing. 0 violations.
 */
import type { IDataObject } from 'n8n-workflow';
import { BtcPayClient } from '../../nodes/BtcPay/client';
import { encodeSegwitAddress } from '../../nodes/shared/bitcoin';
import { runBtcPayNode } from '../helpers/btcpay-node';
import { caught } from '../helpers/caught';
import { seedStore, setStorePaymentMethods, startEmulator, type BtcPayEmulator } from '../btcpay-emulator';
import { mineBlocks, storeWallet } from '../btcpay-emulator/routes/wallet';
import { confirmChannels, lightningNode } from '../btcpay-emulator/routes/lightning';

jest.setTimeout(60_000);

let emu: BtcPayEmulator;
let client: BtcPayClient;
let shop: string;

const regtest = (n: number) => encodeSegwitAddress('bcrt', 0, new Uint8Array(20).fill(n));
const mainnet = (n: number) => encodeSegwitAddress('bc', 0, new Uint8Array(20).fill(n));
const PEER = `02${'ab'.repeat(32)}`;

const posts = (suffix: string) => emu.requestLog.filter((r) => r.method === 'POST' && r.path.endsWith(suffix)).length;

beforeAll(async () => {
	emu = await startEmulator();
	client = new BtcPayClient({ url: emu.url, apiKey: emu.apiKey, retryDelayMs: 1 });
	shop = seedStore(emu, { name: 'Shop' }).id;
});
afterAll(async () => {
	emu.assertNoViolations();
	await emu.close();
});

describe('store wallet: reads', () => {
	it('overview, fee rate, histogram, UTXOs, network from the wallet address', async () => {
		expect(await client.wallet.overview(shop)).toMatchObject({ balance: '1.00000000', confirmedBalance: '1.00000000', unconfirmedBalance: '0.00000000' });
		expect(await client.wallet.feeRate(shop, 6)).toEqual({ feeRate: '5', blockTarget: 6 });
		expect((await client.wallet.feeRate(shop)).feeRate).toBe('20');
		const h = await client.wallet.histogram(shop, 'Month');
		expect(h).toMatchObject({ type: 'Month', balance: '1.00000000' });
		expect(h.series).toHaveLength(30);
		const utxos = await client.wallet.listUtxos(shop);
		expect(utxos.map((u) => u.amount).sort()).toEqual(['0.20000000', '0.30000000', '0.50000000']);
		expect(utxos[0].outpoint).toMatch(/^[0-9a-f]{64}-0$/);
		expect(await client.wallet.network(shop)).toBe('regtest');
	});

	it('receive address: the same until a new one is reserved; unreserve twice → 400 no-reserved-address', async () => {
		const a = await client.wallet.receiveAddress(shop);
		expect(a.address).toMatch(/^bcrt1q/);
		expect(a.paymentLink).toBe(`bitcoin:${a.address}`);
		expect((await client.wallet.receiveAddress(shop)).address).toBe(a.address);
		const b = await client.wallet.receiveAddress(shop, true);
		expect(b.address).not.toBe(a.address);
		await client.wallet.unreserveAddress(shop);
		const err = await caught(client.wallet.unreserveAddress(shop));
		expect(err).toMatchObject({ status: 400, code: 'no-reserved-address' });
	});

	it('a store without an on-chain wallet: 503 explained; unknown transaction: 404', async () => {
		const bare = seedStore(emu, { name: 'No wallet' }).id;
		setStorePaymentMethods(emu, bare, ['BTC-LN']);
		const err = await caught(client.wallet.overview(bare));
		expect(err.status).toBe(503);
		expect(err.message).toMatch(/on-chain wallet is not available/);
		expect(err.hint).toMatch(/Wallets > Bitcoin/);
		const missing = await caught(client.wallet.getTransaction(shop, 'ab'.repeat(32)));
		expect(missing).toMatchObject({ kind: 'not_found', status: 404 });
		expect(missing.message).toMatch(/^Transaction "(ab){32}" was not found in BTCPay \(404 transaction-not-found\)/);
	});
});

describe('store wallet: guarded send', () => {
	it('over Max Amount: refused before any request', async () => {
		const before = emu.requestLog.length;
		const err = await caught(client.wallet.send(shop, { destinations: [{ address: regtest(1), amount: '0.1' }], maxAmount: '0.09999999', feeRate: 2, reference: 'over' }));
		expect(err).toMatchObject({ kind: 'safety', field: 'Max Amount (BTC)' });
		expect(err.message).toMatch(/0\.10000000 BTC is above Max Amount 0\.09999999 BTC/);
		expect(emu.requestLog.length).toBe(before);
	});

	it('an address of another network: refused before any send (and before any request with Expected Network)', async () => {
		const sends = posts('/wallet/transactions');
		const err = await caught(client.wallet.send(shop, { destinations: [{ address: regtest(1), amount: '0.01' }, { address: mainnet(2), amount: '0.01' }], maxAmount: '1', feeRate: 2, reference: 'net' }));
		expect(err).toMatchObject({ kind: 'input', field: 'Destinations[1].Address' });
		expect(err.message).toMatch(/mainnet address, but the wallet is on regtest/);
		expect(posts('/wallet/transactions')).toBe(sends);

		const before = emu.requestLog.length;
		const early = await caught(client.wallet.send(shop, { destinations: [{ address: mainnet(2), amount: '0.01' }], maxAmount: '1', feeRate: 2, reference: 'net', expectedNetwork: 'regtest' }));
		expect(early.field).toBe('Destinations[0].Address');
		expect(emu.requestLog.length).toBe(before);
		const typo = await caught(client.wallet.send(shop, { destinations: [{ address: `${regtest(1).slice(0, -1)}x`, amount: '0.01' }], maxAmount: '1', feeRate: 2, reference: 'net' }));
		expect(typo.message).toMatch(/checksum/);
		expect(emu.requestLog.length).toBe(before);
	});

	it('sends once, labels the transaction with the reference; a rerun finds it and sends nothing', async () => {
		const sends = posts('/wallet/transactions');
		const input = { destinations: [{ address: regtest(3), amount: '0.1' }], maxAmount: '0.1', feeRate: '2', reference: 'order-42', comment: 'Cold storage' };
		const sent = await client.wallet.send(shop, input);
		expect(sent).toMatchObject({ outcome: 'sent', sent: true, total: '0.10000000', feeRate: '2', network: 'regtest', label: 'n8n:order-42' });
		expect(sent.transactionHash).toMatch(/^[0-9a-f]{64}$/);
		expect(sent.transaction).toMatchObject({ comment: 'Cold storage', status: 'Unconfirmed' });
		expect(Object.keys(sent.transaction.labels as object)).toEqual(['n8n:order-42']);
		expect(emu.requestLog.filter((r) => r.method === 'POST' && r.path.endsWith('/wallet/transactions')).at(-1)?.body).toMatchObject({
			destinations: [{ destination: regtest(3), amount: '0.10000000', subtractFromAmount: false }],
			feerate: 2,
			signWithSeed: true,
			proceedWithBroadcast: true,
		});
		expect(posts('/wallet/transactions')).toBe(sends + 1);
		const balance = (await client.wallet.overview(shop)).balance;
		expect(Number(balance)).toBeLessThan(0.9);

		const rerun = await client.wallet.send(shop, input);
		expect(rerun).toMatchObject({ outcome: 'already_sent', sent: false, transactionHash: sent.transactionHash });
		expect(posts('/wallet/transactions')).toBe(sends + 1);
		expect((await client.wallet.overview(shop)).balance).toBe(balance);

		mineBlocks(emu, 1);
		const again = await new BtcPayClient({ url: emu.url, apiKey: emu.apiKey }).wallet.send(shop, input);
		expect(again.outcome).toBe('already_sent');
		expect(posts('/wallet/transactions')).toBe(sends + 1);
	});

	it('block target: the estimate is read and sent as the fee rate; preview builds a PSBT and broadcasts nothing', async () => {
		const coins = storeWallet(emu, shop).coins.size;
		const preview = await client.wallet.preview(shop, { destinations: [{ address: regtest(4), amount: '0.05' }], maxAmount: '0.05', blockTarget: 3, reference: 'preview-1' });
		expect(preview).toMatchObject({ preview: true, feeRate: '10', total: '0.05000000', alreadySent: false });
		expect(Buffer.from(preview.psbt, 'base64').subarray(0, 5).toString('hex')).toBe('70736274ff');
		expect(storeWallet(emu, shop).coins.size).toBe(coins);
		const known = await client.wallet.preview(shop, { destinations: [{ address: regtest(3), amount: '0.1' }], maxAmount: '1', feeRate: 2, reference: 'order-42' });
		expect(known.alreadySent).toBe(true);
	});

	it('422 from BTCPay in plain language (more than the balance); 403 names the missing permission', async () => {
		const err = await caught(client.wallet.send(shop, { destinations: [{ address: regtest(5), amount: '5' }], maxAmount: '10', feeRate: 2, reference: 'too-much' }));
		expect(err.status).toBe(422);
		expect(err.message).toMatch(/more than is available/);
		const viewer = emu.addApiKey({ label: 'viewer', permissions: [`btcpay.store.canviewwallet:${shop}`] });
		const limited = new BtcPayClient({ url: emu.url, apiKey: viewer.apiKey });
		expect((await limited.wallet.overview(shop)).balance).toMatch(/^0\.\d{8}$/);
		const denied = await caught(limited.wallet.send(shop, { destinations: [{ address: regtest(5), amount: '0.01' }], maxAmount: '1', feeRate: 2, reference: 'denied' }));
		expect(denied).toMatchObject({ kind: 'permission', status: 403, missingPermission: 'btcpay.store.cancreatetransactions' });
		expect(denied.message).toMatch(/Create wallet transactions/);
	});

	it('transactions: label and status filters, limit, get one, update comment and labels', async () => {
		const labelled = await client.wallet.listTransactions(shop, { label: 'n8n:order-42' });
		expect(labelled).toHaveLength(1);
		const confirmed = await client.wallet.listTransactions(shop, { status: ['Confirmed'] });
		expect(confirmed.every((t) => t.status === 'Confirmed')).toBe(true);
		expect(await client.wallet.listTransactions(shop, { limit: 2 })).toHaveLength(2);
		const id = labelled[0].transactionHash as string;
		const updated = await client.wallet.updateTransaction(shop, id, { comment: 'moved', labels: ['cold'] });
		expect(updated.comment).toBe('moved');
		expect(Object.keys(updated.labels as object)).toEqual(['n8n:order-42', 'cold']);
		expect((await client.wallet.getTransaction(shop, id)).amount).toMatch(/^-0\.1000/);
	});
});

describe('store Lightning: peers and channels', () => {
	it('node URI, connect, channels; open channel is guarded and rerun-safe', async () => {
		const uris = await client.lightning.getNodeUris(shop);
		expect(uris.nodes[0]).toMatchObject({ host: '127.0.0.1', port: 9735 });
		const before = emu.requestLog.length;
		const over = await caught(client.lightning.openChannel(shop, { nodeUri: `${PEER}@peer.example:9735`, amountSats: 200_001, maxAmountSats: 200_000, feeRate: 2 }));
		expect(over).toMatchObject({ kind: 'safety', field: 'Channel Amount (Sats)' });
		const bad = await caught(client.lightning.openChannel(shop, { nodeUri: PEER, amountSats: 1, maxAmountSats: 2, feeRate: 2 }));
		expect(bad.message).toMatch(/host is missing/);
		expect(emu.requestLog.length).toBe(before);

		const notConnected = await caught(client.lightning.openChannel(shop, { nodeUri: `${PEER}@peer.example:9735`, amountSats: 200_000, maxAmountSats: 200_000, feeRate: 2 }));
		expect(notConnected).toMatchObject({ status: 400, code: 'peer-not-connected' });
		expect((await caught(client.lightning.connect(shop, `${PEER}@down.invalid:9735`))).code).toBe('could-not-connect');
		await client.lightning.connect(shop, `${PEER}@peer.example:9735`);

		const opens = posts('/lightning/BTC/channels');
		const opened = await client.lightning.openChannel(shop, { nodeUri: `${PEER}@peer.example:9735`, amountSats: 200_000, maxAmountSats: 200_000, feeRate: 2 });
		expect(opened).toMatchObject({ outcome: 'opened', opened: true, nodeId: PEER, amountSats: 200_000 });
		const pending = await client.lightning.openChannel(shop, { nodeUri: `${PEER}@peer.example:9735`, amountSats: 200_000, maxAmountSats: 200_000, feeRate: 2 });
		expect(pending).toMatchObject({ outcome: 'pending_exists', opened: false, pendingChannelsCount: 1 });
		expect(posts('/lightning/BTC/channels')).toBe(opens + 1);

		confirmChannels(emu, shop);
		const open = await client.lightning.openChannel(shop, { nodeUri: `${PEER}@peer.example:9735`, amountSats: 200_000, maxAmountSats: 200_000, feeRate: 2 });
		expect(open).toMatchObject({ outcome: 'already_open', opened: false });
		expect(open.channel).toMatchObject({ remoteNode: PEER, capacity: '200000000' });
		expect(posts('/lightning/BTC/channels')).toBe(opens + 1);
		expect((await client.lightning.listChannels(shop)).map((c) => c.remoteNode)).toContain(PEER);
		expect(lightningNode(emu, shop).onchainSats).toBe(1_000_000n - 200_000n - 400n);
	});

	it('deposit address, histogram, invoices and payments lists', async () => {
		expect(await client.lightning.getDepositAddress(shop)).toMatch(/^bcrt1q/);
		expect((await client.lightning.getHistogram(shop)).series).toHaveLength(7);
		await client.lightning.createInvoice(shop, { amountSats: 5, description: 'x' });
		expect((await client.lightning.listInvoices(shop, { pendingOnly: true })).length).toBeGreaterThan(0);
		expect(await client.lightning.listPayments(shop, { includePending: true })).toEqual([]);
	});
});

describe('payout processors', () => {
	it('available, configure on-chain and Lightning, list, get, remove; 404 when not configured', async () => {
		expect((await client.payoutProcessors.listAvailable()).map((p) => p.name)).toEqual(['OnChainAutomatedPayoutSenderFactory', 'LightningAutomatedPayoutSenderFactory']);
		expect(await client.payoutProcessors.getSettings(shop, 'onchain')).toBeNull();
		const onchain = await client.payoutProcessors.updateSettings(shop, 'onchain', { intervalSeconds: 600, feeBlockTarget: 6, threshold: '0.01', processNewPayoutsInstantly: true });
		expect(onchain).toMatchObject({ payoutMethodId: 'BTC-CHAIN', intervalSeconds: 600, feeBlockTarget: 6, threshold: '0.01', processNewPayoutsInstantly: true });
		await client.payoutProcessors.updateSettings(shop, 'lightning', { intervalSeconds: 3600 });
		expect(await client.payoutProcessors.listForStore(shop)).toEqual([
			{ name: 'OnChainAutomatedPayoutSenderFactory', friendlyName: 'Automated Bitcoin Sender', payoutMethods: ['BTC-CHAIN'] },
			{ name: 'LightningAutomatedPayoutSenderFactory', friendlyName: 'Automated Lightning Sender', payoutMethods: ['BTC-LN'] },
		]);
		expect(await client.payoutProcessors.getSettings(shop, 'lightning')).toMatchObject({ payoutMethodId: 'BTC-LN', intervalSeconds: 3600 });
		await client.payoutProcessors.remove(shop, 'lightning');
		expect((await caught(client.payoutProcessors.remove(shop, 'lightning'))).status).toBe(404);
		const tooOften = await caught(client.payoutProcessors.updateSettings(shop, 'onchain', { intervalSeconds: 30 }));
		expect(tooOften).toMatchObject({ kind: 'input', field: 'Interval (Seconds)' });
	});

	it('the server refuses a too short interval with 422 on IntervalSeconds (raw call)', async () => {
		const res = await fetch(`${emu.url}/api/v1/stores/${shop}/payout-processors/OnChainAutomatedPayoutSenderFactory/BTC-CHAIN`, {
			method: 'PUT',
			headers: { authorization: `token ${emu.apiKey}`, 'content-type': 'application/json' },
			body: JSON.stringify({ intervalSeconds: 30 }),
		});
		expect(res.status).toBe(422);
		expect(await res.json()).toEqual([{ path: 'IntervalSeconds', message: 'The minimum interval is 60 seconds' }]);
	});
});

describe('every new operation through the node', () => {
	const run = (resource: string, parameters: Record<string, unknown>, continueOnFail = false) =>
		runBtcPayNode({ url: emu.url, apiKey: emu.apiKey, storeId: shop, parameters: { resource, ...parameters } as IDataObject, continueOnFail });
	const W = (operation: string, p: Record<string, unknown> = {}, fail = false) => run('storeWallet', { operation, ...p }, fail);

	it('Store Wallet', async () => {
		const [overview] = await W('getOverview');
		expect(overview).toMatchObject({ balance: expect.stringMatching(/^0\.\d{8}$/) });
		expect(typeof overview.balanceSats).toBe('number');
		expect((await W('getHistogram', { histogramType: 'Year' }))[0]).toMatchObject({ type: 'Year' });
		expect((await W('getFeeRate', { feeBlockTarget: 10 }))[0]).toEqual({ feeRate: '2', blockTarget: 10 });
		const [address] = await W('getReceiveAddress', { forceGenerate: true });
		expect(address.address).toMatch(/^bcrt1/);
		expect((await W('unreserveAddress'))[0]).toEqual({ success: true });
		const txs = await W('getTransactions', { returnAll: true, filters: { label: 'n8n:order-42' } });
		expect(txs).toHaveLength(1);
		expect(txs[0]).toMatchObject({ labels: ['n8n:order-42', 'cold'], amountSats: expect.any(Number) });
		const id = String(txs[0].transactionHash);
		expect((await W('getTransaction', { transactionId: id }))[0].transactionHash).toBe(id);
		expect((await W('updateTransaction', { transactionId: id, comment: 'swept', labels: 'q4, audit' }))[0]).toMatchObject({ comment: 'swept', labels: ['n8n:order-42', 'cold', 'q4', 'audit'] });
		expect((await W('getUtxos')).length).toBeGreaterThan(0);

		const send = { destinations: { destination: [{ address: regtest(9), amount: '0.01' }] }, maxAmountBtc: '0.01', reference: 'node-send-1', feeMode: 'blockTarget', blockTarget: 6 };
		const [preview] = await W('previewSend', send);
		expect(preview).toMatchObject({ preview: true, feeRate: '5', alreadySent: false });
		const sends = posts('/wallet/transactions');
		const [sent] = await W('send', send);
		expect(sent).toMatchObject({ outcome: 'sent', sent: true, label: 'n8n:node-send-1' });
		const [rerun] = await W('send', send);
		expect(rerun).toMatchObject({ outcome: 'already_sent', transactionHash: sent.transactionHash });
		expect(posts('/wallet/transactions')).toBe(sends + 1);
		const [missingMax] = await W('send', { ...send, maxAmountBtc: '' }, true);
		expect(missingMax).toMatchObject({ errorKind: 'input', field: 'Max Amount (BTC)' });
		const [missingRef] = await W('send', { ...send, reference: '' }, true);
		expect(missingRef).toMatchObject({ errorKind: 'input', field: 'Reference' });
	});

	it('Store Lightning additions', async () => {
		const L = (operation: string, p: Record<string, unknown> = {}) => run('lightning', { operation, ...p });
		expect((await L('getNodeUri'))[0]).toMatchObject({ host: '127.0.0.1', port: 9735, nodeId: expect.stringMatching(/^02[0-9a-f]{64}$/) });
		const other = `03${'cd'.repeat(32)}`;
		expect((await L('connectPeer', { peerUri: `${other}@other.example:9736` }))[0]).toMatchObject({ success: true, peer: `${other}@other.example:9736` });
		const channels = await L('getChannels', { returnAll: true });
		expect(channels[0]).toMatchObject({ capacitySats: expect.any(Number), localBalanceSats: expect.any(Number) });
		const [opened] = await L('openChannel', { peerUri: `${other}@other.example:9736`, channelAmountSats: 50_000, maxAmountSats: 60_000, channelFeeRate: '1' });
		expect(opened).toMatchObject({ outcome: 'opened', opened: true });
		const [again] = await L('openChannel', { peerUri: `${other}@other.example:9736`, channelAmountSats: 50_000, maxAmountSats: 60_000, channelFeeRate: '1' });
		expect(again).toMatchObject({ outcome: 'pending_exists', opened: false });
		expect((await L('getDepositAddress'))[0].address).toMatch(/^bcrt1/);
		expect((await L('getHistogram'))[0]).toMatchObject({ type: 'Week' });
		expect((await L('getInvoices', { returnAll: true })).length).toBeGreaterThan(0);
		expect(await L('getPayments', { returnAll: true, filters: { includePending: true } })).toEqual([]);
	});

	it('Payout Processor', async () => {
		const P = (operation: string, p: Record<string, unknown> = {}) => run('payoutProcessor', { operation, ...p });
		expect(await P('getAvailable')).toHaveLength(2);
		expect((await P('update', { processor: 'onchain', intervalSeconds: 900, additionalFields: { threshold: '0.05' } }))[0]).toMatchObject({ configured: true, threshold: '0.05', intervalSeconds: 900 });
		expect((await P('get', { processor: 'onchain' }))[0]).toMatchObject({ configured: true, feeBlockTarget: 1 });
		expect((await P('getAll')).map((p) => p.name)).toContain('OnChainAutomatedPayoutSenderFactory');
		expect((await P('delete', { processor: 'onchain' }))[0]).toEqual({ success: true, processor: 'onchain' });
		expect((await P('get', { processor: 'onchain' }))[0]).toEqual({ processor: 'onchain', configured: false });
	});
});
