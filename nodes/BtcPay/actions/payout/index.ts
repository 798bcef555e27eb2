/**
 * Payout: create, get, get many, approve, cancel, mark paid. One file per
 * operation; the Store picker, Payout ID and Simplify are declared here.
 */
import type { INodeProperties } from 'n8n-workflow';
import { operationFields } from '../../../shared/router';
import { show, simplifyProperty, storeLocatorProperty } from '../common';
import type { BtcPayResource } from '../types';
import { approve } from './approve';
import { cancel } from './cancel';
import { R } from './common';
import { create } from './create';
import { get } from './get';
import { getAll } from './getAll';
import { markPaid } from './markPaid';

const ONE = ['get', 'approve', 'cancel', 'markPaid'];

const properties: INodeProperties[] = [
	storeLocatorProperty(R),
	{ displayName: 'Payout ID', name: 'payoutId', type: 'string', default: '', required: true, displayOptions: show(R, ONE) },
	...operationFields(create, approve, getAll),
	simplifyProperty(R, ['create', 'get', 'getAll', 'approve']),
];

export const payout: BtcPayResource = {
	value: R,
	name: 'Payout',
	description: 'Payments out of the store, from pull payments or directly',
	operations: { approve, cancel, create, get, getAll, markPaid },
	defaultOperation: 'create',
	properties,
};
