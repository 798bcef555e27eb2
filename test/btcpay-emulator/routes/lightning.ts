/**
 * Store Lightning node (…/stores/{storeId}/lightning/{cryptoCode}/…): info,
 * balance, invoices (real decodable BOLT11, msat strings), payments.
 * Paying an invoice of another emulated store settles it at once (200);
 * any other invoice stays in flight (202) until a test settles it with
 * `settleLightningPayment`. Balances move exactly in msat.
 */
import { createHash, randomBytes } from 'node:crypto';
import { decodeBolt11 } from '../../../nodes/shared/bolt11';
import { encodeSegwitAddress } from '../../../nodes/shared/bitcoin';
import { encodeBolt11 } from '../../fixtures/bolt11-encode';
import { validationError, type BtcPayEmulator, type EmulatorRequest, type EmulatorResponse, type Json } from '../server';
import { findStore, storeNotFound } from './stores';

export interface LightningInvoiceRecord {
	id: string;
	storeId: string;
	BOLT11: string;
	paymentHash: string;
	preimage: string;
	amount: string;
	amountReceived: string;
	description: string;
	expiresAt: number;
	paidAt: number | null;
}

export interface LightningPaymentRecord {
	id: string;
	storeId: string;
	BOLT11: string;
	paymentHash: string;
	preimage: string | null;
	createdAt: number;
	totalAmount: string;
	feeAmount: string;
	status: 'Pending' | 'Complete' | 'Failed';
}

export interface LightningNode {
	available: boolean;
	/** Spendable msat on the local side of channels. */
	localMsat: bigint;
	remoteMsat: bigint;
	onchainSats: bigint;
	invoices: Map<string, LightningInvoiceRecord>;
	/** Outgoing payments by payment hash. */
	payments: Map<string, LightningPaymentRecord>;
	/** Fee charged on payments leaving the emulator, msat (default 1000). */
	externalFeeMsat: bigint;
	alias: string;
	pubkey: string;
	/** Connected peers' node IDs. */
	peers: Set<string>;
	/** Channels; pending ones (funding unconfirmed) are not listed by GET …/channels. */
	channels: LightningChannelRecord[];
}

export interface LightningChannelRecord {
	remoteNode: string;
	capacitySats: bigint;
	localMsat: bigint;
	channelPoint: string;
	pending: boolean;
	active: boolean;
}

const CRYPTO = 'BTC';

export function lightningNode(emulator: BtcPayEmulator, storeId: string): LightningNode {
	const nodes = ((emulator.state.lightningNodes as Map<string, LightningNode> | undefined) ??= new Map()) as Map<string, LightningNode>;
	let node = nodes.get(storeId);
	if (!node) {
		node = {
			available: true,
			localMsat: 5_000_000_000n,
			remoteMsat: 5_000_000_000n,
			onchainSats: 1_000_000n,
			invoices: new Map(),
			payments: new Map(),
			externalFeeMsat: 1000n,
			alias: `emulated-${storeId.slice(0, 6)}`,
			pubkey: `02${createHash('sha256').update(storeId).digest('hex')}`,
			peers: new Set(),
			channels: [],
		};
		// One active channel to an emulated peer holds the seeded local/remote balances.
		const peer = `03${createHash('sha256').update(`peer-${storeId}`).digest('hex')}`;
		node.peers.add(peer);
		node.channels.push({ remoteNode: peer, capacitySats: 10_000_000n, localMsat: node.localMsat, channelPoint: `${createHash('sha256').update(`chan-${storeId}`).digest('hex')}:0`, pending: false, active: true });
		nodes.set(storeId, node);
	}
	return node;
}

function allNodes(emulator: BtcPayEmulator): Map<string, LightningNode> {
	return ((emulator.state.lightningNodes as Map<string, LightningNode> | undefined) ??= new Map()) as Map<string, LightningNode>;
}

function invoiceStatus(emulator: BtcPayEmulator, inv: LightningInvoiceRecord): 'Unpaid' | 'Paid' | 'Expired' {
	if (inv.paidAt !== null) return 'Paid';
	return emulator.now() >= inv.expiresAt ? 'Expired' : 'Unpaid';
}

function toInvoiceData(emulator: BtcPayEmulator, inv: LightningInvoiceRecord): Json {
	const status = invoiceStatus(emulator, inv);
	return {
		id: inv.id,
		status,
		BOLT11: inv.BOLT11,
		paidAt: inv.paidAt,
		expiresAt: inv.expiresAt,
		amount: inv.amount,
		amountReceived: inv.amountReceived,
		paymentHash: inv.paymentHash,
		preimage: status === 'Paid' ? inv.preimage : null,
		customRecords: null,
	};
}

