/**
 * Store Lightning: the store's Lightning node through BTCPay. Amounts are
 * entered in sats (sent as msat). One file per operation; the Store picker
 * and Simplify they share are declared here.
 */
import type { INodeProperties } from 'n8n-workflow';
import { defineBtcPayResource, storeLocatorProperty } from '../common';
import { R } from './common';
import { createInvoice } from './createInvoice';
import { getBalance } from './getBalance';
import { getInfo } from './getInfo';
import { getInvoice } from './getInvoice';
import { getPayment } from './getPayment';
import { payInvoice } from './payInvoice';

const fields: INodeProperties[] = [
	storeLocatorProperty(R),
];

export const lightning = defineBtcPayResource({
	value: R,
	name: 'Store Lightning',
	description: "The store's Lightning node: invoices, payments, balance",
	operations: { createInvoice, getBalance, getInfo, getInvoice, getPayment, payInvoice },
	defaultOperation: 'getInfo',
	fields,
});
