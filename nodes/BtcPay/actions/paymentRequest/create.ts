/** Payment Request > Create: an amount that can be paid through one or more invoices. */
import type { INodeProperties } from 'n8n-workflow';
import { additionalFieldsProperty, show, simplify, storeCurrencyProperty } from '../common';
import { collection, text } from '../format';
import { storeOperation } from '../operations';
import { optionalFields, R, simplifyPaymentRequest, toInput } from './common';

const properties: INodeProperties[] = [
	{ displayName: 'Title', name: 'title', type: 'string', default: '', required: true, displayOptions: show(R, ['create']) },
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		default: '',
		required: true,
		placeholder: '150.00',
		description: 'Amount as a decimal number in the currency below, e.g. 150.00',
		displayOptions: show(R, ['create']),
	},
	storeCurrencyProperty(R, ['create']),
	additionalFieldsProperty(R, ['create'], optionalFields),
];

export const create = storeOperation(
	{ name: 'Create', simplify: true, action: 'Create a payment request', description: 'Request an amount that can be paid through one or more invoices', properties },
	async (ctx, i, client, storeId) => {
		const fields = { ...collection(ctx, 'additionalFields', i), title: text(ctx, 'title', i), amount: text(ctx, 'amount', i), currency: text(ctx, 'currency', i) };
		return simplify(ctx, i, await client.paymentRequests.create(storeId, toInput(fields)), simplifyPaymentRequest(client.http.baseUrl));
	},
);
