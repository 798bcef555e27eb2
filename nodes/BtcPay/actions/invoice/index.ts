/**
 * Invoice: create, get, get many (filters + paging), get payment methods,
 * mark status, archive, unarchive.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { BtcPayClient } from '../../client';
import type { CreateInvoiceInput, Invoice, InvoiceMarkStatus, InvoicePaymentMethod, ListInvoicesQuery } from '../../client/invoices';
import { INVOICE_STATUSES } from '../../client/invoices';
import { InputError } from '../../../shared/errors';
import {
	getPaged,
	getStoreId,
	operationProperty,
	optionalNumber,
	parseJsonParameter,
	parseList,
	pick,
	returnAllLimitProperties,
	show,
	simplify,
	simplifyProperty,
	speedPolicyField,
	storeLocatorProperty,
} from '../common';
import type { BtcPayResource, ItemResult } from '../types';

const R = 'invoice';
const ONE_INVOICE = ['get', 'getPaymentMethods', 'markStatus', 'archive', 'unarchive'];

export const invoiceProperties: INodeProperties[] = [
	operationProperty(
		R,
		[
			{ name: 'Archive', value: 'archive', action: 'Archive an invoice', description: 'Hide an invoice from the invoice list' },
			{ name: 'Create', value: 'create', action: 'Create an invoice', description: 'Create an invoice' },
			{ name: 'Get', value: 'get', action: 'Get an invoice', description: 'Get an invoice' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many invoices', description: 'List invoices of a store, newest first' },
			{
				name: 'Get Payment Methods',
				value: 'getPaymentMethods',
				action: 'Get payment methods of an invoice',
				description: 'Payment methods of an invoice with their addresses, amounts due and payments',
			},
			{ name: 'Mark Status', value: 'markStatus', action: 'Mark an invoice as settled or invalid', description: 'Mark an invoice as settled or invalid' },
			{ name: 'Unarchive', value: 'unarchive', action: 'Unarchive an invoice', description: 'Show an archived invoice again' },
		],
		'create',
	),
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
	// ---- create
	{
		displayName: 'Amount Type',
		name: 'amountType',
		type: 'options',
		default: 'fixed',
		options: [
			{ name: 'Fixed Amount', value: 'fixed', description: 'The buyer pays the given amount' },
			{ name: 'Top-Up (Any Amount)', value: 'topUp', description: 'Any payment counts as full payment' },
		],
		displayOptions: show(R, ['create']),
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		default: '',
		required: true,
		placeholder: '12.50',
		description: 'Amount as a decimal number in the currency below, e.g. 12.50 (no more decimals than the currency allows)',
		displayOptions: { show: { resource: [R], operation: ['create'], amountType: ['fixed'] } },
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: '',
		placeholder: 'USD',
		description: 'Currency code such as USD, EUR, BTC or SATS. Empty: the store default currency.',
		displayOptions: show(R, ['create']),
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(R, ['create']),
		options: [
			{ displayName: 'Additional Search Terms', name: 'additionalSearchTerms', type: 'string', default: '', description: 'Comma-separated terms that find this invoice in text search' },
			{ displayName: 'Buyer Email', name: 'buyerEmail', type: 'string', placeholder: 'name@email.com', default: '' },
			{ displayName: 'Default Payment Method', name: 'defaultPaymentMethod', type: 'string', default: '', placeholder: 'BTC-LN', description: 'Payment method shown first at checkout' },
			{ displayName: 'Expiration (Minutes)', name: 'expirationMinutes', type: 'number', default: 15, typeOptions: { minValue: 1 }, description: 'Minutes until the invoice expires. Default: the store setting.' },
			{ displayName: 'Item Description', name: 'itemDesc', type: 'string', default: '' },
			{
				displayName: 'Metadata (JSON)',
				name: 'metadata',
				type: 'json',
				default: '{}',
				description: 'Free metadata stored with the invoice; Order ID, Buyer Email and Item Description are added to it',
			},
			{ displayName: 'Order ID', name: 'orderId', type: 'string', default: '', description: 'Your order reference; invoices can be searched by it' },
			{
				displayName: 'Payment Methods',
				name: 'paymentMethods',
				type: 'string',
				default: '',
				placeholder: 'BTC-CHAIN, BTC-LN',
				description: 'Comma-separated payment method IDs to offer (BTC-CHAIN, BTC-LN, BTC-LNURL). Default: every method enabled in the store.',
			},
			{ displayName: 'Redirect Automatically', name: 'redirectAutomatically', type: 'boolean', default: false, description: 'Whether the checkout page redirects to the Redirect URL after payment' },
			{ displayName: 'Redirect URL', name: 'redirectURL', type: 'string', default: '', placeholder: 'https://shop.example.com/thanks', description: 'Where the buyer goes after paying' },
			speedPolicyField('Confirmations needed before an on-chain payment settles the invoice'),
		],
	},
	// ---- get many
	...returnAllLimitProperties(R, ['getAll']),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(R, ['getAll']),
		options: [
			{ displayName: 'End Date', name: 'endDate', type: 'dateTime', default: '', description: 'Only invoices created before this time' },
			{ displayName: 'Order IDs', name: 'orderId', type: 'string', default: '', description: 'Comma-separated order IDs' },
			{ displayName: 'Start Date', name: 'startDate', type: 'dateTime', default: '', description: 'Only invoices created after this time' },
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				default: [],
				options: INVOICE_STATUSES.map((s) => ({ name: s, value: s })),
				description: 'Only invoices in one of these statuses',
			},
			{ displayName: 'Text Search', name: 'textSearch', type: 'string', default: '', description: 'Term found in the invoice (ID, order ID, buyer email, metadata...)' },
		],
	},
	// ---- payment methods
	{
		displayName: 'Options',
		name: 'paymentMethodOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(R, ['getPaymentMethods']),
		options: [
			{ displayName: 'Only Accounted Payments', name: 'onlyAccountedPayments', type: 'boolean', default: true, description: 'Whether to leave out payments that do not count (e.g. double spent)' },
		],
	},
	// ---- mark status
	{
		displayName: 'Status',
		name: 'markAs',
		type: 'options',
		default: 'Settled',
		options: [
			{ name: 'Settled', value: 'Settled' },
			{ name: 'Invalid', value: 'Invalid' },
		],
		description: 'New status of the invoice',
		displayOptions: show(R, ['markStatus']),
	},
	simplifyProperty(R, ['create', 'get', 'getAll', 'getPaymentMethods', 'markStatus', 'unarchive']),
];

const INVOICE_KEYS = ['id', 'storeId', 'status', 'additionalStatus', 'amount', 'paidAmount', 'currency', 'type', 'checkoutLink', 'createdTime', 'expirationTime', 'archived'];

function isoSeconds(value: unknown): string | undefined {
	return typeof value === 'number' ? new Date(value * 1000).toISOString() : undefined;
}

export function simplifyInvoice(invoice: Invoice): IDataObject {
	const out = pick(invoice, INVOICE_KEYS);
	const metadata = (invoice.metadata ?? {}) as IDataObject;
	for (const key of ['orderId', 'buyerEmail', 'itemDesc']) if (metadata[key] !== undefined && metadata[key] !== null) out[key] = metadata[key];
	const created = isoSeconds(invoice.createdTime);
	if (created) out.createdAt = created;
	const expires = isoSeconds(invoice.expirationTime);
	if (expires) out.expiresAt = expires;
	return out;
}

export function simplifyPaymentMethod(method: InvoicePaymentMethod): IDataObject {
	const out = pick(method, ['paymentMethodId', 'currency', 'destination', 'paymentLink', 'amount', 'due', 'totalPaid', 'paymentMethodPaid', 'paymentMethodFee', 'rate', 'activated']);
	out.payments = method.payments.map((p) => pick(p, ['id', 'value', 'fee', 'status', 'destination', 'receivedDate'])) as IDataObject[];
	return out;
}

/** Maps the create parameters of item `i` to the client input (validated by the client before sending). */
export function createInput(ctx: IExecuteFunctions, i: number): CreateInvoiceInput {
	const amountType = ctx.getNodeParameter('amountType', i, 'fixed') as string;
	const currency = String(ctx.getNodeParameter('currency', i, '') ?? '').trim();
	const fields = ctx.getNodeParameter('additionalFields', i, {}) as IDataObject;
	const input: CreateInvoiceInput = {};
	if (amountType === 'fixed') {
		const amount = ctx.getNodeParameter('amount', i, '') as unknown;
		if (amount === '' || amount === undefined || amount === null) throw new InputError('Amount', 'is required (or choose Amount Type "Top-Up")', 'BTCPay');
		input.amount = amount as string | number;
	} else if (amountType !== 'topUp') {
		throw new InputError('Amount Type', `"${amountType}" is not one of fixed, topUp`, 'BTCPay');
	}
	if (currency) input.currency = currency;
	const str = (key: string) => {
		const v = fields[key];
		return v === undefined || v === null || v === '' ? undefined : String(v);
	};
	if (str('orderId')) input.orderId = str('orderId');
	if (str('buyerEmail')) input.buyerEmail = str('buyerEmail');
	if (str('itemDesc')) input.itemDesc = str('itemDesc');
	const metadata = parseJsonParameter(fields.metadata, 'Metadata (JSON)') as Record<string, unknown> | undefined;
	if (metadata && Object.keys(metadata).length) input.metadata = metadata;
	const terms = parseList(fields.additionalSearchTerms);
	if (terms) input.additionalSearchTerms = terms;
	const checkout: NonNullable<CreateInvoiceInput['checkout']> = {};
	if (str('speedPolicy')) checkout.speedPolicy = str('speedPolicy') as never;
	const methods = parseList(fields.paymentMethods);
	if (methods) checkout.paymentMethods = methods;
	if (str('defaultPaymentMethod')) checkout.defaultPaymentMethod = str('defaultPaymentMethod');
	const minutes = optionalNumber(fields.expirationMinutes, 'Expiration (Minutes)');
	if (minutes !== undefined) checkout.expirationMinutes = minutes;
	if (str('redirectURL')) checkout.redirectURL = str('redirectURL');
	if (fields.redirectAutomatically !== undefined) checkout.redirectAutomatically = fields.redirectAutomatically as boolean;
	if (Object.keys(checkout).length) input.checkout = checkout;
	return input;
}

