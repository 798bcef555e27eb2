import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';
import { deduplicationKey, emitRecorded } from '../shared/durable-emit';
import { toNodeError } from '../shared/n8n';
import { lnbitsCredentialTest } from './credentialTest';
import { infoProperty, streamCheckProperty, triggerOptionsProperty } from '../shared/ui';
import { paymentOutput } from './trigger/filter';
import { streamSource, websocketUrl } from './trigger/lnbits';
import { connectionFromCredentials, memoContainsOption, minAmountOption, readFilter } from './trigger/options';
import { loadState, saveState, walletFingerprint } from './trigger/state';
import { PaymentStream, type LogLevel } from './trigger/stream';
import type { StreamState } from './trigger/state';
import type { Direction } from './trigger/types';

interface TriggerOptions {
	includeBalance?: boolean;
	minAmountSats?: number;
	memoContains?: string;
	lookbackHours?: number;
	safetyCheckMinutes?: number;
	maxReconnectDelaySeconds?: number;
	probeIntervalSeconds?: number;
}

export class LnbitsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LNbits Trigger',
		name: 'lnbitsTrigger',
		// eslint-disable-next-line @n8n/community-nodes/icon-prefer-themed-variants -- a coloured tile with its own background, legible on light and dark canvases
		icon: 'file:../../icons/lnbits.svg',
		group: ['trigger'],
		version: 1,
		subtitle: '={{ { incoming: "Incoming payments", outgoing: "Outgoing payments", both: "All payments" }[$parameter["direction"]] }}',
		description: 'Starts the workflow when a payment arrives in or leaves an LNbits wallet, in real time',
		defaults: { name: 'LNbits Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'lnbitsApi', required: true, testedBy: 'lnbitsApiTest' }],
		properties: [
			infoProperty('notice', "Listens on the wallet's LNbits WebSocket. Every payment is checked with LNbits' API before the workflow starts, and payments settled while n8n was disconnected are caught up once it reconnects."),
			{
				// "Trigger On": n8n's node panel lists one trigger action per option (by its `action`).
				displayName: 'Trigger On',
				name: 'direction',
				type: 'options',
				options: [
					{ name: 'Payment Received', value: 'incoming', action: 'On payment received', description: 'A payment arrives in the wallet' },
					{ name: 'Payment Sent', value: 'outgoing', action: 'On payment sent', description: 'A payment leaves the wallet' },
					{ name: 'Payment Received or Sent', value: 'both', action: 'On payment received or sent', description: 'Payments in either direction' },
				],
				default: 'incoming',
				description: 'Which payments start the workflow',
			},
			triggerOptionsProperty([
				{
					displayName: 'Catch-Up Window (Hours)',
					name: 'lookbackHours',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 720 },
					default: 24,
					description:
						'After a disconnect, payments of invoices created up to this long before the disconnect are checked. Keep it longer than the longest invoice expiry you use.',
				},
				{
					displayName: 'Max Reconnect Delay (Seconds)',
					name: 'maxReconnectDelaySeconds',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 3600 },
					default: 30,
					description: 'Reconnect attempts back off exponentially (with jitter) up to this delay',
				},
				{
					displayName: 'Include Wallet Balance',
					name: 'includeBalance',
					type: 'boolean',
					default: true,
					description:
						'Whether to read the wallet balance from LNbits for every payment (one more API call, in parallel with the confirmation)',
				},
				memoContainsOption,
				minAmountOption,
				streamCheckProperty(
					"How often a harmless check frame is sent through the wallet's WebSocket channel to make sure the connection still delivers (one can die without closing). A silent connection is replaced and the payments made meanwhile are caught up. 0 = never.",
				),
				{
					displayName: 'Safety Check Every (Minutes)',
					name: 'safetyCheckMinutes',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 5,
					description:
						'While connected, also list recent payments this often, in case a WebSocket message was lost. 0 = only after (re)connecting.',
				},
			]),
		],
	};

	methods = { credentialTest: lnbitsCredentialTest };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const direction = this.getNodeParameter('direction', 'incoming') as Direction;
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const node = this.getNode();
		let stream: PaymentStream;
		try {
			const { client, channelKey } = connectionFromCredentials(await this.getCredentials('lnbitsApi'));
			const filter = readFilter(direction, options);
			const manual = this.getMode() === 'manual';
			const staticData = this.getWorkflowStaticData('node') as IDataObject;
			const wallet = walletFingerprint(client.baseUrl, channelKey);
			const logger = this.logger;
			const source = streamSource(client);
			if (options.includeBalance === false) delete source.balance;
			// The stored memory only ever holds payments whose execution n8n has recorded (see
			// shared/durable-emit.ts): after a crash the ones emitted since are found again by the
			// catch-up, and n8n's deduplication key refuses those whose execution already exists.
			const unrecorded = new Set<string>();
			let latest: StreamState | undefined;
			const persist = () => {
				if (latest) saveState(staticData, { ...latest, seen: latest.seen.filter((hash) => !unrecorded.has(hash)) });
			};
			stream = new PaymentStream({
				url: websocketUrl(client.baseUrl, channelKey),
				...source,
				probe: (frame) => client.pushToChannel(channelKey, frame),
				probeIntervalMs: Math.round((options.probeIntervalSeconds ?? 20) * 1000),
				emit: (event) => {
					const items = this.helpers.returnJsonArray([paymentOutput(event) as IDataObject]);
					if (manual) return this.emit([items]);
					const hash = event.payment.paymentHash.toLowerCase();
					unrecorded.add(hash);
					persist();
					emitRecorded(this, items, deduplicationKey(this, 'lnbits', hash)).then(
						() => {
							unrecorded.delete(hash);
							persist();
						},
						(error: Error) => logger.warn(`LNbits Trigger: n8n did not record the execution of payment ${hash}: ${error.message}`),
					);
				},
				filter,
				// A test run starts from "now" and leaves the active workflow's memory alone.
				state: manual ? undefined : loadState(staticData, wallet),
				wallet,
				save: manual
					? undefined
					: (state) => {
							latest = state;
							persist();
						},
				lookbackSeconds: Math.round((options.lookbackHours ?? 24) * 3600),
				safetyCheckMs: Math.round((options.safetyCheckMinutes ?? 5) * 60_000),
				backoff: { initialMs: 1000, maxMs: Math.round((options.maxReconnectDelaySeconds ?? 30) * 1000) },
				maxEmits: manual ? 1 : undefined,
				log: (level: LogLevel, message: string) => logger[level](`LNbits Trigger: ${message}`),
			});
			if (manual) {
				return {
					closeFunction: async () => await stream.stop(),
					manualTriggerFunction: async () => {
						try {
							await stream.start();
						} catch (error) {
							throw toNodeError(node, error, 0);
						}
					},
				};
			}
			await stream.start();
		} catch (error) {
			throw toNodeError(node, error, 0);
		}
		return { closeFunction: async () => await stream.stop() };
	}
}
