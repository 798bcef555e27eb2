/**
 * Store webhooks: CRUD, deliveries, delivery request, redeliver
 * (BTCPayServer/Plugins/Webhooks/Controllers/GreenfieldStoreWebhooksController.cs),
 * and the sender (BTCPayServer/Plugins/Webhooks/WebhookSender.cs):
 *
 * - every state change the emulator publishes becomes one delivery per webhook of
 *   the store that wants its type (HostedServices/WebhookProviderHostedService.cs:
 *   new deliveryId, originalDeliveryId = deliveryId, isRedelivery false, timestamp
 *   = the delivery's creation time);
 * - one queue per webhook, strictly one delivery at a time (MultiProcessingQueue
 *   keyed by webhook id); the retry loop runs inside that slot: with
 *   automaticRedelivery on and an answer 5xx, 408, 429 or none (network error,
 *   timeout), retries after 10 s, 1 min, then six times 10 min, each retry a
 *   redelivery of the first delivery (new deliveryId, the first one's
 *   originalDeliveryId, isRedelivery true, the original timestamp);
 * - 100 s answer timeout (HttpClient's default), scaled with emulator.webhookTimeoutScale;
 * - the body is the payload serialized indented (Formatting.Indented), signed
 *   `BTCPay-Sig: sha256=<hex HMAC-SHA256(secret, body bytes)>`;
 * - a delivery record is saved after its attempt (SendAndSaveDelivery).
 */
import { randomBytes } from 'node:crypto';
import { base58Id, notFound, validationError, type BtcPayEmulator, type EmulatorEvent, type EmulatorRequest, type Json } from '../server';
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

/** One attempt of the sender, for tests (emulator-only view of what was sent and answered). */
export interface DeliveryAttempt {
	webhookId: string;
	deliveryId: string;
	originalDeliveryId: string;
	isRedelivery: boolean;
	type: string;
	/** The payload's timestamp (unix seconds). */
	timestamp: number;
	rawBody: string;
	httpCode?: number;
	status: DeliveryRecord['status'];
	errorMessage?: string;
	responseBody?: string;
	/** Wall-clock ms when the attempt started and ended. */
	startedAt: number;
	endedAt: number;
}

interface HookQueue {
	jobs: Array<() => Promise<void>>;
	running: boolean;
	idle: Array<() => void>;
}

interface WebhookState {
	webhooks: Map<string, WebhookRecord>;
	deliveries: Map<string, DeliveryRecord[]>;
	queues: Map<string, HookQueue>;
	attempts: DeliveryAttempt[];
	/** Wakes pending retry waits and aborts in-flight requests (close()). */
	aborters: Set<() => void>;
	closed: boolean;
}

export function webhookState(emulator: BtcPayEmulator): WebhookState {
	return ((emulator.state.webhooks as WebhookState | undefined) ??= {
		webhooks: new Map(),
		deliveries: new Map(),
		queues: new Map(),
		attempts: [],
		aborters: new Set(),
		closed: false,
	}) as WebhookState;
}

export function webhooksOf(emulator: BtcPayEmulator): Map<string, WebhookRecord> {
	return webhookState(emulator).webhooks;
}

const webhookNotFound = () => notFound('webhook-not-found', 'The webhook was not found');
const deliveryNotFound = () => notFound('webhookdelivery-not-found', 'The webhook delivery was not found');
const pruned = () => ({ status: 409, body: { code: 'webhookdelivery-pruned', message: "This webhook delivery has been pruned, so it can't be redelivered" } });

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

/** BTCPay's retry waits (WebhookSender.Process), seconds. */
export const RETRY_DELAYS_SECONDS = [10, 60, 600, 600, 600, 600, 600, 600];
/** HttpClient's default timeout, which the webhook clients keep (WebhooksPlugin.cs). */
export const ANSWER_TIMEOUT_SECONDS = 100;

/** WebhookSender.SendDelivery: ShouldRetry for 5xx, 429, 408 and no answer (since v2.3.4). */
function shouldRetry(httpCode: number | undefined): boolean {
	return httpCode === undefined || (httpCode >= 500 && httpCode <= 599) || httpCode === 429 || httpCode === 408;
}

function sleep(state: WebhookState, ms: number): Promise<void> {
	return new Promise((resolve) => {
		const wake = () => {
			clearTimeout(timer);
			state.aborters.delete(wake);
			resolve();
		};
		const timer = setTimeout(wake, ms);
		state.aborters.add(wake);
	});
}

