/** UI pieces shared by the LND resources: Simplify, Return All / Limit, number parameters. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { InputError } from '../../shared/errors';

export function show(resource: string, operations?: string[]) {
	return { show: operations ? { resource: [resource], operation: operations } : { resource: [resource] } };
}

export function simplifyProperty(resource: string, operations: string[]): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a flat version of the response (hex hashes, ISO dates, sats as numbers) instead of the raw LND data',
		displayOptions: show(resource, operations),
	};
}

export function returnAllProperties(resource: string, operation: string): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: show(resource, [operation]),
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1 },
			description: 'Max number of results to return',
			displayOptions: { show: { resource: [resource], operation: [operation], returnAll: [false] } },
		},
	];
}

/** undefined = everything. */
export function getLimit(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	return wholeNumber(ctx.getNodeParameter('limit', itemIndex, 50), 'Limit', { min: 1 });
}

export function wholeNumber(raw: unknown, field: string, options: { min?: number } = {}): number {
	const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	const min = options.min ?? 0;
	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
		throw new InputError(field, `must be a whole number${min > 0 ? ` of at least ${min}` : ', 0 or more'} (got ${JSON.stringify(raw)})`, 'LND');
	}
	return value;
}

export function isSimplified(ctx: IExecuteFunctions, itemIndex: number): boolean {
	return ctx.getNodeParameter('simplify', itemIndex, true) as boolean;
}

export function asData<T>(value: T): IDataObject {
	return value as unknown as IDataObject;
}

export function operationProperty(
	resource: string,
	options: Array<{ name: string; value: string; action: string; description: string }>,
	defaultOperation: string,
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: show(resource),
		options,
		default: defaultOperation,
	};
}

/** Filters of a Get Many operation: LND's reversed / index_offset paging plus resource-specific ones. */
export function listFiltersProperty(resource: string, operation: string, what: string, extra: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(resource, [operation]),
		options: ([
			...extra,
			{
				displayName: 'Newest First',
				name: 'newestFirst',
				type: 'boolean',
				default: true,
				description: `Whether to start with the most recent ${what}`,
			},
			{
				displayName: 'Start After Index',
				name: 'indexOffset',
				type: 'string',
				default: '',
				description: 'Continue from this index (exclusive), e.g. the last index seen in an earlier run',
			},
		] as INodeProperties[]).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export interface ListParameters {
	limit?: number;
	reversed: boolean;
	indexOffset?: string;
	filters: IDataObject;
}

export function readListParameters(ctx: IExecuteFunctions, itemIndex: number): ListParameters {
	const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const indexOffset = String(filters.indexOffset ?? '').trim();
	if (indexOffset && !/^\d+$/.test(indexOffset)) throw new InputError('Start After Index', 'must be a whole number', 'LND');
	return { limit: getLimit(ctx, itemIndex), reversed: filters.newestFirst !== false, indexOffset: indexOffset || undefined, filters };
}
