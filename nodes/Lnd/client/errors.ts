/**
 * LND REST (grpc-gateway) errors: `{code, message, details}` where `code` is a
 * gRPC status. Most failures, including macaroon problems, come back as code 2
 * (UNKNOWN, HTTP 500), so the message text decides what they mean.
 */
import { defaultHttpError, type ErrorContext } from '../../shared/http';
import { ServiceError } from '../../shared/errors';

export interface LndErrorBody {
	code?: number;
	message?: string;
	error?: string;
}

/** Streamed endpoints wrap errors as `{"error": {...}}`; unary ones send them bare. */
export function lndErrorBody(body: unknown): LndErrorBody {
	if (!body || typeof body !== 'object') return typeof body === 'string' ? { message: body } : {};
	const b = body as Record<string, unknown>;
	const inner = b.error && typeof b.error === 'object' ? (b.error as Record<string, unknown>) : b;
	return {
		code: typeof inner.code === 'number' ? inner.code : undefined,
		message: typeof inner.message === 'string' ? inner.message : typeof b.error === 'string' ? b.error : undefined,
	};
}

const BAD_MACAROON = /verification failed|signature mismatch|cannot get macaroon|unable to (?:unmarshal|decode) macaroon|expected 1 macaroon|macaroon.*(?:invalid|expired)|invalid macaroon|cannot determine data format of binary-encoded macaroon/i;
const PERMISSION = /permission denied/i;
const NOT_FOUND = /unable to locate invoice|there are no existing invoices|invoice not found|payment isn't initiated|payment not found/i;
const WALLET_LOCKED = /wallet locked|unlock it to enable|wallet is (?:encrypted|locked)|still in the process of starting|waiting to start|not yet ready/i;
const ALREADY_PAID = /invoice is already paid|already paid/i;
const IN_FLIGHT = /payment is in transition|in flight/i;
const NO_ROUTE = /no[_ ]route|unable to find a path|unable to route/i;
const INSUFFICIENT = /insufficient (?:local )?balance|insufficient funds|not enough (?:balance|funds)/i;
const EXPIRED = /invoice expired/i;
const BAD_PAYREQ = /checksum|invalid bech32|invalid (?:payment request|index)|zpay32|unknown network|failed decoding|human-readable part|not part of charset|failed converting data to bytes|invalid character/i;

export function mapLndError(ctx: ErrorContext): ServiceError | undefined {
	const { code, message } = lndErrorBody(ctx.body);
	const text = message ?? '';
	const base = { service: 'LND', status: ctx.status, code: code === undefined ? undefined : String(code) };
	if (BAD_MACAROON.test(text) || ctx.status === 401) {
		return new ServiceError(`LND rejected the macaroon (${text || `HTTP ${ctx.status}`})`, {
			...base,
			kind: 'auth',
			hint: 'The macaroon does not belong to this LND node or was revoked. Copy admin.macaroon (or invoice/readonly.macaroon) of this node as hex into the credential.',
		});
	}
	if (PERMISSION.test(text) || ctx.status === 403) {
		return new ServiceError(`The LND macaroon is not allowed to do this (permission denied)`, {
			...base,
			kind: 'permission',
			hint: 'Paying needs admin.macaroon; creating and looking up invoices needs invoice.macaroon or admin.macaroon; reading needs readonly.macaroon. Use a macaroon with the permission and update the credential.',
		});
	}
	if (WALLET_LOCKED.test(text)) {
		return new ServiceError(`LND is not ready: ${text}`, {
			...base,
			kind: 'server',
			hint: 'Unlock the LND wallet (lncli unlock) or wait until LND has finished starting, then try again.',
		});
	}
	if (ctx.status === 404 || code === 5 || NOT_FOUND.test(text)) {
		return new ServiceError(`${ctx.resource ?? 'The requested object'} was not found on LND${text ? ` (${text})` : ''}`, {
			...base,
			kind: 'not_found',
			hint: 'Check the payment hash (64 hex characters) and that it belongs to this LND node.',
		});
	}
	if (ALREADY_PAID.test(text)) {
		return new ServiceError('LND has already paid this invoice', { ...base, kind: 'business', code: 'ALREADY_PAID' });
	}
	if (IN_FLIGHT.test(text)) {
		return new ServiceError('A payment for this invoice is already in flight on LND', { ...base, kind: 'business', code: 'IN_FLIGHT' });
	}
	if (NO_ROUTE.test(text)) {
		return new ServiceError(`LND found no route to the payee (${text})`, {
			...base,
			kind: 'business',
			code: 'FAILURE_REASON_NO_ROUTE',
			hint: 'Raise the fee limit, open a better-connected channel, or ask the payee for an invoice with route hints.',
		});
	}
	if (INSUFFICIENT.test(text)) {
		return new ServiceError(`LND has not enough outbound balance for this payment (${text})`, {
			...base,
			kind: 'business',
			code: 'FAILURE_REASON_INSUFFICIENT_BALANCE',
			hint: 'Move funds into your channels or pay a smaller amount.',
		});
	}
	if (EXPIRED.test(text)) {
		return new ServiceError(`LND refused: ${text}`, { ...base, kind: 'business', hint: 'Ask the payee for a new invoice.' });
	}
	if (BAD_PAYREQ.test(text) || code === 3) {
		return new ServiceError(`LND rejected the request: ${text}`, { ...base, kind: 'validation' });
	}
	if (text && ctx.status >= 500) {
		return new ServiceError(`LND error (${ctx.status}${code !== undefined ? `, code ${code}` : ''}): ${text}`, {
			...base,
			kind: code === 14 ? 'server' : 'business',
		});
	}
	return defaultHttpError(ctx);
}

/** Plain-language text for Payment.failure_reason. */
export const FAILURE_REASONS: Record<string, { message: string; hint?: string }> = {
	FAILURE_REASON_TIMEOUT: {
		message: 'LND gave up: no route succeeded before the payment timeout',
		hint: 'Raise the timeout or the fee limit and try again.',
	},
	FAILURE_REASON_NO_ROUTE: {
		message: 'LND found no route to the payee within the fee limit',
		hint: 'Raise the fee limit, open a better-connected channel, or ask the payee for an invoice with route hints.',
	},
	FAILURE_REASON_ERROR: {
		message: 'The payment failed with an unrecoverable error along the route',
	},
	FAILURE_REASON_INCORRECT_PAYMENT_DETAILS: {
		message: 'The payee rejected the payment (unknown payment hash, wrong amount or invoice already settled/cancelled)',
		hint: 'Ask the payee for a new invoice.',
	},
	FAILURE_REASON_INSUFFICIENT_BALANCE: {
		message: 'LND has not enough outbound balance for this payment',
		hint: 'Move funds into your channels or pay a smaller amount.',
	},
	FAILURE_REASON_CANCELED: {
		message: 'The payment was cancelled',
	},
};

export function paymentFailedError(reason: string | undefined, paymentHash: string): ServiceError {
	const known = reason ? FAILURE_REASONS[reason] : undefined;
	return new ServiceError(`${known?.message ?? `The payment failed (${reason ?? 'unknown reason'})`}; nothing was paid`, {
		kind: 'business',
		service: 'LND',
		code: reason ?? 'FAILED',
		hint: known?.hint,
		details: [`payment hash: ${paymentHash}`],
	});
}