/** One POST (WebhookSender.SendDelivery) and its saved record (SendAndSaveDelivery). */
async function attempt(emulator: BtcPayEmulator, hook: WebhookRecord, payload: Json, recordTimestamp: number): Promise<DeliveryAttempt> {
	const state = webhookState(emulator);
	const rawBody = JSON.stringify(payload, null, 2);
	const deliveryTime = emulator.now();
	const startedAt = Date.now();
	const controller = new AbortController();
	const abort = () => controller.abort();
	state.aborters.add(abort);
	const timer = setTimeout(() => controller.abort(new Error('The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.')), ANSWER_TIMEOUT_SECONDS * 1000 * emulator.webhookTimeoutScale);
	const result: DeliveryAttempt = {
		webhookId: hook.id,
		deliveryId: String(payload.deliveryId),
		originalDeliveryId: String(payload.originalDeliveryId ?? payload.deliveryId),
		isRedelivery: payload.isRedelivery === true,
		type: String(payload.type),
		timestamp: Number(payload.timestamp),
		rawBody,
		status: 'Failed',
		startedAt,
		endedAt: startedAt,
	};
	try {
		const response = await fetch(hook.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'BTCPay-Sig': signBtcPayPayload(hook.secret, rawBody), 'User-Agent': 'BTCPayServer/2.4.1' },
			body: rawBody,
			signal: controller.signal,
		});
		result.responseBody = await response.text();
		result.httpCode = response.status;
		if (response.status >= 200 && response.status <= 299) result.status = 'HttpSuccess';
		else {
			result.status = 'HttpError';
			result.errorMessage = `HTTP Error Code ${response.status}`;
		}
	} catch (error) {
		const reason = controller.signal.reason as Error | undefined;
		result.status = 'Failed';
		result.errorMessage = reason instanceof Error ? reason.message : (error as Error).message;
	} finally {
		clearTimeout(timer);
		state.aborters.delete(abort);
	}
	result.endedAt = Date.now();
	const record: DeliveryRecord = {
		id: result.deliveryId,
		webhookId: hook.id,
		timestamp: recordTimestamp,
		deliveryTime,
		httpCode: result.httpCode,
		errorMessage: result.errorMessage,
		status: result.status,
		request: payload,
		rawBody,
	};
	if (state.webhooks.has(hook.id)) state.deliveries.set(hook.id, [record, ...(state.deliveries.get(hook.id) ?? [])]);
	state.attempts.push(result);
	return result;
}

/** WebhookSender.CreateRedeliveryRequest: the stored request with a new id, isRedelivery, originalDeliveryId ??= the source id; timestamp kept. */
function redeliveryPayload(source: DeliveryRecord): Json {
	return {
		...source.request,
		deliveryId: base58Id(16),
		webhookId: source.webhookId,
		originalDeliveryId: (source.request.originalDeliveryId as string | undefined) ?? source.id,
		isRedelivery: true,
	};
}

function findDelivery(state: WebhookState, webhookId: string, deliveryId: string): DeliveryRecord | undefined {
	return (state.deliveries.get(webhookId) ?? []).find((d) => d.id === deliveryId);
}

/** WebhookSender.Process: one delivery and, inside the same queue slot, its retry loop. */
async function processDelivery(emulator: BtcPayEmulator, webhookId: string, payload: Json, recordTimestamp: number, onFirst?: (a: DeliveryAttempt) => void): Promise<void> {
	const state = webhookState(emulator);
	const current = () => state.webhooks.get(webhookId);
	let hook = current();
	if (state.closed || !hook || !wants(hook, String(payload.type))) {
		onFirst?.({ webhookId, deliveryId: String(payload.deliveryId), originalDeliveryId: String(payload.originalDeliveryId), isRedelivery: payload.isRedelivery === true, type: String(payload.type), timestamp: Number(payload.timestamp), rawBody: '', status: 'Failed', errorMessage: 'not delivered: webhook gone, disabled or not subscribed', startedAt: Date.now(), endedAt: Date.now() });
		return;
	}
	let result = await attempt(emulator, hook, payload, recordTimestamp);
	onFirst?.(result);
	if (!hook.automaticRedelivery || !shouldRetry(result.httpCode)) return;
	const originalDeliveryId = result.deliveryId;
	for (const seconds of RETRY_DELAYS_SECONDS) {
		await sleep(state, seconds * 1000 * emulator.webhookTimeScale);
		hook = current();
		if (state.closed || !hook || !hook.automaticRedelivery || !wants(hook, String(payload.type))) return;
		const source = findDelivery(state, webhookId, originalDeliveryId);
		if (!source || source.pruned) return;
		result = await attempt(emulator, hook, redeliveryPayload(source), emulator.now());
		if (!shouldRetry(result.httpCode)) return;
	}
}

/** MultiProcessingQueue.Enqueue(webhookId, job): jobs of one webhook run one after another. */
function enqueue(emulator: BtcPayEmulator, webhookId: string, job: () => Promise<void>): void {
	const state = webhookState(emulator);
	let queue = state.queues.get(webhookId);
	if (!queue) {
		queue = { jobs: [], running: false, idle: [] };
		state.queues.set(webhookId, queue);
	}
	queue.jobs.push(job);
	if (queue.running) return;
	queue.running = true;
	const q = queue;
	void (async () => {
		while (q.jobs.length) {
			const next = q.jobs.shift() as () => Promise<void>;
			try {
				await next();
			} catch {
				// WebhookSender.Process logs and goes on with the next delivery.
			}
		}
		q.running = false;
		for (const resolve of q.idle.splice(0)) resolve();
	})();
}

