import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { getBtcPayClient } from '../transport';

/** Store list for the store resource locator, filtered by name or ID (case-insensitive). */
export async function searchStores(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const client = await getBtcPayClient(this);
	const stores = await client.stores.list();
	const needle = (filter ?? '').trim().toLowerCase();
	const results = stores
		.filter((s) => !needle || s.name.toLowerCase().includes(needle) || s.id.toLowerCase().includes(needle))
		.sort((a, b) => a.name.localeCompare(b.name))
		.map((s) => ({ name: s.name, value: s.id, url: `${client.http.baseUrl}/stores/${encodeURIComponent(s.id)}` }));
	return { results };
}
