/** Resource "Invoice": receive over Lightning. One file per operation; Simplify is declared here. */
import { operationFields } from '../../../shared/router';
import { simplifyProperty } from '../common';
import type { LndResource } from '../types';
import { create } from './create';
import { get } from './get';
import { getMany } from './getMany';

const RESOURCE = 'invoice';

export const invoiceResource: LndResource = {
	value: RESOURCE,
	name: 'Invoice',
	description: 'Lightning invoices to receive payments',
	operations: { create, get, getMany },
	defaultOperation: 'create',
	properties: [...operationFields(create, get, getMany), simplifyProperty(RESOURCE, ['create', 'get', 'getMany'])],
};