/** The payload of a published event for one webhook (field order as Newtonsoft writes BTCPay's event classes). */
function payloadFor(emulator: BtcPayEmulator, hook: WebhookRecord, event: EmulatorEvent): Json {
	const deliveryId = base58Id(16);
	return JSON.parse(
		JSON.stringify({
			...(event.before ?? {}),
			deliveryId,
			webhookId: hook.id,
			originalDeliveryId: deliveryId,
			isRedelivery: false,
			type: event.type,
			timestamp: emulator.now(),
			storeId: event.storeId,
			...(event.after ?? {}),
		}),
	) as Json;
}

function hooksFor(emulator: BtcPayEmulator, storeId: string, type: string): WebhookRecord[] {
	// WebhookSender.GetWebhooks(storeId, type): the store's webhooks whose blob ShouldDeliver(type).
	return [...webhooksOf(emulator).values()].filter((h) => h.storeId === storeId && wants(h, type));
}

/**
 * EMULATOR-ONLY TEST HOOK (a real BTCPay has no such thing): sends a hand-built
 * event (`{ type, invoiceId, metadata, ... }`, fields may override the envelope,
 * e.g. to forge a redelivery) to every webhook of the store that wants its type.
 * It goes through the same per-webhook queue as generated events, so order is
 * real and retries follow BTCPay's rules; it resolves once each first attempt
 * was answered, one result per webhook.
 */
export async function sendWebhookEvent(
	emulator: BtcPayEmulator,
	storeId: string,
	event: Json & { type: string },
): Promise<SentDelivery[]> {
	const hooks = hooksFor(emulator, storeId, event.type);
	return Promise.all(
		hooks.map(
			(hook) =>
				new Promise<SentDelivery>((resolve) => {
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
					const timestamp = Number(payload.timestamp);
					enqueue(emulator, hook.id, () =>
						processDelivery(emulator, hook.id, payload, timestamp, (a) =>
							resolve({ webhookId: hook.id, deliveryId: a.deliveryId, httpCode: a.httpCode, responseBody: a.responseBody, errorMessage: a.errorMessage }),
						),
					);
				}),
		),
	);
}

/** Test helper: waits until the queue of one webhook (or of every webhook) is idle, retry loops included. */
export async function settleDeliveries(emulator: BtcPayEmulator, webhookId?: string): Promise<void> {
	const state = webhookState(emulator);
	for (;;) {
		const busy = [...state.queues.entries()].filter(([id, q]) => q.running && (webhookId === undefined || id === webhookId));
		if (!busy.length) return;
		await Promise.all(busy.map(([, q]) => new Promise<void>((resolve) => q.idle.push(resolve))));
	}
}

/** Test helper: whether a webhook's queue has nothing to send and no retry pending. */
export function webhookQueueIdle(emulator: BtcPayEmulator, webhookId: string): boolean {
	return !webhookState(emulator).queues.get(webhookId)?.running;
}

/** Test helper: every attempt made (oldest first), optionally of one webhook. */
export function deliveryAttempts(emulator: BtcPayEmulator, webhookId?: string): DeliveryAttempt[] {
	return webhookState(emulator).attempts.filter((a) => webhookId === undefined || a.webhookId === webhookId);
}

export function register(emulator: BtcPayEmulator): void {
	const state = webhookState(emulator);
	emulator.registerOwner('webhookId', (id) => state.webhooks.get(id)?.storeId);
	// WebhookProviderHostedService.ProcessEvent: one delivery per interested webhook, queued per webhook.
	emulator.subscribe((event) => {
		for (const hook of hooksFor(emulator, event.storeId, event.type)) {
			const payload = payloadFor(emulator, hook, event);
			enqueue(emulator, hook.id, () => processDelivery(emulator, hook.id, payload, Number(payload.timestamp)));
		}
	});
	emulator.onClose(() => {
		state.closed = true;
		for (const abort of [...state.aborters]) abort();
	});

	emulator.route('GET', '/api/v1/stores/{storeId}/webhooks', (req) => {
		if (!findStore(emulator, req.params.storeId)) return storeNotFound();
		const list = [...state.webhooks.values()].filter((h) => h.storeId === req.params.storeId).map((h) => publicData(h, false));
		return { status: 200, body: list };
	});

	emulator.route('POST', '/api/v1/stores/{storeId}/webhooks', (req) => {
		if (!findStore(emulator, req.params.storeId)) return storeNotFound();
		const parsed = readBody(req.body);
		if (!parsed.ok) return validationError({ path: 'Url', message: 'Invalid Url' });
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
		if (!parsed.ok) return validationError({ path: 'Url', message: 'Invalid Url' });
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
		if (d.pruned) return pruned();
		return { status: 200, body: d.request };
	});

	emulator.route('POST', '/api/v1/stores/{storeId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver', (req) => {
		const d = deliveryOf(req);
		if (!d) return deliveryNotFound();
		if (d.pruned) return pruned();
		// WebhookSender.Redeliver: a redelivery request (new id, original timestamp), queued behind the
		// webhook's other deliveries; the new id is answered at once.
		const payload = redeliveryPayload(d);
		const created = emulator.now();
		enqueue(emulator, d.webhookId, () => processDelivery(emulator, d.webhookId, payload, created));
		return { status: 200, body: payload.deliveryId };
	});
}
