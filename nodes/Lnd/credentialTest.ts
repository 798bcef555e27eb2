/**
 * The `lndRestApi` credential test, run through the LND client so the pinned
 * TLS certificate is used (n8n's declarative test request cannot pin one).
 */
import type { ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';
import { CREDENTIAL_TEST_CLIENT, credentialTestMethods } from '../shared/credentialTest';
import { isServiceError } from '../shared/errors';
import { lndClientFromCredential } from './transport';

export async function testLndCredential(credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	try {
		const client = lndClientFromCredential(credential.data ?? {}, CREDENTIAL_TEST_CLIENT);
		const info = await client.getInfo();
		const network = info.chains?.[0]?.network;
		return {
			status: 'OK',
			message: `Connected to ${info.alias || info.identity_pubkey}${network ? ` on ${network}` : ''}${info.synced_to_chain === false ? ' (not synced to chain yet)' : ''}`,
		};
	} catch (error) {
		const message = isServiceError(error) ? `${error.message}${error.hint ? `. ${error.hint}` : ''}` : (error as Error)?.message ?? String(error);
		return { status: 'Error', message };
	}
}

export const lndCredentialTest = credentialTestMethods('lndRestApiTest', testLndCredential);
