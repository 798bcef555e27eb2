/** Payment Request > Create Invoice (value "pay"): an invoice for the amount due or a custom amount. */
import type { INodeProperties } from 'n8n-workflow';
import { optionsProperty } from '../common';
import { collection, present } from '../format';
import { simplifyInvoice } from '../invoice';
import { storeObjectQuery } from '../operations';
import { R } from './common';

const properties: INodeProperties[] = [
	optionsProperty('payOptions', R, ['pay'], [
		{
			displayName: 'Custom Amount',
			name: 'amount',
			type: 'string',
			default: '',
			placeholder: '25.00',
			description: 'Invoice only part of the amount due (the request must allow custom payment amounts). Empty: the whole amount due.',
		},
		{
			displayName: 'Reuse Pending Invoice',
			name: 'allowPendingInvoiceReuse',
			type: 'boolean',
			default: false,
			description: 'Whether to return an unpaid invoice of this request instead of creating a new one',
		},
	]),
];

export const pay = storeObjectQuery(
	{ name: 'Create Invoice', simplify: true, action: 'Create an invoice for a payment request', description: 'Create (or reuse) an invoice for the amount due or a custom amount', properties },
	'paymentRequestId',
	(client, storeId, id, ctx, i) => {
		const options = present(collection(ctx, 'payOptions', i));
		return client.paymentRequests.pay(storeId, id, {
			amount: options.amount as string | undefined,
			allowPendingInvoiceReuse: options.allowPendingInvoiceReuse as boolean | undefined,
		});
	},
	simplifyInvoice,
);
