/**
 * Webhook mode: LNbits POSTs a paid invoice's record, JSON-encoded twice and
 * unsigned, to the URL given when the invoice was created. Anyone can call
 * that URL, so the body only names a hash; the payment is read back from
 * LNbits with the wallet key, checked against the body, deduplicated, and
 * only then emitted.
 */
import { DeliveryMemory, needsPersisting, persistedKeys } from '../../shared/delivery-memory';
import { isServiceError } from '../../shared/errors';
import { passesFilter } from './filter';
import { type FrameClaim, parseWebhookBody } from './frames';
import { verifyClaim } from './verify';
import type { PaymentEvent, PaymentFilter, TriggerPaymentStatus, WalletBalance } from './types';

export interface WebhookDeps {
	confirm(paymentHash: string): Promise<TriggerPaymentStatus>;
	balance?(): Promise<WalletBalance>;
	/** Node static data: the persisted copy of the hashes already emitted (oldest first); updated in place. */
	store: Record<string, unknown>;
	/**
	 * The in-process memory shared by every call of this trigger node (see
	 * nodes/shared/delivery-memory.ts). Without it, a memory built from `store` alone.
	 */
	memory?: DeliveryMemory;
	filter: PaymentFilter;
	/** Payments created longer ago than this are refused (replays), seconds (default 86 400). */
	maxAgeSeconds?: number;
	now?: () => number;
	seenCapacity?: number;
}

export type WebhookOutcome =
	| { emit: true; event: PaymentEvent }
	| { emit: false; reason: 'invalid' | 'unconfirmed' | 'mismatch' | 'stale' | 'duplicate' | 'filtered' };

const STORE_KEY = 'lnbitsWebhookSeen';
export const DEFAULT_WEBHOOK_SEEN_CAPACITY = 1000;

/** The hashes persisted in node static data (oldest first). */
export function storedWebhookSeen(store: Record<string, unknown>): string[] {
	return persistedKeys(store[STORE_KEY]);
}

/**
 * LNbits 1.6.2 calls the webhook twice for an internal payment, close together.
 * The hash is claimed before the first await, so the second call answers
 * `duplicate` without asking LNbits; a call that ends without emitting (not
 * paid yet, mismatch, stale, error) releases the claim for a later call.
 */
export async function handleWebhookBody(body: unknown, deps: WebhookDeps): Promise<WebhookOutcome> {
	const claim = parseWebhookBody(body);
	if (!claim) return { emit: false, reason: 'invalid' };
	const memory =
		deps.memory ?? new DeliveryMemory(deps.seenCapacity ?? DEFAULT_WEBHOOK_SEEN_CAPACITY, storedWebhookSeen(deps.store));
	const hash = claim.paymentHash;
	if (!memory.claim(hash)) return { emit: false, reason: 'duplicate' };
	let settled = false;
	try {
		const outcome = await confirmClaim(claim, deps);
		if (outcome.emit || outcome.reason === 'filtered') {
			memory.settle(hash);
			settled = true;
		}
		// Rewritten on every call that changes it or finds it stale, so a call n8n does save
		// (one that starts no execution) persists what earlier calls could not.
		if (needsPersisting(deps.store[STORE_KEY], memory)) deps.store[STORE_KEY] = memory.persistable();
		return outcome;
	} finally {
		if (!settled) memory.release(hash);
	}
}

async function confirmClaim(claim: FrameClaim, deps: WebhookDeps): Promise<WebhookOutcome> {
	const balance = deps.balance ? deps.balance().catch(() => null) : Promise.resolve(null);
	let status: TriggerPaymentStatus;
	try {
		status = await deps.confirm(claim.paymentHash);
	} catch (error) {
		await balance;
		if (isServiceError(error) && error.kind === 'not_found') return { emit: false, reason: 'unconfirmed' };
		throw error;
	}
	const verdict = verifyClaim(claim, status);
	if (!verdict.ok) {
		await balance;
		return { emit: false, reason: verdict.reason };
	}
	const now = deps.now ? deps.now() : Date.now();
	if (verdict.payment.timestamp < Math.floor(now / 1000) - (deps.maxAgeSeconds ?? 86_400)) {
		await balance;
		return { emit: false, reason: 'stale' };
	}
	const wallet = await balance;
	if (!passesFilter(verdict.payment, deps.filter)) return { emit: false, reason: 'filtered' };
	return { emit: true, event: { payment: verdict.payment, balance: wallet, source: 'webhook' } };
}
