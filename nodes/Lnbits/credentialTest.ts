/**
 * The `lnbitsApi` credential test, run through the LNbits client (testedBy) so
 * an unreachable server is answered with a sentence naming the URL and the fix.
 * Both keys are checked when both are given.
 */
import type { ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';
import { CREDENTIAL_TEST_CLIENT, credentialTestMethods, runCredentialTest } from '../shared/credentialTest';
import type { LnbitsClientOptions } from './client';
import { lnbitsClientFromCredential } from './transport';

/** `overrides` lets tests hand in a fetch; n8n calls it with the credential only. */
export async function testLnbitsCredential(credential: ICredentialsDecrypted, overrides: Partial<LnbitsClientOptions> = {}): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const rawUrl = String(data.url ?? '');
	return runCredentialTest({
		service: 'LNbits',
		rawUrl,
		probe: async () => {
			const client = lnbitsClientFromCredential(data, { ...CREDENTIAL_TEST_CLIENT, ...overrides });
			const wallet = await client.getWallet();
			if (!client.hasAdminKey) return `Connected to the LNbits wallet "${wallet.name}" at ${client.baseUrl} (receive only: no Admin Key)`;
			await client.getWallet({ key: 'admin' });
			return `Connected to the LNbits wallet "${wallet.name}" at ${client.baseUrl} (Invoice/Read Key and Admin Key)`;
		},
		statusMessages: {
			401: 'LNbits does not accept this key. Check the Invoice/Read Key (and the Admin Key, when given).',
			403: 'LNbits does not accept this key. Check the Invoice/Read Key (and the Admin Key, when given).',
			404: 'LNbits found no wallet for this key (or the Server URL is not an LNbits server). Check both.',
		},
	});
}

export const lnbitsCredentialTest = credentialTestMethods('lnbitsApiTest', testLnbitsCredential);
