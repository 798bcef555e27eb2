import type { PaymentEvent, PaymentFilter, TriggerPayment } from './types';

/** True when the payment passes the trigger's direction / minimum amount / memo options. */
export function passesFilter(payment: TriggerPayment, filter: PaymentFilter): boolean {
	if (filter.direction !== 'both' && payment.direction !== filter.direction) return false;
	if (filter.minAmountSats > 0 && payment.amountMsat < filter.minAmountSats * 1000) return false;
	const needle = filter.memoContains.trim().toLowerCase();
	if (needle && !(payment.memo ?? '').toLowerCase().includes(needle)) return false;
	return true;
}

/** The item a trigger emits for one confirmed payment. */
export function paymentOutput(event: PaymentEvent): Record<string, unknown> {
	const p = event.payment;
	return {
		paymentHash: p.paymentHash,
		direction: p.direction,
		amountSats: p.amountSats,
		amountMsat: p.amountMsat,
		feeMsat: p.feeMsat,
		memo: p.memo,
		preimage: p.preimage,
		status: p.status,
		time: p.time,
		timestamp: p.timestamp,
		bolt11: p.bolt11,
		checkingId: p.checkingId,
		walletId: p.walletId,
		tag: p.tag ?? null,
		extra: p.extra,
		walletBalanceSats: event.balance ? event.balance.balanceSats : null,
		walletBalanceMsat: event.balance ? event.balance.balanceMsat : null,
		source: event.source,
		confirmed: true,
	};
}
