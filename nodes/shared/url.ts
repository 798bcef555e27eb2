import { InputError } from './errors';

export interface NormalizedUrl {
	/** Base URL without trailing slash, e.g. `https://pay.example.com` or `https://host/btcpay`. */
	baseUrl: string;
	insecure: boolean;
}

/** Whether a pasted address names its scheme (`https://…`); without one it is taken as https. */
export function hasScheme(value: string): boolean {
	return /^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim());
}

/**
 * A URL as people paste it: trimmed, `https://` added when it names no scheme, http or https only;
 * else an InputError naming `field` (of `service`, when given).
 */
export function parsePastedUrl(raw: string, field: string, service?: string): URL {
	let value = String(raw ?? '').trim();
	if (!value) throw new InputError(field, 'is required', service);
	if (!hasScheme(value)) value = `https://${value}`;
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new InputError(field, `"${String(raw).slice(0, 100)}" is not a valid URL`, service);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new InputError(field, `must start with https:// (got ${url.protocol}//)`, service);
	}
	return url;
}

/**
 * Accepts what people paste into a credential: missing scheme, trailing
 * slashes, a pasted `/api/v1` suffix. A missing scheme means https.
 */
export function normalizeServerUrl(raw: string, field = 'Server URL'): NormalizedUrl {
	const url = parsePastedUrl(raw, field);
	url.search = '';
	url.hash = '';
	let path = url.pathname.replace(/\/+$/, '');
	path = path.replace(/\/api\/v1$/i, '');
	return { baseUrl: `${url.origin}${path}`, insecure: url.protocol === 'http:' };
}

export function isLoopbackHost(baseUrl: string): boolean {
	const host = new URL(baseUrl).hostname;
	return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
}