function toPaymentData(p: LightningPaymentRecord): Json {
	return {
		id: p.id,
		status: p.status,
		BOLT11: p.BOLT11,
		paymentHash: p.paymentHash,
		...(p.preimage ? { preimage: p.preimage } : {}),
		createdAt: p.createdAt,
		totalAmount: p.totalAmount,
		feeAmount: p.feeAmount,
	};
}

/** Test hook: the store's node becomes (un)reachable (503 answers). */
export function setLightningAvailable(emulator: BtcPayEmulator, storeId: string, available: boolean): void {
	lightningNode(emulator, storeId).available = available;
}

/** Test hook: an in-flight payment completes or fails (a failed one gives the funds back). */
export function settleLightningPayment(emulator: BtcPayEmulator, storeId: string, paymentHash: string, status: 'Complete' | 'Failed'): LightningPaymentRecord {
	const node = lightningNode(emulator, storeId);
	const payment = node.payments.get(paymentHash);
	if (!payment) throw new Error(`no payment ${paymentHash}`);
	if (payment.status !== 'Pending') return payment;
	payment.status = status;
	if (status === 'Complete') payment.preimage = randomBytes(32).toString('hex');
	else node.localMsat += BigInt(payment.totalAmount);
	return payment;
}

/** Test hook: someone outside pays a store's Lightning invoice. */
export function receiveLightningPayment(emulator: BtcPayEmulator, storeId: string, invoiceId: string, amountMsat?: string): LightningInvoiceRecord {
	const node = lightningNode(emulator, storeId);
	const inv = node.invoices.get(invoiceId);
	if (!inv) throw new Error(`no Lightning invoice ${invoiceId}`);
	const amount = amountMsat ?? inv.amount;
	inv.paidAt = emulator.now();
	inv.amountReceived = amount;
	node.localMsat += BigInt(amount);
	return inv;
}

const nodeUnavailable = (): EmulatorResponse => ({ status: 503, body: { code: 'lightning-node-unavailable', message: 'The lightning node is unavailable' } });

function withNode(emulator: BtcPayEmulator, req: EmulatorRequest, handler: (node: LightningNode, storeId: string) => EmulatorResponse): EmulatorResponse {
	const store = findStore(emulator, req.params.storeId);
	if (!store) return storeNotFound();
	if (req.params.cryptoCode.toUpperCase() !== CRYPTO) return { status: 404, body: { code: 'unknown-cryptocode', message: 'This crypto code is not enabled for Lightning' } };
	const node = lightningNode(emulator, store.id);
	if (!node.available) return nodeUnavailable();
	return handler(node, store.id);
}

function isDigits(v: unknown): v is string {
	return typeof v === 'string' && /^\d+$/.test(v);
}

