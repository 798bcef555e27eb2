import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { getLnbitsClient } from '../transport';

/**
 * The wallet of the credential for the Wallet resource locator. LNbits keys
 * belong to one wallet; its ID comes with the admin key, or from the wallet's
 * payments when only the invoice key is set.
 */
export async function searchWallets(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const client = await getLnbitsClient(this);
	const wallet = await client.getWallet({ key: client.hasAdminKey ? 'admin' : 'invoice' });
	const id = wallet.id ?? (await client.listPayments({ limit: 1 }))[0]?.walletId ?? undefined;
	if (!id) return { results: [] };
	const needle = (filter ?? '').trim().toLowerCase();
	if (needle && !wallet.name.toLowerCase().includes(needle) && !id.includes(needle)) return { results: [] };
	return {
		results: [{ name: `${wallet.name} (${wallet.balanceSats} sats)`, value: id, url: `${client.baseUrl}/wallet?wal=${id}` }],
	};
}
