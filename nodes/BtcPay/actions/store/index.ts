/** Store: create, get, get many, update. One file per operation; the Store picker and Simplify are declared here. */
import type { INodeProperties } from 'n8n-workflow';
import { operationFields } from '../../../shared/router';
import { simplifyProperty, storeLocatorProperty } from '../common';
import type { BtcPayResource } from '../types';
import { R } from './common';
import { create } from './create';
import { get } from './get';
import { getAll } from './getAll';
import { update } from './update';

export { simplifyStore, toStoreSettings } from './common';

const properties: INodeProperties[] = [
	storeLocatorProperty(R, ['get', 'update']),
	...operationFields(create, update, getAll),
	simplifyProperty(R, ['create', 'get', 'getAll', 'update']),
];

export const store: BtcPayResource = {
	value: R,
	name: 'Store',
	description: 'BTCPay stores',
	operations: { create, get, getAll, update },
	defaultOperation: 'get',
	properties,
};