function pay(emulator: BtcPayEmulator, node: LightningNode, storeId: string, body: Json): EmulatorResponse {
	// GreenfieldLightningNodeApiController.PayInvoice: the BOLT11 is checked first (422, path BOLT11).
	if (typeof body.BOLT11 !== 'string' || !body.BOLT11) return validationError({ path: 'BOLT11', message: 'The BOLT11 invoice was invalid.' });
	let decoded;
	try {
		decoded = decodeBolt11(body.BOLT11);
	} catch {
		return validationError({ path: 'BOLT11', message: 'The BOLT11 invoice was invalid.' });
	}
	if (decoded.network !== 'regtest') return validationError({ path: 'BOLT11', message: 'The BOLT11 invoice was not for the right network' });
	if (decoded.expiresAt <= emulator.now()) return { status: 400, body: { code: 'generic-error', message: 'The invoice has expired' } };
	let amount: bigint;
	if (decoded.amountMsat !== null) amount = BigInt(decoded.amountMsat);
	else if (isDigits(body.amount)) amount = BigInt(body.amount);
	else return validationError({ path: 'Amount', message: 'The invoice has no amount, please specify one' });
	if (body.amount != null && !isDigits(body.amount)) return validationError({ path: 'Amount', message: 'Amount must be a millisatoshi string' });
	const existing = node.payments.get(decoded.paymentHash);
	if (existing && existing.status !== 'Failed') return { status: 400, body: { code: 'generic-error', message: 'This invoice has already been paid or is being paid' } };

	// Internal: an invoice of an emulated store.
	let target: { node: LightningNode; invoice: LightningInvoiceRecord } | undefined;
	for (const other of allNodes(emulator).values()) {
		for (const inv of other.invoices.values()) if (inv.paymentHash === decoded.paymentHash) target = { node: other, invoice: inv };
	}
	if (target && target.invoice.paidAt !== null) return { status: 400, body: { code: 'generic-error', message: 'The invoice is already paid' } };
	const fee = target ? 0n : node.externalFeeMsat;
	const percent = body.maxFeePercent != null ? Number(body.maxFeePercent) : undefined;
	const flatSats = body.maxFeeFlat != null ? BigInt(String(body.maxFeeFlat)) : undefined;
	if (percent !== undefined && Number.isNaN(percent)) return validationError({ path: 'MaxFeePercent', message: 'Invalid fee percent' });
	const limits: bigint[] = [];
	if (percent !== undefined) limits.push((amount * BigInt(Math.round(percent * 10_000))) / 1_000_000n);
	if (flatSats !== undefined) limits.push(flatSats * 1000n);
	if (limits.length && fee > limits.reduce((a, b) => (a > b ? a : b))) {
		return { status: 400, body: { code: 'generic-error', message: 'Payment failed: the route fee is above the fee limit' } };
	}
	if (node.localMsat < amount + fee) return { status: 400, body: { code: 'generic-error', message: 'Payment failed: insufficient balance' } };
	node.localMsat -= amount + fee;
	const payment: LightningPaymentRecord = {
		id: decoded.paymentHash,
		storeId,
		BOLT11: decoded.paymentRequest,
		paymentHash: decoded.paymentHash,
		preimage: null,
		createdAt: emulator.now(),
		totalAmount: (amount + fee).toString(),
		feeAmount: fee.toString(),
		status: 'Pending',
	};
	node.payments.set(decoded.paymentHash, payment);
	if (target) {
		target.invoice.paidAt = emulator.now();
		target.invoice.amountReceived = amount.toString();
		target.node.localMsat += amount;
		payment.status = 'Complete';
		payment.preimage = target.invoice.preimage;
		return { status: 200, body: toPaymentData(payment) };
	}
	return { status: 202, body: toPaymentData(payment) };
}

