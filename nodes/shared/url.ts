import { InputError } from './errors';

export interface NormalizedUrl {
	/** Base URL without trailing slash, e.g. `https://pay.example.com` or `https://host/btcpay`. */
	baseUrl: string;
	insecure: boolean;
}

/**
 * Accepts what people paste into a credential: missing scheme, trailing
 * slashes, a pasted `/api/v1` suffix. A missing scheme means https.
 */
export function normalizeServerUrl(raw: string, field = 'Server URL'): NormalizedUrl {
	let value = (raw ?? '').trim();
	if (!value) throw new InputError(field, 'is required');
	if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) value = `https://${value}`;
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new InputError(field, `"${raw}" is not a valid URL`);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new InputError(field, `must start with https:// (got ${url.protocol}//)`);
	}
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
