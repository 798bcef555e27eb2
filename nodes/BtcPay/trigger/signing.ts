/**
 * BTCPay-Sig helpers: the header BTCPay sends with every delivery is
 * `sha256=<lowercase hex HMAC-SHA256(UTF-8 secret, raw body bytes)>`.
 */
import { hmacSha256Hex, verifyHmacSignature, type SignatureCheck } from '../../shared/signature';

export const SIGNATURE_HEADER = 'btcpay-sig';

/** The BTCPay-Sig header value for a body, as BTCPay computes it (used by tests and the emulator). */
export function signBtcPayPayload(secret: string, body: Uint8Array | string): string {
	return `sha256=${hmacSha256Hex(secret, body)}`;
}

/** Checks a BTCPay-Sig header against the raw body in constant time. */
export function verifyBtcPaySignature(
	secret: string,
	rawBody: Uint8Array,
	header: string | string[] | undefined,
): SignatureCheck {
	return verifyHmacSignature(secret, rawBody, header, 'sha256=');
}
