/**
 * Offline token handling: reading a `cashuA…` (V3, JSON) or `cashuB…` (V4,
 * CBOR) token without asking any mint, normalizing mint URLs and the trusted
 * mints check that runs before any request. Error messages never contain the
 * token (it is money): they describe what is wrong with it.
 */
import { InputError } from '../../shared/errors';
import { parsePastedUrl } from '../../shared/url';
import { cashuLib } from './lib';

export interface TokenInfo {
	/** Normalized mint URL (no trailing slash). */
	mint: string;
	unit: string;
	/** Sum of the proof amounts, in `unit`. */
	amount: number;
	memo: string | null;
	proofCount: number;
	proofAmounts: number[];
	/** 'V3' (cashuA…) or 'V4' (cashuB…). */
	version: 'V3' | 'V4';
}

const TOKEN_FIELD = 'Token';

/** The encoded token from what people paste: whitespace and a `cashu:` URI prefix are dropped. */
export function cleanToken(raw: unknown, field = TOKEN_FIELD): string {
	if (typeof raw !== 'string' || !raw.trim()) throw new InputError(field, 'is required (a cashuA… or cashuB… token)', 'Cashu');
	let token = raw.replace(/\s+/g, '');
	if (/^cashu:/i.test(token) && !/^cashu[AB]/.test(token)) token = token.slice('cashu:'.length);
	if (/^web\+cashu:/i.test(token)) token = token.slice('web+cashu:'.length);
	if (!/^cashu[AB]/.test(token)) {
		throw new InputError(field, 'is not a Cashu token: it must start with cashuA (V3) or cashuB (V4)', 'Cashu');
	}
	return token;
}

/** Reads a token offline: mint, unit, amount, memo and proof amounts. Throws an InputError naming what is wrong. */
export function decodeToken(raw: unknown, field = TOKEN_FIELD): TokenInfo & { token: string } {
	const token = cleanToken(raw, field);
	const { getTokenMetadata } = cashuLib();
	let meta: ReturnType<typeof getTokenMetadata>;
	try {
		meta = getTokenMetadata(token);
	} catch {
		// The library's message may quote the token: it is not passed on.
		throw new InputError(field, `could not be decoded: the ${token.startsWith('cashuA') ? 'V3 (cashuA)' : 'V4 (cashuB)'} token is damaged or truncated`, 'Cashu');
	}
	const proofAmounts = meta.proofAmounts.map((a) => safeAmount(a, field));
	if (!proofAmounts.length) throw new InputError(field, 'holds no proofs', 'Cashu');
	const amount = proofAmounts.reduce((s, a) => s + a, 0);
	if (!Number.isSafeInteger(amount)) throw new InputError(field, 'holds an amount too large to handle', 'Cashu');
	return {
		token,
		mint: normalizeMintUrl(meta.mint, `${field} mint`),
		unit: meta.unit || 'sat',
		amount,
		memo: meta.memo ?? null,
		proofCount: proofAmounts.length,
		proofAmounts,
		version: token.startsWith('cashuA') ? 'V3' : 'V4',
	};
}

function safeAmount(a: { toNumber(): number } | number, field: string): number {
	let n: number;
	try {
		n = typeof a === 'number' ? a : a.toNumber();
	} catch {
		throw new InputError(field, 'holds a proof amount too large to handle', 'Cashu');
	}
	if (!Number.isSafeInteger(n) || n <= 0) throw new InputError(field, 'holds a proof with an invalid amount', 'Cashu');
	return n;
}

/**
 * A mint URL as compared and called: scheme and host lower-case, no trailing
 * slash, no query. A missing scheme means https.
 */
export function normalizeMintUrl(raw: string, field = 'Mint URL'): string {
	const url = parsePastedUrl(raw, field, 'Cashu');
	if (url.username || url.password) throw new InputError(field, 'must not contain a user name or password', 'Cashu');
	return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** The mint URLs a credential trusts: its own mint and the listed ones (comma, space or newline separated). */
export function trustedMints(mintUrl: string, list: string | undefined): string[] {
	const extra = String(list ?? '')
		.split(/[\s,]+/)
		.filter(Boolean)
		.map((u, i) => normalizeMintUrl(u, `Trusted Mints (entry ${i + 1})`));
	return [...new Set([normalizeMintUrl(mintUrl), ...extra])];
}

/** Refuses a token from a mint the credential does not trust, before any request is sent. */
export function assertTrusted(mint: string, trusted: readonly string[], field = TOKEN_FIELD): void {
	if (!trusted.includes(mint)) {
		throw new InputError(
			field,
			`comes from the mint ${mint}, which is not trusted by the Cashu Mint credential (trusted: ${trusted.join(', ')}); nothing was sent to it`,
			'Cashu',
		);
	}
}
