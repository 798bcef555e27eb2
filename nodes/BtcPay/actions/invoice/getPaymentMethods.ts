/** Invoice > Get Payment Methods: addresses, amounts due and payments per method. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { InvoicePaymentMethod } from '../../client/invoices';
import { getStoreId, optionsProperty, pick, simplify } from '../common';
import type { BtcPayOperation } from '../types';
import { invoiceId, R } from './common';

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

export const getPaymentMethods: BtcPayOperation = {
	name: 'Get Payment Methods',
	action: 'Get payment methods of an invoice',
	description: 'Payment methods of an invoice with their addresses, amounts due and payments',
	properties,
	async execute(ctx, i, client) {
		const storeId = getStoreId(ctx, i);
		const options = ctx.getNodeParameter('paymentMethodOptions', i, {}) as IDataObject;
		const methods = await client.invoices.paymentMethods(storeId, invoiceId(ctx, i), {
			onlyAccountedPayments: options.onlyAccountedPayments as boolean | undefined,
		});
		return simplify(ctx, i, methods, simplifyPaymentMethod);
	},
};
