/**
 * What every LND API area builds on: the REST address, the macaroon (hex in
 * `Grpc-Metadata-macaroon`, redacted from every error), TLS pinned to the
 * credential's certificate when one is given, and LND's index_offset paging.
 */
import type { z } from 'zod';
import { HttpClient, type Query } from '../../shared/http';
import { InputError } from '../../shared/errors';
import { normalizeServerUrl } from '../../shared/url';
import { mapLndError } from './errors';
import { macaroonSpellings, normalizeMacaroon } from './macaroon';
import { createPinnedFetch, createPublicFetch, parseCertificate, type PinnedCertificate } from './tls';

export interface LndClientOptions {
	/** REST address, e.g. https://mynode.local:8080 */
	url: string;
	/** Hex or base64. */
	macaroon: string;
	/** PEM of LND's tls.cert; empty for a publicly trusted certificate. */
	tlsCert?: string;
	timeoutMs?: number;
	retries?: number;
	retryDelayMs?: number;
	/** Replaces the transport (tests); TLS pinning is then the caller's business. */
	fetch?: typeof fetch;
}

export interface Page<T> {
	items: T[];
	firstIndexOffset: string;
	lastIndexOffset: string;
}

/** A page from a list answer's entries and its index offsets ('0' where LND leaves them out). */
export function indexOffsetPage<T>(items: T[], answer: { first_index_offset?: string; last_index_offset?: string }): Page<T> {
	return { items, firstIndexOffset: answer.first_index_offset ?? '0', lastIndexOffset: answer.last_index_offset ?? '0' };
}

export interface ListOptions {
	/** Undefined: everything. */
	limit?: number;
	/** Newest first (LND `reversed`). */
	reversed?: boolean;
	/** Start after/before this index (LND `index_offset`). */
	indexOffset?: string;
	pageSize?: number;
}

const HEX32 = /^[0-9a-f]{64}$/;

export function normalizePaymentHash(raw: string, field = 'Payment Hash'): string {
	const value = String(raw ?? '').trim();
	if (HEX32.test(value.toLowerCase())) return value.toLowerCase();
	if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
		const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
		if (bytes.length === 32) return bytes.toString('hex');
	}
	throw new InputError(field, 'must be a 32-byte payment hash as 64 hex characters', 'LND');
}

export class LndConnection {
	readonly http: HttpClient;
	readonly certificate?: PinnedCertificate;
	protected readonly secrets: string[];

	constructor(options: LndClientOptions) {
		const { baseUrl, insecure } = normalizeServerUrl(options.url, 'REST URL');
		const macaroon = normalizeMacaroon(options.macaroon);
		const certText = (options.tlsCert ?? '').trim();
		if (certText) {
			if (insecure) throw new InputError('REST URL', 'must start with https:// when a TLS certificate is set (LND REST always uses TLS)', 'LND');
			this.certificate = parseCertificate(certText);
		}
		this.secrets = macaroonSpellings(macaroon);
		this.http = new HttpClient({
			service: 'LND',
			baseUrl,
			headers: { 'Grpc-Metadata-macaroon': macaroon },
			secrets: this.secrets,
			mapError: mapLndError,
			timeoutMs: options.timeoutMs,
			retries: options.retries,
			retryDelayMs: options.retryDelayMs,
			// LND answers deterministic failures (bad macaroon, unknown invoice...) with 500 / gRPC code 2;
			// only "unavailable"-type statuses are worth a retry.
			retryStatusCodes: [408, 429, 502, 503, 504],
			fetch: options.fetch ?? (this.certificate ? createPinnedFetch(this.certificate) : createPublicFetch()),
		});
	}

	protected get<S extends z.ZodTypeAny>(path: string, schema: S, query?: Query, resource?: string): Promise<z.output<S>> {
		return this.http.request('GET', path, { schema, query, resource }) as Promise<z.output<S>>;
	}
}

/** Walks LND's index_offset paging until `limit` items (or everything) are collected; `reversed` gives newest first. */
export async function collectPages<T>(
	fetchPage: (indexOffset: string, max: number) => Promise<Page<T>>,
	options: ListOptions,
): Promise<T[]> {
	const pageSize = options.pageSize ?? 500;
	const limit = options.limit;
	if (limit !== undefined && (!Number.isSafeInteger(limit) || limit <= 0)) throw new InputError('Limit', 'must be a whole number greater than 0', 'LND');
	const out: T[] = [];
	let offset = options.indexOffset ?? '0';
	for (;;) {
		const want = limit === undefined ? pageSize : Math.min(pageSize, limit - out.length);
		const page = await fetchPage(offset, want);
		// LND returns each page oldest first, also when paging backwards: newest first means reversing it.
		out.push(...(options.reversed ? [...page.items].reverse() : page.items));
		if (page.items.length < want || (limit !== undefined && out.length >= limit)) break;
		const next = options.reversed ? page.firstIndexOffset : page.lastIndexOffset;
		if (next === offset || (options.reversed && BigInt(next) <= 1n)) break;
		offset = next;
	}
	return limit === undefined ? out : out.slice(0, limit);
}
