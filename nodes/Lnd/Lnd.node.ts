import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { runItems, toNodeError } from '../shared/n8n';
import { InputError } from '../shared/errors';
import { findResource, resources } from './actions';
import { getLndClient } from './transport';
import { lndCredentialTest } from './credentialTest';
import type { LndClient } from './client';

export { testLndCredential } from './credentialTest';

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: resources.map((r) => ({ name: r.name, value: r.value, ...(r.description ? { description: r.description } : {}) })),
	// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-options -- options come from the resource list
	default: 'invoice',
};

export class Lnd implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LND',
		name: 'lnd',
		icon: 'file:lnd.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Receive and send Lightning payments with your own LND node over its REST API',
		defaults: { name: 'LND' },
		usableAsTool: true,
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'lndRestApi', required: true, testedBy: 'lndRestApiTest' }],
		properties: [resourceProperty, ...resources.flatMap((r) => r.properties)],
	};

	methods = { credentialTest: lndCredentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let client: LndClient;
		try {
			client = await getLndClient(this);
		} catch (error) {
			throw toNodeError(this.getNode(), error, 0);
		}
		// One item at a time: payments must not race each other for the same invoice.
		return runItems(this, async (itemIndex) => {
			const resourceName = this.getNodeParameter('resource', itemIndex) as string;
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			const resource = findResource(resourceName);
			// eslint-disable-next-line n8n-nodes-base/node-execute-block-wrong-error-thrown -- runItems converts it to a NodeOperationError naming the item
			if (!resource) throw new InputError('Resource', `"${resourceName}" is not supported`, 'LND');
			return resource.execute(this, client, operation, itemIndex);
		});
	}
}
