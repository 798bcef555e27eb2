/**
 * Reads the `cashuMintApi` credential: the mint URL and the mints whose tokens
 * are trusted, and makes one client per mint (the credential's mint for Mint and
 * Send operations, the token's own mint for Token operations once it is trusted).
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { CashuMintClient, normalizeMintUrl, trustedMints, type CashuClientOptions } from './client';

export interface CashuConfig {
	mintUrl: string;
	trusted: string[];
	/** The client of `mintUrl` (default: the credential's mint), one per mint for the whole run. */
	client(mintUrl?: string): CashuMintClient;
}

export async function getCashuConfig(ctx: IExecuteFunctions, overrides: Partial<CashuClientOptions> = {}): Promise<CashuConfig> {
	const credentials = await ctx.getCredentials('cashuMintApi');
	const mintUrl = normalizeMintUrl(String(credentials.mintUrl ?? ''), 'Mint URL');
	const trusted = trustedMints(mintUrl, credentials.trustedMints ? String(credentials.trustedMints) : undefined);
	const clients = new Map<string, CashuMintClient>();
	return {
		mintUrl,
		trusted,
		client(url = mintUrl) {
			const key = normalizeMintUrl(url);
			let client = clients.get(key);
			if (!client) clients.set(key, (client = new CashuMintClient({ ...overrides, mintUrl: key })));
			return client;
		},
	};
}
