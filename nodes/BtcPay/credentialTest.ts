/**
 * The `btcPayApi` credential test, run through the BTCPay client (testedBy) so
 * an unreachable server is answered with a sentence naming the URL and the fix.
 */
import type { ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';
import { CREDENTIAL_TEST_CLIENT, credentialTestMethods, runCredentialTest } from '../shared/credentialTest';
import type { BtcPayClientOptions } from './client';
import { btcPayClientFromCredential } from './transport';

/** `overrides` lets tests hand in a fetch; n8n calls it with the credential only. */
export async function testBtcPayCredential(credential: ICredentialsDecrypted, overrides: Partial<BtcPayClientOptions> = {}): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const rawUrl = String(data.url ?? '');
	return runCredentialTest({
		service: 'BTCPay',
		rawUrl,
		probe: async () => {
			const client = btcPayClientFromCredential(data, { ...CREDENTIAL_TEST_CLIENT, ...overrides });
			const key = await client.server.currentApiKey();
			const count = (key.permissions as string[]).length;
			return `Connected to BTCPay Server at ${client.http.baseUrl}${key.label ? ` with the API key "${key.label}"` : ''} (${count} permission${count === 1 ? '' : 's'})`;
		},
		statusMessages: {
			401: 'BTCPay Server does not accept this API key. Check that it is copied in full and not revoked.',
			403: 'BTCPay Server refuses this API key. Check its permissions under Account > Manage Account > API Keys.',
			404: 'No BTCPay Greenfield API at this address. Check the Server URL (the address of your BTCPay Server, without /api/v1).',
		},
	});
}

export const btcPayCredentialTest = credentialTestMethods('btcPayApiTest', testBtcPayCredential);
