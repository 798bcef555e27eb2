/**
 * Builds a BtcPayClient from the node's `btcPayApi` credential. Used by the
 * action node, its list searches and the trigger.
 */
import type { IExecuteFunctions, IHookFunctions, ILoadOptionsFunctions, IWebhookFunctions } from 'n8n-workflow';
import { BtcPayClient, type BtcPayClientOptions } from './client';

export type BtcPayContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

export async function getBtcPayClient(ctx: BtcPayContext, overrides: Partial<BtcPayClientOptions> = {}): Promise<BtcPayClient> {
	const credentials = await ctx.getCredentials('btcPayApi');
	return new BtcPayClient({
		url: String(credentials.url ?? ''),
		apiKey: String(credentials.apiKey ?? ''),
		...overrides,
	});
}
