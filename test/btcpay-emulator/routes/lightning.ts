/**
 * Store Lightning node (…/stores/{storeId}/lightning/{cryptoCode}/…): info,
 * balance, invoices (real decodable BOLT11, msat strings), payments.
 * Paying an invoice of another emulated store settles it at once (200);
 * any other invoice stays in flight (202) until a test settles it with
 * `settleLightningPayment`. Balances move exactly in msat.
 */
import { createHash, randomBytes } from 'node:crypto';
import { decodeBolt11 } from '../../../nodes/shared/bolt11';
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
		};
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
				peersCount: 1,
				activeChannelsCount: 1,
				inactiveChannelsCount: 0,
				pendingChannelsCount: 0,
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
	emulator.route('GET', `${base}/payments`, (req) =>
		withNode(emulator, req, (node) => ({ status: 200, body: [...node.payments.values()].map(toPaymentData) })),
	);
}
