import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { runItems } from '../shared/n8n';
import { InputError } from '../shared/errors';
import { findResource, resources } from './actions';
import { listSearch } from './methods';
import { getLnbitsClient } from './transport';
import type { LnbitsClient } from './client';

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: resources.map((r) => ({ name: r.name, value: r.value, description: r.description })),
	// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-options -- options come from the resource list
	default: 'invoice',
};

export class Lnbits implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LNbits',
		name: 'lnbits',
		icon: 'file:lnbits.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Receive and send Lightning payments with an LNbits wallet',
		defaults: { name: 'LNbits' },
		usableAsTool: true,
		inputs: ['main'],
		outputs: ['main'],
		// Decoding an invoice is offline: no credential needed for it.
		credentials: [{ name: 'lnbitsApi', required: true, displayOptions: { hide: { operation: ['decode'] } } }],
		properties: [resourceProperty, ...resources.flatMap((r) => r.properties)],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let client: Promise<LnbitsClient> | undefined;
		// Created on first use: decoding an invoice works without a server.
		const getClient = () => (client ??= getLnbitsClient(this));
		// Items run one after another: a payment must see the ones before it
		// (the same invoice twice in one run is paid once).
		return runItems(this, async (itemIndex) => {
			const resourceName = this.getNodeParameter('resource', itemIndex) as string;
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			const handler = findResource(resourceName)?.operations[operation];
			// eslint-disable-next-line n8n-nodes-base/node-execute-block-wrong-error-thrown -- runItems converts it to a NodeOperationError naming the item
			if (!handler) throw new InputError('Operation', `"${resourceName}: ${operation}" is not supported`, 'LNbits');
			return handler(this, itemIndex, getClient);
		});
	}
}
