/**
 * Resource "Payment": decode, pay (at most once), list. One file per
 * operation; the Invoice field (Decode and Pay) and Simplify are declared here.
 */
import { operationFields } from '../../../shared/router';
import { bolt11InvoiceProperty, show, simplifyProperty } from '../common';
import type { LndResource } from '../types';
import { decode } from './decode';
import { getMany } from './getMany';
import { pay } from './pay';

const RESOURCE = 'payment';

export const paymentResource: LndResource = {
	value: RESOURCE,
	name: 'Payment',
	description: 'Pay Lightning invoices and see outgoing payments',
	operations: { decode, getMany, pay },
	defaultOperation: 'decode',
	properties: [
		bolt11InvoiceProperty('paymentRequest', show(RESOURCE, ['decode', 'pay']), 'lnbc1...', 'The BOLT11 invoice (payment request); a lightning: prefix is accepted'),
		...operationFields(pay, getMany),
		simplifyProperty(RESOURCE, ['decode', 'pay', 'getMany']),
	],
};
