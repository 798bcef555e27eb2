/**
 * Parsing of what arrives unauthenticated: LNbits WebSocket frames and
 * per-invoice webhook bodies. Anyone can push either, so nothing here is
 * trusted; the result only names a payment hash to confirm over the API, plus
 * the claims a frame makes so they can be compared with LNbits' own record.
 */
import type { TriggerPayment } from './types';

const HASH_RE = /^[0-9a-f]{64}$/;

/** What a frame claims about a payment. */
export interface FrameClaim {
	paymentHash: string;
	/** Signed msat as sent (negative for outgoing), when present. */
	amountMsat?: number;
	walletId?: string;
	status?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function claimFromPayment(payment: unknown): FrameClaim | null {
	if (!isObject(payment)) return null;
	const hash = typeof payment.payment_hash === 'string' ? payment.payment_hash.toLowerCase() : '';
	if (!HASH_RE.test(hash)) return null;
	const claim: FrameClaim = { paymentHash: hash };
	if (typeof payment.amount === 'number' && Number.isFinite(payment.amount)) claim.amountMsat = payment.amount;
	if (typeof payment.wallet_id === 'string') claim.walletId = payment.wallet_id;
	if (typeof payment.status === 'string') claim.status = payment.status;
	return claim;
}

/**
 * A WebSocket frame `{"wallet_balance": <sats>, "payment": {...}}` → the claim,
 * or null when the frame is not JSON or names no payment hash.
 */
export function parseFrame(data: unknown): FrameClaim | null {
	let text: string;
	if (typeof data === 'string') text = data;
	else if (data instanceof ArrayBuffer) text = Buffer.from(data).toString('utf8');
	else if (ArrayBuffer.isView(data)) text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
	else return null;
	if (text.length > 1_000_000) return null;
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return null;
	}
	if (!isObject(parsed)) return null;
	return claimFromPayment(parsed.payment);
}

/**
 * An LNbits invoice webhook body: the payment JSON encoded twice (a JSON
 * string holding JSON). Accepts the raw bytes/text, the once-decoded string
 * or an already decoded object. Returns null when no payment hash is found.
 */
export function parseWebhookBody(body: unknown): FrameClaim | null {
	let value: unknown = body;
	for (let depth = 0; depth < 3; depth++) {
		if (Buffer.isBuffer(value)) value = value.toString('utf8');
		if (typeof value !== 'string') break;
		try {
			value = JSON.parse(value);
		} catch {
			return null;
		}
	}
	if (!isObject(value)) return null;
	return claimFromPayment(isObject(value.payment) ? value.payment : value);
}

/** True when every claim the frame makes agrees with LNbits' record of the payment. */
export function claimMatches(claim: FrameClaim, payment: TriggerPayment): boolean {
	if (payment.paymentHash.toLowerCase() !== claim.paymentHash) return false;
	if (claim.amountMsat !== undefined) {
		const direction = claim.amountMsat < 0 ? 'outgoing' : 'incoming';
		if (direction !== payment.direction) return false;
		if (Math.abs(claim.amountMsat) !== payment.amountMsat) return false;
	}
	if (claim.walletId !== undefined && payment.walletId && claim.walletId !== payment.walletId) return false;
	if (claim.status !== undefined && claim.status !== payment.status) return false;
	return true;
}
