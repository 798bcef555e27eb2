/** Store > Create. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { additionalFieldsProperty, show, simplify } from '../common';
import { defineBtcPayOperation } from '../types';
import { R, settingFields, simplifyStore, toStoreSettings } from './common';

const properties: INodeProperties[] = [
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
	additionalFieldsProperty(R, ['create'], settingFields),
];

export const create = defineBtcPayOperation(
	{ name: 'Create', simplify: true, action: 'Create a store', description: 'Create a store', properties },
	async (ctx, i, client) => {
		const fields = toStoreSettings(ctx.getNodeParameter('additionalFields', i, {}) as IDataObject);
		const name = ctx.getNodeParameter('name', i, '') as string;
		const store = await client.stores.create({ ...fields, name });
		return simplify(ctx, i, store, simplifyStore);
	},
);
