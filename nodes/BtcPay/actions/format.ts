/** Small output/parameter helpers shared by the money resources (payment requests, pull payments, payouts, refunds). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/** A collection parameter of item `i` as an object ({} when unset). */
export function collection(ctx: IExecuteFunctions, name: string, i: number): IDataObject {
	const value = ctx.getNodeParameter(name, i, {}) as unknown;
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

/** A string parameter of item `i`, trimmed ('' when unset). */
export function text(ctx: IExecuteFunctions, name: string, i: number): string {
	const value = ctx.getNodeParameter(name, i, '') as unknown;
	return value === undefined || value === null ? '' : String(value).trim();
}

/** Keeps the first `limit` entries (undefined: all). */
export function limitList<T>(list: T[], limit: number | undefined): T[] {
	return limit === undefined ? list : list.slice(0, limit);
}

/** Drops undefined, null and '' values from a collection. */
export function present(fields: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}
