/**
 * Rate: the store's exchange rates for currency pairs, its rate configuration
 * (primary or fallback: preferred source, spread, custom script) and a preview
 * of a configuration before saving it. Rates and the spread are decimal strings.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { RateConfigurationInput, RateResult, RateSource } from '../../client/rates';
import { defineBtcPayResource, collectionProperty, show, storeLocatorProperty, updateFieldsProperty } from '../common';
import { collection, present, text } from '../format';
import { storeOperation } from '../operations';

const R = 'rate';

const configurationFields: INodeProperties[] = [
	{ displayName: 'Custom Script', name: 'isCustomScript', type: 'boolean', default: false, description: 'Whether the rates come from the Effective Script instead of the preferred source' },
	{
		displayName: 'Effective Script',
		name: 'effectiveScript',
		type: 'string',
		typeOptions: { rows: 5 },
		default: '',
		placeholder: 'BTC_USD = kraken(BTC_USD);\nBTC_EUR = kraken(BTC_EUR);',
		description: 'Rate rules (with Custom Script on)',
	},
	{ displayName: 'Preferred Source', name: 'preferredSource', type: 'string', default: '', placeholder: 'kraken', description: 'Exchange the default rules use (with Custom Script off); see BTCPay\'s /misc/rate-sources' },
	{ displayName: 'Spread (%)', name: 'spread', type: 'string', default: '', placeholder: '0.5', description: 'Percentage taken off the rate, 0 to 100, decimal' },
];

const pairsProperty: INodeProperties = {
	displayName: 'Currency Pairs',
	name: 'currencyPairs',
	type: 'string',
	default: '',
	placeholder: 'BTC_USD, BTC_EUR',
	description: "Comma-separated pairs; empty: the store's default pairs",
	displayOptions: show(R, ['get', 'preview']),
};

const fields: INodeProperties[] = [
	storeLocatorProperty(R),
	pairsProperty,
	{
		displayName: 'Rate Source',
		name: 'rateSource',
		type: 'options',
		default: 'primary',
		options: [
			{ name: 'Primary', value: 'primary' },
			{ name: 'Fallback', value: 'fallback', description: 'Used when the primary source has no rate (updating it turns it on)' },
		],
		displayOptions: show(R, ['getConfiguration', 'updateConfiguration']),
	},
	updateFieldsProperty(R, ['updateConfiguration'], configurationFields),
	collectionProperty({ displayName: 'Configuration', name: 'configuration', placeholder: 'Add Field' }, R, ['preview'], configurationFields),
];

function toConfiguration(fields: IDataObject): RateConfigurationInput {
	const f = present(fields);
	const input: RateConfigurationInput = {};
	if (f.spread !== undefined) input.spread = String(f.spread);
	if (f.preferredSource !== undefined) input.preferredSource = String(f.preferredSource);
	if (typeof f.isCustomScript === 'boolean') input.isCustomScript = f.isCustomScript;
	if (f.effectiveScript !== undefined) input.effectiveScript = String(f.effectiveScript);
	return input;
}

/** One item per pair; `ok` tells a rate from a pair BTCPay could not price (its errors listed). */
const rateItem = (storeId: string) => (r: RateResult): IDataObject => ({ storeId, ...(r as IDataObject), ok: r.rate !== null && r.rate !== undefined && !(r.errors ?? []).length });
const source = (ctx: IExecuteFunctions, i: number) => (text(ctx, 'rateSource', i) || 'primary') as RateSource;

export const rate = defineBtcPayResource({
	value: R,
	name: 'Rate',
	description: 'Exchange rates of the store and how they are computed',
	operations: {
		get: storeOperation({ name: 'Get', action: 'Get rates', description: "The store's current rates for currency pairs" }, async (ctx, i, client, storeId) =>
			(await client.rates.get(storeId, text(ctx, 'currencyPairs', i))).map(rateItem(storeId)),
		),
		getConfiguration: storeOperation({ name: 'Get Configuration', action: 'Get the rate configuration', description: 'Preferred source, spread and script of the store' }, async (ctx, i, client, storeId) => ({
			storeId,
			rateSource: source(ctx, i),
			...((await client.rates.getConfiguration(storeId, source(ctx, i))) as IDataObject),
		})),
		updateConfiguration: storeOperation(
			{ name: 'Update Configuration', action: 'Update the rate configuration', description: 'Change the preferred source, spread or script; the other settings are kept' },
			async (ctx, i, client, storeId) => ({
				storeId,
				rateSource: source(ctx, i),
				...((await client.rates.updateConfiguration(storeId, toConfiguration(collection(ctx, 'updateFields', i)), source(ctx, i))) as IDataObject),
			}),
		),
		preview: storeOperation({ name: 'Preview', action: 'Preview a rate configuration', description: 'The rates a configuration would give, without saving it' }, async (ctx, i, client, storeId) =>
			(await client.rates.preview(storeId, toConfiguration(collection(ctx, 'configuration', i)), text(ctx, 'currencyPairs', i))).map(rateItem(storeId)),
		),
	},
	defaultOperation: 'get',
	fields,
});
