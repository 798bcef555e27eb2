/**
 * The one router of the action nodes: builds the Resource and Operation
 * dropdowns from a node's resources (see resource.ts) and runs every input
 * item through the chosen operation with runItems (order, pairedItem,
 * Continue On Fail, errors naming the item).
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { InputError } from './errors';
import { runItems, toNodeError } from './n8n';
import type { NodeActions, Operation, Resource } from './resource';
import { operationProperty } from './ui';

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** The Resource dropdown: every resource, sorted by name. */
export function resourceProperty<Client>(actions: NodeActions<Client>): INodeProperties {
	// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- the default is the node's defaultResource, set below
	return {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [...actions.resources]
			.sort(byName)
			.map((r) => ({ name: r.name, value: r.value, ...(r.description ? { description: r.description } : {}) })),
		default: actions.defaultResource,
	};
}

/** The Operation dropdown of one resource, built from its operations, sorted by name. */
export function resourceOperationProperty<Client>(resource: Resource<Client>): INodeProperties {
	const options: INodePropertyOptions[] = Object.entries(resource.operations)
		.map(([value, operation]) => {
			const { name, execute: _execute, properties: _properties, simplify: _simplify, ...entry } = operation;
			return { name, value, ...entry };
		})
		.sort(byName);
	return operationProperty(resource.value, options, resource.defaultOperation);
}

/** One resource's Operation dropdown and fields. */
export function resourceProperties<Client>(resource: Resource<Client>): INodeProperties[] {
	return [resourceOperationProperty(resource), ...resource.properties];
}

/** The node's parameters: Resource dropdown, then each resource's Operation dropdown and fields. */
export function actionProperties<Client>(actions: NodeActions<Client>): INodeProperties[] {
	return [resourceProperty(actions), ...actions.resources.flatMap((r) => resourceProperties(r))];
}

/** Name of the Options collection added to the operations that have none. */
export const OPTIONS_COLLECTION = 'options';

/** The Options collection (n8n's "Add Option") shown for `operation` of `resource`, if it has one. */
export function optionsCollectionOf<Client>(resource: Resource<Client>, operation: string): INodeProperties | undefined {
	return resource.properties.find(
		(p) => p.type === 'collection' && p.displayName === 'Options' && (p.displayOptions?.show?.operation ?? []).includes(operation),
	);
}

/** The displayOptions condition "node version `since` or later". */
export function fromVersion(since: number): NonNullable<INodeProperties['displayOptions']>['show'] {
	return { '@version': [{ _cnd: { gte: since } }] };
}

/**
 * The node's parameters with `option` in every operation's Options collection from node version `since` on:
 * added to the operation's own Options collection (in name order, as n8n sorts collection items), and an
 * Options collection holding only `option` for the operations of a resource that have none. Shown for
 * older versions, the parameters are exactly those of actionProperties.
 */
export function actionPropertiesWithOption<Client>(actions: NodeActions<Client>, option: INodeProperties, since: number): INodeProperties[] {
	const versioned: INodeProperties = { ...option, displayOptions: { show: fromVersion(since) } };
	const withOption = (collection: INodeProperties): INodeProperties => {
		const items = (collection.options ?? []) as INodeProperties[];
		const at = items.findIndex((o) => o.displayName.localeCompare(option.displayName) > 0);
		const options = at < 0 ? [...items, versioned] : [...items.slice(0, at), versioned, ...items.slice(at)];
		return { ...collection, options };
	};
	const resources = actions.resources.flatMap((resource) => {
		const own = new Set(Object.keys(resource.operations).map((o) => optionsCollectionOf(resource, o)).filter((c) => c !== undefined));
		const without = Object.keys(resource.operations).filter((o) => !optionsCollectionOf(resource, o));
		const properties = resource.properties.map((p) => (own.has(p) ? withOption(p) : p));
		if (without.length > 0) {
			properties.push({
				displayName: 'Options',
				name: OPTIONS_COLLECTION,
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [{ ...option }],
				displayOptions: { show: { resource: [resource.value], operation: without, ...fromVersion(since) } },
			});
		}
		return [resourceOperationProperty(resource), ...properties];
	});
	return [resourceProperty(actions), ...resources];
}

