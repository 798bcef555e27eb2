/** Store > Update: the settings given change, the others keep their value. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { simplify, updateFieldsProperty } from '../common';
import { storeOperation } from '../operations';
import { R, settingFields, simplifyStore, toStoreSettings } from './common';

const properties: INodeProperties[] = [
	updateFieldsProperty(
		R,
		['update'],
		[
			{ displayName: 'Archived', name: 'archived', type: 'boolean', default: false, description: 'Whether the store is archived (hidden from the store list)' },
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
			...settingFields,
		],
		'Settings to change; the others keep their current value',
	),
];

export const update = storeOperation(
	{ name: 'Update', simplify: true, action: 'Update a store', description: 'Change some settings of a store', properties },
	async (ctx, i, client, storeId) => {
		const changes = toStoreSettings(ctx.getNodeParameter('updateFields', i, {}) as IDataObject);
		const store = await client.stores.update(storeId, changes);
		return simplify(ctx, i, store, simplifyStore);
	},
);
