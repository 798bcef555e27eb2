/**
 * LND macaroons arrive as hex (`xxd -p admin.macaroon | tr -d '\n'`) or base64
 * (what lndconnect URIs and some dashboards show). LND's REST proxy wants hex
 * in the `Grpc-Metadata-macaroon` header, so both are normalised to hex here.
 */
import { InputError } from '../../shared/errors';

const FIELD = 'Macaroon';

/** A serialized macaroon (v2 binary format starts with 0x02). */
function looksLikeMacaroon(bytes: Buffer): boolean {
	return bytes.length >= 16 && bytes[0] === 0x02;
}

/** Returns the macaroon as lowercase hex, or throws an InputError naming the field (never echoing the value). */
export function normalizeMacaroon(raw: string): string {
	const value = String(raw ?? '').replace(/\s+/g, '');
	if (!value) throw new InputError(FIELD, 'is empty in the LND credential', 'LND');
	if (/^[0-9a-f]+$/i.test(value) && value.length % 2 === 0) {
		const bytes = Buffer.from(value, 'hex');
		if (looksLikeMacaroon(bytes)) return bytes.toString('hex');
	}
	if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
		const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
		if (looksLikeMacaroon(bytes)) return bytes.toString('hex');
	}
	throw new InputError(
		FIELD,
		'is not an LND macaroon in hex or base64 (export it with: xxd -ps -u -c 1000 admin.macaroon)',
		'LND',
	);
}

/** Every spelling of the macaroon that could be echoed back, for redaction. */
export function macaroonSpellings(hex: string): string[] {
	const bytes = Buffer.from(hex, 'hex');
	const b64 = bytes.toString('base64');
	return [hex, hex.toUpperCase(), b64, b64.replace(/=+$/, ''), bytes.toString('base64url')];
}
