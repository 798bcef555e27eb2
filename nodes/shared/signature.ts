/**
 * HMAC-SHA256 webhook signatures (BTCPay-Sig), computed over the raw request
 * bytes and compared in constant time.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';

export function hmacSha256Hex(secret: string, body: Uint8Array | string): string {
	const data = typeof body === 'string' ? utf8ToBytes(body) : body;
	return bytesToHex(hmac(sha256, utf8ToBytes(secret), data));
}

/** Compares two byte arrays in time independent of where they differ. */
export function timingSafeEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	let diff = 0;
	for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
	return diff === 0;
}

export type SignatureCheck =
	| { valid: true }
	| { valid: false; reason: 'missing' | 'malformed' | 'mismatch' };

/**
 * Verifies a `sha256=<hex>` signature header against the raw body.
 * `prefix` is the scheme before the hex digest (BTCPay: `sha256=`).
 */
export function verifyHmacSignature(
	secret: string,
	rawBody: Uint8Array,
	header: string | string[] | undefined,
	prefix = 'sha256=',
): SignatureCheck {
	const value = Array.isArray(header) ? header[0] : header;
	if (!value) return { valid: false, reason: 'missing' };
	const trimmed = value.trim();
	if (!trimmed.toLowerCase().startsWith(prefix)) return { valid: false, reason: 'malformed' };
	const hex = trimmed.slice(prefix.length).toLowerCase();
	if (!/^[0-9a-f]{64}$/.test(hex)) return { valid: false, reason: 'malformed' };
	const expected = hmac(sha256, utf8ToBytes(secret), rawBody);
	return timingSafeEqualBytes(expected, hexToBytes(hex)) ? { valid: true } : { valid: false, reason: 'mismatch' };
}
