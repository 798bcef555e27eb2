import { NodeConnectionTypes } from 'n8n-workflow';
import type { IDataObject, INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { deduplicationKey, emitRecorded, InOrderConfirmations } from '../shared/durable-emit';
import { toNodeError } from '../shared/n8n';
import { infoProperty, streamCheckProperty, triggerOptionsProperty } from '../shared/ui';
import { simplifyInvoice } from './client/simplify';
import { InvoiceSubscription } from './client/subscribe';
import { getLndClient } from './transport';
import { lndCredentialTest } from './credentialTest';

interface TriggerOptions {
	minAmountSats?: number;
	maxReconnectDelaySeconds?: number;
	probeIntervalSeconds?: number;
	simplify?: boolean;
}

interface StoredCursor {
	url: string;
	settleIndex: string;
}

export class LndTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LND Trigger',
		name: 'lndTrigger',
		icon: { light: 'file:../../icons/lnd.svg', dark: 'file:../../icons/lnd.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Invoice settled',
		description: 'Starts the workflow when an invoice of your LND node is paid',
		defaults: { name: 'LND Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'lndRestApi', required: true, testedBy: 'lndRestApiTest' }],
		properties: [
			infoProperty('notice', "Listens on LND's invoice stream. After a disconnect or restart it asks LND for every invoice settled since the last one it delivered, so each paid invoice starts the workflow once. Needs a macaroon that can read invoices (invoice.macaroon or admin.macaroon)."),
			triggerOptionsProperty([
				{
					displayName: 'Max Reconnect Delay (Seconds)',
					name: 'maxReconnectDelaySeconds',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 3600 },
					default: 60,
					description: 'Reconnect attempts back off exponentially up to this delay',
				},
				{
					displayName: 'Min Amount (Sats)',
					name: 'minAmountSats',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 0,
					description: 'Ignore invoices paid with less than this many sats',
				},
				streamCheckProperty(
					'How often the newest invoices are listed to make sure the stream still delivers (a connection can die without closing). A silent stream is reopened, and LND replays what was settled meanwhile. 0 = never.',
				),
				{
					displayName: 'Simplify',
					name: 'simplify',
					type: 'boolean',
					default: true,
					description: 'Whether to return a flat version of the invoice instead of the raw LND data',
				},
			]),
		],
	};

	methods = { credentialTest: lndCredentialTest };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const node = this.getNode();
		const manual = this.getMode() === 'manual';
		let subscription: InvoiceSubscription;
		try {
			const client = await getLndClient(this, { retries: 1 });
			const staticData = this.getWorkflowStaticData('node') as IDataObject;
			const stored = staticData.lndCursor as StoredCursor | undefined;
			// A test run starts from "now" and leaves the active workflow's cursor alone.
			const resume = !manual && stored && stored.url === client.http.baseUrl ? stored.settleIndex : undefined;
			const minAmount = BigInt(Math.max(0, Math.floor(Number(options.minAmountSats ?? 0))));
			const simplify = options.simplify !== false;
			const logger = this.logger;
			// The stored cursor only ever names invoices whose execution n8n has recorded (see
			// shared/durable-emit.ts): after a crash the ones emitted since are emitted again, and
			// n8n's deduplication key refuses those whose execution already exists.
			const persist = (settleIndex: string) => {
				staticData.lndCursor = { url: client.http.baseUrl, settleIndex } satisfies StoredCursor;
			};
			const confirmations = new InOrderConfirmations((position) => persist(position.toString()));
			subscription = new InvoiceSubscription({
				client,
				settleIndex: resume,
				onSettled: (invoice) => {
					const index = BigInt(invoice.settle_index ?? '0');
					const confirm = manual ? undefined : confirmations.add(index);
					if (BigInt(invoice.amt_paid_sat ?? invoice.value ?? '0') < minAmount) return confirm?.();
					const json = (simplify ? simplifyInvoice(invoice) : invoice) as unknown as IDataObject;
					const items = this.helpers.returnJsonArray([json]);
					if (!confirm) return this.emit([items]);
					const hash = Buffer.from(invoice.r_hash ?? '', 'base64').toString('hex');
					emitRecorded(this, items, deduplicationKey(this, 'lnd', `${hash}:${index}`)).then(confirm, (error: Error) =>
						logger.warn(`LND Trigger: n8n did not record the execution of invoice settle_index ${index}: ${error.message}`),
					);
				},
				backoff: { initialMs: 1000, maxMs: Math.round((options.maxReconnectDelaySeconds ?? 60) * 1000) },
				maxEvents: manual ? 1 : undefined,
				probeIntervalMs: Math.round((options.probeIntervalSeconds ?? 20) * 1000),
				log: (level, message) => logger[level](`LND Trigger: ${message}`),
			});
			await subscription.start();
			// Remember the starting point at once, so invoices settled while n8n is down are caught up.
			if (!manual && confirmations.open === 0) persist(subscription.settleIndex);
		} catch (error) {
			throw toNodeError(node, error, 0);
		}
		if (manual) {
			return {
				closeFunction: async () => await subscription.stop(),
				manualTriggerFunction: async () => await subscription.done(),
			};
		}
		return { closeFunction: async () => await subscription.stop() };
	}
}
