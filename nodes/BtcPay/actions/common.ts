/**
 * UI pieces shared by every BTCPay resource: the store resource locator,
 * Simplify toggle, Return All / Limit with skip/take paging, and JSON
 * parameters parsed with errors naming the field.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyMode } from 'n8n-workflow';
import { InputError } from '../../shared/errors';
import { parseJsonValue, type JsonExpectation } from '../../shared/json';
import * as ui from '../../shared/ui';
import { show } from '../../shared/ui';
import { parseStoreId } from '../client/stores';
import { defineResource, type ResourceSpec } from '../../shared/resource';
import type { BtcPayClient } from '../client';
import type { BtcPayResource } from './types';

export {
	additionalFieldsProperty,
	bolt11InvoiceProperty,
	collectionProperty,
	filtersProperty,
	maxAmountSatsProperty,
	noticeProperty,
	operationProperty,
	optionsProperty,
	paymentHashProperty,
	show,
	simplify,
	updateFieldsProperty,
} from '../../shared/ui';

/**
 * A BTCPay page URL of one object: `…/<segment>/<ID>` (any base path before) followed by
 * nothing or by any page of it (`/settings`, `/invoices`, a query string or fragment). n8n
 * anchors a locator's `validation` regex as `^…$` (n8n-workflow node-helpers
 * validateResourceLocatorParameter) and runs `extractValue` unanchored (n8n-core
 * utils/extract-value.ts), so the tail must be part of the pattern and the one capture group is the ID.
 */
export function pageUrlRegex(segment: string, id: string): string {
	return `https?://[^/?#\\s]+(?:/[^?#\\s]*?)?/${segment}/(${id})(?:[/?#]\\S*)?`;
}

/** A BTCPay store URL (`…/stores/<store ID>/…`). */
export const STORE_URL_REGEX = pageUrlRegex('stores', '[A-Za-z0-9]+');

/**
 * The Currency (parameter currency) an amount of the store is in: a currency code, empty for the
 * store's default currency (BTCPay fills it in). `description` where the operation takes more codes.
 */
export function storeCurrencyProperty(
	resource: string,
	operations: string[],
	description = 'Currency code such as USD, EUR or BTC. Empty: the store default currency.',
): INodeProperties {
	return { displayName: 'Currency', name: 'currency', type: 'string', default: '', placeholder: 'USD', description, displayOptions: show(resource, operations) };
}

/** Store picker: list with search, by ID, or by a BTCPay store URL. */
export function storeLocatorProperty(resource: string, operations?: string[], overrides: Partial<INodeProperties> = {}): INodeProperties {
	/* eslint-disable n8n-nodes-base/node-param-default-missing -- locator modes have no default */
	const modes: INodePropertyMode[] = [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchStores', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '9CiNzKoANXxmk5ayZngSXrHTiVvvgCrwrpFQd4m2K776',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^[A-Za-z0-9]{6,80}$', errorMessage: 'Not a valid BTCPay store ID' },
				},
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://btcpay.example.com/stores/9CiNzKoANXxmk5ayZngSXrHTiVvvgCrwrpFQd4m2K776/settings',
			validation: [
				{
					type: 'regex',
					properties: { regex: STORE_URL_REGEX, errorMessage: 'Not a BTCPay store URL (…/stores/<store ID>)' },
				},
			],
			extractValue: { type: 'regex', regex: STORE_URL_REGEX },
		},
	];
	/* eslint-enable n8n-nodes-base/node-param-default-missing */
	return {
		displayName: 'Store',
		name: 'store',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		modes,
		description: 'The BTCPay store',
		displayOptions: show(resource, operations),
		...overrides,
	};
}

/**
 * The store ID of item `itemIndex`, validated (InputError naming "Store" when
 * malformed). Accepts the locator value in any mode, or a plain string.
 */
export function getStoreId(ctx: IExecuteFunctions, itemIndex: number, parameterName = 'store'): string {
	const raw = ctx.getNodeParameter(parameterName, itemIndex, '') as unknown;
	let value: unknown = raw;
	let mode: string | undefined;
	if (raw && typeof raw === 'object' && 'value' in (raw as IDataObject)) {
		value = (raw as IDataObject).value;
		mode = (raw as IDataObject).mode as string | undefined;
	}
	if (typeof value === 'string') {
		const text = value.trim();
		const fromUrl = new RegExp(STORE_URL_REGEX).exec(text);
		if (fromUrl) value = fromUrl[1];
		else if (mode === 'url') throw new InputError('Store', `"${text}" is not a BTCPay store URL (…/stores/<store ID>)`, 'BTCPay');
		else value = text;
	}
	return parseStoreId(value, 'Store');
}

/** "Simplify" toggle for operations whose output has a simplified form. */
export function simplifyProperty(resource: string, operations: string[]): INodeProperties {
	return ui.simplifyProperty(resource, operations, 'Whether to return a simplified version of the response instead of the raw data');
}

/** Keeps only `keys` (in that order) that are present in `source`. */
/** A BtcPay resource (nodes/shared/resource.ts defineResource) with this node's Simplify field. */
export function defineBtcPayResource(spec: ResourceSpec<BtcPayClient>): BtcPayResource {
	return defineResource(spec, simplifyProperty);
}

