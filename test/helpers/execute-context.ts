/**
 * A small IExecuteFunctions for running a node's real execute() in tests:
 * per-item parameters (falling back to the property defaults of the node's
 * description, as n8n does), credentials, Continue On Fail. Resource locator
 * values are returned as given (nodes extract them themselves).
 */
import { NodeHelpers, type ICredentialDataDecryptedObject, type IDataObject, type IExecuteFunctions, type INode, type INodeExecutionData, type INodeProperties, type INodeType } from 'n8n-workflow';

export interface ExecuteContextOptions {
	nodeType: INodeType;
	/** Parameters for every item, or per item. */
	parameters: IDataObject | ((itemIndex: number) => IDataObject);
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** The workflow's time zone (ctx.getTimezone()); default UTC. */
	timezone?: string;
	/** The node's typeVersion (getNode().typeVersion, `@version` display conditions); default 1. */
	typeVersion?: number;
}

function shown(prop: INodeProperties, parameters: IDataObject, typeVersion: number): boolean {
	const show = prop.displayOptions?.show;
	if (!show) return true;
	return Object.entries(show).every(([key, values]) => {
		if (key === '@version' && Array.isArray(values)) return NodeHelpers.checkConditions(values, [typeVersion]);
		if (!Array.isArray(values) || !(key in parameters)) return true;
		return values.includes(parameters[key] as never);
	});
}

export function executeContext(options: ExecuteContextOptions): IExecuteFunctions {
	const { nodeType } = options;
	const items = options.items ?? [{ json: {} }];
	const paramsFor = (i: number): IDataObject => (typeof options.parameters === 'function' ? options.parameters(i) : options.parameters);
	const node: INode = {
		id: 'test-node',
		name: nodeType.description.defaults.name ?? nodeType.description.displayName,
		type: `n8n-nodes-btcpay-lnbits.${nodeType.description.name}`,
		typeVersion: options.typeVersion ?? 1,
		position: [0, 0],
		parameters: paramsFor(0) as INode['parameters'],
	};
	const defaultFor = (name: string, parameters: IDataObject): unknown => {
		for (const prop of nodeType.description.properties) if (prop.name === name && shown(prop, parameters, node.typeVersion)) return prop.default;
		return undefined;
	};
	const ctx = {
		getNode: () => node,
		getInputData: () => items,
		continueOnFail: () => options.continueOnFail ?? false,
		getTimezone: () => options.timezone ?? 'UTC',
		getCredentials: async (name: string) => {
			const c = options.credentials?.[name];
			if (!c) throw new Error(`no credential "${name}" in the test context`);
			return c;
		},
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			if (itemIndex < 0 || itemIndex >= items.length) throw new Error(`item ${itemIndex} out of range`);
			const parameters = paramsFor(itemIndex);
			const [head, ...rest] = name.split('.');
			let value: unknown = head in parameters ? parameters[head] : defaultFor(head, parameters);
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
			throw new Error(`the test context has no "${String(prop)}"`);
		},
	}) as unknown as IExecuteFunctions;
}
