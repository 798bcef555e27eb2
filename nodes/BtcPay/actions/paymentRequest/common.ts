/** What the payment request operations share: the resource value, the optional fields, the ID parameter and the simplified request. */
import { formatMoneyFields } from '../../../shared/amounts';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PaymentRequest, PaymentRequestInput } from '../../client/paymentRequests';
import { pick } from '../common';
import { present, text } from '../format';
import { isoFromUnixSeconds } from '../../../shared/time';

export const R = 'paymentRequest';

/** Optional fields of Create (Additional Fields) and, with Amount, Currency and Title, of Update. */
export const optionalFields: INodeProperties[] = [
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

/** The simplified payment request: link, status and amount first, amount with its currency's decimals, ISO times only. */
export function simplifyPaymentRequest(baseUrl: string) {
	return (pr: PaymentRequest): IDataObject => {
		const out: IDataObject = { link: `${baseUrl}/payment-requests/${encodeURIComponent(pr.id)}` };
		Object.assign(out, formatMoneyFields(pick(pr, ['status', 'amount', 'currency', 'title', 'referenceId', 'email', 'allowCustomPaymentAmounts']), pr.currency, ['amount']));
		const created = isoFromUnixSeconds(pr.createdTime);
		if (created) out.createdAt = created;
		const expires = isoFromUnixSeconds(pr.expiryDate);
		if (expires) out.expiresAt = expires;
		return Object.assign(out, pick(pr, ['id', 'storeId']));
	};
}

/** Maps a create/update collection to client input (the client validates and names bad fields). */
export function toInput(fields: IDataObject): PaymentRequestInput {
	const f = present(fields);
	const input: PaymentRequestInput = {};
	for (const key of ['title', 'amount', 'currency', 'email', 'description', 'referenceId', 'formId', 'expiryDate'] as const) {
		if (f[key] !== undefined) (input as IDataObject)[key] = f[key] as string;
	}
	if (typeof f.allowCustomPaymentAmounts === 'boolean') input.allowCustomPaymentAmounts = f.allowCustomPaymentAmounts;
	return input;
}

export function paymentRequestId(ctx: IExecuteFunctions, i: number): string {
	return text(ctx, 'paymentRequestId', i);
}
