/**
 * Programmatic credential tests (a node's `methods.credentialTest`, wired with
 * `testedBy`): n8n's declarative test request answers a network failure with the
 * bare code (ECONNREFUSED, EPROTO), so the tests run through the service's client
 * instead and answer sentences naming the full URL and the likely fix.
 */
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { isServiceError } from './errors';
import { describeUnreachable } from './reach';
import { hasScheme, normalizeServerUrl } from './url';

/** The client options of every credential test: one try (no retries), answered within 15 s. */
export const CREDENTIAL_TEST_CLIENT = { retries: 0, timeoutMs: 15_000 } as const;

export interface CredentialProbe {
	/** Service name in messages ("BTCPay", "LNbits"). */
	service: string;
	/** The Server URL as typed in the credential. */
	rawUrl: string;
	/** Calls the server with the credential; returns the success message. */
	probe: () => Promise<string>;
	/** Sentences for HTTP statuses that mean the credential (not the server) is wrong. */
	statusMessages: Partial<Record<number, string>>;
}

export async function runCredentialTest({ service, rawUrl, probe, statusMessages }: CredentialProbe): Promise<INodeCredentialTestResult> {
	try {
		return { status: 'OK', message: await probe() };
	} catch (error) {
		if (!isServiceError(error)) return { status: 'Error', message: (error as Error)?.message ?? String(error) };
		const known = error.status !== undefined ? statusMessages[error.status] : undefined;
		if (known) return { status: 'Error', message: known };
		if (error.kind === 'network' && error.code) {
			const schemeAdded = !hasScheme(rawUrl);
			const { message, hint } = describeUnreachable(service, normalizeServerUrl(rawUrl).baseUrl, error.code, { schemeAdded });
			return { status: 'Error', message: `${message}. ${hint}` };
		}
		return { status: 'Error', message: `${error.message}${error.hint ? `. ${error.hint}` : ''}` };
	}
}

/** A node's `methods.credentialTest` entry (`testedBy: name`) running `test` on the credential. */
export function credentialTestMethods(
	name: string,
	test: (credential: ICredentialsDecrypted) => Promise<INodeCredentialTestResult>,
): Record<string, (this: ICredentialTestFunctions, credential: ICredentialsDecrypted) => Promise<INodeCredentialTestResult>> {
	return { [name]: async (credential) => await test(credential) };
}
