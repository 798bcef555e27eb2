/**
 * Store webhooks: CRUD, deliveries, delivery request, redeliver; and the sender
 * that POSTs a delivery like BTCPay does (pretty-printed JSON, `BTCPay-Sig:
 * sha256=<hex HMAC of the raw body>`), recording each delivery.
 */
import { randomBytes } from 'node:crypto';
import { base58Id, notFound, validationError, type BtcPayEmulator, type EmulatorRequest, type Json } from '../server';
import { findStore, storeNotFound } from './stores';
import { signBtcPayPayload } from '../../../nodes/BtcPay/trigger/signing';

export interface WebhookRecord {
	id: string;
	storeId: string;
	enabled: boolean;
	automaticRedelivery: boolean;
	url: string;
	authorizedEvents: { everything: boolean; specificEvents: string[] };
	secret: string;
}

export interface DeliveryRecord {
	id: string;
	webhookId: string;
	timestamp: number;
	deliveryTime?: number;
	httpCode?: number;
	errorMessage?: string;
	status: 'Failed' | 'HttpError' | 'HttpSuccess';
	/** The payload object and the exact bytes sent. */
	request: Json;
	rawBody: string;
	/** Emulator-only: false once "pruned" (request no longer available: 409). */
	pruned?: boolean;
}

interface WebhookState {
	webhooks: Map<string, WebhookRecord>;
	deliveries: Map<string, DeliveryRecord[]>;
	/** Deliveries being sent in the background (redeliver answers before sending). */
	pending: Set<Promise<unknown>>;
}

export function webhookState(emulator: BtcPayEmulator): WebhookState {
	return ((emulator.state.webhooks as WebhookState | undefined) ??= {
		webhooks: new Map(),
		deliveries: new Map(),
		pending: new Set(),
	}) as WebhookState;
}

export function webhooksOf(emulator: BtcPayEmulator): Map<string, WebhookRecord> {
	return webhookState(emulator).webhooks;
}

const webhookNotFound = () => notFound('webhook-not-found', 'Webhook not found');
const deliveryNotFound = () => notFound('webhookdelivery-not-found', 'Webhook delivery not found');

function publicData(hook: WebhookRecord, withSecret: boolean): Json {
	const out: Json = {
		id: hook.id,
		enabled: hook.enabled,
		automaticRedelivery: hook.automaticRedelivery,
		url: hook.url,
		authorizedEvents: { everything: hook.authorizedEvents.everything, specificEvents: hook.authorizedEvents.specificEvents },
	};
	if (withSecret) out.secret = hook.secret;
	return out;
}

function deliveryData(d: DeliveryRecord): Json {
	const out: Json = { id: d.id, timestamp: d.timestamp, status: d.status };
	if (d.deliveryTime !== undefined) out.deliveryTime = d.deliveryTime;
	if (d.httpCode !== undefined) out.httpCode = d.httpCode;
	if (d.errorMessage !== undefined) out.errorMessage = d.errorMessage;
	return out;
}

/** Validates a create/update body the way BTCPay does (absolute URL). */
function readBody(body: unknown): { ok: true; value: Json } | { ok: false } {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false };
	const b = body as Json;
	try {
		const u = new URL(String(b.url ?? ''));
		if (!u.protocol.startsWith('http')) return { ok: false };
	} catch {
		return { ok: false };
	}
	return { ok: true, value: b };
}

function authorized(b: Json): WebhookRecord['authorizedEvents'] {
	const ae = (b.authorizedEvents ?? {}) as Json;
	const specific = Array.isArray(ae.specificEvents) ? ae.specificEvents.map(String) : [];
	return { everything: ae.everything !== false, specificEvents: specific };
}

function hookOf(emulator: BtcPayEmulator, req: EmulatorRequest): WebhookRecord | undefined {
	const hook = webhooksOf(emulator).get(req.params.webhookId);
	return hook && hook.storeId === req.params.storeId ? hook : undefined;
}

function wants(hook: WebhookRecord, type: string): boolean {
	return hook.enabled && (hook.authorizedEvents.everything || hook.authorizedEvents.specificEvents.includes(type));
}

export interface SentDelivery {
	webhookId: string;
	deliveryId: string;
	httpCode?: number;
	responseBody?: string;
	errorMessage?: string;
}

/** POSTs one payload to a webhook like BTCPay (pretty-printed, signed) and records the delivery. */
async function send(emulator: BtcPayEmulator, hook: WebhookRecord, payload: Json): Promise<SentDelivery> {
	const rawBody = JSON.stringify(payload, null, 2);
	const record: DeliveryRecord = {
		id: String(payload.deliveryId),
		webhookId: hook.id,
		timestamp: Number(payload.timestamp),
		status: 'Failed',
		request: payload,
		rawBody,
	};
	const list = webhookState(emulator).deliveries;
	list.set(hook.id, [record, ...(list.get(hook.id) ?? [])]);
	try {
		const response = await fetch(hook.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'BTCPay-Sig': signBtcPayPayload(hook.secret, rawBody) },
			body: rawBody,
			signal: AbortSignal.timeout(30_000),
		});
		const text = await response.text();
		record.deliveryTime = emulator.now();
		record.httpCode = response.status;
		record.status = response.ok ? 'HttpSuccess' : 'HttpError';
		if (!response.ok) record.errorMessage = `HTTP ${response.status}`;
		return { webhookId: hook.id, deliveryId: record.id, httpCode: response.status, responseBody: text };
	} catch (error) {
		record.deliveryTime = emulator.now();
		record.errorMessage = (error as Error).message;
		return { webhookId: hook.id, deliveryId: record.id, errorMessage: record.errorMessage };
	}
}

