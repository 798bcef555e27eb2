/** Store: create, get, get many, update. One file per operation; the Store picker and Simplify are declared here. */
import type { INodeProperties } from 'n8n-workflow';
import { defineBtcPayResource, storeLocatorProperty } from '../common';
import { R } from './common';
import { create } from './create';
import { get } from './get';
import { getAll } from './getAll';
import { update } from './update';

export { simplifyStore, toStoreSettings } from './common';

const fields: INodeProperties[] = [
	storeLocatorProperty(R, ['get', 'update']),
];

export const store = defineBtcPayResource({
	value: R,
	name: 'Store',
	description: 'BTCPay stores',
	operations: { create, get, getAll, update },
	defaultOperation: 'get',
	fields,
});
