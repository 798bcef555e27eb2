/** What the store operations share: the resource value, the setting fields of Create and Update, and the simplified store. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { Store, StoreSettings } from '../../client/stores';
import { InputError } from '../../../shared/errors';
import { optionalNumber, pick, speedPolicyField } from '../common';

export const R = 'store';

export const settingFields: INodeProperties[] = [
	{ displayName: 'Default Currency', name: 'defaultCurrency', type: 'string', default: '', placeholder: 'USD', description: 'Currency code used for invoices that name none' },
	{ displayName: 'Default Language', name: 'defaultLang', type: 'string', default: '', placeholder: 'en', description: 'Language of the checkout page' },
	{
		displayName: 'Invoice Expiration (Minutes)',
		name: 'invoiceExpirationMinutes',
		type: 'number',
		default: 15,
		typeOptions: { minValue: 1 },
		description: 'Minutes after which an unpaid invoice expires',
	},
	{
		displayName: 'Payment Tolerance (%)',
		name: 'paymentTolerance',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, maxValue: 100 },
		description: 'Consider an invoice paid when at most this percentage is missing',
	},
	speedPolicyField('Confirmations needed before an on-chain payment settles an invoice'),
	{ displayName: 'Website', name: 'website', type: 'string', default: '', placeholder: 'https://shop.example.com' },
];

const SIMPLE_KEYS = ['id', 'name', 'website', 'defaultCurrency', 'invoiceExpiration', 'speedPolicy', 'defaultLang', 'archived'];

export function simplifyStore(store: Store): IDataObject {
	return pick(store, SIMPLE_KEYS);
}

/** Maps the UI collection to client settings (minutes → seconds; empty strings dropped). */
export function toStoreSettings(fields: IDataObject): Partial<StoreSettings> {
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(fields)) {
		if (value === '' || value === undefined || value === null) continue;
		if (key === 'invoiceExpirationMinutes') {
			const minutes = optionalNumber(value, 'Invoice Expiration (Minutes)');
			if (minutes === undefined) continue;
			if (!Number.isInteger(minutes) || minutes < 1) throw new InputError('Invoice Expiration (Minutes)', 'must be a whole number of minutes, at least 1', 'BTCPay');
			out.invoiceExpiration = minutes * 60;
		} else if (key === 'paymentTolerance') {
			out.paymentTolerance = optionalNumber(value, 'Payment Tolerance (%)');
		} else {
			out[key] = value;
		}
	}
	return out as Partial<StoreSettings>;
}
