/**
 * Turns one HTTP delivery into a trusted event, or into the status to answer:
 * body size limit, BTCPay-Sig over the raw bytes, JSON parse, minimal shape.
 * Also the persisted copy of the redelivery memory (nodes/shared/delivery-memory.ts).
 */
import { z } from 'zod';
import { type DeliveryMemory, needsPersisting, persistedKeys } from '../../shared/delivery-memory';
import { verifyBtcPaySignature } from './signing';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_DEDUPE_CAPACITY = 1000;

export const webhookEventSchema = z
	.object({
		deliveryId: z.string().min(1),
		webhookId: z.string().nullish(),
		originalDeliveryId: z.string().nullish(),
		isRedelivery: z.boolean().nullish(),
		type: z.string().min(1),
		timestamp: z.number().nullish(),
		storeId: z.string().nullish(),
		invoiceId: z.string().nullish(),
		metadata: z.unknown().optional(),
	})
	.passthrough();

export type BtcPayWebhookEvent = z.output<typeof webhookEventSchema>;

export type DeliveryRejection = {
	ok: false;
	status: 400 | 401;
	/** Short machine-readable reason, also sent in the response body. */
	reason: 'body_too_large' | 'signature_missing' | 'signature_malformed' | 'signature_mismatch' | 'not_json' | 'not_an_event';
	message: string;
};

export type DeliveryAccepted = {
	ok: true;
	event: BtcPayWebhookEvent;
	/** The body as text (JSON numbers such as subscription amounts are read from it exactly). */
	raw: string;
	/** `originalDeliveryId ?? deliveryId`: the same for a delivery and all its redeliveries. */
	dedupeKey: string;
};

export interface DeliveryInput {
	rawBody: Uint8Array | undefined;
	signatureHeader: string | string[] | undefined;
	secret: string;
	maxBodyBytes?: number;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Size first (no hashing of junk), then the signature (401), then JSON and shape (400). */
export function checkDelivery(input: DeliveryInput): DeliveryAccepted | DeliveryRejection {
	const raw = input.rawBody ?? new Uint8Array(0);
	const max = input.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
	if (raw.length > max) {
		return { ok: false, status: 400, reason: 'body_too_large', message: `Body larger than ${max} bytes` };
	}
	const signature = verifyBtcPaySignature(input.secret, raw, input.signatureHeader);
	if (!signature.valid) {
		const messages = {
			missing: 'BTCPay-Sig header missing',
			malformed: 'BTCPay-Sig header malformed',
			mismatch: 'BTCPay-Sig does not match the body',
		} as const;
		return {
			ok: false,
			status: 401,
			reason: `signature_${signature.reason}`,
			message: messages[signature.reason],
		};
	}
	let parsed: unknown;
	let text: string;
	try {
		text = decoder.decode(raw);
		parsed = JSON.parse(text);
	} catch {
		return { ok: false, status: 400, reason: 'not_json', message: 'Body is not JSON' };
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		return { ok: false, status: 400, reason: 'not_an_event', message: 'Body is not a webhook event object' };
	}
	const event = webhookEventSchema.safeParse(parsed);
	if (!event.success) {
		return { ok: false, status: 400, reason: 'not_an_event', message: 'Body lacks deliveryId or type' };
	}
	return {
		ok: true,
		event: event.data,
		raw: text,
		dedupeKey: event.data.originalDeliveryId || event.data.deliveryId,
	};
}

const SEEN_KEY = 'seenDeliveries';

/** The redelivery memory persisted in node static data (oldest first; garbage ignored). */
export function storedSeen(staticData: Record<string, unknown>): string[] {
	return persistedKeys(staticData[SEEN_KEY]);
}

/**
 * Writes the memory back with a new array, so n8n notices the change and saves it,
 * when it differs from what static data holds. Returns true when it wrote.
 */
export function saveSeen(staticData: Record<string, unknown>, memory: DeliveryMemory): boolean {
	if (!needsPersisting(staticData[SEEN_KEY], memory)) return false;
	staticData[SEEN_KEY] = memory.persistable();
	return true;
}