export function pick(source: object, keys: readonly string[]): IDataObject {
	const out: IDataObject = {};
	const record = source as Record<string, unknown>;
	for (const key of keys) if (record[key] !== undefined) out[key] = record[key] as IDataObject[string];
	return out;
}

/** Return All + Limit for list operations (BTCPay pages hold at most `maxLimit`). */
export function returnAllLimitProperties(resource: string, operations: string[], maxLimit = 1000): INodeProperties[] {
	return ui.returnAllLimitProperties(resource, operations, maxLimit);
}

/** Reads Return All / Limit for an item: undefined means no limit. */
export function getLimit(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	return ui.getLimit(ctx, itemIndex, 'BTCPay');
}

export interface PageOptions {
	/** Stop after this many results (undefined: fetch every page). */
	limit?: number;
	/** Page size requested with `take` (default 100). */
	pageSize?: number;
	/** Safety cap on the number of pages (default 10 000). */
	maxPages?: number;
}

/**
 * Collects results from a skip/take endpoint: requests pages of `pageSize`
 * (or fewer when close to `limit`) until a short page or the limit.
 */
export async function collectPages<T>(
	fetchPage: (skip: number, take: number) => Promise<T[]>,
	options: PageOptions = {},
): Promise<T[]> {
	const pageSize = Math.max(1, options.pageSize ?? 100);
	const maxPages = options.maxPages ?? 10_000;
	const out: T[] = [];
	for (let page = 0; page < maxPages; page++) {
		const remaining = options.limit === undefined ? pageSize : options.limit - out.length;
		if (remaining <= 0) break;
		const take = Math.min(pageSize, remaining);
		const rows = await fetchPage(out.length, take);
		out.push(...rows.slice(0, take));
		if (rows.length < take) break;
	}
	return out;
}

/** Return All / Limit for item `itemIndex` applied to a skip/take endpoint. */
export async function getPaged<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fetchPage: (skip: number, take: number) => Promise<T[]>,
	pageSize = 100,
): Promise<T[]> {
	return collectPages(fetchPage, { limit: getLimit(ctx, itemIndex), pageSize });
}

/**
 * Parses a JSON parameter (string or already-parsed object). Empty → undefined.
 * Errors name the field: `Metadata: is not valid JSON (...)`.
 */
export function parseJsonParameter(value: unknown, field: string, expect: JsonExpectation = 'object'): unknown {
	return parseJsonValue(value, field, expect, 'BTCPay');
}

/** Splits a comma/newline separated text or list parameter into trimmed non-empty strings. */
/**
 * Payment (or payout) methods as a multi-select of BTCPay's method IDs
 * (PaymentMethodId.cs: "<crypto>-CHAIN", "<crypto>-LN", "<crypto>-LNURL"). Another ID
 * (an altcoin plugin's) can be given by expression, as a list or comma-separated text;
 * saved workflows whose value is the older comma-separated text keep working (parseList).
 */
export function paymentMethodsField(name: string, displayName: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'multiOptions',
		default: [],
		options: [
			{ name: 'Bitcoin Lightning (BTC-LN)', value: 'BTC-LN' },
			{ name: 'Bitcoin On-Chain (BTC-CHAIN)', value: 'BTC-CHAIN' },
			{ name: 'LNURL-Pay (BTC-LNURL)', value: 'BTC-LNURL' },
		],
		description: `${description} Other method IDs: use an expression returning a list or comma-separated text`,
	};
}

/** A list parameter: an array (multi-select, expression) or comma/line-separated text. */
export function parseList(value: unknown): string[] | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const list = Array.isArray(value) ? value.map(String) : String(value).split(/[,\n]/);
	const out = list.map((s) => s.trim()).filter(Boolean);
	return out.length ? out : undefined;
}

/** Optional numeric parameter: '' / undefined → undefined; anything else must be a finite number. */
export function optionalNumber(value: unknown, field: string): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const n = typeof value === 'number' ? value : Number(String(value).trim());
	if (!Number.isFinite(n)) throw new InputError(field, `"${String(value)}" is not a number`, 'BTCPay');
	return n;
}

/** Speed Policy field (store setting and invoice checkout option). */
export function speedPolicyField(description: string): INodeProperties {
	return {
		displayName: 'Speed Policy',
		name: 'speedPolicy',
		type: 'options',
		default: 'MediumSpeed',
		options: [
			{ name: 'High Speed (0 Confirmations)', value: 'HighSpeed' },
			{ name: 'Medium Speed (1 Confirmation)', value: 'MediumSpeed' },
			{ name: 'Low-Medium Speed (2 Confirmations)', value: 'LowMediumSpeed' },
			{ name: 'Low Speed (6 Confirmations)', value: 'LowSpeed' },
		],
		description,
	};
}

/** "Expected Network" option of a paying operation: refuse a target of another network (the values offered vary). */
export function expectedNetworkField(options: Array<{ name: string; value: string }>, description: string): INodeProperties {
	return { displayName: 'Expected Network', name: 'expectedNetwork', type: 'options', default: 'mainnet', options, description };
}
