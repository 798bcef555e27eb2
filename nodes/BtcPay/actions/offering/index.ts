/**
 * Offering: a BTCPay Subscriptions app (its plans, features, success page).
 * Create, get, get many, update; the Store picker, the Offering picker and
 * Simplify are declared here.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { OfferingInput } from '../../client/subscriptions';
import { additionalFieldsProperty, defineBtcPayResource, getLimit, returnAllLimitProperties, show, simplify, storeLocatorProperty, updateFieldsProperty } from '../common';
import { collection, limitList, present, text } from '../format';
import { storeOperation } from '../operations';
import { getOfferingId, jsonObject, metadataProperty, offeringLocatorProperty, simplifyOffering } from './common';

const R = 'offering';

const optionalFields: INodeProperties[] = [
	{
		displayName: 'Features',
		name: 'features',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		description: 'What plans can include (replaces the list on update)',
		options: [
			{
				displayName: 'Feature',
				name: 'feature',
				values: [
					{ displayName: 'ID', name: 'id', type: 'string', default: '', description: 'Your identifier, e.g. pro-reports' },
					{ displayName: 'Description', name: 'description', type: 'string', default: '' },
				],
			},
		],
	},
	metadataProperty(),
	{ displayName: 'Success Redirect URL', name: 'successRedirectUrl', type: 'string', default: '', placeholder: 'https://example.com/welcome', description: 'Where customers land after subscribing' },
];

function toInput(fields: IDataObject): OfferingInput {
	const f = present(fields);
	const input: OfferingInput = {};
	if (f.appName !== undefined) input.appName = String(f.appName);
	if (f.successRedirectUrl !== undefined) input.successRedirectUrl = String(f.successRedirectUrl);
	const metadata = jsonObject(f.metadata, 'Metadata');
	if (metadata && Object.keys(metadata).length) input.metadata = metadata;
	const list = ((f.features as IDataObject | undefined)?.feature ?? []) as IDataObject[];
	if (list.length) input.features = list.map((x) => ({ id: String(x.id ?? '').trim(), ...(x.description ? { description: String(x.description) } : {}) }));
	return input;
}

const create = storeOperation(
	{
		name: 'Create', simplify: true,
		action: 'Create an offering',
		description: 'Create a subscription offering (a BTCPay Subscriptions app)',
		properties: [
			{ displayName: 'App Name', name: 'appName', type: 'string', default: '', required: true, placeholder: 'Newsletter', displayOptions: show(R, ['create']) },
			additionalFieldsProperty(R, ['create'], optionalFields),
		],
	},
	async (ctx, i, client, storeId) => {
		const input = toInput({ ...collection(ctx, 'additionalFields', i), appName: text(ctx, 'appName', i) });
		return simplify(ctx, i, await client.subscriptions.createOffering(storeId, input), simplifyOffering);
	},
);

const get = storeOperation({ name: 'Get', simplify: true, action: 'Get an offering', description: 'Get an offering with its plans and features' }, async (ctx, i, client, storeId) =>
	simplify(ctx, i, await client.subscriptions.getOffering(storeId, getOfferingId(ctx, i)), simplifyOffering),
);

const getAll = storeOperation(
	{ name: 'Get Many', simplify: true, action: 'Get many offerings', description: 'List the offerings of a store', properties: [...returnAllLimitProperties(R, ['getAll'])] },
	async (ctx, i, client, storeId) => simplify(ctx, i, limitList(await client.subscriptions.listOfferings(storeId), getLimit(ctx, i)), simplifyOffering),
);

const update = storeOperation(
	{
		name: 'Update', simplify: true,
		action: 'Update an offering',
		description: 'Change the name, success page, features or metadata of an offering',
		properties: [
			updateFieldsProperty(R, ['update'], [{ displayName: 'App Name', name: 'appName', type: 'string', default: '' }, ...optionalFields]),
		],
	},
	async (ctx, i, client, storeId) =>
		simplify(ctx, i, await client.subscriptions.updateOffering(storeId, getOfferingId(ctx, i), toInput(collection(ctx, 'updateFields', i))), simplifyOffering),
);

const fields: INodeProperties[] = [
	storeLocatorProperty(R),
	offeringLocatorProperty(R, ['get', 'update']),
];

export const offering = defineBtcPayResource({
	value: R,
	name: 'Offering',
	description: 'Subscription offerings (BTCPay 2.x Subscriptions apps) and their plans',
	operations: { create, get, getAll, update },
	defaultOperation: 'get',
	fields,
});
