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
