import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { appTypeLabel } from '../client/apps';
import { getBtcPayClient } from '../transport';

const APP_PAGE: Record<string, string> = { PointOfSale: 'pos', Crowdfund: 'crowdfund' };

/** Apps of every store the key reaches (GET /api/v1/apps) for the app resource locator, filtered by name, ID or type. */
export async function searchApps(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const client = await getBtcPayClient(this);
	const needle = (filter ?? '').trim().toLowerCase();
	const results = (await client.apps.list())
		.filter((a) => !needle || [a.appName, a.id, a.appType].some((v) => (v ?? '').toLowerCase().includes(needle)))
		.sort((a, b) => (a.appName ?? '').localeCompare(b.appName ?? ''))
		.map((a) => ({
			name: `${a.appName ?? a.id} (${appTypeLabel(a.appType)}${a.archived ? ', archived' : ''})`,
			value: a.id,
			url: `${client.http.baseUrl}/apps/${encodeURIComponent(a.id)}/${APP_PAGE[a.appType] ?? ''}`,
		}));
	return { results };
}
