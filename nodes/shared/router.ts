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
	const concurrency = options.concurrency ? readConcurrency(ctx, options.concurrency, actions.service) : 1;
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

function readConcurrency(ctx: IExecuteFunctions, parameter: ConcurrencyParameter, service: string): number {
	const raw = ctx.getNodeParameter(parameter.name, 0, parameter.default) as unknown;
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
