import {
	NodeConnectionTypes,
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INode,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
	type JsonObject,
} from 'n8n-workflow';
import { isServiceError, ServiceError } from '../shared/errors';
import { normalizeServerUrl } from '../shared/url';
import { infoProperty, triggerOptionsProperty } from '../shared/ui';
import type { BtcPayClient } from './client';
import { parseStoreId } from './client/stores';
import { webhookEventsMatch } from './client/webhooks';
import { storeLocatorProperty } from './actions/common';
import { btcPayCredentialTest } from './credentialTest';
import { listSearch } from './methods';
import { getBtcPayClient } from './transport';
import { isSubscriptionEventType, type ConfirmApi } from './trigger/confirm';
import { deliveryMemoryFor, deliveryScope } from '../shared/delivery-memory';
import { BoundedMap, BoundedSet } from '../shared/dedupe';
import { DEFAULT_DEDUPE_CAPACITY, saveSeen, storedSeen } from './trigger/delivery';
import { EVENT_OPTIONS, isInvoiceEvent, wantedEvents } from './trigger/events';
import { handleDelivery } from './trigger/handler';
import { ChainCache, type DeliveryLedgerApi } from './trigger/ledger';
import { SIGNATURE_HEADER } from './trigger/signing';

const WEBHOOK_PERMISSION = 'btcpay.store.webhooks.canmodifywebhooks';
const INVOICE_PERMISSION = 'btcpay.store.canviewinvoices';
const OFFERING_PERMISSION = 'btcpay.store.canviewofferings';

type HookContext = IHookFunctions | IWebhookFunctions;

interface TriggerOptions {
	confirmWithApi?: boolean;
	automaticRedelivery?: boolean;
	maxBodySizeKb?: number;
	redeliveryMemory?: number;
}

/** What the node keeps in workflow static data ('node'). */
interface TriggerStaticData extends IDataObject {
	webhookId?: string;
	secret?: string;
	storeId?: string;
}

async function clientFor(ctx: HookContext): Promise<BtcPayClient> {
	return await getBtcPayClient(ctx);
}

/**
 * The client for confirming deliveries: short per-request timeout, one quick retry,
 * no long Retry-After sleeps, so that a confirmation fits its deadline
 * (trigger/handler.ts) and the answer reaches BTCPay well within its 100 s.
 */
export const CONFIRM_CLIENT_OPTIONS = { timeoutMs: 4_000, retries: 1, retryDelayMs: 250, maxRetryAfterMs: 1_000 } as const;

function storeIdOf(ctx: HookContext): string {
	const value = ctx.getNodeParameter('store', '', { extractValue: true });
	try {
		return parseStoreId(value, 'Store');
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, {
			description: 'Choose the BTCPay store whose events start the workflow',
		});
	}
}

// The store picker of the action node, without its resource/operation display rules.
const { displayOptions: _storeDisplay, ...storeProperty } = storeLocatorProperty('store');

function optionsOf(ctx: HookContext): TriggerOptions {
	return (ctx.getNodeParameter('options', {}) ?? {}) as TriggerOptions;
}

function isManual(ctx: HookContext): boolean {
	return ctx.getNodeParameter('registration', 'automatic') === 'manual';
}

/** Turns an API failure during activation into an n8n error; 403 names the permission. */
function activationError(node: INode, error: unknown): Error {
	if (!isServiceError(error)) return error instanceof Error ? error : new Error(String(error));
	let message = error.message;
	let hint = error.hint;
	if (error.kind === 'permission' && !error.missingPermission) {
		message = `The BTCPay API key lacks the permission "${WEBHOOK_PERMISSION}" for this store (403 Forbidden)`;
		hint = `Create an API key that includes "${WEBHOOK_PERMISSION}" (Modify stores webhooks), or switch Webhook Registration to Manual.`;
	}
	if (error.status === undefined) return new NodeOperationError(node, message, { description: hint });
	const response: JsonObject = { message, kind: error.kind };
	if (error.missingPermission) response.missingPermission = error.missingPermission;
	return new NodeApiError(node, response, { message, description: hint, httpCode: String(error.status) });
}

