import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { btcPayCredentialTest } from '../BtcPay/credentialTest';
import { lnbitsCredentialTest } from '../Lnbits/credentialTest';
import { lndCredentialTest } from '../Lnd/credentialTest';
import { actionProperties, routeItems } from '../shared/router';
import { actions } from './actions';

export class L402 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'L402',
		name: 'l402',
		// eslint-disable-next-line @n8n/community-nodes/icon-prefer-themed-variants -- a coloured tile with its own background, legible on light and dark canvases
		icon: 'file:../../icons/l402.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Sell or buy API calls for Lightning payments with L402 (formerly LSAT) tokens',
		defaults: { name: 'L402' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// The root key signs and checks tokens (the server side). The wallet credential follows the
		// `wallet` field (as nodes/shared/lightning-wallet.ts walletCredentials): Create Challenge
		// and Pay always use it, Verify only when it checks the invoice is settled.
		credentials: [
			{ name: 'l402Api', required: true, displayOptions: { show: { resource: ['server'] } } },
			{ name: 'lnbitsApi', required: true, testedBy: 'lnbitsApiTest', displayOptions: { show: { wallet: ['lnbits'] }, hide: { checkSettled: [false] } } },
			{ name: 'lndRestApi', required: true, testedBy: 'lndRestApiTest', displayOptions: { show: { wallet: ['lnd'] }, hide: { checkSettled: [false] } } },
			{ name: 'btcPayApi', required: true, testedBy: 'btcPayApiTest', displayOptions: { show: { wallet: ['btcpay'] }, hide: { checkSettled: [false] } } },
		],
		properties: actionProperties(actions),
	};

	// The LND credential is tested through the LND client (pinned TLS certificate), as the LND node does.
	methods = { credentialTest: { ...lndCredentialTest, ...lnbitsCredentialTest, ...btcPayCredentialTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Items run one after another: a payment must see the tokens remembered before it.
		return routeItems(this, actions, { client: () => ({ now: () => Date.now(), fetch: (input, init) => fetch(input, init) }) });
	}
}
