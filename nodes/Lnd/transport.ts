/** Builds an LndClient from the `lndRestApi` credential (action node, credential test, trigger). */
import type { ICredentialDataDecryptedObject, IExecuteFunctions, IHookFunctions, ITriggerFunctions } from 'n8n-workflow';
import { LndClient, type LndClientOptions } from './client';

export type LndContext = IExecuteFunctions | IHookFunctions | ITriggerFunctions;

export function lndClientFromCredential(credentials: ICredentialDataDecryptedObject, overrides: Partial<LndClientOptions> = {}): LndClient {
	return new LndClient({
		url: String(credentials.url ?? ''),
		macaroon: String(credentials.macaroon ?? ''),
		tlsCert: String(credentials.tlsCert ?? ''),
		...overrides,
	});
}

export async function getLndClient(ctx: LndContext, overrides: Partial<LndClientOptions> = {}): Promise<LndClient> {
	return lndClientFromCredential(await ctx.getCredentials('lndRestApi'), overrides);
}
