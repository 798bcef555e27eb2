/**
 * n8n UI pieces every node uses in the same way: display options per
 * resource/operation, the Operation dropdown, the Simplify toggle, Return All /
 * Limit, and parameter readers whose errors name the field (InputError).
 * Node-specific wording (descriptions, service name) is passed in.
 */
import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { InputError } from './errors';

/** `displayOptions` showing a field for one resource, optionally only for some of its operations. */
export function show(resource: string, operations?: string[]): IDisplayOptions {
	return { show: operations ? { resource: [resource], operation: operations } : { resource: [resource] } };
}

/** The Operation dropdown of one resource. */
export function operationProperty(resource: string, options: INodePropertyOptions[], defaultOperation: string): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: show(resource),
		options,
		default: defaultOperation,
	};
}

/** A collection of optional fields; `displayOptions` omitted: always shown (a trigger node's fields). */
function collectionOf(
	kind: { displayName: string; name: string; placeholder: string },
	displayOptions: IDisplayOptions | undefined,
	options: INodeProperties[],
): INodeProperties {
	return {
		displayName: kind.displayName,
		name: kind.name,
		type: 'collection',
		placeholder: kind.placeholder,
		default: {},
		...(displayOptions ? { displayOptions } : {}),
		options,
	};
}

/** A collection of optional fields, shown for some operations of a resource. */
export function collectionProperty(
	kind: { displayName: string; name: string; placeholder: string },
	resource: string,
	operations: string[],
	options: INodeProperties[],
): INodeProperties {
	return collectionOf(kind, show(resource, operations), options);
}

/** The "Options" collection (parameter options) of a trigger node, whose fields are always shown. */
export function triggerOptionsProperty(options: INodeProperties[]): INodeProperties {
	return collectionOf({ displayName: 'Options', name: 'options', placeholder: 'Add Option' }, undefined, options);
}

/** The stream triggers' "Stream Check Every (Seconds)" option (probeIntervalSeconds, default 20, 0 = off). */
export function streamCheckProperty(description: string): INodeProperties {
	return {
		displayName: 'Stream Check Every (Seconds)',
		name: 'probeIntervalSeconds',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 3600 },
		default: 20,
		description,
	};
}

/** A notice (text shown in the editor in n8n's warning colour, no value), optionally only where `displayOptions` say. */
export function noticeProperty(name: string, text: string, displayOptions?: IDisplayOptions): INodeProperties {
	return { displayName: text, name, type: 'notice', default: '', ...(displayOptions ? { displayOptions } : {}) };
}

/**
 * An informational note (how a trigger listens, a setup step): n8n's `callout`, shown in its quieter
 * secondary style with an info icon, so the warning-coloured notices (money leaves the wallet, secrets
 * in the output) stand out from it.
 */
export function infoProperty(name: string, text: string, displayOptions?: IDisplayOptions): INodeProperties {
	return { ...noticeProperty(name, text, displayOptions), type: 'callout' };
}

/** The required field holding the BOLT11 invoice to pay or decode (`name`: the node's parameter, e.g. bolt11). */
export function bolt11InvoiceProperty(name: string, displayOptions: IDisplayOptions, placeholder: string, description: string): INodeProperties {
	return { displayName: 'Invoice', name, type: 'string', default: '', required: true, placeholder, description, displayOptions };
}

/** The required Payment Hash field of a lookup by payment hash (the wording is the node's). */
export function paymentHashProperty(displayOptions: IDisplayOptions, placeholder: string, description?: string): INodeProperties {
	return {
		displayName: 'Payment Hash',
		name: 'paymentHash',
		type: 'string',
		default: '',
		required: true,
		placeholder,
		...(description ? { description } : {}),
		displayOptions,
	};
}

/** "Additional Fields" (parameter additionalFields): the optional inputs of a create operation. */
export function additionalFieldsProperty(resource: string, operations: string[], options: INodeProperties[]): INodeProperties {
	return collectionProperty({ displayName: 'Additional Fields', name: 'additionalFields', placeholder: 'Add Field' }, resource, operations, options);
}

/**
 * "Update Fields" (parameter updateFields): what an update operation changes; fields not chosen keep
 * their value. `description` says so where the editor should.
 */
export function updateFieldsProperty(resource: string, operations: string[], options: INodeProperties[], description?: string): INodeProperties {
	const property = collectionProperty({ displayName: 'Update Fields', name: 'updateFields', placeholder: 'Add Field' }, resource, operations, options);
	return description ? { ...property, description } : property;
}

/** "Options" collection under the parameter `name` (each operation names its own, e.g. payOptions). */
export function optionsProperty(name: string, resource: string, operations: string[], options: INodeProperties[]): INodeProperties {
	return collectionProperty({ displayName: 'Options', name, placeholder: 'Add Option' }, resource, operations, options);
}

