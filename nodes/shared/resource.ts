/**
 * The contract every action node follows: a node is a list of resources, a
 * resource is a record of operations, an operation holds its own fields and
 * its `execute`. Generic over what the node hands each operation (its API
 * client, or a getter that creates the client on first use).
 * nodes/shared/router.ts turns these into the Resource / Operation dropdowns
 * and runs the items.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { ItemResult } from './n8n';

export type { ItemResult };

/** One entry of a resource's Operation dropdown and what it does for one item. */
export interface Operation<Client> {
	/** Shown in the Operation dropdown (sorted by name there). */
	name: string;
	/** What the operation does as a sentence, e.g. 'Create an invoice' (n8n's action list and AI tools). */
	action: string;
	description?: string;
	/** Fields shown only for this operation; the resource places them in its `properties`. */
	properties?: INodeProperties[];
	/** Whether the resource's Simplify field is shown for this operation (defineResource adds it). */
	simplify?: boolean;
	/** Does the work for item `itemIndex`; thrown errors become n8n errors naming the item. */
	execute(ctx: IExecuteFunctions, itemIndex: number, client: Client): Promise<ItemResult>;
}

/** What an operation shows in the editor: its Operation dropdown entry and its own fields. */
export type OperationEntry<Client> = Pick<Operation<Client>, 'name' | 'action' | 'description' | 'properties' | 'simplify'>;

/** An operation from its editor entry and what it does for one item: the one way every node declares one. */
export function defineOperation<Client>(entry: OperationEntry<Client>, execute: Operation<Client>['execute']): Operation<Client> {
	return { ...entry, execute };
}

/** One entry of a node's Resource dropdown. */
export interface Resource<Client> {
	/** Resource parameter value, e.g. 'invoice'. */
	value: string;
	/** Shown in the Resource dropdown (sorted by name there). */
	name: string;
	description?: string;
	/** Operations by parameter value; the Operation dropdown is built from them. */
	operations: Record<string, Operation<Client>>;
	defaultOperation: string;
	/**
	 * Every field after the Operation dropdown, in the order the editor shows
	 * them: fields several operations share and each operation's `properties`.
	 * Each is shown only for this resource (displayOptions.show.resource).
	 */
	properties: INodeProperties[];
}

/** A resource as declared: its Resource dropdown entry, its operations and the fields they share. */
export interface ResourceSpec<Client> extends Omit<Resource<Client>, 'properties'> {
	/** Fields several operations share (locators, shared inputs), shown before the operations' own fields. */
	fields?: INodeProperties[];
}

/** The service's Simplify field, shown for `operations` of `resource`. */
export type SimplifyField = (resource: string, operations: string[]) => INodeProperties;

/**
 * A resource from its declaration, each operation named once (in `operations`):
 * the shared `fields` come first, then each operation's own fields in the order of
 * `operations`, then the Simplify field for the operations that declare `simplify`.
 */
export function defineResource<Client>(spec: ResourceSpec<Client>, simplifyField?: SimplifyField): Resource<Client> {
	const { fields, ...resource } = spec;
	const operations = Object.entries(spec.operations);
	const simplified = operations.filter(([, o]) => o.simplify).map(([value]) => value);
	const properties = [...(fields ?? []), ...operations.flatMap(([, o]) => o.properties ?? [])];
	if (simplified.length > 0) {
		if (!simplifyField) throw new Error(`Resource ${spec.value}: ${simplified.join(', ')} declare Simplify but the node has no Simplify field`);
		properties.push(simplifyField(spec.value, simplified));
	}
	return { ...resource, properties };
}

/** What an action node is made of: its resources and the service name its errors carry. */
export interface NodeActions<Client> {
	/** 'BTCPay', 'LNbits', 'LND': named in input errors. */
	service: string;
	/** In registry order (the fields follow it); the dropdown is sorted by name. */
	resources: readonly Resource<Client>[];
	defaultResource: string;
}
