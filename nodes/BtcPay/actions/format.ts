/** Small output/parameter helpers shared by the money resources (payment requests, pull payments, payouts, refunds). */
import type { IDataObject } from 'n8n-workflow';

export { collection, text } from '../../shared/ui';

/** Keeps the first `limit` entries (undefined: all). */
export function limitList<T>(list: T[], limit: number | undefined): T[] {
	return limit === undefined ? list : list.slice(0, limit);
}

/** Drops undefined, null and '' values from a collection. */
export function present(fields: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}
