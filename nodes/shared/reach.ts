/**
 * Sentences for a server that could not be reached: what failed, at which full
 * URL (scheme included), and the likely fix. Used by the HTTP client's network
 * errors and by the credential tests, so the editor's "Test" button and a failed
 * node say the same thing. Codes are Node's (undici's fetch puts them on
 * `error.cause.code`; axios, which n8n uses, on `error.code`).
 */

export interface Unreachable {
	message: string;
	hint: string;
}

/** The code of a low-level network error, wherever the library put it. */
export function networkErrorCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const { code, message } = current as { code?: unknown; message?: unknown };
		if (typeof code === 'string' && code) return code;
		if (typeof message === 'string' && /wrong version number/i.test(message)) return 'ERR_SSL_WRONG_VERSION_NUMBER';
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** The message of the innermost cause (ky wraps fetch's TypeError, which wraps the socket error). */
export function innermostMessage(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	let message: string | undefined;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const text = (current as { message?: unknown }).message;
		if (typeof text === 'string' && text) message = text;
		current = (current as { cause?: unknown }).cause;
	}
	return message;
}

const TLS_TO_PLAIN = new Set(['EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST']);
const UNTRUSTED_CERT = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_UNTRUSTED',
]);

/**
 * Describes why `service` at `url` could not be reached. `schemeAdded` says the
 * https:// was added because the Server URL had no scheme (the usual cause of a
 * TLS handshake with a plain-http server); `detail` is shown when no code is known.
 */
export function describeUnreachable(service: string, url: string, code: string | undefined, options: { schemeAdded?: boolean; detail?: string } = {}): Unreachable {
	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {
		parsed = undefined;
	}
	const host = parsed?.hostname ?? url;
	const https = parsed?.protocol === 'https:';
	const added = options.schemeAdded ? ' (https:// was added because the Server URL had no scheme)' : '';
	const at = (reason: string) => `Could not reach ${service} at ${url}${added}: ${reason}`;
	const check = 'Check the Server URL in the credential';
	if (code && TLS_TO_PLAIN.has(code) && https && parsed) {
		const plain = `http://${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
		return {
			message: at('it does not answer over https, the server speaks plain http'),
			hint: `Write ${plain} as the Server URL (only for this machine or a private network you trust: plain http sends the key unencrypted), or put the server behind https.`,
		};
	}
	switch (code) {
		case 'ECONNREFUSED':
			return {
				message: at('the connection was refused (nothing listens there)'),
				hint: `Check that ${service} is running and listens on ${parsed?.port ? `port ${parsed.port}` : `the default ${https ? 'https port 443' : 'http port 80'}`} of ${host}, and that the port in the Server URL is right.`,
			};
		case 'ENOTFOUND':
			return {
				message: at(`the host name ${host} was not found (no DNS entry)`),
				hint: `${check} for a typo in the host name; a name known only to your computer or to Docker must also resolve where n8n runs.`,
			};
		case 'EAI_AGAIN':
			return {
				message: at(`the host name ${host} could not be looked up right now (DNS did not answer)`),
				hint: 'Check the DNS of the machine running n8n and try again.',
			};
		case 'ECONNRESET':
			return {
				message: at('the connection was closed by the other side'),
				hint: `${check}${https ? '' : ' (a server that only speaks https needs https://)'} and that no proxy or firewall cuts connections to ${host}.`,
			};
		case 'ETIMEDOUT':
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
		case 'UND_ERR_CONNECT_TIMEOUT':
			return {
				message: at(`no answer from ${host} (${code})`),
				hint: `${check} and that a firewall or proxy lets n8n reach ${host}.`,
			};
		case 'CERT_HAS_EXPIRED':
			return { message: at('its TLS certificate has expired'), hint: `Renew the certificate of ${host}.` };
		case 'ERR_TLS_CERT_ALTNAME_INVALID':
			return {
				message: at(`its TLS certificate was issued for another host name than ${host}`),
				hint: `${check}: use the host name the certificate was issued for.`,
			};
		default:
			if (code && UNTRUSTED_CERT.has(code)) {
				return {
					message: at(`its TLS certificate is not publicly trusted (${code})`),
					hint: `Give ${host} a certificate from a public authority (e.g. Let's Encrypt), or point NODE_EXTRA_CA_CERTS of n8n at your own authority's certificate.`,
				};
			}
			return {
				message: at(`the connection failed (${code ?? options.detail ?? 'no reason given'})`),
				hint: `${check} and that the server is running and reachable from n8n.`,
			};
	}
}
