/**
 * Store on-chain wallet (…/stores/{storeId}/payment-methods/{paymentMethodId}/wallet/…),
 * following BTCPayServer/Plugins/Wallets/Controllers/GreenfieldStoreOnChainWalletsController.cs
 * and GreenfieldStoreOnChainPaymentMethodsController.cs (preview) at v2.4.1.
 *
 * State per store: a regtest hot wallet seeded with three confirmed coins
 * (0.5, 0.3 and 0.2 BTC), real bech32 regtest addresses derived from the store
 * ID, transactions created by sends (spent coins removed, change added, amount
 * = balance change) and labels/comments. Test hooks: `storeWallet`,
 * `receiveOnChain`, `mineBlocks`, `setWalletHot`.
 * Simplifications (invented, see README): fee = rate × an estimated vsize;
 * PSBTs and raw transactions are marked emulator blobs, not real Bitcoin data.
 */
import { createHash, randomBytes } from 'node:crypto';
import { decodeBitcoinAddress, encodeSegwitAddress } from '../../../nodes/shared/bitcoin';
import { validationError, type BtcPayEmulator, type EmulatorRequest, type EmulatorResponse, type Json } from '../server';
import { findStore, storeNotFound, storePaymentMethods } from './stores';

export interface WalletCoin {
	txid: string;
	vout: number;
	sats: bigint;
	address: string;
	keyPath: string;
	/** Block height it confirmed in, null while unconfirmed. */
	height: number | null;
	timestamp: number;
}

export interface WalletTx {
	txid: string;
	/** Balance change of the wallet, sats (negative for a send). */
	sats: bigint;
	height: number | null;
	blockHash: string | null;
	timestamp: number;
	comment: string;
	labels: string[];
}

export interface StoreWalletState {
	hot: boolean;
	nextIndex: number;
	reserved: { address: string; keyPath: string } | null;
	coins: Map<string, WalletCoin>;
	/** Newest last. */
	transactions: WalletTx[];
}

const CRYPTO = 'BTC';
const PM = 'BTC-CHAIN';
const SATS = 100_000_000n;

function chainHeight(emulator: BtcPayEmulator): number {
	return ((emulator.state.chainHeight as number | undefined) ??= 800_000);
}

/** The wallet's address at `index` (keyPath 0/index): a real bech32 regtest P2WPKH address. */
export function walletAddress(storeId: string, index: number): string {
	const program = createHash('sha256').update(`${storeId}/0/${index}`).digest().subarray(0, 20);
	return encodeSegwitAddress('bcrt', 0, program);
}

function btc(sats: bigint): string {
	const negative = sats < 0n;
	const abs = negative ? -sats : sats;
	return `${negative ? '-' : ''}${abs / SATS}.${(abs % SATS).toString().padStart(8, '0')}`;
}

function parseBtc(value: unknown): bigint | null {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	const m = /^(\d+)(?:\.(\d{1,8}))?$/.exec(text);
	if (!m) return null;
	return BigInt(m[1]) * SATS + BigInt((m[2] ?? '').padEnd(8, '0'));
}

/** Test hook: the store's wallet state (created on first use, seeded with 1 BTC in three coins). */
export function storeWallet(emulator: BtcPayEmulator, storeId: string): StoreWalletState {
	const wallets = ((emulator.state.storeWallets as Map<string, StoreWalletState> | undefined) ??= new Map()) as Map<string, StoreWalletState>;
	let wallet = wallets.get(storeId);
	if (!wallet) {
		wallet = { hot: true, nextIndex: 0, reserved: null, coins: new Map(), transactions: [] };
		wallets.set(storeId, wallet);
		const height = chainHeight(emulator) - 10;
		for (const amount of [50_000_000n, 30_000_000n, 20_000_000n]) receive(emulator, wallet, storeId, amount, height, emulator.now() - 86_400);
	}
	return wallet;
}

