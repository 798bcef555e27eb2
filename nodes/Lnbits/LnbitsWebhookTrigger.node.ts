import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { deliveryMemoryFor, deliveryScope } from '../shared/delivery-memory';
import { toNodeError } from '../shared/n8n';
import { lnbitsCredentialTest } from './credentialTest';
import { infoProperty, triggerOptionsProperty } from '../shared/ui';
import { paymentOutput } from './trigger/filter';
import { streamSource } from './trigger/lnbits';
import { connectionFromCredentials, memoContainsOption, minAmountOption, readFilter } from './trigger/options';
import { DEFAULT_WEBHOOK_SEEN_CAPACITY, handleWebhookBody, storedWebhookSeen } from './trigger/webhook';

interface WebhookOptions {
	minAmountSats?: number;
	memoContains?: string;
}

/**
 * LNbits' per-invoice webhook as a trigger. A separate node from the LNbits
 * Trigger: n8n registers a webhook URL for every node that declares one, so a
 * single node cannot switch between a WebSocket listener and a webhook.
 */
// LNbits has no API to register a webhook: its URL is given per invoice (Create Invoice > Webhook URL),
// so there is nothing for webhookMethods to create, check or delete.
// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete
export class LnbitsWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LNbits Webhook Trigger',
		name: 'lnbitsWebhookTrigger',
		// eslint-disable-next-line @n8n/community-nodes/icon-prefer-themed-variants -- a coloured tile with its own background, legible on light and dark canvases
		icon: 'file:../../icons/lnbits.svg',
		group: ['trigger'],
		// Version 2 has the same parameters and behaviour. It exists for n8n's webhook handling: for a
		// version 1 webhook node, n8n (2.40.7, 2.41.1 `parseRequestBody`) evaluates an expression on
		// every call, which costs one expression isolate per delivery; for version 2 it does not.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: 'Invoice paid (webhook)',
		description: "Starts the workflow when LNbits calls an invoice's webhook; the payment is confirmed with the API first",
		defaults: { name: 'LNbits Webhook Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'lnbitsApi', required: true, testedBy: 'lnbitsApiTest' }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'lnbits',
			},
		],
		properties: [
			infoProperty('notice', "Give this node's Production URL as the webhook when you create an invoice (LNbits node > Create Invoice > Webhook URL). LNbits calls it once when the invoice is paid. The call is unsigned, so the payment is looked up with the credential's wallet key before the workflow starts. For every payment of a wallet, use the LNbits Trigger node instead."),
			triggerOptionsProperty([memoContainsOption, minAmountOption]),
		],
	};

	methods = { credentialTest: lnbitsCredentialTest };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const options = this.getNodeParameter('options', {}) as WebhookOptions;
		const req = this.getRequestObject() as { rawBody?: Buffer };
		const body: unknown = req.rawBody && req.rawBody.length > 0 ? req.rawBody : this.getBodyData();
		try {
			const { client, channelKey } = connectionFromCredentials(await this.getCredentials('lnbitsApi'));
			const source = streamSource(client);
			const store = this.getWorkflowStaticData('node') as IDataObject;
			// Shared by concurrent calls of this node in this process (LNbits calls twice for an
			// internal payment); the wallet is named by a hash of its key, never the key.
			const wallet = bytesToHex(sha256(utf8ToBytes(channelKey))).slice(0, 16);
			const memory = deliveryMemoryFor(
				deliveryScope('lnbits-webhook', this.getWorkflow().id, this.getNode().id, wallet),
				DEFAULT_WEBHOOK_SEEN_CAPACITY,
				() => storedWebhookSeen(store),
			);
			const outcome = await handleWebhookBody(body, {
				confirm: source.confirm,
				balance: source.balance,
				store,
				memory,
				filter: readFilter('incoming', options),
			});
			if (!outcome.emit) {
				if (outcome.reason !== 'filtered' && outcome.reason !== 'duplicate') {
					this.logger.warn(`LNbits Webhook Trigger: ignored a call (${outcome.reason})`);
				}
				return { webhookResponse: { received: true } };
			}
			return { workflowData: [this.helpers.returnJsonArray([paymentOutput(outcome.event) as IDataObject])] };
		} catch (error) {
			throw toNodeError(this.getNode(), error, 0);
		}
	}
}
