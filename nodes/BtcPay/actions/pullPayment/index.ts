/**
 * Pull Payment: create, get, get many, archive. Payouts against it are under
 * Payout. One file per operation; the Store picker, Pull Payment ID and
 * Simplify are declared here.
 */
import type { INodeProperties } from 'n8n-workflow';
import { defineBtcPayResource, show, storeLocatorProperty } from '../common';
import { archive } from './archive';
import { R } from './common';
import { create } from './create';
import { get } from './get';
import { getAll } from './getAll';

export { simplifyPullPayment } from './common';

const fields: INodeProperties[] = [
	storeLocatorProperty(R, ['create', 'getAll', 'archive']),
	{ displayName: 'Pull Payment ID', name: 'pullPaymentId', type: 'string', default: '', required: true, displayOptions: show(R, ['get', 'archive']) },
];

export const pullPayment = defineBtcPayResource({
	value: R,
	name: 'Pull Payment',
	description: 'Funds that someone claims through payouts (bounties, salaries, refunds)',
	operations: { archive, create, get, getAll },
	defaultOperation: 'create',
	fields,
});
