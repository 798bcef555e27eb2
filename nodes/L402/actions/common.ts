/**
 * Pieces the L402 node's operations share: what the router hands them, the root key from the
 * L402 credential, the durable store folder, and the Service Name field.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { InputError } from '../../shared/errors';
import { defineOperation, type Operation, type OperationEntry, type Resource } from '../../shared/resource';
import { show, text } from '../../shared/ui';
import { defaultStoreFolder, parseRootKey, SERVICE_NAME_RE } from '../lib';

/** What every operation gets: the clock and fetch (tests replace them). */
export interface L402Env {
	now(): number;
	fetch: typeof fetch;
}

export type L402Resource = Resource<L402Env>;
export type L402Operation = Operation<L402Env>;
export const defineL402Operation = (entry: OperationEntry<L402Env>, execute: L402Operation['execute']): L402Operation =>
	defineOperation<L402Env>(entry, execute);

export const SERVICE = 'L402';

/** The root key of the L402 credential, as bytes; its value never appears in a message. */
export async function getRootKey(ctx: IExecuteFunctions): Promise<Uint8Array> {
	const credentials = await ctx.getCredentials('l402Api');
	let problem: string;
	try {
		return parseRootKey(credentials.rootKey);
	} catch (error) {
		problem = (error as Error).message.replace(/^The L402 root key /, '');
	}
	throw new InputError('Root Key', problem, SERVICE);
}

export function serviceNameProperty(resource: string, operations: string[], description: string): INodeProperties {
	return {
		displayName: 'Service Name',
		name: 'serviceName',
		type: 'string',
		default: 'api',
		required: true,
		placeholder: 'e.g. weather-api',
		description,
		displayOptions: show(resource, operations),
	};
}

export function getServiceName(ctx: IExecuteFunctions, itemIndex: number): string {
	const name = text(ctx, 'serviceName', itemIndex);
	if (!SERVICE_NAME_RE.test(name)) {
		throw new InputError('Service Name', `"${name}" must start with a letter or digit; letters, digits, ".", "_" and "-" only`, SERVICE);
	}
	return name;
}

export const storeFolderOption: INodeProperties = {
	displayName: 'Store Folder',
	name: 'storeFolder',
	type: 'string',
	default: '',
	placeholder: '~/.n8n/l402',
	description:
		'Folder where the node remembers tokens (written at once, safe for executions running at the same time). Empty: "l402" in the n8n user folder. In queue mode, a folder every worker shares.',
};

export function storeFolder(options: IDataObject): string {
	const folder = String(options.storeFolder ?? '').trim();
	return folder || defaultStoreFolder();
}

/** A whole number option of at least `min`, or the default. */
export function wholeOption(raw: unknown, fallback: number, field: string, min = 1): number {
	if (raw === undefined || raw === null || raw === '') return fallback;
	const n = Number(raw);
	if (!Number.isSafeInteger(n) || n < min) throw new InputError(field, `must be a whole number of at least ${min} (got ${JSON.stringify(raw)})`, SERVICE);
	return n;
}

/** name/value pairs of a fixedCollection `{ pairs: [{ name, value }] }`. */
export function pairs(raw: unknown, field: string): Array<{ name: string; value: string }> {
	const list = ((raw as IDataObject | undefined)?.pairs ?? []) as IDataObject[];
	return list.map((p, i) => {
		const name = String(p.name ?? '').trim();
		if (!name) throw new InputError(`${field} ${i + 1}`, 'needs a name', SERVICE);
		return { name, value: String(p.value ?? '') };
	});
}

export function pairsProperty(displayName: string, name: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		description,
		options: [
			{
				displayName: 'Caveat',
				name: 'pairs',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. plan' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: 'e.g. pro' },
				],
			},
		],
	};
}
