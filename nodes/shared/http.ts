/**
 * The one HTTP layer every API client uses: ky for transport (timeouts,
 * retries with backoff that honour Retry-After, on idempotent methods only),
 * zod for response validation, and one error mapping that turns HTTP failures
 * into ServiceErrors written for people, with secrets redacted.
 */
import type { HTTPError, Options } from 'ky';
import { describeUnreachable, innermostMessage, networkErrorCode } from './reach';

type KyModule = typeof import('ky');
let kyModule: KyModule | undefined;
/**
 * ky is loaded on the first request, not when n8n loads the nodes: evaluating it reads fetch's
 * globals (Request, ReadableStream), which makes Node load its fetch implementation, about 20 ms
 * of start-up for nodes that may never run.
 */
function kyLib(): KyModule {
	return (kyModule ??= require('ky') as KyModule);
}
import type { z } from 'zod';
import { mapErrorText, redact, ServiceError, type ErrorKind } from './errors';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string | number>;
export type Query = Record<string, QueryValue>;

export interface ErrorContext {
	service: string;
	status: number;
	body: unknown;
	method: HttpMethod;
	path: string;
	/** Human name of the object the request was about, e.g. `Invoice "abc"`. */
	resource?: string;
	retryAfter?: string | null;
}

/** A service-specific mapper; return undefined to fall back to the default mapping. */
export type ErrorMapper = (ctx: ErrorContext) => ServiceError | undefined;

export interface HttpClientOptions {
	service: string;
	baseUrl: string;
	headers: Record<string, string>;
	/** Values that must never appear in an error (API keys, macaroons). */
	secrets: string[];
	mapError?: ErrorMapper;
	/** Per-attempt timeout, ms (default 30 000). */
	timeoutMs?: number;
	/** Retries for idempotent requests on 408/429/5xx and network errors (default 2). */
	retries?: number;
	/** First retry delay, doubled each attempt (default 500 ms). */
	retryDelayMs?: number;
	/** Upper bound for a server-provided Retry-After, ms (default 60 000). */
	maxRetryAfterMs?: number;
	/** HTTP statuses worth retrying (default 408, 429, 500, 502, 503, 504). */
	retryStatusCodes?: number[];
	fetch?: typeof fetch;
}

export interface RequestOptions<S extends z.ZodTypeAny | undefined> {
	query?: Query;
	json?: unknown;
	body?: BodyInit;
	headers?: Record<string, string>;
	schema?: S;
	resource?: string;
	/** Force (true) or forbid (false) retries regardless of the method. */
	retry?: boolean;
	timeoutMs?: number;
	signal?: AbortSignal;
}

export interface RawResponse {
	status: number;
	headers: Headers;
	body: unknown;
}

const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'PUT', 'DELETE']);

export function buildQuery(query: Query | undefined): URLSearchParams {
	const params = new URLSearchParams();
	if (!query) return params;
	for (const [key, value] of Object.entries(query)) {
		if (value === undefined || value === null || value === '') continue;
		if (Array.isArray(value)) {
			for (const v of value) params.append(key, String(v));
		} else {
			params.append(key, String(value));
		}
	}
	return params;
}

