/** Store: create, get, get many, update. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { BtcPayClient } from '../../client';
import type { Store, StoreSettings } from '../../client/stores';
import { InputError } from '../../../shared/errors';
import { getLimit, getStoreId, operationProperty, optionalNumber, pick, returnAllLimitProperties, show, simplify, simplifyProperty, speedPolicyField, storeLocatorProperty } from '../common';
import type { BtcPayResource, ItemResult } from '../types';

const R = 'store';

const settingFields: INodeProperties[] = [
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

export const storeProperties: INodeProperties[] = [
	operationProperty(
		R,
		[
			{ name: 'Create', value: 'create', action: 'Create a store', description: 'Create a store' },
			{ name: 'Get', value: 'get', action: 'Get a store', description: 'Get a store' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many stores', description: 'List the stores the API key can see' },
			{ name: 'Update', value: 'update', action: 'Update a store', description: 'Change some settings of a store' },
		],
		'get',
	),
	storeLocatorProperty(R, ['get', 'update']),
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'My Shop',
		description: 'Name of the new store',
		displayOptions: show(R, ['create']),
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(R, ['create']),
		options: settingFields,
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Settings to change; the others keep their current value',
		displayOptions: show(R, ['update']),
		options: [
			{ displayName: 'Archived', name: 'archived', type: 'boolean', default: false, description: 'Whether the store is archived (hidden from the store list)' },
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
			...settingFields,
		],
	},
	...returnAllLimitProperties(R, ['getAll']),
	simplifyProperty(R, ['create', 'get', 'getAll', 'update']),
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

async function execute(ctx: IExecuteFunctions, client: BtcPayClient, operation: string, i: number): Promise<ItemResult> {
	switch (operation) {
		case 'create': {
			const fields = toStoreSettings(ctx.getNodeParameter('additionalFields', i, {}) as IDataObject);
			const name = ctx.getNodeParameter('name', i, '') as string;
			const store = await client.stores.create({ ...fields, name });
			return simplify(ctx, i, store, simplifyStore);
		}
		case 'get': {
			const store = await client.stores.get(getStoreId(ctx, i));
			return simplify(ctx, i, store, simplifyStore);
		}
		case 'getAll': {
			const limit = getLimit(ctx, i);
			const stores = await client.stores.list();
			return simplify(ctx, i, limit === undefined ? stores : stores.slice(0, limit), simplifyStore);
		}
		case 'update': {
			const storeId = getStoreId(ctx, i);
			const changes = toStoreSettings(ctx.getNodeParameter('updateFields', i, {}) as IDataObject);
			const store = await client.stores.update(storeId, changes);
			return simplify(ctx, i, store, simplifyStore);
		}
		default:
			throw new InputError('Operation', `"${operation}" is not supported for stores`, 'BTCPay');
	}
}

export const store: BtcPayResource = {
	value: R,
	name: 'Store',
	description: 'BTCPay stores',
	properties: storeProperties,
	execute,
};