/**
 * Secrets of webhooks this process registered, by workflow and node. n8n saves the static data
 * that create() wrote only once the whole activation is done, and a webhook call loads static
 * data from the database: a delivery BTCPay sends in between (an invoice event right after
 * the webhook was created) would find no secret and be lost. Observed in real n8n 2.40.7.
 */
const registeredSecrets = new Map<string, string>();

/** Chain ids of delivery requests read from BTCPay, per trigger node (trigger/ledger.ts). */
const chainCaches = new BoundedMap<ChainCache>(500);

/** BTCPay's delivery records of one webhook, through the confirmation client (short timeouts). */
function ledgerApi(client: () => Promise<BtcPayClient>, storeId: string, webhookId: string): DeliveryLedgerApi {
	const missing = (error: unknown) => error instanceof ServiceError && error.kind === 'not_found';
	return {
		delivery: async (deliveryId, signal) => {
			try {
				return await (await client()).webhooks.getDelivery(storeId, webhookId, deliveryId, { signal });
			} catch (error) {
				if (missing(error)) return undefined;
				// Rethrown as it is: the handler answers 503 (or falls back when the key cannot read deliveries).
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
				throw error;
			}
		},
		recent: async (count, signal) => await (await client()).webhooks.listDeliveries(storeId, webhookId, count, { signal }),
		request: async (deliveryId, signal) => {
			try {
				return await (await client()).webhooks.getDeliveryRequest(storeId, webhookId, deliveryId, { signal });
			} catch (error) {
				// Pruned (409) or gone: that record cannot name its chain.
				if (isServiceError(error) && ['not_found', 'business', 'validation'].includes(error.kind)) return undefined;
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
				throw error;
			}
		},
	};
}

/** Trigger nodes already warned that their key cannot read BTCPay's delivery records. */
const warnedNoRecords = new BoundedSet(500);

function warnOnce(ctx: IWebhookFunctions, key: string): void {
	if (!warnedNoRecords.add(key)) return;
	ctx.logger.warn(
		`BTCPay Server Trigger: the API key may not read the webhook's delivery records ("${WEBHOOK_PERMISSION}"), so redeliveries are recognised by this n8n process's memory only; with several webhook processes (queue mode), give the key that permission`,
	);
}

function registrationKey(ctx: HookContext): string {
	return `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}`;
}

function clearRegistration(data: TriggerStaticData): void {
	delete data.webhookId;
	delete data.secret;
	delete data.storeId;
}

async function deleteQuietly(client: BtcPayClient, storeId: string, webhookId: string): Promise<void> {
	try {
		await client.webhooks.delete(storeId, webhookId);
	} catch (error) {
		// Rethrown as it is: every caller wraps it (activationError, or the delete hook's log and false).
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
		if (!(error instanceof ServiceError && error.kind === 'not_found')) throw error;
	}
}

/** The raw request bytes n8n read before parsing (BTCPay-Sig covers exactly these bytes). */
async function rawBodyOf(req: {
	rawBody?: Buffer | string;
	readRawBody?: () => Promise<void>;
}): Promise<Uint8Array | undefined> {
	if (req.rawBody === undefined && typeof req.readRawBody === 'function') await req.readRawBody();
	const raw = req.rawBody;
	if (raw === undefined || raw === null) return undefined;
	return typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
}

/** The credential's BTCPay base URL, or undefined when it is missing or malformed (the output then has no built link). */
async function serverUrlOf(ctx: IWebhookFunctions): Promise<string | undefined> {
	try {
		return normalizeServerUrl(String((await ctx.getCredentials('btcPayApi')).url ?? '')).baseUrl;
	} catch {
		return undefined;
	}
}

