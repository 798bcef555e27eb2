import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { actionProperties, routeItems } from '../shared/router';
import { actions } from './actions';
import { getLndClient } from './transport';
import { lndCredentialTest } from './credentialTest';

export { testLndCredential } from './credentialTest';

export class Lnd implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LND',
		name: 'lnd',
		icon: { light: 'file:../../icons/lnd.svg', dark: 'file:../../icons/lnd.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Receive and send Lightning payments with your own LND node over its REST API',
		defaults: { name: 'LND' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'lndRestApi', required: true, testedBy: 'lndRestApiTest' }],
		properties: actionProperties(actions),
	};

	methods = { credentialTest: lndCredentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// The client is made before any item runs; items run one at a time:
		// payments must not race each other for the same invoice.
		return routeItems(this, actions, { client: getLndClient });
	}
}
