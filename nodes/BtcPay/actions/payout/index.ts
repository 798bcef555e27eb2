/**
 * Payout: create, get, get many, approve, cancel, mark paid. One file per
 * operation; the Store picker, Payout ID and Simplify are declared here.
 */
import type { INodeProperties } from 'n8n-workflow';
import { defineBtcPayResource, show, storeLocatorProperty } from '../common';
import { approve } from './approve';
import { cancel } from './cancel';
import { R } from './common';
import { create } from './create';
import { get } from './get';
import { getAll } from './getAll';
import { markPaid } from './markPaid';

const ONE = ['get', 'approve', 'cancel', 'markPaid'];

const fields: INodeProperties[] = [
	storeLocatorProperty(R),
	{ displayName: 'Payout ID', name: 'payoutId', type: 'string', default: '', required: true, displayOptions: show(R, ONE) },
];

export const payout = defineBtcPayResource({
	value: R,
	name: 'Payout',
	description: 'Payments out of the store, from pull payments or directly',
	operations: { approve, cancel, create, get, getAll, markPaid },
	defaultOperation: 'create',
	fields,
});