export function register(emulator: BtcPayEmulator): void {
	const base = '/api/v1/stores/{storeId}/lightning/{cryptoCode}';
	// BTCPay's store routes use the store policies (the spec lists a server policy for invoice creation).
	const create = { permissions: ['btcpay.store.cancreatelightninginvoice'] };
	const use = { permissions: ['btcpay.store.canuselightningnode'] };

	emulator.route('GET', `${base}/info`, (req) =>
		withNode(emulator, req, (node) => ({
			status: 200,
			body: {
				nodeURIs: [`${node.pubkey}@127.0.0.1:9735`],
				blockHeight: 800_000,
				alias: node.alias,
				color: '#3399ff',
				version: 'emulated-1.0',
				peersCount: node.peers.size,
				activeChannelsCount: node.channels.filter((c) => !c.pending && c.active).length,
				inactiveChannelsCount: node.channels.filter((c) => !c.pending && !c.active).length,
				pendingChannelsCount: node.channels.filter((c) => c.pending).length,
			},
		})),
	);
	emulator.route('GET', `${base}/balance`, (req) =>
		withNode(emulator, req, (node) => ({
			status: 200,
			body: {
				onchain: { confirmed: node.onchainSats.toString(), unconfirmed: '0', reserved: '0' },
				offchain: { opening: '0', local: node.localMsat.toString(), remote: node.remoteMsat.toString(), closing: '0' },
			},
		})),
	);
	emulator.route(
		'POST',
		`${base}/invoices`,
		(req) =>
			withNode(emulator, req, (node, storeId) => {
				const body = { ...((req.body ?? {}) as Json) };
				if (typeof body.amount === 'number' && Number.isSafeInteger(body.amount) && body.amount >= 0) body.amount = String(body.amount);
				// GreenfieldLightningNodeApiController.CreateInvoice (the store controller
				// GreenfieldStoreLightningNodeApiController.cs inherits it): Amount may be 0 (amountless),
				// only a negative one is refused; Expiry is a non-nullable TimeSpan, so a missing one is 0
				// and refused with "Expiry should be more than 0" (no default expiry). Paths are the C# names.
				const errors: Array<{ path: string; message: string }> = [];
				if (body.amount !== undefined && body.amount !== null && !isDigits(body.amount)) errors.push({ path: 'Amount', message: 'Amount should be more or equals to 0' });
				if (body.descriptionHashOnly === true && (body.description === undefined || body.description === null)) {
					errors.push({ path: 'Description', message: 'Description is required when `descriptionHashOnly` is true' });
				}
				const expiry = body.expiry === undefined || body.expiry === null ? 0 : Number(body.expiry);
				if (!Number.isFinite(expiry) || expiry <= 0) errors.push({ path: 'Expiry', message: 'Expiry should be more than 0' });
				if (errors.length) return validationError(...errors);
				const amountMsat = isDigits(body.amount) ? body.amount : '0';
				const description = typeof body.description === 'string' ? body.description : '';
				const now = emulator.now();
				const encoded = encodeBolt11({ amountMsat: amountMsat === '0' ? undefined : amountMsat, description: body.descriptionHashOnly ? '' : description, expiry: Math.floor(expiry), timestamp: now });
				const inv: LightningInvoiceRecord = {
					id: encoded.paymentHash,
					storeId,
					BOLT11: encoded.bolt11,
					paymentHash: encoded.paymentHash,
					preimage: encoded.preimage,
					amount: amountMsat,
					amountReceived: '0',
					description,
					expiresAt: now + Math.floor(expiry),
					paidAt: null,
				};
				node.invoices.set(inv.id, inv);
				return { status: 200, body: toInvoiceData(emulator, inv) };
			}),
		create,
	);
	emulator.route('GET', `${base}/invoices`, (req) =>
		withNode(emulator, req, (node) => {
			const pendingOnly = req.query.get('pendingOnly') === 'true';
			const list = [...node.invoices.values()].filter((i) => !pendingOnly || invoiceStatus(emulator, i) === 'Unpaid');
			return { status: 200, body: list.map((i) => toInvoiceData(emulator, i)) };
		}),
	);
	emulator.route('GET', `${base}/invoices/{id}`, (req) =>
		withNode(emulator, req, (node) => {
			const inv = node.invoices.get(req.params.id);
			return inv ? { status: 200, body: toInvoiceData(emulator, inv) } : { status: 404, body: { code: 'invoice-not-found', message: 'Impossible to find a lightning invoice with this id' } };
		}),
	);
	emulator.route('POST', `${base}/invoices/pay`, (req) => withNode(emulator, req, (node, storeId) => pay(emulator, node, storeId, (req.body ?? {}) as Json)), use);
	emulator.route('GET', `${base}/payments/{paymentHash}`, (req) =>
		withNode(emulator, req, (node) => {
			const payment = node.payments.get(req.params.paymentHash.toLowerCase());
			return payment ? { status: 200, body: toPaymentData(payment) } : { status: 404, body: { code: 'payment-not-found', message: 'Impossible to find a lightning payment with this payment hash' } };
		}),
	);
	// GetPayments(includePending): the node lists pending payments only when asked (ListPaymentsParams.IncludePending).
	emulator.route('GET', `${base}/payments`, (req) =>
		withNode(emulator, req, (node) => {
			const includePending = req.query.get('includePending') === 'true';
			return { status: 200, body: [...node.payments.values()].filter((p) => includePending || p.status !== 'Pending').map(toPaymentData) };
		}),
	);
	registerPeersAndChannels(emulator, base);
}

/** Test hook: the funding transactions of pending channels confirm (they become active and listed). */
export function confirmChannels(emulator: BtcPayEmulator, storeId: string): void {
	for (const channel of lightningNode(emulator, storeId).channels) {
		if (channel.pending) {
			channel.pending = false;
			channel.active = true;
		}
	}
}

/** `pubkey@host[:port]` as NodeUriJsonConverter (NodeInfo.TryParse) accepts it; undefined when it does not parse. */
function parseNodeInfo(value: unknown): { nodeId: string; host: string; port: number } | undefined {
	if (typeof value !== 'string') return undefined;
	const m = /^(0[23][0-9a-f]{64})@([^:@\s]+)(?::(\d+))?$/i.exec(value.trim());
	return m ? { nodeId: m[1].toLowerCase(), host: m[2], port: m[3] ? Number(m[3]) : 9735 } : undefined;
}

/**
 * Peers, channels, deposit address and histogram: GreenfieldLightningNodeApiController.cs
 * (ConnectToNode, GetChannels, OpenChannel, GetDepositAddress, GetHistogram), inherited by
 * GreenfieldStoreLightningNodeApiController.cs. Hosts ending in `.invalid` (RFC 2606: never
 * resolve) give could-not-connect.
 */
