/**
 * Payment: look up, list, pay and decode. One file per operation; the
 * Invoice field (Pay and Decode) and Simplify are declared here.
 */
import type { INodeProperties } from 'n8n-workflow';
import { operationFields } from '../../../shared/router';
import { bolt11InvoiceProperty, show, simplifyProperty, type LnbitsResource } from '../common';
import { decode } from './decode';
import { get } from './get';
import { getMany } from './getMany';
import { pay } from './pay';

const R = 'payment';

const properties: INodeProperties[] = [
	...operationFields(get),
	bolt11InvoiceProperty('bolt11', show(R, ['pay', 'decode']), 'lnbc…', 'BOLT11 payment request (a lightning: prefix is fine)'),
	...operationFields(pay, getMany),
	simplifyProperty(R, ['get', 'getMany', 'pay']),
];

export const payment: LnbitsResource = {
	value: R,
	name: 'Payment',
	description: 'Look up, list, pay and decode payments',
	operations: { decode, getMany, get, pay },
	defaultOperation: 'get',
	properties,
};