/**
 * Sends an event (`{ type, invoiceId, metadata, ... }`) to every enabled webhook
 * of the store that wants it, as BTCPay would. Returns one result per webhook.
 */
export async function sendWebhookEvent(
	emulator: BtcPayEmulator,
	storeId: string,
	event: Json & { type: string },
): Promise<SentDelivery[]> {
	const hooks = [...webhooksOf(emulator).values()].filter((h) => h.storeId === storeId && wants(h, event.type));
	return Promise.all(
		hooks.map((hook) => {
			const deliveryId = base58Id(16);
			const payload: Json = {
				deliveryId,
				webhookId: hook.id,
				originalDeliveryId: deliveryId,
				isRedelivery: false,
				timestamp: emulator.now(),
				storeId,
				...event,
			};
			return send(emulator, hook, payload);
		}),
	);
}

/** Waits until every background delivery (from redeliver) has been answered. */
export async function settleDeliveries(emulator: BtcPayEmulator): Promise<void> {
	const pending = webhookState(emulator).pending;
	while (pending.size) await Promise.all([...pending]);
}

export function register(emulator: BtcPayEmulator): void {
	const state = webhookState(emulator);

	emulator.route('GET', '/api/v1/stores/{storeId}/webhooks', (req) => {
		if (!findStore(emulator, req.params.storeId)) return storeNotFound();
		const list = [...state.webhooks.values()].filter((h) => h.storeId === req.params.storeId).map((h) => publicData(h, false));
		return { status: 200, body: list };
	});

	emulator.route('POST', '/api/v1/stores/{storeId}/webhooks', (req) => {
		if (!findStore(emulator, req.params.storeId)) return storeNotFound();
		const parsed = readBody(req.body);
		if (!parsed.ok) return validationError({ path: 'url', message: 'Invalid Url' });
		const b = parsed.value;
		const hook: WebhookRecord = {
			id: base58Id(16),
			storeId: req.params.storeId,
			enabled: b.enabled !== false,
			automaticRedelivery: b.automaticRedelivery !== false,
			url: String(b.url),
			authorizedEvents: authorized(b),
			secret: typeof b.secret === 'string' && b.secret ? b.secret : randomBytes(16).toString('base64url'),
		};
		state.webhooks.set(hook.id, hook);
		return { status: 200, body: publicData(hook, true) };
	});

	emulator.route('GET', '/api/v1/stores/{storeId}/webhooks/{webhookId}', (req) => {
		const hook = hookOf(emulator, req);
		return hook ? { status: 200, body: publicData(hook, false) } : webhookNotFound();
	});

	emulator.route('PUT', '/api/v1/stores/{storeId}/webhooks/{webhookId}', (req) => {
		const parsed = readBody(req.body);
		if (!parsed.ok) return validationError({ path: 'url', message: 'Invalid Url' });
		const hook = hookOf(emulator, req);
		if (!hook) return webhookNotFound();
		const b = parsed.value;
		hook.url = String(b.url);
		hook.enabled = b.enabled !== false;
		hook.automaticRedelivery = b.automaticRedelivery !== false;
		hook.authorizedEvents = authorized(b);
		if (typeof b.secret === 'string' && b.secret) hook.secret = b.secret;
		return { status: 200, body: publicData(hook, false) };
	});

	emulator.route('DELETE', '/api/v1/stores/{storeId}/webhooks/{webhookId}', (req) => {
		const hook = hookOf(emulator, req);
		if (!hook) return webhookNotFound();
		state.webhooks.delete(hook.id);
		state.deliveries.delete(hook.id);
		return { status: 200 };
	});

	emulator.route('GET', '/api/v1/stores/{storeId}/webhooks/{webhookId}/deliveries', (req) => {
		const hook = hookOf(emulator, req);
		if (!hook) return webhookNotFound();
		const count = req.query.get('count');
		const all = state.deliveries.get(hook.id) ?? [];
		const list = count ? all.slice(0, Math.max(0, Number(count))) : all;
		return { status: 200, body: list.map(deliveryData) };
	});

	const deliveryOf = (req: EmulatorRequest): DeliveryRecord | undefined => {
		const hook = hookOf(emulator, req);
		if (!hook) return undefined;
		return (state.deliveries.get(hook.id) ?? []).find((d) => d.id === req.params.deliveryId);
	};

	emulator.route('GET', '/api/v1/stores/{storeId}/webhooks/{webhookId}/deliveries/{deliveryId}', (req) => {
		const d = deliveryOf(req);
		return d ? { status: 200, body: deliveryData(d) } : deliveryNotFound();
	});

	emulator.route('GET', '/api/v1/stores/{storeId}/webhooks/{webhookId}/deliveries/{deliveryId}/request', (req) => {
		const d = deliveryOf(req);
		if (!d) return deliveryNotFound();
		if (d.pruned) return { status: 409, body: { code: 'webhookdelivery-pruned', message: 'This webhook delivery has been pruned' } };
		return { status: 200, body: d.request };
	});

	emulator.route('POST', '/api/v1/stores/{storeId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver', (req) => {
		const d = deliveryOf(req);
		if (!d) return deliveryNotFound();
		if (d.pruned) return { status: 409, body: { code: 'webhookdelivery-pruned', message: 'This webhook delivery has been pruned' } };
		const hook = state.webhooks.get(d.webhookId) as WebhookRecord;
		const newId = base58Id(16);
		const payload: Json = {
			...d.request,
			deliveryId: newId,
			originalDeliveryId: d.request.originalDeliveryId ?? d.id,
			isRedelivery: true,
			timestamp: emulator.now(),
		};
		// BTCPay answers with the new id and broadcasts asynchronously.
		const sending = send(emulator, hook, payload).finally(() => state.pending.delete(sending));
		state.pending.add(sending);
		return { status: 200, body: newId };
	});
}
