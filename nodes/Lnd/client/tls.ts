/**
 * TLS pinning for LND's self-signed certificate without extra dependencies:
 * a fetch-compatible function built on node:https whose only trust anchor is
 * the certificate from the credential. Certificate checks are never turned off;
 * a server presenting any other certificate is refused with a clear error.
 */
import https from 'node:https';
import { X509Certificate } from 'node:crypto';
import { Readable } from 'node:stream';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { InputError, ServiceError } from '../../shared/errors';

const FIELD = 'TLS Certificate';

export interface PinnedCertificate {
	pem: string;
	/** SHA-256 fingerprint, colon-separated upper-case hex (node:crypto format). */
	fingerprint256: string;
	validTo: string;
}

/**
 * Accepts a PEM certificate (as in LND's tls.cert), a PEM with escaped `\n`,
 * or the base64/hex DER some connection strings carry.
 */
export function parseCertificate(raw: string): PinnedCertificate {
	let text = String(raw ?? '').trim().replace(/\\n/g, '\n');
	if (!text) throw new InputError(FIELD, 'is empty', 'LND');
	if (!text.includes('-----BEGIN')) {
		const compact = text.replace(/\s+/g, '');
		let der: Buffer | undefined;
		if (/^[0-9a-f]+$/i.test(compact) && compact.length % 2 === 0) der = Buffer.from(compact, 'hex');
		else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) der = Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
		if (!der || der.length === 0) throw new InputError(FIELD, 'is not a PEM certificate (it should start with -----BEGIN CERTIFICATE-----)', 'LND');
		text = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').trim()}\n-----END CERTIFICATE-----\n`;
	}
	let cert: X509Certificate;
	try {
		cert = new X509Certificate(text);
	} catch (error) {
		throw new InputError(FIELD, `is not a valid certificate (${(error as Error).message})`, 'LND');
	}
	return { pem: cert.toString(), fingerprint256: cert.fingerprint256, validTo: cert.validTo };
}

/** OpenSSL/Node error codes that mean "the server's certificate is not the one we trust". */
const CERT_ERROR_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_SIGNATURE_FAILURE',
	'CERT_UNTRUSTED',
	'CERT_REJECTED',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function isCertificateError(error: unknown): boolean {
	const code = (error as { code?: unknown })?.code;
	return typeof code === 'string' && CERT_ERROR_CODES.has(code);
}

export function certificateMismatchError(host: string, code: string, pinned?: PinnedCertificate): ServiceError {
	const expired = code === 'CERT_HAS_EXPIRED';
	const message = pinned
		? expired
			? `The TLS certificate of the LND server at ${host} has expired (${code})`
			: `The LND server at ${host} presented a TLS certificate that does not match the certificate in the credential (${code}); the connection was refused`
		: `The LND server at ${host} presented a TLS certificate that is not publicly trusted (${code}); the connection was refused`;
	return new ServiceError(message, {
		kind: 'network',
		service: 'LND',
		code,
		field: FIELD,
		hint: pinned
			? "Paste the server's current tls.cert (PEM) into the credential. LND regenerates it when it expires or when tlsextraip/tlsextradomain change. Certificate checks are never switched off."
			: "LND uses a self-signed certificate: paste the node's tls.cert (PEM) into the credential's TLS Certificate field.",
	});
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

function abortError(signal: AbortSignal): Error {
	const reason = signal.reason;
	if (reason instanceof Error) return reason;
	const error = new Error('The operation was aborted');
	error.name = 'AbortError';
	return error;
}

/**
 * A `fetch` that trusts exactly one certificate. The pinned certificate is the
 * only CA (system roots are not used). When the server presents that exact
 * certificate the host name check is skipped (LND certs often lack the name or
 * IP used to reach the node); any other chain must also match the host name.
 */
export function createPinnedFetch(pinned: PinnedCertificate): typeof fetch {
	const agent = new https.Agent({
		ca: pinned.pem,
		keepAlive: false,
		rejectUnauthorized: true,
		checkServerIdentity(host: string, cert: PeerCertificate) {
			if (cert.fingerprint256 === pinned.fingerprint256) return undefined;
			return checkServerIdentity(host, cert);
		},
	});

	const pinnedFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
		const request = input instanceof Request ? input : new Request(input, init);
		const signal = init?.signal ?? request.signal;
		const url = new URL(request.url);
		if (url.protocol !== 'https:') {
			throw new InputError('REST URL', 'must use https:// when a TLS certificate is set', 'LND');
		}
		if (signal?.aborted) throw abortError(signal);
		const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
		const headers: Record<string, string> = {};
		request.headers.forEach((value, key) => {
			headers[key] = value;
		});
		if (body) headers['content-length'] = String(body.length);

		return await new Promise<Response>((resolve, reject) => {
			const req = https.request(
				url,
				{ method: request.method, headers, agent },
				(res) => {
					const responseHeaders = new Headers();
					for (const [key, value] of Object.entries(res.headers)) {
						if (value === undefined) continue;
						for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(key, v);
					}
					const status = res.statusCode ?? 0;
					const stream = NULL_BODY_STATUS.has(status) ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
					if (!stream) res.resume();
					resolve(new Response(stream, { status, statusText: res.statusMessage ?? '', headers: responseHeaders }));
				},
			);
			const onAbort = () => req.destroy(abortError(signal!));
			signal?.addEventListener('abort', onAbort, { once: true });
			req.on('close', () => signal?.removeEventListener('abort', onAbort));
			req.on('error', (error: NodeJS.ErrnoException) => {
				if (error.name === 'AbortError' || signal?.aborted) return reject(signal ? abortError(signal) : error);
				if (isCertificateError(error)) return reject(certificateMismatchError(url.host, String(error.code), pinned));
				// Shaped like undici's network failure so retries and error mapping treat it the same way.
				reject(new TypeError('fetch failed', { cause: error }));
			});
			req.end(body);
		});
	};
	return pinnedFetch as typeof fetch;
}

/** The platform fetch (publicly trusted certificates), with certificate failures explained rather than shown as "unreachable". */
export function createPublicFetch(): typeof fetch {
	const publicFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
		try {
			return await globalThis.fetch(input, init);
		} catch (error) {
			const cause = (error as { cause?: unknown })?.cause;
			if (isCertificateError(cause)) {
				const url = new URL(input instanceof Request ? input.url : String(input));
				throw certificateMismatchError(url.host, String((cause as { code: string }).code));
			}
			throw error;
		}
	};
	return publicFetch as typeof fetch;
}