function receive(emulator: BtcPayEmulator, wallet: StoreWalletState, storeId: string, sats: bigint, height: number | null, timestamp = emulator.now()): WalletTx {
	const index = wallet.nextIndex++;
	const txid = randomBytes(32).toString('hex');
	wallet.coins.set(`${txid}-0`, { txid, vout: 0, sats, address: walletAddress(storeId, index), keyPath: `0/${index}`, height, timestamp });
	const tx: WalletTx = { txid, sats, height, blockHash: height === null ? null : createHash('sha256').update(String(height)).digest('hex'), timestamp, comment: '', labels: [] };
	wallet.transactions.push(tx);
	return tx;
}

/** Test hook: an incoming on-chain payment to the store wallet (unconfirmed). */
export function receiveOnChain(emulator: BtcPayEmulator, storeId: string, sats: bigint): WalletTx {
	return receive(emulator, storeWallet(emulator, storeId), storeId, sats, null);
}

/** Test hook: `n` blocks are mined; unconfirmed coins and transactions confirm in the first. */
export function mineBlocks(emulator: BtcPayEmulator, n = 1): void {
	const first = chainHeight(emulator) + 1;
	emulator.state.chainHeight = chainHeight(emulator) + n;
	const wallets = (emulator.state.storeWallets as Map<string, StoreWalletState> | undefined) ?? new Map<string, StoreWalletState>();
	for (const wallet of wallets.values()) {
		for (const coin of wallet.coins.values()) coin.height ??= first;
		for (const tx of wallet.transactions) {
			if (tx.height === null) {
				tx.height = first;
				tx.blockHash = createHash('sha256').update(String(first)).digest('hex');
			}
		}
	}
}

/** Test hook: a watch-only (cold) wallet cannot sign (503 "You cannot send from a cold wallet"). */
export function setWalletHot(emulator: BtcPayEmulator, storeId: string, hot: boolean): void {
	storeWallet(emulator, storeId).hot = hot;
}

function confirmations(emulator: BtcPayEmulator, height: number | null): number {
	return height === null ? 0 : chainHeight(emulator) - height + 1;
}

/** ToModel in the controller: labels are a dictionary label → {type, text} (LegacyLabels, RawLabel). */
function txModel(emulator: BtcPayEmulator, tx: WalletTx): Json {
	const conf = confirmations(emulator, tx.height);
	return {
		transactionHash: tx.txid,
		comment: tx.comment,
		labels: Object.fromEntries(tx.labels.map((l) => [l, { type: 'raw', text: l }])),
		amount: btc(tx.sats),
		blockHash: tx.blockHash,
		blockHeight: tx.height,
		confirmations: conf,
		timestamp: tx.timestamp,
		status: conf > 0 ? 'Confirmed' : 'Unconfirmed',
	};
}

function balances(emulator: BtcPayEmulator, wallet: StoreWalletState) {
	let confirmed = 0n;
	let unconfirmed = 0n;
	for (const coin of wallet.coins.values()) {
		if (coin.height === null) unconfirmed += coin.sats;
		else confirmed += coin.sats;
	}
	void emulator;
	return { confirmed, unconfirmed };
}

const notAvailable = (message: string): EmulatorResponse => ({ status: 503, body: { code: 'not-available', message } });

/**
 * IsInvalidWalletRequest: a payment method that is not an on-chain one with wallet support → 404
 * `unknown-paymentMethodId`; no derivation scheme on the store → 503 `not-available`.
 */
function withWallet(emulator: BtcPayEmulator, req: EmulatorRequest, handler: (wallet: StoreWalletState, storeId: string) => EmulatorResponse): EmulatorResponse {
	const store = findStore(emulator, req.params.storeId);
	if (!store) return storeNotFound();
	if (req.params.paymentMethodId.toUpperCase() !== PM) return { status: 404, body: { code: 'unknown-paymentMethodId', message: "This payment method doesn't exists or doesn't offer wallet services" } };
	if (!storePaymentMethods(emulator, store.id).includes(PM)) return notAvailable(`${CRYPTO} doesn't have any derivation scheme set`);
	return handler(storeWallet(emulator, store.id), store.id);
}

