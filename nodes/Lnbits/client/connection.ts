/**
 * What every LNbits API area builds on: the server URL and one HttpClient per
 * wallet key, so every error names the credential field that was used (never
 * the key itself), plus the input parsers several areas share.
 */
import { HttpClient } from '../../shared/http';
import { InputError } from '../../shared/errors';
import { normalizeServerUrl } from '../../shared/url';
import { parseJsonValue } from '../../shared/json';
import { KEY_FIELD, lnbitsErrorMapper, type LnbitsKeyKind } from './errors';

export interface LnbitsClientOptions {
	url: string;
	invoiceKey: string;
	adminKey?: string;
	fetch?: typeof fetch;
	timeoutMs?: number;
	retries?: number;
	retryDelayMs?: number;
}

/** A JSON object given as text or object; undefined when empty. */
export function parseJsonObject(value: unknown, field: string): Record<string, unknown> | undefined {
	return parseJsonValue(value, field, 'object') as Record<string, unknown> | undefined;
}

export const PAYMENT_HASH_RE = /^[0-9a-f]{64}$/;

/** Validates a 64-hex payment hash typed by a user (any case, surrounding spaces allowed). */
export function parsePaymentHash(value: unknown, field = 'Payment Hash'): string {
	const hash = String(value ?? '').trim().toLowerCase();
	if (!hash) throw new InputError(field, 'is required');
	if (!PAYMENT_HASH_RE.test(hash)) throw new InputError(field, 'must be 64 hexadecimal characters');
	return hash;
}

export class LnbitsConnection {
	readonly baseUrl: string;
	/** True when the credential holds an admin key (spending allowed). */
	readonly hasAdminKey: boolean;
	protected readonly invoiceHttp: HttpClient;
	protected readonly adminHttp: HttpClient | undefined;

	constructor(opts: LnbitsClientOptions) {
		const { baseUrl } = normalizeServerUrl(opts.url);
		this.baseUrl = baseUrl;
		const invoiceKey = (opts.invoiceKey ?? '').trim();
		const adminKey = (opts.adminKey ?? '').trim();
		if (!invoiceKey && !adminKey) throw new InputError(KEY_FIELD.invoice, 'is empty in the LNbits credential');
		const secrets = [invoiceKey, adminKey].filter(Boolean);
		const make = (kind: LnbitsKeyKind, key: string) =>
			new HttpClient({
				service: 'LNbits',
				baseUrl,
				headers: { 'X-Api-Key': key },
				secrets,
				mapError: lnbitsErrorMapper(kind),
				timeoutMs: opts.timeoutMs,
				retries: opts.retries,
				retryDelayMs: opts.retryDelayMs,
				fetch: opts.fetch,
			});
		this.adminHttp = adminKey ? make('admin', adminKey) : undefined;
		// The admin key can do everything the invoice key can: use it when only it was given.
		this.invoiceHttp = invoiceKey ? make('invoice', invoiceKey) : this.adminHttp!;
		this.hasAdminKey = Boolean(adminKey);
	}

	/**
	 * Pushes a text frame to every WebSocket open on a wallet channel: `POST /api/v1/ws/<key>?data=`
	 * (lnbits/core/views/websocket_api.py, 1.6.2: anyone holding the key may; LNbits answers
	 * `{"sent": true}`, or `{"sent": false}` when sending failed). No retry: the trigger's stream check.
	 */
	async pushToChannel(channelKey: string, data: string, timeoutMs = 10_000): Promise<boolean> {
		const raw = (await this.invoiceHttp.request('POST', `/api/v1/ws/${encodeURIComponent(channelKey)}`, {
			query: { data },
			retry: false,
			timeoutMs,
		})) as { sent?: unknown } | undefined;
		return raw?.sent === true;
	}

	/** The HttpClient for the admin key; a clear input error when the credential has none. */
	protected admin(action: string): HttpClient {
		if (!this.adminHttp) {
			throw new InputError(
				KEY_FIELD.admin,
				`is needed to ${action}, but the LNbits credential only has the Invoice/Read Key. Add the wallet's Admin key to the credential`,
				'LNbits',
			);
		}
		return this.adminHttp;
	}

	protected http(key: LnbitsKeyKind): HttpClient {
		return key === 'admin' ? this.admin('use the admin key') : this.invoiceHttp;
	}
}
