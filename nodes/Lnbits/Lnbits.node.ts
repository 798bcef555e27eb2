import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { actionProperties, lazy, routeItems } from '../shared/router';
import { actions } from './actions';
import { lnbitsCredentialTest } from './credentialTest';
import { listSearch } from './methods';
import { getLnbitsClient } from './transport';

export class Lnbits implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LNbits',
		name: 'lnbits',
		// eslint-disable-next-line @n8n/community-nodes/icon-prefer-themed-variants -- a coloured tile with its own background, legible on light and dark canvases
		icon: 'file:../../icons/lnbits.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Receive and send Lightning payments with an LNbits wallet',
		defaults: { name: 'LNbits' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Decoding an invoice is offline: no credential needed for it.
		credentials: [{ name: 'lnbitsApi', required: true, testedBy: 'lnbitsApiTest', displayOptions: { hide: { operation: ['decode'] } } }],
		properties: actionProperties(actions),
	};

	methods = { listSearch, credentialTest: lnbitsCredentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// The client is created on first use: decoding an invoice works without a server.
		// Items run one after another: a payment must see the ones before it
		// (the same invoice twice in one run is paid once).
		return routeItems(this, actions, { client: (ctx) => lazy(() => getLnbitsClient(ctx)) });
	}
}