/** The emulator's fee estimate, sat/vB, by block target (a real one comes from the node's estimatesmartfee). */
function estimate(target: number): number {
	if (target <= 1) return 20;
	if (target <= 3) return 10;
	if (target <= 6) return 5;
	return 2;
}

function createTransaction(emulator: BtcPayEmulator, req: EmulatorRequest, wallet: StoreWalletState, storeId: string): EmulatorResponse {
	const body = (req.body ?? {}) as Json;
	const signWithSeed = body.signWithSeed !== false;
	const proceedWithBroadcast = body.proceedWithBroadcast !== false;
	// CreateOnChainTransaction: signing (and broadcasting when asked) need their own policies → Forbid().
	const key = req.apiKey;
	for (const [needed, permission] of [
		[true, 'btcpay.store.cansigntransactions'],
		[proceedWithBroadcast, 'btcpay.store.canbroadcasttransactions'],
	] as const) {
		if (needed && key && !emulator.hasPermission(key, permission, storeId)) {
			return { status: 403, body: { code: 'missing-permission', message: `Insufficient API Permissions. Please use an API key with permission "${permission}".`, missingPermission: permission } };
		}
	}
	const destinations = Array.isArray(body.destinations) ? (body.destinations as Json[]) : [];
	if (destinations.length === 0) return validationError({ path: 'Destinations', message: 'At least one destination must be specified' });
	const errors: Array<{ path: string; message: string }> = [];
	if (!signWithSeed && proceedWithBroadcast) errors.push({ path: 'ProceedWithBroadcast', message: 'Cannot request broadcast when signing is disabled (signWithSeed = false).' });
	const height = chainHeight(emulator);
	const coins = [...wallet.coins.values()].filter((c) => !(body.excludeUnconfirmed === true && c.height === null));
	if (coins.length === 0) errors.push({ path: 'SelectedInputs', message: 'There are no available utxos based on your request' });
	const available = coins.reduce((s, c) => s + c.sats, 0n);
	let sum = 0n;
	const outputs: Array<{ address: string; sats: bigint; subtract: boolean }> = [];
	const subtracting: number[] = [];
	destinations.forEach((d, index) => {
		if (d.subtractFromAmount === true) subtracting.push(index);
		let address = '';
		try {
			// BitcoinAddress.Create(destination, network): another network's address does not parse.
			const decoded = decodeBitcoinAddress(d.destination, 'destination');
			if (!decoded.address.startsWith('bcrt1') && !(decoded.network === 'testnet' && (decoded.type === 'p2pkh' || decoded.type === 'p2sh'))) throw new Error('network');
			address = decoded.address;
		} catch {
			errors.push({ path: `Destinations[${index}]`, message: 'Destination must be a BIP21 payment link or an address' });
		}
		const amount = parseBtc(d.amount);
		if (amount === null || amount <= 0n) errors.push({ path: `Destinations[${index}]`, message: 'Amount must be specified or destination must be a BIP21 payment link, and greater than 0' });
		outputs.push({ address, sats: amount ?? 0n, subtract: d.subtractFromAmount === true });
		sum += amount ?? 0n;
	});
	if (subtracting.length > 1) for (const index of subtracting) errors.push({ path: `Destinations[${index}].SubtractFromAmount`, message: 'You can only subtract fees from one destination' });
	if (available < sum) errors.push({ path: 'Destinations', message: 'You are attempting to send more than is available' });
	else if (available === sum && subtracting.length === 0) errors.push({ path: 'Destinations', message: 'You are sending your entire balance, you should subtract the fees from a destination' });
	const feeRate = body.feerate ?? body.feeRate;
	// minRelayFee defaults to 1 sat/vB (FeeRate(1.0m)) when NBXplorer reports none.
	if (feeRate !== undefined && feeRate !== null && !(Number(feeRate) >= 1)) errors.push({ path: 'FeeRate', message: 'The fee rate specified is lower than the current minimum relay fee' });
	if (errors.length) return validationError(...errors);

	// CreatePSBT (NBXplorer): coins largest first until outputs + fee are covered; else NBXplorer's not-enough-funds.
	const rate = BigInt(Math.ceil(feeRate === undefined || feeRate === null ? estimate(1) : Number(feeRate)));
	const chosen: WalletCoin[] = [];
	let inputs = 0n;
	let fee = 0n;
	for (const coin of coins.sort((a, b) => (b.sats > a.sats ? 1 : b.sats < a.sats ? -1 : 0))) {
		chosen.push(coin);
		inputs += coin.sats;
		fee = rate * BigInt(11 + 68 * chosen.length + 31 * (outputs.length + 1));
		if (inputs >= sum + (subtracting.length ? 0n : fee)) break;
	}
	const needed = sum + (subtracting.length ? 0n : fee);
	if (inputs < needed) return { status: 400, body: { code: 'not-enough-funds', message: 'Not enough funds for doing this transaction' } };
	const summary = { inputs: chosen.map((c) => `${c.txid}-${c.vout}`), outputs: outputs.map((o) => ({ address: o.address, amount: btc(o.sats) })), fee: btc(fee), feeRate: Number(rate) };
	if (!signWithSeed) {
		// An unsigned PSBT in base64 (emulator: the PSBT magic followed by a JSON summary, not a real PSBT).
		return { status: 200, body: { psbt: Buffer.concat([Buffer.from('70736274ff', 'hex'), Buffer.from(JSON.stringify(summary))]).toString('base64') } };
	}
	if (!wallet.hot) return notAvailable('You cannot send from a cold wallet');
	if (!proceedWithBroadcast) return { status: 200, body: Buffer.from(JSON.stringify(summary)).toString('hex') };

	// Broadcast: the coins are spent, change comes back to a new address, the wallet's balance change is recorded.
	const txid = randomBytes(32).toString('hex');
	for (const coin of chosen) wallet.coins.delete(`${coin.txid}-${coin.vout}`);
	const change = inputs - needed;
	const own = new Set(Array.from({ length: wallet.nextIndex }, (_, i) => walletAddress(storeId, i)));
	let vout = 0;
	let toSelf = 0n;
	for (const o of outputs) {
		const paid = o.subtract ? o.sats - fee : o.sats;
		if (own.has(o.address)) {
			wallet.coins.set(`${txid}-${vout}`, { txid, vout, sats: paid, address: o.address, keyPath: '0/0', height: null, timestamp: emulator.now() });
			toSelf += paid;
		}
		vout++;
	}
	if (change > 0n) {
		const index = wallet.nextIndex++;
		wallet.coins.set(`${txid}-${vout}`, { txid, vout, sats: change, address: walletAddress(storeId, index), keyPath: `1/${index}`, height: null, timestamp: emulator.now() });
	}
	const tx: WalletTx = { txid, sats: -(sum + (subtracting.length ? 0n : fee)) + toSelf, height: null, blockHash: null, timestamp: emulator.now(), comment: '', labels: [] };
	wallet.transactions.push(tx);
	void height;
	return { status: 200, body: txModel(emulator, tx) };
}

