/**
 * Lightning Address: the store's Lightning addresses (user@your-btcpay-host):
 * list, get, create or update (min/max, currency, invoice metadata), delete.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { LightningAddress, LightningAddressInput } from '../../client/paymentMethods';
import { defineBtcPayResource, additionalFieldsProperty, parseJsonParameter, show, storeLocatorProperty } from '../common';
import { collection, present, text } from '../format';
import { storeObjectAction, storeOperation } from '../operations';

const R = 'lightningAddress';

const fields: INodeProperties[] = [
	storeLocatorProperty(R),
	{
		displayName: 'Username',
		name: 'username',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'tips',
		description: 'The part before the @ (tips for tips@btcpay.example.com); BTCPay stores it lower-case',
		displayOptions: show(R, ['get', 'upsert', 'delete']),
	},
	additionalFieldsProperty(R, ['upsert'], [
		{ displayName: 'Currency', name: 'currencyCode', type: 'string', default: '', placeholder: 'USD', description: "Currency of the invoices; empty: the store's default currency" },
		{ displayName: 'Invoice Metadata (JSON)', name: 'invoiceMetadata', type: 'json', default: '{}', description: 'Metadata added to every invoice paid through this address' },
		{ displayName: 'Max', name: 'max', type: 'string', default: '', placeholder: '100000', description: 'Largest amount accepted, decimal' },
		{ displayName: 'Min', name: 'min', type: 'string', default: '', placeholder: '1', description: 'Smallest amount accepted, decimal, above 0' },
	]),
];

/** The address as people write it, next to BTCPay's fields. */
const withAddress = (host: string, storeId: string) => (a: LightningAddress): IDataObject => ({ ...(a as IDataObject), address: `${a.username}@${host}`, storeId });

function toInput(fields: IDataObject): LightningAddressInput {
	const f = present(fields);
	const input: LightningAddressInput = {};
	if (f.currencyCode !== undefined) input.currencyCode = String(f.currencyCode);
	if (f.min !== undefined) input.min = f.min as string;
	if (f.max !== undefined) input.max = f.max as string;
	const metadata = parseJsonParameter(f.invoiceMetadata, 'Invoice Metadata (JSON)') as IDataObject | undefined;
	if (metadata && Object.keys(metadata).length) input.invoiceMetadata = metadata;
	return input;
}

const host = (baseUrl: string) => new URL(baseUrl).host;
const username = (ctx: IExecuteFunctions, i: number) => text(ctx, 'username', i);

export const lightningAddress = defineBtcPayResource({
	value: R,
	// eslint-disable-next-line n8n-nodes-base/node-param-option-name-wrong-for-get-many -- a resource (defaultOperation 'getAll'), not a dropdown option
	name: 'Lightning Address',
	description: 'Lightning addresses (user@host) that pay into the store',
	operations: {
		getAll: storeOperation({ name: 'Get Many', action: 'Get many Lightning addresses', description: 'List the Lightning addresses of the store' }, async (_ctx, _i, client, storeId) =>
			(await client.paymentMethods.listLightningAddresses(storeId)).map(withAddress(host(client.http.baseUrl), storeId)),
		),
		get: storeOperation({ name: 'Get', action: 'Get a Lightning address', description: 'Get one Lightning address of the store' }, async (ctx, i, client, storeId) =>
			withAddress(host(client.http.baseUrl), storeId)(await client.paymentMethods.getLightningAddress(storeId, username(ctx, i))),
		),
		upsert: storeOperation(
			{ name: 'Create or Update', action: 'Create or update a Lightning address', description: 'Create the address, or replace its settings when the store has it already' },
			async (ctx, i, client, storeId) =>
				withAddress(host(client.http.baseUrl), storeId)(await client.paymentMethods.setLightningAddress(storeId, username(ctx, i), toInput(collection(ctx, 'additionalFields', i)))),
		),
		delete: storeObjectAction(
			{ name: 'Delete', action: 'Delete a Lightning address', description: 'Delete a Lightning address of the store' },
			'username',
			(client, storeId, id) => client.paymentMethods.removeLightningAddress(storeId, id),
			{ deleted: true },
		),
	},
	defaultOperation: 'getAll',
	fields,
});
