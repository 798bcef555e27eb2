/**
 * Store webhooks (Greenfield `/api/v1/stores/{storeId}/webhooks`): create,
 * read, update and delete a webhook, and inspect or redeliver its deliveries.
 * Uses the store-nested routes, which every BTCPay version serves (2.4 adds
 * flat `/api/v1/webhooks/{id}` aliases). No n8n imports.
 */
import { z } from 'zod';
import type { HttpClient } from '../../shared/http';
import { InputError } from '../../shared/errors';
import { objectIdSchema, parseInput, storeIdSchema } from './schemas';

/** The invoice events (BTCPayServer.Client/Models/WebhookEventType.cs). */
export const INVOICE_EVENT_TYPES = [
	'InvoiceCreated',
	'InvoiceReceivedPayment',
	'InvoiceProcessing',
	'InvoiceExpired',
	'InvoiceSettled',
	'InvoiceInvalid',
	'InvoicePaymentSettled',
	'InvoiceExpiredPaidPartial',
	'InvoicePaidAfterExpiration',
	'InvoiceRefund',
] as const;

/** The subscription events (BTCPayServer.Client/Models/WebhookSubscriptionEvent.cs IsSubscriptionType). */
export const SUBSCRIPTION_EVENT_TYPES = [
	'SubscriberCreated',
	'SubscriberCredited',
	'SubscriberCharged',
	'SubscriberActivated',
	'SubscriberPhaseChanged',
	'SubscriberDisabled',
	'SubscriberNeedUpgrade',
	'PaymentReminder',
	'PlanStarted',
	'CreditRefunded',
] as const;

/**
 * Event types BTCPay v2.4.1 sends to store webhooks, spelled as the server spells them:
 * BTCPayServer.Client/Models/WebhookEventType.cs (invoices, payouts, payment requests),
 * Plugins/Webhooks/TriggerProviders/PendingTransactionTriggerProvider.cs (multisig wallet
 * transactions) and BTCPayServer.Client/Models/WebhookSubscriptionEvent.cs (subscriptions).
 */