/** "Filters" (parameter filters) of a list operation. */
export function filtersProperty(resource: string, operations: string[], options: INodeProperties[]): INodeProperties {
	return collectionProperty({ displayName: 'Filters', name: 'filters', placeholder: 'Add Filter' }, resource, operations, options);
}

/** The "Simplify" toggle (on by default) for operations whose output has a compact form. */
export function simplifyProperty(resource: string, operations: string[], description: string): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description,
		displayOptions: show(resource, operations),
	};
}

/** A collection parameter of item `i` as an object ({} when unset). */
export function collection(ctx: IExecuteFunctions, name: string, i: number): IDataObject {
	const value = ctx.getNodeParameter(name, i, {}) as unknown;
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

/** A string parameter of item `i`, trimmed ('' when unset). */
export function text(ctx: IExecuteFunctions, name: string, i: number): string {
	const value = ctx.getNodeParameter(name, i, '') as unknown;
	return value === undefined || value === null ? '' : String(value).trim();
}

/** Whether Simplify is on for item `itemIndex` (on when the parameter is absent). */
export function getSimplify(ctx: IExecuteFunctions, itemIndex: number): boolean {
	return ctx.getNodeParameter('simplify', itemIndex, true) as boolean;
}

/** Applies `simplifier` to one object or a list unless Simplify is off for this item. */
export function simplify<T extends object>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	data: T | T[],
	simplifier: (entry: T) => IDataObject,
): IDataObject | IDataObject[] {
	const on = getSimplify(ctx, itemIndex);
	if (Array.isArray(data)) return data.map((d) => (on ? simplifier(d) : (d as unknown as IDataObject)));
	return on ? simplifier(data) : (data as unknown as IDataObject);
}

/** Return All + Limit (default 50, at least 1; `maxLimit` caps it in the UI) for list operations. */
export function returnAllLimitProperties(resource: string, operations: string[], maxLimit?: number): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: show(resource, operations),
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1, ...(maxLimit === undefined ? {} : { maxValue: maxLimit }) },
			description: 'Max number of results to return',
			displayOptions: { show: { ...show(resource, operations).show, returnAll: [false] } },
		},
	];
}

/**
 * A whole number (a number, or a numeric string) of at least `min` (default 0),
 * else an InputError naming `field` and showing the value received.
 */
export function wholeNumber(raw: unknown, field: string, service: string, options: { min?: number } = {}): number {
	const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	const min = options.min ?? 0;
	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
		throw new InputError(field, `must be a whole number${min > 0 ? ` of at least ${min}` : ', 0 or more'} (got ${JSON.stringify(raw)})`, service);
	}
	return value;
}

/** Return All / Limit of item `itemIndex`: undefined means no limit. */
export function getLimit(ctx: IExecuteFunctions, itemIndex: number, service: string): number | undefined {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	return wholeNumber(ctx.getNodeParameter('limit', itemIndex, 50), 'Limit', service, { min: 1 });
}

/** The required Amount (Sats) field (parameter amountSats) of an operation that receives or sends an amount. */
export function amountSatsProperty(
	displayOptions: IDisplayOptions,
	description: string,
	typeOptions: INodeProperties['typeOptions'] = { minValue: 1, numberPrecision: 0 },
): INodeProperties {
	return { displayName: 'Amount (Sats)', name: 'amountSats', type: 'number', default: 0, required: true, typeOptions, description, displayOptions };
}

/**
 * The network a paying wallet is on (an option of a pay operation): invoices for another network
 * are refused before paying. `any` skips the check.
 */
export function walletNetworkOption(displayName: string, description: string): INodeProperties {
	return {
		displayName,
		name: 'network',
		type: 'options',
		options: [
			{ name: 'Any (Do Not Check)', value: 'any', description: 'Pay invoices of any network' },
			{ name: 'Mainnet', value: 'mainnet', description: 'Invoices start with lnbc' },
			{ name: 'Regtest', value: 'regtest', description: 'Invoices start with lnbcrt' },
			{ name: 'Signet', value: 'signet', description: 'Invoices start with lntbs' },
			{ name: 'Testnet', value: 'testnet', description: 'Invoices start with lntb' },
		],
		default: 'mainnet',
		description,
	};
}

/**
 * The required spending guard of an operation that pays: "Max Amount (Sats)",
 * no unlimited default (0 is refused when the item runs).
 */
export function maxAmountSatsProperty(
	resource: string,
	operations: string[],
	description: string,
	typeOptions: INodeProperties['typeOptions'] = { minValue: 1, numberPrecision: 0 },
): INodeProperties {
	return {
		displayName: 'Max Amount (Sats)',
		name: 'maxAmountSats',
		type: 'number',
		default: 0,
		required: true,
		typeOptions,
		description,
		displayOptions: show(resource, operations),
	};
}
