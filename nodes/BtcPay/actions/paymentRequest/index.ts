/**
 * Payment Request: create, get, get many, update (merged), archive, and pay
 * (creates an invoice for the amount due or a custom amount). One file per
 * operation; the Store picker, Payment Request ID and Simplify are declared here.
 */
import type { INodeProperties } from 'n8n-workflow';
import { defineBtcPayResource, show, storeLocatorProperty } from '../common';
import { archive } from './archive';
import { R } from './common';
import { create } from './create';
import { get } from './get';
import { getAll } from './getAll';
import { pay } from './pay';
import { update } from './update';

const fields: INodeProperties[] = [
	storeLocatorProperty(R),
	{
		displayName: 'Payment Request ID',
		name: 'paymentRequestId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: show(R, ['get', 'update', 'archive', 'pay']),
	},
];

export const paymentRequest = defineBtcPayResource({
	value: R,
	name: 'Payment Request',
	description: 'Requests for an amount, paid through one or more invoices',
	operations: { archive, create, pay, get, getAll, update },
	defaultOperation: 'create',
	fields,
});
