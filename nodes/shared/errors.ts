/**
 * Service-agnostic error types thrown by the API clients. They carry no n8n
 * types; nodes turn them into NodeApiError / NodeOperationError (see n8n.ts).
 * Messages are written for people building workflows, and never contain a key,
 * macaroon or webhook secret (see redact()).
 */

export type ErrorKind =
	| 'input' // the workflow gave a bad parameter; nothing was sent
	| 'safety' // a payment guard refused to pay
	| 'auth' // 401: key unknown / missing
	| 'permission' // 403: key lacks a permission
	| 'not_found' // 404
	| 'validation' // 422 / 400 field errors from the server
	| 'business' // 400/520 business rule (insufficient balance, invoice expired...)
	| 'rate_limited' // 429 after retries
	| 'server' // 5xx after retries
	| 'network' // connection refused, DNS, TLS
	| 'timeout'
	| 'protocol'; // the server answered something we cannot understand

export interface ServiceErrorOptions {
	kind: ErrorKind;
	service: string;
	status?: number;
	code?: string;
	/** The parameter or response field the error is about. */
	field?: string;
	/** One line per problem, e.g. `amount: must be positive`. */
	details?: string[];
	missingPermission?: string;
	/** Short hint shown as the error description in n8n. */
	hint?: string;
	cause?: unknown;
}

export class ServiceError extends Error {
	readonly kind: ErrorKind;
	readonly service: string;
	readonly status?: number;
	readonly code?: string;
	readonly field?: string;
	readonly details: string[];
	readonly missingPermission?: string;
	readonly hint?: string;

	constructor(message: string, options: ServiceErrorOptions) {
		super(message);
		this.name = 'ServiceError';
		this.kind = options.kind;
		this.service = options.service;
		this.status = options.status;
		this.code = options.code;
		this.field = options.field;
		this.details = options.details ?? [];
		this.missingPermission = options.missingPermission;
		this.hint = options.hint;
		if (options.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
	}
}

/** A parameter failed validation before any request was sent. */
export class InputError extends ServiceError {
	constructor(field: string, message: string, service = 'input') {
		super(`${field}: ${message}`, { kind: 'input', service, field, details: [`${field}: ${message}`] });
		this.name = 'InputError';
	}
}

/** A payment guard (max amount, expiry, duplicate...) refused to pay. */
export class SafetyError extends ServiceError {
	constructor(field: string, message: string, service: string) {
		super(message, { kind: 'safety', service, field });
		this.name = 'SafetyError';
	}
}

export function isServiceError(error: unknown): error is ServiceError {
	return error instanceof ServiceError;
}

const SECRET_MIN_LENGTH = 6;

/**
 * Replaces every occurrence of the given secrets in a text by `***`.
 * Used on anything that could echo a request back (error bodies, URLs).
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
	let out = text;
	for (const secret of secrets) {
		if (!secret || secret.length < SECRET_MIN_LENGTH) continue;
		out = out.split(secret).join('***');
	}
	return out;
}

/** The same error with some of its text (message, details, hint) replaced and everything else kept. */
export function withErrorText(error: ServiceError, text: { message?: string; details?: string[]; hint?: string }): ServiceError {
	return new ServiceError(text.message ?? error.message, {
		kind: error.kind,
		service: error.service,
		status: error.status,
		code: error.code,
		field: error.field,
		details: text.details ?? error.details,
		missingPermission: error.missingPermission,
		hint: 'hint' in text ? text.hint : error.hint,
	});
}

/** The error with `fn` applied to its message, details and hint (e.g. to remove secrets); itself when nothing changes. */
export function mapErrorText(error: ServiceError, fn: (text: string) => string): ServiceError {
	const message = fn(error.message);
	const details = error.details.map(fn);
	const hint = error.hint && fn(error.hint);
	if (message === error.message && hint === error.hint && details.every((d, i) => d === error.details[i])) return error;
	return withErrorText(error, { message, details, hint });
}