export const WEBHOOK_EVENT_TYPES = [
	...INVOICE_EVENT_TYPES,
	'PaymentRequestCreated',
	'PaymentRequestUpdated',
	'PaymentRequestArchived',
	'PaymentRequestStatusChanged',
	'PaymentRequestCompleted',
	'PayoutCreated',
	'PayoutApproved',
	'PayoutUpdated',
	'PendingTransactionCreated',
	'PendingTransactionSignatureCollected',
	'PendingTransactionBroadcast',
	'PendingTransactionCancelled',
	...SUBSCRIPTION_EVENT_TYPES,
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const authorizedEventsSchema = z
	.object({
		everything: z.boolean().optional().default(true),
		specificEvents: z.array(z.string()).nullish().transform((v) => v ?? []),
	})
	.passthrough();

export const webhookSchema = z
	.object({
		id: z.string(),
		enabled: z.boolean().optional().default(true),
		automaticRedelivery: z.boolean().optional().default(true),
		url: z.string(),
		authorizedEvents: authorizedEventsSchema.optional().default({ everything: true, specificEvents: [] }),
		secret: z.string().nullish(),
	})
	.passthrough();

export type Webhook = z.output<typeof webhookSchema>;

/** The create call is the only one that returns the secret. */
export const createdWebhookSchema = webhookSchema.extend({ secret: z.string().min(1) });
export type CreatedWebhook = z.output<typeof createdWebhookSchema>;

export const webhookListSchema = z.array(webhookSchema);

export const webhookDeliverySchema = z
	.object({
		id: z.string(),
		timestamp: z.number().nullish(),
		deliveryTime: z.number().nullish(),
		httpCode: z.number().nullish(),
		errorMessage: z.string().nullish(),
		status: z.string().nullish(),
	})
	.passthrough();

export type WebhookDelivery = z.output<typeof webhookDeliverySchema>;

export const webhookDeliveryListSchema = z.array(webhookDeliverySchema);

/** The JSON body that was (or will be) POSTed to the endpoint for a delivery. */
export const deliveryRequestSchema = z.record(z.unknown());

/** Redeliver answers with the new delivery id as a JSON string. */
export const redeliverResultSchema = z.string().min(1);

export interface WebhookInput {
	url: string;
	enabled?: boolean;
	automaticRedelivery?: boolean;
	/** Empty or undefined means every event. */
	events?: readonly string[];
	/** Leave out to let BTCPay generate one (returned by create only). */
	secret?: string;
}

const storeIdInput = z.object({ id: storeIdSchema() });
const objectIdInput = z.object({ id: objectIdSchema() });

/** A validated, URL-safe path segment; errors name `field`. */
function requireId(field: string, value: string): string {
	const schema = field === 'Store' ? storeIdInput : objectIdInput;
	return encodeURIComponent(parseInput(schema, { id: value }, { id: field }).id);
}

function validateUrl(url: string): string {
	const v = (url ?? '').trim();
	let parsed: URL;
	try {
		parsed = new URL(v);
	} catch {
		throw new InputError('URL', `"${v}" is not an absolute URL`, 'BTCPay');
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new InputError('URL', 'must start with http:// or https://', 'BTCPay');
	}
	return v;
}

/** Builds the request body BTCPay expects for create/update. */
export function webhookBody(input: WebhookInput): Record<string, unknown> {
	const events = [...new Set((input.events ?? []).map((e) => e.trim()).filter(Boolean))];
	const body: Record<string, unknown> = {
		url: validateUrl(input.url),
		enabled: input.enabled ?? true,
		automaticRedelivery: input.automaticRedelivery ?? true,
		authorizedEvents: events.length ? { everything: false, specificEvents: events } : { everything: true },
	};
	if (input.secret !== undefined && input.secret !== '') body.secret = input.secret;
	return body;
}

/** True when the webhook delivers exactly the wanted events (empty list = everything). */
export function webhookEventsMatch(webhook: Webhook, wanted: readonly string[]): boolean {
	const everything = webhook.authorizedEvents.everything !== false;
	if (!wanted.length) return everything;
	if (everything) return false;
	const have = new Set(webhook.authorizedEvents.specificEvents);
	const want = new Set(wanted);
	return have.size === want.size && [...want].every((e) => have.has(e));
}

export class WebhooksApi {
	constructor(private readonly http: HttpClient) {}

	private base(storeId: string): string {
		return `/api/v1/stores/${requireId('Store', storeId)}/webhooks`;
	}

	private one(storeId: string, webhookId: string): string {
		return `${this.base(storeId)}/${requireId('Webhook ID', webhookId)}`;
	}

	async list(storeId: string): Promise<Webhook[]> {
		return await this.http.request('GET', this.base(storeId), {
			schema: webhookListSchema,
			resource: 'The store',
		});
	}

	async get(storeId: string, webhookId: string): Promise<Webhook> {
		return await this.http.request('GET', this.one(storeId, webhookId), {
			schema: webhookSchema,
			resource: `Webhook "${webhookId}"`,
		});
	}

	/** Creates the webhook; the result carries the secret (the only call that does). */
	async create(storeId: string, input: WebhookInput): Promise<CreatedWebhook> {
		return await this.http.request('POST', this.base(storeId), {
			json: webhookBody(input),
			schema: createdWebhookSchema,
			resource: 'The store',
		});
	}

	async update(storeId: string, webhookId: string, input: WebhookInput): Promise<Webhook> {
		return await this.http.request('PUT', this.one(storeId, webhookId), {
			json: webhookBody(input),
			schema: webhookSchema,
			resource: `Webhook "${webhookId}"`,
		});
	}

	async delete(storeId: string, webhookId: string): Promise<void> {
		await this.http.request('DELETE', this.one(storeId, webhookId), {
			resource: `Webhook "${webhookId}"`,
		});
	}

	/** Latest deliveries, most recent first. */
	async listDeliveries(storeId: string, webhookId: string, count?: number, call: { signal?: AbortSignal } = {}): Promise<WebhookDelivery[]> {
		if (count !== undefined && (!Number.isInteger(count) || count < 1)) {
			throw new InputError('Limit', 'must be a positive whole number', 'BTCPay');
		}
		return await this.http.request('GET', `${this.one(storeId, webhookId)}/deliveries`, {
			query: { count },
			schema: webhookDeliveryListSchema,
			resource: `Webhook "${webhookId}"`,
			signal: call.signal,
		});
	}

	async getDelivery(storeId: string, webhookId: string, deliveryId: string, call: { signal?: AbortSignal } = {}): Promise<WebhookDelivery> {
		return await this.http.request(
			'GET',
			`${this.one(storeId, webhookId)}/deliveries/${requireId('Delivery ID', deliveryId)}`,
			{ schema: webhookDeliverySchema, resource: `Delivery "${deliveryId}"`, signal: call.signal },
		);
	}

	/** The JSON body that was sent for a delivery (409 when BTCPay pruned it). */
	async getDeliveryRequest(storeId: string, webhookId: string, deliveryId: string, call: { signal?: AbortSignal } = {}): Promise<Record<string, unknown>> {
		return await this.http.request(
			'GET',
			`${this.one(storeId, webhookId)}/deliveries/${requireId('Delivery ID', deliveryId)}/request`,
			{ schema: deliveryRequestSchema, resource: `Delivery "${deliveryId}"`, signal: call.signal },
		);
	}

	/** Asks BTCPay to send a delivery again; returns the new delivery id. Not retried. */
	async redeliver(storeId: string, webhookId: string, deliveryId: string): Promise<string> {
		return await this.http.request(
			'POST',
			`${this.one(storeId, webhookId)}/deliveries/${requireId('Delivery ID', deliveryId)}/redeliver`,
			{ schema: redeliverResultSchema, resource: `Delivery "${deliveryId}"` },
		);
	}
}
