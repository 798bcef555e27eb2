/**
 * LNbits payment records: the API's snake_case shape (REST answers and the
 * `payment` of a WebSocket frame, see test/lnbits-server/FINDINGS.md) parsed
 * with zod and normalized to one camelCase type.
 */
import { z } from 'zod';
import { ServiceError } from '../../shared/errors';

export type LnbitsPaymentStatusValue = 'pending' | 'success' | 'failed';

export interface LnbitsPayment {
	paymentHash: string;
	checkingId: string;
	walletId: string | null;
	direction: 'incoming' | 'outgoing';
	/** Absolute value, integer msat. */
	amountMsat: number;
	/** floor(amountMsat / 1000). */
	amountSats: number;
	/** Absolute value, msat. */
	feeMsat: number;
	status: LnbitsPaymentStatusValue;
	memo: string | null;
	bolt11: string | null;
	preimage: string | null;
	/** ISO 8601 UTC. */
	time: string;
	/** Unix seconds. */
	timestamp: number;
	/** ISO 8601 UTC. */
	expiry: string | null;
	extra: Record<string, unknown>;
	webhook: string | null;
	tag: string | null;
}

const timeValue = z.union([z.string(), z.number()]);

export const rawPaymentSchema = z
	.object({
		payment_hash: z.string().min(1),
		checking_id: z.string().nullish(),
		wallet_id: z.string().nullish(),
		amount: z.number(),
		fee: z.number().nullish(),
		status: z.string().nullish(),
		/** LNbits before 1.0 had `pending: bool` instead of `status`. */
		pending: z.boolean().nullish(),
		memo: z.string().nullish(),
		bolt11: z.string().nullish(),
		payment_request: z.string().nullish(),
		preimage: z.string().nullish(),
		time: timeValue.nullish(),
		created_at: timeValue.nullish(),
		expiry: timeValue.nullish(),
		extra: z.record(z.unknown()).nullish(),
		webhook: z.string().nullish(),
		tag: z.string().nullish(),
	})
	.passthrough();

export type RawLnbitsPayment = z.infer<typeof rawPaymentSchema>;

/**
 * Parses an LNbits date: ISO strings with or without an offset (a naive time is
 * UTC, as LNbits stores it), or unix seconds (older versions).
 */
export function parseLnbitsTime(value: string | number | null | undefined): Date | null {
	if (value === null || value === undefined || value === '') return null;
	if (typeof value === 'number') return new Date(value * 1000);
	const text = value.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return new Date(Number(text) * 1000);
	const hasZone = /(Z|[+-]\d\d:?\d\d)$/i.test(text);
	const date = new Date(hasZone ? text : `${text.replace(' ', 'T')}Z`);
	return Number.isNaN(date.getTime()) ? null : date;
}

function statusOf(raw: RawLnbitsPayment): LnbitsPaymentStatusValue {
	const s = (raw.status ?? '').toLowerCase();
	if (s === 'success' || s === 'pending' || s === 'failed') return s;
	if (raw.pending === true) return 'pending';
	if (raw.pending === false) return 'success';
	return 'pending';
}

/** Normalizes an already validated raw payment. */
export function normalizePayment(raw: RawLnbitsPayment): LnbitsPayment {
	const amount = Math.trunc(raw.amount);
	const amountMsat = Math.abs(amount);
	const time = parseLnbitsTime(raw.time ?? raw.created_at) ?? new Date(0);
	const expiry = parseLnbitsTime(raw.expiry);
	return {
		paymentHash: raw.payment_hash,
		checkingId: raw.checking_id ?? raw.payment_hash,
		walletId: raw.wallet_id ?? null,
		direction: amount < 0 ? 'outgoing' : 'incoming',
		amountMsat,
		amountSats: Math.floor(amountMsat / 1000),
		feeMsat: Math.abs(Math.trunc(raw.fee ?? 0)),
		status: statusOf(raw),
		memo: raw.memo ?? null,
		bolt11: raw.bolt11 ?? raw.payment_request ?? null,
		preimage: raw.preimage ?? null,
		time: time.toISOString(),
		timestamp: Math.floor(time.getTime() / 1000),
		expiry: expiry ? expiry.toISOString() : null,
		extra: (raw.extra as Record<string, unknown> | null | undefined) ?? {},
		webhook: raw.webhook ?? null,
		tag: raw.tag ?? null,
	};
}

/** Parses and normalizes one API payment (REST answer or a WebSocket frame's `payment`). */
export function toLnbitsPayment(raw: unknown): LnbitsPayment {
	const result = rawPaymentSchema.safeParse(raw);
	if (!result.success) {
		const details = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(payment)'}: ${i.message}`);
		throw new ServiceError(`LNbits sent a payment this node does not understand (${details.join('; ')})`, {
			kind: 'protocol',
			service: 'LNbits',
			details,
			hint: 'Check that the server URL points to an LNbits 1.x server.',
		});
	}
	return normalizePayment(result.data);
}
