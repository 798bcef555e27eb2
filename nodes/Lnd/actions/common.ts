/** UI pieces shared by the LND resources: Simplify, Return All / Limit, number parameters. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { InputError } from '../../shared/errors';
import * as ui from '../../shared/ui';
import type { LndClient } from '../client';
import type { Flat } from '../client/simplify';
import { defineResource, type ResourceSpec } from '../../shared/resource';
import { defineLndOperation, type LndOperation, type LndResource } from './types';

export { amountSatsProperty, bolt11InvoiceProperty, maxAmountSatsProperty, noticeProperty, optionsProperty, paymentHashProperty, show, simplify } from '../../shared/ui';

export function simplifyProperty(resource: string, operations: string[]): INodeProperties {
	return ui.simplifyProperty(
		resource,
		operations,
		'Whether to return a flat version of the response (hex hashes, ISO dates, sats as numbers) instead of the raw LND data',
	);
}

/** A Lnd resource (nodes/shared/resource.ts defineResource) with this node's Simplify field. */
export function defineLndResource(spec: ResourceSpec<LndClient>): LndResource {
	return defineResource(spec, simplifyProperty);
}

export function returnAllProperties(resource: string, operation: string): INodeProperties[] {
	return ui.returnAllLimitProperties(resource, [operation]);
}

/** undefined = everything. */
export function getLimit(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	return ui.getLimit(ctx, itemIndex, 'LND');
}

export function wholeNumber(raw: unknown, field: string, options: { min?: number } = {}): number {
	return ui.wholeNumber(raw, field, 'LND', options);
}

export const isSimplified = ui.getSimplify;

export function asData<T>(value: T): IDataObject {
	return value as unknown as IDataObject;
}

/** Filters of a Get Many operation: LND's reversed / index_offset paging plus resource-specific ones. */
export function listFiltersProperty(resource: string, operation: string, what: string, extra: INodeProperties[]): INodeProperties {
	return ui.filtersProperty(
		resource,
		[operation],
		(
			[
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
			] as INodeProperties[]
		).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	);
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

/**
 * A Get Many operation over one of LND's index-paged lists: Return All / Limit,
 * the list filters (`filter` beside Newest First and Start After Index), and
 * the rows simplified unless Simplify is off.
 */
export function listOperation<T extends object>(spec: {
	resource: string;
	entry: Pick<LndOperation, 'name' | 'action' | 'description' | 'simplify'>;
	/** Plural noun in the Newest First description ('invoices'). */
	what: string;
	filter: INodeProperties;
	list: (client: LndClient, paging: Omit<ListParameters, 'filters'>, filters: IDataObject) => Promise<T[]>;
	simplifier: (row: T) => Flat;
}): LndOperation {
	const properties = [...returnAllProperties(spec.resource, 'getMany'), listFiltersProperty(spec.resource, 'getMany', spec.what, [spec.filter])];
	return defineLndOperation({ ...spec.entry, properties }, async (ctx, itemIndex, client) => {
		const { filters, ...paging } = readListParameters(ctx, itemIndex);
		return ui.simplify(ctx, itemIndex, await spec.list(client, paging, filters), spec.simplifier);
	});
}
