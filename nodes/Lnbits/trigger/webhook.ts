/**
 * Webhook mode: LNbits POSTs a paid invoice's record, JSON-encoded twice and
 * unsigned, to the URL given when the invoice was created. Anyone can call
 * that URL, so the body only names a hash; the payment is read back from
 * LNbits with the wallet key, checked against the body, deduplicated, and
 * only then emitted.
 */
import { isServiceError } from '../../shared/errors';
import { passesFilter } from './filter';
import { parseWebhookBody } from './frames';
import { seenSet } from './state';
import { verifyClaim } from './verify';
import type { PaymentEvent, PaymentFilter, TriggerPaymentStatus, WalletBalance } from './types';

export interface WebhookDeps {
	confirm(paymentHash: string): Promise<TriggerPaymentStatus>;
	balance?(): Promise<WalletBalance>;
	/** Persisted hashes already emitted (oldest first); updated in place. */
	store: Record<string, unknown>;
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

export async function handleWebhookBody(body: unknown, deps: WebhookDeps): Promise<WebhookOutcome> {
	const claim = parseWebhookBody(body);
	if (!claim) return { emit: false, reason: 'invalid' };
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
	const stored = Array.isArray(deps.store[STORE_KEY]) ? (deps.store[STORE_KEY] as string[]) : [];
	const seen = seenSet(deps.seenCapacity ?? 1000, stored);
	const wallet = await balance;
	if (!seen.add(claim.paymentHash)) return { emit: false, reason: 'duplicate' };
	deps.store[STORE_KEY] = seen.toArray();
	if (!passesFilter(verdict.payment, deps.filter)) return { emit: false, reason: 'filtered' };
	return { emit: true, event: { payment: verdict.payment, balance: wallet, source: 'webhook' } };
}
