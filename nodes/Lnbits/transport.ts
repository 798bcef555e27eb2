/**
 * Builds an LnbitsClient from the `lnbitsApi` credential. Used by the action
 * node, its list searches, the triggers and the credential test.
 */
import type { ICredentialDataDecryptedObject, IExecuteFunctions, IHookFunctions, ILoadOptionsFunctions, IWebhookFunctions } from 'n8n-workflow';
import { LnbitsClient, type LnbitsClientOptions } from './client';

export type LnbitsContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

/** The client for the credential's fields (Server URL, Invoice/Read Key, Admin Key when given; the client trims the keys). */
export function lnbitsClientFromCredential(credentials: ICredentialDataDecryptedObject, overrides: Partial<LnbitsClientOptions> = {}): LnbitsClient {
	return new LnbitsClient({
		url: String(credentials.url ?? ''),
		invoiceKey: String(credentials.invoiceKey ?? ''),
		adminKey: credentials.adminKey ? String(credentials.adminKey) : undefined,
		...overrides,
	});
}

export async function getLnbitsClient(ctx: LnbitsContext, overrides: Partial<LnbitsClientOptions> = {}): Promise<LnbitsClient> {
	return lnbitsClientFromCredential(await ctx.getCredentials('lnbitsApi'), overrides);
}