export function findResource<Client>(actions: NodeActions<Client>, value: string): Resource<Client> | undefined {
	return actions.resources.find((r) => r.value === value);
}

/** The operation for `resource` / `operation`, or an InputError naming what is not supported. */
export function findOperation<Client>(actions: NodeActions<Client>, resource: string, operation: string): Operation<Client> {
	const found = findResource(actions, resource);
	if (!found) throw new InputError('Resource', `"${resource}" is not supported`, actions.service);
	const handler = Object.prototype.hasOwnProperty.call(found.operations, operation) ? found.operations[operation] : undefined;
	if (!handler) throw new InputError('Operation', `"${resource}: ${operation}" is not supported`, actions.service);
	return handler;
}

/** A node parameter that sets how many items run at once, checked before any item runs. */
export interface ConcurrencyParameter {
	name: string;
	/** Shown in the error, e.g. 'Concurrency'. */
	displayName: string;
	default: number;
	max: number;
	/**
	 * From this node version on, the value is the option `name` in the Options collection of the
	 * item's operation (see actionPropertiesWithOption); before it, the node-wide parameter `name`.
	 */
	inOptionsFromVersion?: number;
}

export interface RouteOptions<Client> {
	/**
	 * What every operation receives, made once before any item runs; a failure
	 * stops the node (reported for item 0). Return a `lazy(...)` getter where
	 * some operations need no server, so the client is only made when asked for.
	 */
	client(ctx: IExecuteFunctions): Promise<Client> | Client;
	/** Items run one after another unless a concurrency parameter is given. */
	concurrency?: ConcurrencyParameter;
}

/** Runs every input item through the operation its Resource / Operation parameters choose. */
export async function routeItems<Client>(
	ctx: IExecuteFunctions,
	actions: NodeActions<Client>,
	options: RouteOptions<Client>,
): Promise<INodeExecutionData[][]> {
	let client: Client;
	try {
		client = await options.client(ctx);
	} catch (error) {
		throw toNodeError(ctx.getNode(), error, 0);
	}
	const concurrency = options.concurrency ? readConcurrency(ctx, actions, options.concurrency) : 1;
	return runItems(
		ctx,
		async (itemIndex) => {
			const resource = ctx.getNodeParameter('resource', itemIndex) as string;
			const operation = ctx.getNodeParameter('operation', itemIndex) as string;
			return findOperation(actions, resource, operation).execute(ctx, itemIndex, client);
		},
		{ concurrency },
	);
}

/** Where the concurrency is read for this node's version: the node-wide parameter, or `<Options collection>.<name>`. */
export function concurrencyPath<Client>(ctx: IExecuteFunctions, actions: NodeActions<Client>, parameter: ConcurrencyParameter): string {
	const since = parameter.inOptionsFromVersion;
	if (since === undefined || ctx.getNode().typeVersion < since) return parameter.name;
	// Resource and Operation take no expressions: item 0 names the operation of every item.
	const resource = findResource(actions, ctx.getNodeParameter('resource', 0) as string);
	const collection = resource && optionsCollectionOf(resource, ctx.getNodeParameter('operation', 0) as string);
	return `${collection?.name ?? OPTIONS_COLLECTION}.${parameter.name}`;
}

function readConcurrency<Client>(ctx: IExecuteFunctions, actions: NodeActions<Client>, parameter: ConcurrencyParameter): number {
	const service = actions.service;
	const raw = ctx.getNodeParameter(concurrencyPath(ctx, actions, parameter), 0, parameter.default) as unknown;
	const concurrency = Number(raw);
	if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > parameter.max) {
		throw toNodeError(
			ctx.getNode(),
			new InputError(parameter.displayName, `must be a whole number from 1 to ${parameter.max} (got ${String(raw)})`, service),
			0,
		);
	}
	return concurrency;
}

/** A getter that creates the value on first call and hands the same promise to every later caller. */
export function lazy<T>(create: () => Promise<T>): () => Promise<T> {
	let value: Promise<T> | undefined;
	return () => (value ??= create());
}
