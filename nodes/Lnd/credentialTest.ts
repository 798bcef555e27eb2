/**
 * The `lndRestApi` credential test, run through the LND client so the pinned
 * TLS certificate is used (n8n's declarative test request cannot pin one).
 */
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { isServiceError } from '../shared/errors';
import { lndClientFromCredential } from './transport';

export async function testLndCredential(credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	try {
		const client = lndClientFromCredential(credential.data ?? {}, { retries: 0, timeoutMs: 15_000 });
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

export const lndCredentialTest = {
	async lndRestApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		return testLndCredential(credential);
	},
};
