/**
 * The HTTP side of L402 (formerly LSAT; bLIP-0026, Lightning Labs' L402 spec):
 *   server → `WWW-Authenticate: L402 macaroon="<base64>", invoice="<bolt11>"` with status 402;
 *   client → `Authorization: L402 <base64 macaroon>:<hex preimage>`.
 * Clients and servers in the wild still use the older scheme name LSAT (Aperture sends both
 * challenges, lsat-js reads both) and newer ones write `token=` for `macaroon=` (Alby's
 * lightning-tools); both are read here. No n8n imports.
 */

export type L402Scheme = 'L402' | 'LSAT';

export interface Challenge {
	scheme: L402Scheme;
	/** The macaroon as sent (base64). */
	macaroon: string;
	invoice: string;
	/** Every auth-param of the challenge, lower-cased names (version, ...). */
	params: Record<string, string>;
}

function quote(value: string): string {
	if (/["\\\r\n]/.test(value)) throw new Error('a challenge value cannot contain quotes, backslashes or line breaks');
	return `"${value}"`;
}

/** One challenge: `L402 macaroon="…", invoice="…"`. */
export function buildChallenge(scheme: L402Scheme, macaroon: string, invoice: string): string {
	return `${scheme} macaroon=${quote(macaroon)}, invoice=${quote(invoice)}`;
}

/**
 * The value of the WWW-Authenticate header: the L402 challenge, the LSAT one, or both in one
 * header (RFC 9110 §11.6.1 allows a comma-separated list of challenges; Aperture offers both).
 */
export function buildWwwAuthenticate(macaroon: string, invoice: string, spelling: 'L402' | 'LSAT' | 'both' = 'L402'): string {
	if (spelling === 'both') return `${buildChallenge('LSAT', macaroon, invoice)}, ${buildChallenge('L402', macaroon, invoice)}`;
	return buildChallenge(spelling, macaroon, invoice);
}

// A scheme name at the start of the header or after a comma (a base64 macaroon or a bolt11 never holds a comma).
const SCHEME_RE = /(?:^|,)\s*(L402|LSAT)\s+/gi;
// Params are separated by commas, or only spaces as Alby writes them (`L402 version="0" token="…", invoice="…"`).
const PARAM_RE = /\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/y;

/**
 * Reads the L402 challenge of a WWW-Authenticate value (several challenges may share it; an
 * L402 one is preferred to LSAT). Null when it holds none with both a macaroon and an invoice.
 */
export function parseWwwAuthenticate(header: string | null | undefined): Challenge | null {
	if (!header) return null;
	const starts: Array<{ scheme: L402Scheme; at: number; paramsAt: number }> = [];
	for (const m of header.matchAll(SCHEME_RE)) {
		starts.push({ scheme: m[1].toUpperCase() as L402Scheme, at: m.index, paramsAt: m.index + m[0].length });
	}
	const found: Challenge[] = [];
	for (const start of starts) {
		const params: Record<string, string> = {};
		PARAM_RE.lastIndex = start.paramsAt;
		let m: RegExpExecArray | null;
		while ((m = PARAM_RE.exec(header)) !== null) {
			params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
			if (PARAM_RE.lastIndex >= header.length) break;
			// Stop at the next challenge (a bare token followed by a space, not name=value).
			if (/^\s*(?:L402|LSAT)\s/i.test(header.slice(PARAM_RE.lastIndex))) break;
		}
		const macaroon = params.macaroon ?? params.token;
		if (macaroon && params.invoice) found.push({ scheme: start.scheme, macaroon, invoice: params.invoice, params });
	}
	return found.find((c) => c.scheme === 'L402') ?? found[0] ?? null;
}

export interface AuthorizationParts {
	scheme: L402Scheme;
	macaroon: string;
	preimage: string;
}

export type AuthorizationParse = { ok: true; value: AuthorizationParts } | { ok: false; reason: 'missing_header' | 'malformed_header'; message: string };

/** Reads `L402 <macaroon>:<preimage>` (or `LSAT …`, any case of the scheme name). */
export function parseAuthorization(header: string | null | undefined): AuthorizationParse {
	const text = (header ?? '').trim();
	if (!text) return { ok: false, reason: 'missing_header', message: 'No Authorization header: the request carries no L402 token' };
	const m = /^(L402|LSAT)\s+(\S+)$/i.exec(text);
	if (!m) return { ok: false, reason: 'malformed_header', message: 'The Authorization header is not "L402 <macaroon>:<preimage>"' };
	const credentials = m[2];
	const colon = credentials.lastIndexOf(':');
	if (colon <= 0) return { ok: false, reason: 'malformed_header', message: 'The L402 token has no ":<preimage>" after the macaroon' };
	const macaroon = credentials.slice(0, colon);
	const preimage = credentials.slice(colon + 1).toLowerCase();
	if (macaroon.includes(',')) {
		return { ok: false, reason: 'malformed_header', message: 'The L402 token carries several macaroons (discharge macaroons are not supported)' };
	}
	if (!/^[0-9a-f]{64}$/.test(preimage)) {
		return { ok: false, reason: 'malformed_header', message: 'The preimage after ":" is not 64 hex characters' };
	}
	return { ok: true, value: { scheme: m[1].toUpperCase() as L402Scheme, macaroon, preimage } };
}

/** The Authorization header value a client sends once it paid. */
export function buildAuthorization(macaroon: string, preimage: string, scheme: L402Scheme = 'L402'): string {
	return `${scheme} ${macaroon}:${preimage.toLowerCase()}`;
}
