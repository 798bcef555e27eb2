/**
 * Payment: look up, list, pay and decode. One file per operation; the
 * Invoice field (Pay and Decode) and Simplify are declared here.
 */
import type { INodeProperties } from 'n8n-workflow';
import { bolt11InvoiceProperty, defineLnbitsResource, show } from '../common';
import { decode } from './decode';
import { get } from './get';
import { getMany } from './getMany';
import { pay } from './pay';

const R = 'payment';

const fields: INodeProperties[] = [
	bolt11InvoiceProperty('bolt11', show(R, ['pay', 'decode']), 'lnbc…', 'BOLT11 payment request (a lightning: prefix is fine)'),
];

export const payment = defineLnbitsResource({
	value: R,
	name: 'Payment',
	description: 'Look up, list, pay and decode payments',
	operations: { decode, getMany, get, pay },
	defaultOperation: 'get',
	fields,
});
