/** Invoice > Get Many: invoices, newest first by default, with LND's index paging. */
import type { INodeProperties } from 'n8n-workflow';
import { simplifyInvoice } from '../../client/simplify';
import { listFiltersProperty, readListParameters, returnAllProperties, simplify } from '../common';
import type { LndOperation } from '../types';

const RESOURCE = 'invoice';

const properties: INodeProperties[] = [
	...returnAllProperties(RESOURCE, 'getMany'),
	listFiltersProperty(RESOURCE, 'getMany', 'invoices', [
		{
			displayName: 'Open Only',
			name: 'pendingOnly',
			type: 'boolean',
			default: false,
			description: 'Whether to return only invoices not yet paid (open or accepted)',
		},
	]),
];

export const getMany: LndOperation = {
	name: 'Get Many',
	action: 'Get many invoices',
	description: 'List invoices, newest first by default',
	properties,
	async execute(ctx, itemIndex, client) {
		const { filters, ...paging } = readListParameters(ctx, itemIndex);
		const invoices = await client.listInvoices({ ...paging, pendingOnly: filters.pendingOnly === true });
		return simplify(ctx, itemIndex, invoices, simplifyInvoice);
	},
};
