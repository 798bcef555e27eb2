/** Resource "Invoice": receive over Lightning. One file per operation; Simplify is declared here. */
import { create } from './create';
import { get } from './get';
import { getMany } from './getMany';
import { defineLndResource } from '../common';

const RESOURCE = 'invoice';

export const invoiceResource = defineLndResource({
	value: RESOURCE,
	name: 'Invoice',
	description: 'Lightning invoices to receive payments',
	operations: { create, get, getMany },
	defaultOperation: 'create',
});