export class BtcPayTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'BTCPay Server Trigger',
		name: 'btcPayTrigger',
		// eslint-disable-next-line @n8n/community-nodes/icon-prefer-themed-variants -- a coloured tile with its own background, legible on light and dark canvases
		icon: 'file:../../icons/btcpay.svg',
		group: ['trigger'],
		// Version 2 has the same parameters and behaviour. It exists for n8n's webhook handling: for a
		// version 1 webhook node, n8n (2.40.7, 2.41.1 `parseRequestBody`) evaluates an expression on
		// every call, which costs one expression isolate per delivery; for version 2 it does not.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{($parameter["events"] || []).includes("*") ? "Any event" : ($parameter["events"] || []).join(", ")}}',
		description: 'Starts the workflow on BTCPay Server store events (signed webhooks)',
		defaults: { name: 'BTCPay Server Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'btcPayApi', required: true, testedBy: 'btcPayApiTest' }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
				// With an execution to start, n8n answers after it queued it (queue mode: in Redis),
				// with the node's `webhookResponse` body: an empty responseData selects that body.
				responseData: '',
			},
		],
		properties: [
			{
				displayName: 'Webhook Registration',
				name: 'registration',
				type: 'options',
				options: [
					{
						name: 'Automatic',
						value: 'automatic',
						description:
							'Create the store webhook through the API when the workflow is published and delete it when unpublished (needs btcpay.store.webhooks.canmodifywebhooks)',
					},
					{
						name: 'Manual',
						value: 'manual',
						description: 'You create the webhook in BTCPay yourself and paste its secret here',
					},
				],
				default: 'automatic',
			},
			infoProperty(
				'manualNotice',
				"In BTCPay open Store > Settings > Webhooks, create a webhook with this node's Production URL (above) and the events you want, then paste its secret below.",
				{ show: { registration: ['manual'] } },
			),
			{
				displayName: 'Webhook Secret',
				name: 'webhookSecret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				required: true,
				displayOptions: { show: { registration: ['manual'] } },
				description: 'The secret BTCPay shows for the webhook; every delivery must be signed with it',
			},
			{ ...storeProperty, description: 'The BTCPay store whose events start the workflow' },
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [],
				description:
					'Events that start the workflow. Unknown event types are only passed on with Any Event.',
				options: EVENT_OPTIONS,
			},
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				description: 'Whether to return a simplified version of the response instead of the raw data',
			},
			triggerOptionsProperty([
				{
					displayName: 'Automatic Redelivery',
					name: 'automaticRedelivery',
					type: 'boolean',
					default: true,
					description:
						'Whether BTCPay retries failed deliveries (after 10 s, 1 min, then every 10 min). Applies to automatic registration.',
				},
				{
					displayName: 'Confirm With API',
					name: 'confirmWithApi',
					type: 'boolean',
					default: true,
					description:
						'Whether to check every delivery that names an invoice or a subscriber with BTCPay before it starts the workflow (a payment must be listed in the invoice\'s payments, a status event must match the invoice\'s status, a subscription event must match the subscriber\'s phase and active flag) and add the server\'s view. Deliveries BTCPay does not confirm are answered but not emitted. Needs btcpay.store.canviewinvoices (and btcpay.store.canviewofferings for subscription events).',
				},
				{
					displayName: 'Max Body Size (KB)',
					name: 'maxBodySizeKb',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: 1024,
					description: 'Larger deliveries are refused with HTTP 400',
				},
				{
					displayName: 'Redelivery Memory',
					name: 'redeliveryMemory',
					type: 'number',
					typeOptions: { minValue: 10 },
					default: DEFAULT_DEDUPE_CAPACITY,
					description:
						'How many recent deliveries are remembered so that a redelivery of one of them is acknowledged without starting the workflow again',
				},
			]),
		],
	};

	methods = { listSearch, credentialTest: btcPayCredentialTest };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				if (isManual(this)) return true;
				const data = this.getWorkflowStaticData('node') as TriggerStaticData;
				const storeId = storeIdOf(this);
				if (!data.webhookId || !data.secret) return false;
				const client = await clientFor(this);
				try {
					if (data.storeId && data.storeId !== storeId) {
						await deleteQuietly(client, data.storeId, data.webhookId);
						clearRegistration(data);
						return false;
					}
					let hook;
					try {
						hook = await client.webhooks.get(storeId, data.webhookId);
					} catch (error) {
						if (error instanceof ServiceError && error.kind === 'not_found') {
							clearRegistration(data);
							return false;
						}
						// Rethrown to the catch below, which turns it into a NodeApiError/NodeOperationError.
						// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
						throw error;
					}
					const url = this.getNodeWebhookUrl('default');
					const redelivery = optionsOf(this).automaticRedelivery ?? true;
					const events = wantedEvents(this.getNodeParameter('events', []) as string[]);
					if (
						hook.url === url &&
						hook.enabled &&
						hook.automaticRedelivery === redelivery &&
						webhookEventsMatch(hook, events)
					) {
						return true;
					}
					// Ours but outdated (URL, events or settings changed): replace it.
					await deleteQuietly(client, storeId, data.webhookId);
					clearRegistration(data);
					return false;
				} catch (error) {
					throw activationError(this.getNode(), error);
				}
			},

			async create(this: IHookFunctions): Promise<boolean> {
				if (isManual(this)) return true;
				const url = this.getNodeWebhookUrl('default');
				if (!url) throw new NodeOperationError(this.getNode(), 'n8n did not provide a webhook URL for this node');
				const storeId = storeIdOf(this);
				const events = wantedEvents(this.getNodeParameter('events', []) as string[]);
				const client = await clientFor(this);
				if ((optionsOf(this).confirmWithApi ?? true) && (events.length === 0 || events.some(isInvoiceEvent))) {
					// Fail now rather than on the first payment: confirming needs to read invoices.
					try {
						await client.invoices.list(storeId, { take: 1 });
					} catch (error) {
						if (isServiceError(error) && error.kind === 'permission') {
							throw new NodeOperationError(
								this.getNode(),
								`Confirm With API needs the permission "${INVOICE_PERMISSION}" for this store, and the API key lacks it`,
								{ description: `Add "${INVOICE_PERMISSION}" to the API key, or turn off Options > Confirm With API.` },
							);
						}
						throw activationError(this.getNode(), error);
					}
				}
				if ((optionsOf(this).confirmWithApi ?? true) && events.some(isSubscriptionEventType)) {
					// Confirming subscription events reads the subscriber back (an offerings read).
					try {
						await client.subscriptions.listOfferings(storeId);
					} catch (error) {
						if (isServiceError(error) && error.kind === 'permission') {
							throw new NodeOperationError(
								this.getNode(),
								`Confirm With API needs the permission "${OFFERING_PERMISSION}" for this store to confirm subscription events, and the API key lacks it`,
								{ description: `Add "${OFFERING_PERMISSION}" to the API key, or turn off Options > Confirm With API.` },
							);
						}
						throw activationError(this.getNode(), error);
					}
				}
				try {
					const created = await client.webhooks.create(storeId, {
						url,
						events,
						enabled: true,
						automaticRedelivery: optionsOf(this).automaticRedelivery ?? true,
					});
					const data = this.getWorkflowStaticData('node') as TriggerStaticData;
					data.webhookId = created.id;
					data.secret = created.secret;
					data.storeId = storeId;
					registeredSecrets.set(registrationKey(this), created.secret);
					return true;
				} catch (error) {
					throw activationError(this.getNode(), error);
				}
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node') as TriggerStaticData;
				if (!data.webhookId) return true;
				try {
					const client = await clientFor(this);
					await deleteQuietly(client, data.storeId ?? storeIdOf(this), data.webhookId);
				} catch (error) {
					// n8n goes on deactivating either way; the webhook stays registered in BTCPay, so say so.
					this.logger.warn(
						`BTCPay Server Trigger: could not delete webhook ${data.webhookId} in BTCPay (${(error as Error).message ?? String(error)}); delete it in the store's Webhooks settings`,
					);
					return false;
				}
				clearRegistration(data);
				registeredSecrets.delete(registrationKey(this));
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const data = this.getWorkflowStaticData('node') as TriggerStaticData;
		const options = optionsOf(this);
		const secret = isManual(this)
			? String(this.getNodeParameter('webhookSecret', '') ?? '')
			: data.secret || registeredSecrets.get(registrationKey(this)) || '';
		const storeId = storeIdOf(this);
		// One memory per trigger node and store in this process, shared by concurrent calls:
		// n8n reloads static data for every call and does not save it after a call that
		// started an execution, so static data alone lets a redelivery run the workflow again.
		const seen = deliveryMemoryFor(
			deliveryScope('btcpay', this.getWorkflow().id, this.getNode().id, storeId),
			Math.max(10, Math.floor(options.redeliveryMemory ?? DEFAULT_DEDUPE_CAPACITY)),
			() => storedSeen(data),
		);

		let client: Promise<BtcPayClient> | undefined;
		const confirmClient = async () => await (client ??= getBtcPayClient(this, CONFIRM_CLIENT_OPTIONS));
		const api: ConfirmApi = {
			invoice: async (store, invoiceId, signal) => await (await confirmClient()).invoices.get(store, invoiceId, { signal }),
			paymentMethods: async (store, invoiceId, signal) =>
				await (await confirmClient()).invoices.paymentMethods(store, invoiceId, {}, { signal }),
			pullPayment: async (pullPaymentId, signal) => await (await confirmClient()).pullPayments.get(pullPaymentId, { signal }),
			subscriber: async (store, offeringId, customerId, signal) =>
				await (await confirmClient()).subscriptions.getSubscriber(store, offeringId, customerId, { signal }),
		};

		const outcome = await handleDelivery(
			{ rawBody: await rawBodyOf(req), signatureHeader: req.headers[SIGNATURE_HEADER] },
			{
				secret,
				storeId,
				events: wantedEvents(this.getNodeParameter('events', []) as string[]),
				confirmWithApi: options.confirmWithApi ?? true,
				simplify: this.getNodeParameter('simplify', true) as boolean,
				maxBodyBytes: Math.floor((options.maxBodySizeKb ?? 1024) * 1024),
				serverUrl: await serverUrlOf(this),
				ledger: (webhookId) => ledgerApi(confirmClient, storeId, webhookId),
				chains: chainCaches.getOrAdd(registrationKey(this), () => new ChainCache()),
			},
			seen,
			api,
		);
		if (outcome.log?.level === 'error') this.logger.error(outcome.log.message);
		else if (outcome.log) this.logger.warn(outcome.log.message);
		saveSeen(data, seen);
		if (outcome.item && outcome.records === 'read') {
			// An execution to start, and BTCPay's delivery records allowed it: n8n answers once it
			// has queued it (after WorkflowRunner.run(), in queue mode once the job is in Redis),
			// with this body and status 200. So BTCPay never gets a 200 for an event that no
			// execution holds: if n8n cannot queue it (Redis down), it answers 500 and BTCPay
			// redelivers. Static data written above is not saved on this path (run() wraps the
			// same object in a second Workflow, which clears its change flag); the memory that
			// matters across processes and restarts is BTCPay's records (trigger/ledger.ts).
			return { webhookResponse: outcome.body, workflowData: [[{ json: outcome.item as IDataObject }]] };
		}
		if (outcome.item && outcome.records === 'denied') warnOnce(this, registrationKey(this));
		// Answered here, through the response object. With an execution to start and no delivery
		// records to rely on (the key may not read them), n8n is told about the answer before it
		// starts the execution, so its response callback saves the static data written above
		// (the redelivery memory) first: a restart does not forget which deliveries ran.
		this.getResponseObject().status(outcome.status).json(outcome.body);
		if (outcome.item) return { noWebhookResponse: true, workflowData: [[{ json: outcome.item as IDataObject }]] };
		return { noWebhookResponse: true };
	}
}
