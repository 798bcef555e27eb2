import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { actionProperties, lazy, routeItems } from '../shared/router';
import { actions } from './actions';
import { categorized } from './actions/common';
import { errorCategory } from './client';
import type { ErrorKind } from '../shared/errors';
import { getCashuConfig } from './transport';
import { btcPayCredentialTest } from '../BtcPay/credentialTest';
import { lnbitsCredentialTest } from '../Lnbits/credentialTest';
import { lndCredentialTest } from '../Lnd/credentialTest';

export class Cashu implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cashu',
		name: 'cashu',
		// eslint-disable-next-line @n8n/community-nodes/icon-prefer-themed-variants -- a coloured tile with its own background, legible on light and dark canvases
		icon: 'file:../../icons/cashu.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Take and send Cashu ecash: decode, check, redeem to Lightning, swap, and mint tokens',
		defaults: { name: 'Cashu' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// The mint, and the wallet a redeem receives on or a token is paid from (nodes/shared/lightning-wallet.ts
		// walletCredentials, written out for the linter): each shown for its Receive On / Pay From choice.
		credentials: [
			{ name: 'cashuMintApi', required: true },
			{ name: 'lnbitsApi', required: true, testedBy: 'lnbitsApiTest', displayOptions: { show: { wallet: ['lnbits'] } } },
			{ name: 'lndRestApi', required: true, testedBy: 'lndRestApiTest', displayOptions: { show: { wallet: ['lnd'] } } },
			{ name: 'btcPayApi', required: true, testedBy: 'btcPayApiTest', displayOptions: { show: { wallet: ['btcpay'] } } },
		],
		properties: actionProperties(actions),
	};

	// The LND credential is tested like on the LND node (a TLS certificate or a self-signed node needs more than a request).
	methods = { credentialTest: { ...lndCredentialTest, ...lnbitsCredentialTest, ...btcPayCredentialTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Items run one after another: a token redeemed by one item is seen spent by the next.
		const categorizedActions = {
			...actions,
			resources: actions.resources.map((r) => ({
				...r,
				operations: Object.fromEntries(
					Object.entries(r.operations).map(([value, op]) => [
						value,
						{
							...op,
							execute: async (...args: Parameters<typeof op.execute>) => {
								try {
									return await op.execute(...args);
								} catch (error) {
									throw categorized(error);
								}
							},
						},
					]),
				),
			})),
		};
		const output = await routeItems(this, categorizedActions, { client: (ctx) => lazy(() => getCashuConfig(ctx)) });
		// Every error item says which kind of failure it is: network (retry later), mint, or validation (fix the input).
		for (const item of output[0]) {
			const kind = item.json.errorKind as ErrorKind | undefined;
			if (item.json.error !== undefined && kind) item.json.errorCategory = errorCategory(kind);
		}
		return output;
	}
}