function registerPeersAndChannels(emulator: BtcPayEmulator, base: string): void {
	const create = { permissions: ['btcpay.store.cancreatelightninginvoice'] };
	// ConnectToNode: no NodeURI → 422 NodeURI; a failed connection → 400 could-not-connect; else 200, no body.
	emulator.route(
		'POST',
		`${base}/connect`,
		(req) =>
			withNode(emulator, req, (node) => {
				const peer = parseNodeInfo(((req.body ?? {}) as Json).nodeURI);
				if (!peer) return validationError({ path: 'NodeURI', message: 'A valid node info was not provided to connect to' });
				if (peer.host.endsWith('.invalid')) return { status: 400, body: { code: 'could-not-connect', message: 'Could not connect to the remote node' } };
				node.peers.add(peer.nodeId);
				return { status: 200 };
			}),
		create,
	);
	// GetChannels: ListChannels of the node, open channels only (LND's listchannels leaves pending ones out).
	emulator.route(
		'GET',
		`${base}/channels`,
		(req) =>
			withNode(emulator, req, (node) => ({
				status: 200,
				body: node.channels
					.filter((c) => !c.pending)
					.map((c) => ({ remoteNode: c.remoteNode, isPublic: true, isActive: c.active, capacity: (c.capacitySats * 1000n).toString(), localBalance: (c === node.channels[0] ? node.localMsat : c.localMsat).toString(), channelPoint: c.channelPoint })),
			})),
		create,
	);
	// OpenChannel: NodeURI, ChannelAmount (> 0 sats, a string through MoneyJsonConverter) and FeeRate (> 0) are
	// validated (422, C# names); OpenChannelResult → 400 peer-not-connected / cannot-afford-funding; Ok → 200, no body.
	emulator.route(
		'POST',
		`${base}/channels`,
		(req) =>
			withNode(emulator, req, (node) => {
				const body = (req.body ?? {}) as Json;
				const errors: Array<{ path: string; message: string }> = [];
				const peer = parseNodeInfo(body.nodeURI);
				if (!peer) errors.push({ path: 'NodeURI', message: 'A valid node info was not provided to open a channel with' });
				const amount = typeof body.channelAmount === 'string' && /^\d+$/.test(body.channelAmount) ? BigInt(body.channelAmount) : typeof body.channelAmount === 'number' && Number.isSafeInteger(body.channelAmount) ? BigInt(body.channelAmount) : null;
				if (amount === null) errors.push({ path: 'ChannelAmount', message: 'ChannelAmount is missing' });
				else if (amount <= 0n) errors.push({ path: 'ChannelAmount', message: 'ChannelAmount must be more than 0' });
				if (body.feeRate === undefined || body.feeRate === null) errors.push({ path: 'FeeRate', message: 'FeeRate is missing' });
				else if (!(Number(body.feeRate) > 0)) errors.push({ path: 'FeeRate', message: 'FeeRate must be more than 0' });
				if (errors.length || !peer || amount === null) return validationError(...errors);
				if (!node.peers.has(peer.nodeId)) return { status: 400, body: { code: 'peer-not-connected', message: 'Not connected to peer' } };
				const fee = BigInt(Math.ceil(Number(body.feeRate))) * 200n;
				if (node.onchainSats < amount + fee) return { status: 400, body: { code: 'cannot-afford-funding', message: 'Not enough money to open a channel' } };
				node.onchainSats -= amount + fee;
				node.channels.push({ remoteNode: peer.nodeId, capacitySats: amount, localMsat: amount * 1000n, channelPoint: `${randomBytes(32).toString('hex')}:0`, pending: true, active: false });
				return { status: 200 };
			}),
		create,
	);
	// GetDepositAddress: a JSON string (new JValue(address)), a regtest address of the node wallet.
	emulator.route(
		'POST',
		`${base}/address`,
		(req) => withNode(emulator, req, (node) => ({ status: 200, body: encodeSegwitAddress('bcrt', 0, createHash('sha256').update(`${node.pubkey}/${randomBytes(4).toString('hex')}`).digest().subarray(0, 20)) })),
		create,
	);
	// GetHistogram (LightningHistogramService): emulator simplification, a flat week at the current
	// local balance in BTC (no history is kept).
	emulator.route('GET', `${base}/histogram`, (req) =>
		withNode(emulator, req, (node) => {
			const sats = node.localMsat / 1000n;
			const balance = `${sats / 100_000_000n}.${(sats % 100_000_000n).toString().padStart(8, '0')}`;
			const now = emulator.now();
			return { status: 200, body: { type: 'Week', balance, series: Array.from({ length: 7 }, () => balance), labels: Array.from({ length: 7 }, (_, i) => now - (6 - i) * 86_400) } };
		}),
	);
}
