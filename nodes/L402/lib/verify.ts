/**
 * Verifying an L402 token without a database: the Authorization header is parsed, the
 * macaroon's signature checked against the root key, every caveat judged, and the preimage
 * hashed against the payment hash in the macaroon's identifier. No n8n imports.
 */
import { parseAuthorization, type L402Scheme } from './challenge';
import { checkCaveats, expiryOf, type CaveatResult, type VerifyContext } from './caveats';
import { decodeMacaroon, preimageMatches, signatureValid } from './token';

export type VerifyReason =
	| 'missing_header'
	| 'malformed_header'
	| 'malformed_macaroon'
	| 'unknown_identifier'
	| 'bad_signature'
	| 'malformed_caveat'
	| 'wrong_service'
	| 'expired'
	| 'wrong_path'
	| 'missing_capability'
	| 'custom_caveat'
	| 'wrong_preimage';

export interface VerifyOutcome {
	valid: boolean;
	/** null when valid. */
	reason: VerifyReason | null;
	message: string;
	scheme: L402Scheme | null;
	paymentHash: string | null;
	tokenId: string | null;
	/** Every caveat with its outcome (empty until the signature is known good). */
	caveats: CaveatResult[];
	/** Earliest expiry for this service, ISO time, or null. */
	expiresAt: string | null;
}

const outcome = (o: Partial<VerifyOutcome> & Pick<VerifyOutcome, 'valid' | 'reason' | 'message'>): VerifyOutcome => ({
	scheme: null,
	paymentHash: null,
	tokenId: null,
	caveats: [],
	expiresAt: null,
	...o,
});

export function verifyToken(authorization: string | null | undefined, rootKey: Uint8Array, ctx: VerifyContext): VerifyOutcome {
	const parsed = parseAuthorization(authorization);
	if (!parsed.ok) return outcome({ valid: false, reason: parsed.reason, message: parsed.message });
	const { scheme, macaroon, preimage } = parsed.value;
	const decoded = decodeMacaroon(macaroon);
	if (!decoded) return outcome({ valid: false, reason: 'malformed_macaroon', message: 'The token is not a binary v2 macaroon in base64', scheme });
	if (!decoded.identifier) {
		return outcome({ valid: false, reason: 'unknown_identifier', message: 'The macaroon identifier is not an L402 version 0 identifier', scheme });
	}
	const { paymentHash, tokenId } = decoded.identifier;
	const base = { scheme, paymentHash, tokenId };
	// The signature first: until it holds, the caveats are whatever the sender wrote.
	if (!signatureValid(decoded, rootKey)) {
		return outcome({
			valid: false,
			reason: 'bad_signature',
			message:
				decoded.thirdPartyCaveats > 0
					? 'The macaroon has third-party caveats, which this verifier does not discharge'
					: 'The macaroon signature does not match this root key (forged, altered, or issued with another key)',
			...base,
		});
	}
	const { results, failure } = checkCaveats(decoded.caveats, ctx);
	const expiry = expiryOf(decoded.caveats, ctx.service);
	const withCaveats = { ...base, caveats: results, expiresAt: expiry === null ? null : new Date(expiry).toISOString() };
	if (failure) return outcome({ valid: false, reason: failure.reason!, message: failure.message!, ...withCaveats });
	if (!preimageMatches(preimage, paymentHash)) {
		return outcome({ valid: false, reason: 'wrong_preimage', message: "The preimage does not hash to the macaroon's payment hash: the invoice was not paid", ...withCaveats });
	}
	return outcome({ valid: true, reason: null, message: 'Valid L402 token', ...withCaveats });
}
