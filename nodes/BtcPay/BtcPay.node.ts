import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { runItems, toNodeError } from '../shared/n8n';
import { InputError } from '../shared/errors';
import { findResource, resources } from './actions';
import { listSearch } from './methods';
import { getBtcPayClient } from './transport';
import type { BtcPayClient } from './client';

export const DEFAULT_CONCURRENCY = 5;
export const MAX_CONCURRENCY = 50;

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [...resources]
		.sort((a, b) => a.name.localeCompare(b.name))
		.map((r) => ({ name: r.name, value: r.value, ...(r.description ? { description: r.description } : {}) })),
	// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-options -- options come from the registry
	default: 'invoice',
};

const concurrencyProperty: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	default: DEFAULT_CONCURRENCY,
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
	description: 'How many items are sent to BTCPay at the same time. Output order always follows input order.',
};

export class BtcPay implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'BTCPay Server',
		name: 'btcPay',
		icon: 'file:btcpay.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Create and manage BTCPay Server stores, invoices and more',
		defaults: { name: 'BTCPay Server' },
		usableAsTool: true,
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'btcPayApi', required: true }],
		properties: [resourceProperty, ...resources.flatMap((r) => r.properties), concurrencyProperty],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let client: BtcPayClient;
		try {
			client = await getBtcPayClient(this);
		} catch (error) {
			throw toNodeError(this.getNode(), error, 0);
		}
		const raw = this.getNodeParameter('concurrency', 0, DEFAULT_CONCURRENCY) as unknown;
		const concurrency = Number(raw);
		if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
			throw toNodeError(this.getNode(), new InputError('Concurrency', `must be a whole number from 1 to ${MAX_CONCURRENCY} (got ${String(raw)})`, 'BTCPay'), 0);
		}
		return runItems(
			this,
			async (itemIndex) => {
				const resourceName = this.getNodeParameter('resource', itemIndex) as string;
				const operation = this.getNodeParameter('operation', itemIndex) as string;
				const resource = findResource(resourceName);
				// eslint-disable-next-line n8n-nodes-base/node-execute-block-wrong-error-thrown -- runItems converts it to a NodeOperationError naming the item
				if (!resource) throw new InputError('Resource', `"${resourceName}" is not supported`, 'BTCPay');
				return resource.execute(this, client, operation, itemIndex);
			},
			{ concurrency },
		);
	}
}
