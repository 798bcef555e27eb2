/**
 * A minimal IExecuteFunctions for driving a node's real execute() outside
 * n8n: input items, parameters (given values, else the property default from
 * the node's own description, as n8n does), credentials and Continue On Fail.
 * Anything else a node touches throws, naming the missing member.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeProperties, INodeType } from 'n8n-workflow';

export interface FakeContextOptions {
	nodeType: INodeType;
	/** Parameter values by name; a function gives the value per item (like an expression). */
	parameters: Record<string, unknown>;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	items: INodeExecutionData[];
	continueOnFail?: boolean;
}

function shown(prop: INodeProperties, parameters: Record<string, unknown>): boolean {
	const show = prop.displayOptions?.show;
	if (!show) return true;
	return Object.entries(show).every(([key, values]) => {
		if (!Array.isArray(values)) return true;
		return key in parameters ? values.includes(parameters[key] as never) : true;
	});
}

export function fakeExecuteContext(options: FakeContextOptions): IExecuteFunctions {
	const { nodeType, parameters, credentials, items } = options;
	const node: INode = {
		id: 'bench-node',
		name: nodeType.description.defaults.name ?? nodeType.description.displayName,
		type: `n8n-nodes-btcpay-lnbits.${nodeType.description.name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
	};
	const defaults = new Map<string, unknown>();
	for (const prop of nodeType.description.properties) {
		if (!defaults.has(prop.name) && shown(prop, parameters)) defaults.set(prop.name, prop.default);
	}
	const ctx = {
		getNode: () => node,
		getInputData: () => items,
		continueOnFail: () => options.continueOnFail ?? false,
		getCredentials: async (name: string) => {
			const c = credentials[name];
			if (!c) throw new Error(`no credential "${name}" in the bench context`);
			return c;
		},
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			if (itemIndex < 0 || itemIndex >= items.length) throw new Error(`item ${itemIndex} out of range`);
			const [head, ...rest] = name.split('.');
			let value: unknown = head in parameters ? parameters[head] : defaults.get(head);
			if (typeof value === 'function') value = (value as (i: number) => unknown)(itemIndex);
			for (const key of rest) value = value && typeof value === 'object' ? (value as IDataObject)[key] : undefined;
			if (value === undefined) {
				if (fallback !== undefined) return fallback;
				throw new Error(`Could not get parameter "${name}"`);
			}
			return value;
		},
	};
	return new Proxy(ctx, {
		get(target, prop, receiver) {
			if (prop in target || typeof prop === 'symbol' || prop === 'then') return Reflect.get(target, prop, receiver);
			throw new Error(`the bench context has no "${String(prop)}" (the node needs more of IExecuteFunctions)`);
		},
	}) as unknown as IExecuteFunctions;
}
