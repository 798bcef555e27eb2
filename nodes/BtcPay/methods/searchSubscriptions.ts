import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { getBtcPayClient } from '../transport';

function current(ctx: ILoadOptionsFunctions, name: string): string {
	const value = ctx.getCurrentNodeParameter(name, { extractValue: true }) as unknown;
	const v = value && typeof value === 'object' && 'value' in (value as object) ? (value as { value: unknown }).value : value;
	return typeof v === 'string' ? v.trim() : '';
}

const matches = (needle: string, ...values: Array<string | null | undefined>) => !needle || values.some((v) => (v ?? '').toLowerCase().includes(needle));

/** Offerings of the chosen store for the offering resource locator, filtered by name or ID. */
export async function searchOfferings(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const storeId = current(this, 'store');
	if (!storeId) return { results: [] };
	const client = await getBtcPayClient(this);
	const needle = (filter ?? '').trim().toLowerCase();
	const results = (await client.subscriptions.listOfferings(storeId))
		.filter((o) => matches(needle, o.appName, o.id))
		.sort((a, b) => (a.appName ?? '').localeCompare(b.appName ?? ''))
		.map((o) => ({ name: o.appName ?? o.id, value: o.id }));
	return { results };
}

/** Plans of the chosen offering for the plan resource locator, filtered by name or ID. */
export async function searchPlans(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const storeId = current(this, 'store');
	const offeringId = current(this, 'offering');
	if (!storeId || !offeringId) return { results: [] };
	const client = await getBtcPayClient(this);
	const needle = (filter ?? '').trim().toLowerCase();
	const offering = await client.subscriptions.getOffering(storeId, offeringId);
	const results = (offering.plans ?? [])
		.filter((p) => matches(needle, p.name, p.id))
		.map((p) => ({ name: `${p.name ?? p.id} (${p.price} ${p.currency}${p.recurringType ? `, ${p.recurringType}` : ''})`, value: p.id }));
	return { results };
}
