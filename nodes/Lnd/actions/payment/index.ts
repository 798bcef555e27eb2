/**
 * Resource "Payment": decode, pay (at most once), list. One file per
 * operation; the Invoice field (Decode and Pay) and Simplify are declared here.
 */
import { bolt11InvoiceProperty, defineLndResource, show } from '../common';
import { decode } from './decode';
import { getMany } from './getMany';
import { pay } from './pay';

const RESOURCE = 'payment';

export const paymentResource = defineLndResource({
	value: RESOURCE,
	name: 'Payment',
	description: 'Pay Lightning invoices and see outgoing payments',
	operations: { decode, getMany, pay },
	defaultOperation: 'decode',
	fields: [bolt11InvoiceProperty('paymentRequest', show(RESOURCE, ['decode', 'pay']), 'lnbc1...', 'The BOLT11 invoice (payment request); a lightning: prefix is accepted')],
});
