/**
 * Builds an LnbitsClient from the `lnbitsApi` credential. Used by the action
 * node and its list searches (and usable by the trigger).
 */
import type { IExecuteFunctions, IHookFunctions, ILoadOptionsFunctions, IWebhookFunctions } from 'n8n-workflow';
import { LnbitsClient, type LnbitsClientOptions } from './client';

export type LnbitsContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

export async function getLnbitsClient(ctx: LnbitsContext, overrides: Partial<LnbitsClientOptions> = {}): Promise<LnbitsClient> {
	const credentials = await ctx.getCredentials('lnbitsApi');
	return new LnbitsClient({
		url: String(credentials.url ?? ''),
		invoiceKey: String(credentials.invoiceKey ?? ''),
		adminKey: credentials.adminKey ? String(credentials.adminKey) : undefined,
		...overrides,
	});
}