/** Maps the Filters collection of item `i` to a list query (without paging). */
export function listQuery(ctx: IExecuteFunctions, i: number): ListInvoicesQuery {
	const filters = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const query: ListInvoicesQuery = {};
	const status = parseList(filters.status);
	if (status) query.status = status as ListInvoicesQuery['status'];
	const orderIds = parseList(filters.orderId);
	if (orderIds) query.orderId = orderIds;
	if (filters.textSearch) query.textSearch = String(filters.textSearch);
	if (filters.startDate) query.startDate = filters.startDate as string;
	if (filters.endDate) query.endDate = filters.endDate as string;
	return query;
}

function invoiceId(ctx: IExecuteFunctions, i: number): string {
	return String(ctx.getNodeParameter('invoiceId', i, '') ?? '').trim();
}

async function execute(ctx: IExecuteFunctions, client: BtcPayClient, operation: string, i: number): Promise<ItemResult> {
	const storeId = getStoreId(ctx, i);
	switch (operation) {
		case 'create': {
			const invoice = await client.invoices.create(storeId, createInput(ctx, i));
			return simplify(ctx, i, invoice, simplifyInvoice);
		}
		case 'get':
			return simplify(ctx, i, await client.invoices.get(storeId, invoiceId(ctx, i)), simplifyInvoice);
		case 'getAll': {
			const query = listQuery(ctx, i);
			const invoices = await getPaged(ctx, i, (skip, take) => client.invoices.list(storeId, { ...query, skip, take }));
			return simplify(ctx, i, invoices, simplifyInvoice);
		}
		case 'getPaymentMethods': {
			const options = ctx.getNodeParameter('paymentMethodOptions', i, {}) as IDataObject;
			const methods = await client.invoices.paymentMethods(storeId, invoiceId(ctx, i), {
				onlyAccountedPayments: options.onlyAccountedPayments as boolean | undefined,
			});
			return simplify(ctx, i, methods, simplifyPaymentMethod);
		}
		case 'markStatus': {
			const status = ctx.getNodeParameter('markAs', i, '') as InvoiceMarkStatus;
			return simplify(ctx, i, await client.invoices.markStatus(storeId, invoiceId(ctx, i), status), simplifyInvoice);
		}
		case 'archive': {
			const id = invoiceId(ctx, i);
			await client.invoices.archive(storeId, id);
			return { success: true, invoiceId: id, archived: true };
		}
		case 'unarchive':
			return simplify(ctx, i, await client.invoices.unarchive(storeId, invoiceId(ctx, i)), simplifyInvoice);
		default:
			throw new InputError('Operation', `"${operation}" is not supported for invoices`, 'BTCPay');
	}
}

export const invoice: BtcPayResource = {
	value: R,
	name: 'Invoice',
	description: 'Invoices of a store',
	properties: invoiceProperties,
	execute,
};