function parseBody(text: string): unknown {
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

export class HttpClient {
	readonly service: string;
	readonly baseUrl: string;
	private readonly options: HttpClientOptions;

	constructor(options: HttpClientOptions) {
		this.options = options;
		this.service = options.service;
		this.baseUrl = options.baseUrl.replace(/\/+$/, '');
	}

	/** Sends a request and returns the validated JSON body. */
	async request<S extends z.ZodTypeAny | undefined = undefined>(
		method: HttpMethod,
		path: string,
		options: RequestOptions<S> = {},
	): Promise<S extends z.ZodTypeAny ? z.output<S> : unknown> {
		const raw = await this.send(method, path, options);
		return this.validate(raw.body, options.schema, method, path) as never;
	}

	/** Sends a request and returns status, headers and the (unvalidated) body; non-2xx still throws. */
	async send<S extends z.ZodTypeAny | undefined>(
		method: HttpMethod,
		path: string,
		options: RequestOptions<S> = {},
	): Promise<RawResponse> {
		const response = await this.open(method, path, options);
		const text = await response.text();
		return { status: response.status, headers: response.headers, body: parseBody(text) };
	}

	/**
	 * Sends a request and returns the Response with its body unread (for
	 * streamed bodies such as newline-delimited JSON); non-2xx still throws.
	 */
	async open<S extends z.ZodTypeAny | undefined>(
		method: HttpMethod,
		path: string,
		options: RequestOptions<S> = {},
	): Promise<Response> {
		const url = `${this.baseUrl}${path.startsWith('/') ? '' : '/'}${path}`;
		const retryAllowed = options.retry ?? IDEMPOTENT.has(method);
		const limit = retryAllowed ? (this.options.retries ?? 2) : 0;
		const baseDelay = this.options.retryDelayMs ?? 500;
		const kyOptions: Options = {
			method,
			headers: { Accept: 'application/json', ...this.options.headers, ...options.headers },
			searchParams: buildQuery(options.query),
			timeout: options.timeoutMs ?? this.options.timeoutMs ?? 30_000,
			signal: options.signal,
			retry: {
				limit,
				methods: [method.toLowerCase()],
				statusCodes: this.options.retryStatusCodes ?? [408, 429, 500, 502, 503, 504],
				afterStatusCodes: [429, 503],
				maxRetryAfter: this.options.maxRetryAfterMs ?? 60_000,
				backoffLimit: 30_000,
				delay: (attempt: number) => baseDelay * 2 ** (attempt - 1),
				jitter: (delay: number) => delay * (0.75 + Math.random() * 0.5),
			},
			throwHttpErrors: true,
			...(this.options.fetch ? { fetch: this.options.fetch } : {}),
		};
		if (options.json !== undefined) kyOptions.json = options.json;
		else if (options.body !== undefined) kyOptions.body = options.body;

		let response: Response;
		try {
			response = await kyLib().default(url, kyOptions);
		} catch (error) {
			throw await this.toServiceError(error, method, path, options.resource);
		}
		return response;
	}

	validate<S extends z.ZodTypeAny | undefined>(body: unknown, schema: S, method: HttpMethod, path: string): unknown {
		if (!schema) return body;
		const result = schema.safeParse(body);
		if (result.success) return result.data;
		const details = result.error.issues
			.slice(0, 5)
			.map((i) => `${i.path.join('.') || '(response)'}: ${i.message}`);
		throw new ServiceError(
			this.redact(
				`${this.service} answered ${method} ${pathOnly(path)} with data this node does not understand (${details.join('; ')})`,
			),
			{
				kind: 'protocol',
				service: this.service,
				details,
				hint: `Check that the server URL points to a ${this.service} server and that its version is supported.`,
			},
		);
	}

	redact(text: string): string {
		return redact(text, this.options.secrets);
	}

	/** The same error with this client's secrets redacted (for errors built outside request()). */
	redactError(error: ServiceError): ServiceError {
		return this.sanitize(error);
	}

	private async toServiceError(error: unknown, method: HttpMethod, path: string, resource?: string): Promise<ServiceError> {
		const { isHTTPError, isNetworkError, isTimeoutError, HTTPError: HttpErrorClass } = kyLib();
		if (isHTTPError(error) || error instanceof HttpErrorClass) {
			const response = (error as HTTPError).response;
			let body: unknown = (error as HTTPError & { data?: unknown }).data;
			if (body === undefined) {
				try {
					body = parseBody(await response.text());
				} catch {
					body = undefined;
				}
			}
			const ctx: ErrorContext = {
				service: this.service,
				status: response.status,
				body,
				method,
				path,
				resource,
				retryAfter: response.headers.get('retry-after'),
			};
			const mapped = this.options.mapError?.(ctx) ?? defaultHttpError(ctx);
			return this.sanitize(mapped);
		}
		if (isTimeoutError(error)) {
			return new ServiceError(`${this.service} did not answer ${method} ${pathOnly(path)} in time`, {
				kind: 'timeout',
				service: this.service,
				hint: 'The server may be overloaded or unreachable. Try again later or raise the timeout.',
			});
		}
		if (isNetworkError(error) || error instanceof TypeError) {
			const code = networkErrorCode(error);
			const { message, hint } = describeUnreachable(this.service, this.baseUrl, code, { detail: innermostMessage(error) });
			return this.sanitize(new ServiceError(message, { kind: 'network', service: this.service, code, hint }));
		}
		if (error instanceof ServiceError) return this.sanitize(error);
		return this.sanitize(
			new ServiceError(`${this.service} request failed: ${(error as Error)?.message ?? String(error)}`, {
				kind: 'network',
				service: this.service,
			}),
		);
	}

	private sanitize(error: ServiceError): ServiceError {
		return mapErrorText(error, (text) => this.redact(text));
	}
}

function pathOnly(path: string): string {
	return path.split('?')[0];
}

function bodyMessage(body: unknown): string | undefined {
	if (typeof body === 'string') return body.slice(0, 300);
	if (body && typeof body === 'object') {
		const b = body as Record<string, unknown>;
		for (const key of ['message', 'detail', 'error']) {
			if (typeof b[key] === 'string') return b[key] as string;
		}
	}
	return undefined;
}

/** Field errors as `path: message` lines from the common shapes (BTCPay 422 list, FastAPI 422 detail list). */
export function fieldErrors(body: unknown): string[] {
	const list = Array.isArray(body)
		? body
		: body && typeof body === 'object' && Array.isArray((body as { detail?: unknown }).detail)
			? ((body as { detail: unknown[] }).detail as unknown[])
			: [];
	const lines: string[] = [];
	for (const entry of list) {
		if (!entry || typeof entry !== 'object') continue;
		const e = entry as { path?: unknown; loc?: unknown; message?: unknown; msg?: unknown };
		const path = typeof e.path === 'string' ? e.path : Array.isArray(e.loc) ? e.loc.filter((p) => p !== 'body').join('.') : '';
		const message = typeof e.message === 'string' ? e.message : typeof e.msg === 'string' ? e.msg : '';
		if (path || message) lines.push(path ? `${path}: ${message}` : message);
	}
	return lines;
}

/** The mapping used when a service mapper has nothing more specific to say. */
export function defaultHttpError(ctx: ErrorContext): ServiceError {
	const { service, status, body } = ctx;
	const serverSays = bodyMessage(body);
	const base = { service, status, code: typeof (body as { code?: unknown })?.code === 'string' ? (body as { code: string }).code : undefined };
	const make = (kind: ErrorKind, message: string, hint?: string, details?: string[]) =>
		new ServiceError(message, { ...base, kind, hint, details });

	if (status === 401) {
		return make('auth', `${service} rejected the credentials (401 Unauthorized)`, 'Check the API key in the credential: it may be mistyped, revoked or for another server.');
	}
	if (status === 403) {
		return make('permission', `The ${service} key is not allowed to do this (403 Forbidden)${serverSays ? `: ${serverSays}` : ''}`, 'Use a key with more permissions.');
	}
	if (status === 404) {
		return make('not_found', `${ctx.resource ?? 'The requested object'} was not found on ${service} (404)`, 'Check the ID; it may belong to another store or wallet, or have been deleted.');
	}
	if (status === 400 || status === 422) {
		const details = fieldErrors(body);
		const summary = details.length ? details.join('; ') : serverSays ?? 'the request was rejected';
		return make('validation', `${service} rejected the request (${status}): ${summary}`, undefined, details);
	}
	if (status === 429) {
		return make('rate_limited', `${service} is limiting the request rate (429 Too Many Requests)`, `Retried with backoff and still limited. Lower the concurrency option or run the workflow less often.${ctx.retryAfter ? ` The server asked to wait ${ctx.retryAfter} s.` : ''}`);
	}
	if (status >= 500) {
		return make('server', `${service} had a server error (${status})${serverSays ? `: ${serverSays}` : ''}`, 'This is a problem on the server side. Try again later; check the server logs if it persists.');
	}
	return make('business', `${service} answered ${status}${serverSays ? `: ${serverSays}` : ''}`);
}
