/**
 * Invoice: create, get, get many (filters + paging), get payment methods,
 * mark status, archive, unarchive. One file per operation; the fields they
 * share (Store, Invoice ID, Simplify) are declared here.
 */
import type { INodeProperties } from 'n8n-workflow';
import { defineBtcPayResource, show, storeLocatorProperty } from '../common';
import { archive } from './archive';
import { R } from './common';
import { create } from './create';
import { get } from './get';
import { getAll } from './getAll';
import { getPaymentMethods } from './getPaymentMethods';
import { markStatus } from './markStatus';
import { unarchive } from './unarchive';

export { simplifyInvoice } from './common';

const ONE_INVOICE = ['get', 'getPaymentMethods', 'markStatus', 'archive', 'unarchive'];

const fields: INodeProperties[] = [
	storeLocatorProperty(R),
	{
		displayName: 'Invoice ID',
		name: 'invoiceId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'NxHkgTkK7qX5p6X4p5Zc8q',
		displayOptions: show(R, ONE_INVOICE),
	},
];

export const invoice = defineBtcPayResource({
	value: R,
	name: 'Invoice',
	description: 'Invoices of a store',
	operations: { archive, create, get, getAll, getPaymentMethods, markStatus, unarchive },
	defaultOperation: 'create',
	fields,
});
