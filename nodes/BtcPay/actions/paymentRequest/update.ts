/** Payment Request > Update: the fields given change, the others are kept. */
import type { INodeProperties } from 'n8n-workflow';
import { simplify, updateFieldsProperty } from '../common';
import { collection } from '../format';
import { storeOperation } from '../operations';
import { optionalFields, paymentRequestId, R, simplifyPaymentRequest, toInput } from './common';

const properties: INodeProperties[] = [
	updateFieldsProperty(R, ['update'], [
		...optionalFields.slice(0, 1),
		{ displayName: 'Amount', name: 'amount', type: 'string', default: '', placeholder: '150.00', description: 'New amount as a decimal number' },
		{ displayName: 'Currency', name: 'currency', type: 'string', default: '', placeholder: 'USD' },
		...optionalFields.slice(1),
		{ displayName: 'Title', name: 'title', type: 'string', default: '' },
	]),
];

export const update = storeOperation(
	{ name: 'Update', simplify: true, action: 'Update a payment request', description: 'Change fields of a payment request; the others are kept', properties },
	async (ctx, i, client, storeId) => {
		const simplifier = simplifyPaymentRequest(client.http.baseUrl);
		return simplify(ctx, i, await client.paymentRequests.update(storeId, paymentRequestId(ctx, i), toInput(collection(ctx, 'updateFields', i))), simplifier);
	},
);
