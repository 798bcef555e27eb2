/**
 * Payment Request: create, get, get many, update (merged), archive, and pay
 * (creates an invoice for the amount due or a custom amount).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { BtcPayClient } from '../../client';
import type { PaymentRequest, PaymentRequestInput } from '../../client/paymentRequests';
import { InputError } from '../../../shared/errors';
import { getLimit, getStoreId, operationProperty, pick, returnAllLimitProperties, show, simplify, simplifyProperty, storeLocatorProperty } from '../common';
import { simplifyInvoice } from '../invoice';
import { collection, isoTime, limitList, present, text } from '../pullPayment/format';
import type { BtcPayResource, ItemResult } from '../types';

const R = 'paymentRequest';

const optionalFields: INodeProperties[] = [
	{
		displayName: 'Allow Custom Payment Amounts',
		name: 'allowCustomPaymentAmounts',
		type: 'boolean',
		default: false,
		description: 'Whether the payer may pay part of the amount per invoice',
	},
	{ displayName: 'Description', name: 'description', type: 'string', default: '', typeOptions: { rows: 3 }, description: 'Shown on the payment request page (HTML allowed)' },
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '', description: 'Email of the payer, used on the invoices' },
	{ displayName: 'Expiry Date', name: 'expiryDate', type: 'dateTime', default: '', description: 'After this time the request can no longer be paid' },
	{ displayName: 'Form ID', name: 'formId', type: 'string', default: '', description: 'BTCPay form that asks the payer for data' },
	{ displayName: 'Reference ID', name: 'referenceId', type: 'string', default: '', description: 'Your own reference, e.g. an invoice number from your accounting' },
];

export const paymentRequestProperties: INodeProperties[] = [
	operationProperty(
		R,
		[
			{ name: 'Archive', value: 'archive', action: 'Archive a payment request', description: 'Hide a payment request; it can no longer be paid' },
			{ name: 'Create', value: 'create', action: 'Create a payment request', description: 'Request an amount that can be paid through one or more invoices' },
			{ name: 'Create Invoice', value: 'pay', action: 'Create an invoice for a payment request', description: 'Create (or reuse) an invoice for the amount due or a custom amount' },
			{ name: 'Get', value: 'get', action: 'Get a payment request', description: 'Get a payment request and its status' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many payment requests', description: 'List the payment requests of a store' },
			{ name: 'Update', value: 'update', action: 'Update a payment request', description: 'Change fields of a payment request; the others are kept' },
		],
		'create',
	),
	storeLocatorProperty(R),
	{
		displayName: 'Payment Request ID',
		name: 'paymentRequestId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: show(R, ['get', 'update', 'archive', 'pay']),
	},
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
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: '',
		placeholder: 'USD',
		description: 'Currency code such as USD, EUR or BTC. Empty: the store default currency.',
		displayOptions: show(R, ['create']),
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(R, ['create']),
		options: optionalFields,
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(R, ['update']),
		options: [
			...optionalFields.slice(0, 1),
			{ displayName: 'Amount', name: 'amount', type: 'string', default: '', placeholder: '150.00', description: 'New amount as a decimal number' },
			{ displayName: 'Currency', name: 'currency', type: 'string', default: '', placeholder: 'USD' },
			...optionalFields.slice(1),
			{ displayName: 'Title', name: 'title', type: 'string', default: '' },
		],
	},
	{
		displayName: 'Options',
		name: 'payOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(R, ['pay']),
		options: [
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
		],
	},
	...returnAllLimitProperties(R, ['getAll']),
	simplifyProperty(R, ['create', 'get', 'getAll', 'update', 'pay']),
];

function simplifyPaymentRequest(baseUrl: string) {
	return (pr: PaymentRequest): IDataObject => {
		const out = pick(pr, ['id', 'storeId', 'title', 'amount', 'currency', 'status', 'referenceId', 'email', 'allowCustomPaymentAmounts']);
		out.link = `${baseUrl}/payment-requests/${encodeURIComponent(pr.id)}`;
		const created = isoTime(pr.createdTime);
		if (created) out.createdAt = created;
		const expires = isoTime(pr.expiryDate);
		if (expires) out.expiresAt = expires;
		return out;
	};
}

/** Maps a create/update collection to client input (the client validates and names bad fields). */
function toInput(fields: IDataObject): PaymentRequestInput {
	const f = present(fields);
	const input: PaymentRequestInput = {};
	for (const key of ['title', 'amount', 'currency', 'email', 'description', 'referenceId', 'formId', 'expiryDate'] as const) {
		if (f[key] !== undefined) (input as IDataObject)[key] = f[key] as string;
	}
	if (typeof f.allowCustomPaymentAmounts === 'boolean') input.allowCustomPaymentAmounts = f.allowCustomPaymentAmounts;
	return input;
}

async function execute(ctx: IExecuteFunctions, client: BtcPayClient, operation: string, i: number): Promise<ItemResult> {
	const storeId = getStoreId(ctx, i);
	const simplifier = simplifyPaymentRequest(client.http.baseUrl);
	const id = () => text(ctx, 'paymentRequestId', i);
	switch (operation) {
		case 'create': {
			const fields = { ...collection(ctx, 'additionalFields', i), title: text(ctx, 'title', i), amount: text(ctx, 'amount', i), currency: text(ctx, 'currency', i) };
			return simplify(ctx, i, await client.paymentRequests.create(storeId, toInput(fields)), simplifier);
		}
		case 'get':
			return simplify(ctx, i, await client.paymentRequests.get(storeId, id()), simplifier);
		case 'getAll': {
			const list = limitList(await client.paymentRequests.list(storeId), getLimit(ctx, i));
			return simplify(ctx, i, list, simplifier);
		}
		case 'update':
			return simplify(ctx, i, await client.paymentRequests.update(storeId, id(), toInput(collection(ctx, 'updateFields', i))), simplifier);
		case 'archive': {
			const prId = id();
			await client.paymentRequests.archive(storeId, prId);
			return { success: true, paymentRequestId: prId, archived: true };
		}
		case 'pay': {
			const options = present(collection(ctx, 'payOptions', i));
			const invoice = await client.paymentRequests.pay(storeId, id(), {
				amount: options.amount as string | undefined,
				allowPendingInvoiceReuse: options.allowPendingInvoiceReuse as boolean | undefined,
			});
			return simplify(ctx, i, invoice, simplifyInvoice);
		}
		default:
			throw new InputError('Operation', `"${operation}" is not supported for payment requests`, 'BTCPay');
	}
}

export const paymentRequest: BtcPayResource = {
	value: R,
	name: 'Payment Request',
	description: 'Requests for an amount, paid through one or more invoices',
	properties: paymentRequestProperties,
	execute,
};
