/** Invoice > Get Payment Methods: addresses, amounts due and payments per method. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { InvoicePaymentMethod } from '../../client/invoices';
import { optionsProperty, pick } from '../common';
import { storeObjectQuery } from '../operations';
import { R } from './common';

const properties: INodeProperties[] = [
	optionsProperty('paymentMethodOptions', R, ['getPaymentMethods'], [
		{ displayName: 'Only Accounted Payments', name: 'onlyAccountedPayments', type: 'boolean', default: true, description: 'Whether to leave out payments that do not count (e.g. double spent)' },
	]),
];

export function simplifyPaymentMethod(method: InvoicePaymentMethod): IDataObject {
	const out = pick(method, ['paymentMethodId', 'currency', 'destination', 'paymentLink', 'amount', 'due', 'totalPaid', 'paymentMethodPaid', 'paymentMethodFee', 'rate', 'activated']);
	out.payments = method.payments.map((p) => pick(p, ['id', 'value', 'fee', 'status', 'destination', 'receivedDate'])) as IDataObject[];
	return out;
}

export const getPaymentMethods = storeObjectQuery(
	{ name: 'Get Payment Methods', simplify: true, action: 'Get payment methods of an invoice', description: 'Payment methods of an invoice with their addresses, amounts due and payments', properties },
	'invoiceId',
	(client, storeId, id, ctx, i) => {
		const options = ctx.getNodeParameter('paymentMethodOptions', i, {}) as IDataObject;
		return client.invoices.paymentMethods(storeId, id, { onlyAccountedPayments: options.onlyAccountedPayments as boolean | undefined });
	},
	simplifyPaymentMethod,
);
