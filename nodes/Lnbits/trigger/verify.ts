import { claimMatches, type FrameClaim } from './frames';
import type { TriggerPayment, TriggerPaymentStatus } from './types';

export type Verdict =
	| { ok: true; payment: TriggerPayment }
	| { ok: false; reason: 'unconfirmed' | 'mismatch'; payment?: TriggerPayment };

/**
 * Decides whether an unauthenticated claim (WebSocket frame or webhook body)
 * is backed by LNbits' own record of the hash, read with the wallet key:
 * the wallet must hold a settled record of that hash, and every claim the
 * message makes (amount, direction, wallet, status) must agree with it.
 */
export function verifyClaim(claim: FrameClaim, status: TriggerPaymentStatus): Verdict {
	const details = status.details;
	if (!status.paid || !details || details.status !== 'success') return { ok: false, reason: 'unconfirmed' };
	if (!claimMatches(claim, details)) return { ok: false, reason: 'mismatch', payment: details };
	return { ok: true, payment: details };
}