export function register(emulator: BtcPayEmulator): void {
	const base = '/api/v1/stores/{storeId}/payment-methods/{paymentMethodId}/wallet';

	// ShowOnChainWalletOverview: balance = confirmed + unconfirmed; label = the derivation scheme.
	emulator.route('GET', base, (req) =>
		withWallet(emulator, req, (wallet, storeId) => {
			const { confirmed, unconfirmed } = balances(emulator, wallet);
			return { status: 200, body: { label: `emulated-vpub-${storeId.slice(0, 6)}`, balance: btc(confirmed + unconfirmed), unconfirmedBalance: btc(unconfirmed), confirmedBalance: btc(confirmed) } };
		}),
	);

	// GetOnChainWalletHistogram (WalletHistogramService): balance at regular points over the period.
	emulator.route('GET', `${base}/histogram`, (req) =>
		withWallet(emulator, req, (wallet) => {
			const type = ['week', 'month', 'year'].includes((req.query.get('type') ?? '').toLowerCase()) ? (req.query.get('type') as string) : 'Week';
			const kind = type[0].toUpperCase() + type.slice(1).toLowerCase();
			const days = kind === 'Year' ? 365 : kind === 'Month' ? 30 : 7;
			const points = kind === 'Year' ? 12 : days;
			const now = emulator.now();
			const labels: number[] = [];
			const series: string[] = [];
			for (let p = points - 1; p >= 0; p--) {
				const at = now - Math.floor((p * days * 86_400) / points);
				labels.push(at);
				series.push(btc(wallet.transactions.filter((t) => t.timestamp <= at).reduce((s, t) => s + t.sats, 0n)));
			}
			return { status: 200, body: { type: kind, balance: btc(wallet.transactions.reduce((s, t) => s + t.sats, 0n)), series, labels } };
		}),
	);

	// GetOnChainFeeRate: blockTarget ?? the store's recommendedFeeBlockTarget.
	emulator.route('GET', `${base}/feerate`, (req) =>
		withWallet(emulator, req, (_wallet, storeId) => {
			const store = findStore(emulator, storeId);
			const raw = req.query.get('blockTarget');
			const target = raw === null ? Number(store?.recommendedFeeBlockTarget ?? 1) : Number(raw);
			return { status: 200, body: { feeRate: estimate(target) } };
		}),
	);

	// GetOnChainWalletReceiveAddress (WalletReceiveService.GetOrGenerate): the reserved address, or a new one; forceGenerate: always new.
	emulator.route('GET', `${base}/address`, (req) =>
		withWallet(emulator, req, (wallet, storeId) => {
			if (!wallet.reserved || req.query.get('forceGenerate') === 'true') {
				const index = wallet.nextIndex++;
				wallet.reserved = { address: walletAddress(storeId, index), keyPath: `0/${index}` };
			}
			return { status: 200, body: { address: wallet.reserved.address, paymentLink: `bitcoin:${wallet.reserved.address}`, keyPath: wallet.reserved.keyPath } };
		}),
	);

	// UnReserveOnChainWalletReceiveAddress: none reserved → 400 no-reserved-address.
	emulator.route(
		'DELETE',
		`${base}/address`,
		(req) =>
			withWallet(emulator, req, (wallet) => {
				if (!wallet.reserved) return { status: 400, body: { code: 'no-reserved-address', message: `There was no reserved address for ${CRYPTO} on this store.` } };
				wallet.reserved = null;
				return { status: 200 };
			}),
	);

	// ShowOnChainWalletTransactions: newest first; with a status or label filter every transaction is
	// fetched and filtered (one matching both filters is listed twice, as the controller adds it twice), then skip/limit.
	emulator.route('GET', `${base}/transactions`, (req) =>
		withWallet(emulator, req, (wallet) => {
			const status = req.query.getAll('statusFilter');
			const label = req.query.get('labelFilter')?.trim() ? (req.query.get('labelFilter') as string) : undefined;
			const skip = Number(req.query.get('skip') ?? 0);
			const limit = req.query.get('limit') === null ? Infinity : Number(req.query.get('limit'));
			let list = [...wallet.transactions].reverse();
			if (status.length || label !== undefined) {
				const filtered: WalletTx[] = [];
				for (const t of list) {
					if (label !== undefined && t.labels.includes(label)) filtered.push(t);
					const conf = confirmations(emulator, t.height);
					if (status.length) {
						if (status.includes('Confirmed') && conf !== 0) filtered.push(t);
						else if (status.includes('Unconfirmed') && conf === 0) filtered.push(t);
					}
				}
				list = filtered;
			}
			return { status: 200, body: list.slice(skip, skip + limit).map((t) => txModel(emulator, t)) };
		}),
	);

	emulator.route(
		'POST',
		`${base}/transactions`,
		(req) => withWallet(emulator, req, (wallet, storeId) => createTransaction(emulator, req, wallet, storeId)),
		// CanCreateWalletTransactions on the action; sign/broadcast are checked inside (the spec lists create + sign).
		{ permissions: ['btcpay.store.cancreatetransactions'] },
	);

	// GetOnChainWalletTransaction: unknown → 404 transaction-not-found.
	emulator.route('GET', `${base}/transactions/{transactionId}`, (req) =>
		withWallet(emulator, req, (wallet) => {
			const tx = wallet.transactions.find((t) => t.txid === req.params.transactionId.toLowerCase());
			return tx ? { status: 200, body: txModel(emulator, tx) } : { status: 404, body: { code: 'transaction-not-found', message: 'The transaction was not found.' } };
		}),
	);

	// PatchOnChainWalletTransaction: comment replaced (trimmed, 200 characters), labels added
	// (trimmed, 50 characters, distinct) by WalletRepository.SetWalletObjectComment / AddWalletObjectLabels.
	emulator.route('PATCH', `${base}/transactions/{transactionId}`, (req) =>
		withWallet(emulator, req, (wallet) => {
			const tx = wallet.transactions.find((t) => t.txid === req.params.transactionId.toLowerCase());
			if (!tx) return { status: 404, body: { code: 'transaction-not-found', message: 'The transaction was not found.' } };
			const body = (req.body ?? {}) as Json;
			if (typeof body.comment === 'string') tx.comment = body.comment.trim().slice(0, 200);
			if (Array.isArray(body.labels)) {
				for (const raw of body.labels) {
					const label = String(raw).trim().slice(0, 50);
					if (!tx.labels.includes(label)) tx.labels.push(label);
				}
			}
			return { status: 200, body: txModel(emulator, tx) };
		}),
	);

	// GetOnChainWalletUTXOs: outpoint "txid-vout" (SaneOutpointJsonConverter / NBitcoin OutPoint.ToString()).
	emulator.route('GET', `${base}/utxos`, (req) =>
		withWallet(emulator, req, (wallet) => ({
			status: 200,
			body: [...wallet.coins.values()].map((c) => {
				const tx = wallet.transactions.find((t) => t.txid === c.txid);
				return {
					outpoint: `${c.txid}-${c.vout}`,
					amount: btc(c.sats),
					comment: tx?.comment ?? '',
					labels: Object.fromEntries((tx?.labels ?? []).map((l) => [l, { type: 'raw', text: l }])),
					// Plugins/Bitcoin/BitcoinPlugin.cs: the default explorer link of a non-mainnet, non-signet chain.
					link: `https://mempool.space/testnet/tx/${c.txid}`,
					timestamp: c.timestamp,
					keyPath: c.keyPath,
					confirmations: confirmations(emulator, c.height),
					address: c.address,
				};
			}),
		})),
	);

	// GreenfieldStoreOnChainPaymentMethodsController.GetOnChainPaymentMethodPreview: addresses of the
	// deposit line from index `offset` while i < `count` (the loop's bound is count, not offset + count);
	// not configured → 404 paymentmethod-not-configured. Nothing is reserved.
	emulator.route('GET', `${base}/preview`, (req) => {
		const store = findStore(emulator, req.params.storeId);
		if (!store) return storeNotFound();
		if (req.params.paymentMethodId.toUpperCase() !== PM) return { status: 404, body: { code: 'unknown-paymentMethodId', message: "This payment method doesn't exists or doesn't offer wallet services" } };
		if (!storePaymentMethods(emulator, store.id).includes(PM)) return { status: 404, body: { code: 'paymentmethod-not-configured', message: 'The payment method is not configured' } };
		const offset = Number(req.query.get('offset') ?? 0);
		const count = Number(req.query.get('count') ?? 10);
		const addresses: Json[] = [];
		for (let i = offset; i < count; i++) addresses.push({ keyPath: `0/${i}`, address: walletAddress(store.id, i) });
		return { status: 200, body: { addresses } };
	});
}
