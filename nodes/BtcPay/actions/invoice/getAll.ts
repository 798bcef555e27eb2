/** Invoice > Get Many: filters and skip/take paging. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { ListInvoicesQuery } from '../../client/invoices';
import { INVOICE_STATUSES } from '../../client/invoices';
import { filtersProperty, getPaged, parseList, returnAllLimitProperties, simplify } from '../common';
import { storeOperation } from '../operations';
import { R, simplifyInvoice } from './common';

const properties: INodeProperties[] = [
	...returnAllLimitProperties(R, ['getAll']),
	filtersProperty(R, ['getAll'], [
		{ displayName: 'End Date', name: 'endDate', type: 'dateTime', default: '', description: 'Only invoices created before this time' },
		{
			displayName: 'Include Archived',
			name: 'includeArchived',
			type: 'boolean',
			default: false,
			description: 'Whether to include archived invoices (BTCPay hides them from the list otherwise)',
		},
		{ displayName: 'Order IDs', name: 'orderId', type: 'string', default: '', description: 'Comma-separated order IDs' },
		{ displayName: 'Start Date', name: 'startDate', type: 'dateTime', default: '', description: 'Only invoices created after this time' },
		{
			displayName: 'Status',
			name: 'status',
			type: 'multiOptions',
			default: [],
			options: INVOICE_STATUSES.map((s) => ({ name: s, value: s })),
			description: 'Only invoices in one of these statuses',
		},
		{
			displayName: 'Text Search',
			name: 'textSearch',
			type: 'string',
			default: '',
			description:
				'Finds invoices where a term BTCPay stored at creation starts with this text (case-sensitive): invoice ID, order ID, buyer email, price, or a payment address. The item description and other metadata are not searched.',
		},
	]),
];

/** Maps the Filters collection of item `i` to a list query (without paging). */
export function listQuery(ctx: IExecuteFunctions, i: number): ListInvoicesQuery {
	const filters = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const query: ListInvoicesQuery = {};
	const status = parseList(filters.status);
	if (status) query.status = status as ListInvoicesQuery['status'];
	const orderIds = parseList(filters.orderId);
	if (orderIds) query.orderId = orderIds;
	if (filters.textSearch) query.textSearch = String(filters.textSearch);
	if (filters.startDate) query.startDate = filters.startDate as string;
	if (filters.endDate) query.endDate = filters.endDate as string;
	if (filters.includeArchived === true) query.includeArchived = true;
	return query;
}

export const getAll = storeOperation(
	{ name: 'Get Many', simplify: true, action: 'Get many invoices', description: 'List invoices of a store, newest first', properties },
	async (ctx, i, client, storeId) => {
		const query = listQuery(ctx, i);
		const invoices = await getPaged(ctx, i, (skip, take) => client.invoices.list(storeId, { ...query, skip, take }));
		return simplify(ctx, i, invoices, simplifyInvoice);
	},
);
