/**
 * Builds a BtcPayClient from the node's `btcPayApi` credential. Used by the
 * action node, its list searches, the trigger and the credential test.
 */
import type { ICredentialDataDecryptedObject, IExecuteFunctions, IHookFunctions, ILoadOptionsFunctions, IWebhookFunctions } from 'n8n-workflow';
import { BtcPayClient, type BtcPayClientOptions } from './client';

export type BtcPayContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

/** The client for the credential's fields (Server URL, API Key). */
export function btcPayClientFromCredential(credentials: ICredentialDataDecryptedObject, overrides: Partial<BtcPayClientOptions> = {}): BtcPayClient {
	return new BtcPayClient({
		url: String(credentials.url ?? ''),
		apiKey: String(credentials.apiKey ?? ''),
		...overrides,
	});
}

export async function getBtcPayClient(ctx: BtcPayContext, overrides: Partial<BtcPayClientOptions> = {}): Promise<BtcPayClient> {
	return btcPayClientFromCredential(await ctx.getCredentials('btcPayApi'), overrides);
}
