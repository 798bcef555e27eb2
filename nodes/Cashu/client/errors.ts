/**
 * Cashu mint error mapping and the three error categories every Cashu error
 * item carries. A mint refuses with HTTP 400 `{detail, code}` (NUT-00 error
 * codes: 11001 token already spent, 20001 quote not paid...); everything a
 * token holds (proof secrets, signatures, the encoded token) is redacted from
 * any message before it leaves the client.
 */
import { defaultHttpError, type ErrorContext, type ErrorMapper } from '../../shared/http';
import { mapErrorText, ServiceError, type ErrorKind } from '../../shared/errors';

export const SERVICE = 'Cashu mint';

/** How a workflow should treat a failure: retry later, ask the mint's operator, or fix the input. */
export type CashuErrorCategory = 'network' | 'mint' | 'validation';

const CATEGORY: Record<ErrorKind, CashuErrorCategory> = {
	input: 'validation',
	safety: 'validation',
	validation: 'validation',
	network: 'network',
	timeout: 'network',
	server: 'network',
	rate_limited: 'network',
	auth: 'mint',
	permission: 'mint',
	not_found: 'mint',
	business: 'mint',
	protocol: 'mint',
};

export function errorCategory(kind: ErrorKind): CashuErrorCategory {
	return CATEGORY[kind] ?? 'mint';
}

/** NUT-00 error codes the node explains (Nutshell 0.20.0 cashu/core/errors.py). */
const CODE_HINTS: Record<number, string> = {
	11001: 'The token (or part of it) was already spent.',
	11002: 'The inputs and outputs do not balance (the fee may have changed).',
	11005: 'The mint does not support this unit.',
	11006: 'The amount is outside the limits this mint allows.',
	12001: 'The mint does not know this keyset: the token may come from another mint.',
	12002: 'The keyset is inactive.',
	20001: 'The quote has not been paid yet.',
	20002: 'The proofs of this quote were already issued.',
	20005: 'The quote is pending: a payment is in flight.',
	20006: 'The invoice was already paid.',
	20007: 'The quote has expired.',
};

/**
 * What the mint said, safe to show: a mint may echo what it was sent (Nutshell
 * 0.20.0 answers a database error with the SQL statement and its parameters,
 * proof secrets included), so the statement is cut off, long hex runs (secrets,
 * signatures) and anything shaped like a token are masked, before the text is
 * shortened.
 */
export function safeMintText(text: string): string {
	return text
		.replace(/\[(SQL|parameters):[\s\S]*$/, '(database error)')
		.replace(/cashu[AB][A-Za-z0-9_\-+/=]{8,}/g, 'cashu***')
		.replace(/[0-9a-fA-F]{16,}/g, '***')
		.replace(/\s+/g, ' ')
		.trim()
		.slice(0, 300);
}

function mintDetail(body: unknown): { detail?: string; code?: number } {
	if (body && typeof body === 'object') {
		const b = body as { detail?: unknown; code?: unknown };
		return {
			detail: typeof b.detail === 'string' ? safeMintText(b.detail) : undefined,
			code: typeof b.code === 'number' ? b.code : undefined,
		};
	}
	return typeof body === 'string' && body ? { detail: safeMintText(body) } : {};
}

export const cashuErrorMapper: ErrorMapper = (ctx: ErrorContext) => {
	const { detail, code } = mintDetail(ctx.body);
	if (ctx.status === 400 && detail !== undefined) {
		const hint = code !== undefined ? CODE_HINTS[code] : undefined;
		return new ServiceError(`The mint refused ${ctx.method} ${ctx.path}: ${detail}${code !== undefined ? ` (code ${code})` : ''}`, {
			kind: 'business',
			service: SERVICE,
			status: 400,
			code: code !== undefined ? String(code) : undefined,
			hint: hint ?? 'The mint answered with an error; check the token and the mint.',
		});
	}
	if (ctx.status === 404) {
		return new ServiceError(`The mint has no ${ctx.path} (404): check the mint URL, or the mint does not support this operation`, {
			kind: 'not_found',
			service: SERVICE,
			status: 404,
			hint: 'The URL must be the mint itself (it answers /v1/info), e.g. https://mint.example.com.',
		});
	}
	return defaultHttpError({ ...ctx, body: typeof ctx.body === 'string' ? safeMintText(ctx.body) : detail !== undefined ? { detail } : undefined });
};

/**
 * The same error with every given secret (encoded token, proof secrets and
 * signatures) replaced by `***`: a token is money and never goes into a message.
 */
export function withoutSecrets(error: unknown, secrets: readonly string[]): unknown {
	const clean = (text: string): string => {
		let out = text;
		for (const s of secrets) if (s && s.length >= 8) out = out.split(s).join('***');
		// Anything that still looks like a token, a secret or a signature is cut out as well.
		return safeMintText(out);
	};
	if (error instanceof ServiceError) return mapErrorText(error, clean);
	if (error instanceof Error) {
		return new ServiceError(`The mint's answer was refused by the Cashu library: ${clean(error.message)}`, {
			kind: 'protocol',
			service: SERVICE,
			hint: 'The mint answered something that does not follow the Cashu protocol (NUTs); nothing more was sent to it.',
		});
	}
	return new ServiceError(clean(String(error)), { kind: 'protocol', service: SERVICE });
}
