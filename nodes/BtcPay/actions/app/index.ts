/**
 * App: Point of Sale and Crowdfund apps: create (in a store), get, update
 * (merged: the other settings are kept), delete, get many (in a store or in
 * every store), sales statistics per day and top items.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { BtcPayClient } from '../../client';
import type { CrowdfundSettings, PosSettings } from '../../client/apps';
import { InputError } from '../../../shared/errors';
import { additionalFieldsProperty, defineBtcPayResource, getLimit, getStoreId, returnAllLimitProperties, show, simplify, storeLocatorProperty, updateFieldsProperty } from '../common';
import { collection, text } from '../format';
import { storeOperation, type OperationEntry } from '../operations';
import { defineBtcPayOperation, type ItemResult } from '../types';
import { allSettingsFields, appLocatorProperty, crowdfundSettingsFields, getAppId, posSettingsFields, R, simplifyApp, toSettings } from './common';

const WITH_APP = ['get', 'update', 'delete', 'getSales', 'getTopItems'];

const fields: INodeProperties[] = [
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		default: 'store',
		options: [
			{ name: 'One Store', value: 'store', description: 'The apps of the chosen store' },
			{ name: 'All Stores', value: 'all', description: 'The apps of every store this API key reaches' },
		],
		displayOptions: show(R, ['getAll']),
	},
	storeLocatorProperty(R, ['create']),
	{ ...storeLocatorProperty(R, ['getAll']), displayOptions: { show: { resource: [R], operation: ['getAll'], scope: ['store'] } } },
	appLocatorProperty(WITH_APP),
	{
		displayName: 'App Type',
		name: 'appType',
		type: 'options',
		default: 'PointOfSale',
		options: [
			{ name: 'Point of Sale', value: 'PointOfSale' },
			{ name: 'Crowdfund', value: 'Crowdfund' },
		],
		displayOptions: show(R, ['create']),
	},
	{ displayName: 'App Name', name: 'appName', type: 'string', default: '', required: true, description: 'Name of the app in BTCPay (1 to 50 characters)', displayOptions: show(R, ['create']) },
	{
		...additionalFieldsProperty(R, ['create'], posSettingsFields),
		displayOptions: { show: { resource: [R], operation: ['create'], appType: ['PointOfSale'] } },
	},
	{
		...additionalFieldsProperty(R, ['create'], crowdfundSettingsFields),
		displayOptions: { show: { resource: [R], operation: ['create'], appType: ['Crowdfund'] } },
	},
	updateFieldsProperty(R, ['update'], [
		{ displayName: 'App Name', name: 'appName', type: 'string', default: '' },
		...allSettingsFields,
	]),
	{ displayName: 'Number of Days', name: 'numberOfDays', type: 'number', default: 7, typeOptions: { minValue: 1 }, description: 'How many days back, one entry per day', displayOptions: show(R, ['getSales']) },
	...returnAllLimitProperties(R, ['getTopItems'], 1000),
];

/** An operation on one app chosen by the App picker (not store-scoped: BTCPay finds the store from the app). */
function appOperation(
	entry: OperationEntry,
	run: (ctx: IExecuteFunctions, i: number, client: BtcPayClient, appId: string) => Promise<ItemResult>,
) {
	return defineBtcPayOperation(entry, async (ctx, i, client) => run(ctx, i, client, getAppId(ctx, i)));
}

export const app = defineBtcPayResource({
	value: R,
	// eslint-disable-next-line n8n-nodes-base/node-param-option-name-wrong-for-get-many -- a resource (defaultOperation 'getAll'), not a dropdown option
	name: 'App',
	description: 'Point of Sale and Crowdfund apps',
	operations: {
		create: storeOperation({ simplify: true, name: 'Create', action: 'Create an app', description: 'Create a Point of Sale or Crowdfund app in the store' }, async (ctx, i, client, storeId) => {
			const type = text(ctx, 'appType', i);
			const settings = { ...toSettings(type, collection(ctx, 'additionalFields', i)), appName: text(ctx, 'appName', i) };
			const created =
				type === 'Crowdfund'
					? await client.apps.createCrowdfund(storeId, settings as unknown as CrowdfundSettings)
					: type === 'PointOfSale'
						? await client.apps.createPointOfSale(storeId, settings as unknown as PosSettings)
						: undefined;
			if (!created) throw new InputError('App Type', `"${type}" is not one of PointOfSale, Crowdfund`, 'BTCPay');
			return simplify(ctx, i, created, simplifyApp);
		}),
		get: appOperation({ simplify: true, name: 'Get', action: 'Get an app', description: 'Get an app with all its settings (items or perks included)' }, async (ctx, i, client, appId) =>
			simplify(ctx, i, await client.apps.getDetails(appId), simplifyApp),
		),
		update: appOperation({ simplify: true, name: 'Update', action: 'Update an app', description: 'Change settings of an app; the others are kept' }, async (ctx, i, client, appId) => {
			const fields = collection(ctx, 'updateFields', i);
			const type = (await client.apps.get(appId)).appType;
			return simplify(ctx, i, await client.apps.update(appId, toSettings(type, fields) as Partial<PosSettings>), simplifyApp);
		}),
		delete: appOperation({ name: 'Delete', action: 'Delete an app', description: 'Delete an app and its settings' }, async (_ctx, _i, client, appId) => {
			await client.apps.delete(appId);
			return { success: true, appId, deleted: true };
		}),
		getAll: defineBtcPayOperation({ simplify: true, name: 'Get Many', action: 'Get many apps', description: 'List the apps of a store, or of every store (archived ones included)' }, async (ctx, i, client) => {
			const all = text(ctx, 'scope', i) === 'all';
			const list = all ? await client.apps.list() : await client.apps.list(getStoreId(ctx, i));
			return simplify(ctx, i, list, simplifyApp);
		}),
		getSales: appOperation({ name: 'Get Sales Statistics', action: 'Get sales statistics of an app', description: 'Number of sales per day over the last days' }, async (ctx, i, client, appId) => {
			const days = ctx.getNodeParameter('numberOfDays', i, 7) as number;
			return { appId, ...((await client.apps.sales(appId, days)) as IDataObject) };
		}),
		getTopItems: appOperation({ name: 'Get Top Items', action: 'Get the top items of an app', description: 'Best-selling items, most sold first' }, async (ctx, i, client, appId) => {
			// Return All: the largest count BTCPay's int parameter takes (it answers at most what there is)
			const count = getLimit(ctx, i) ?? 2_147_483_647;
			return (await client.apps.topItems(appId, { offset: 0, count })).map((item) => ({ appId, ...(item as IDataObject) }));
		}),
	},
	defaultOperation: 'getAll',
	fields,
});
