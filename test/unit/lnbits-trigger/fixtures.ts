/** An in-memory LNbits wallet for the trigger's unit tests: confirm / list / balance behave like the REST API. */
import * as crypto from 'node:crypto';
import { ServiceError } from '../../../nodes/shared/errors';
import type { Timers } from '../../../nodes/Lnbits/trigger/stream';
import type { TriggerPayment, TriggerPaymentStatus, WalletBalance } from '../../../nodes/Lnbits/trigger/types';

export const WALLET_ID = 'a'.repeat(32);

export function newHash(): string {
	return crypto.randomBytes(32).toString('hex');
}

export function makePayment(overrides: Partial<TriggerPayment> = {}): TriggerPayment {
	const hash = overrides.paymentHash ?? newHash();
	const amountMsat = overrides.amountMsat ?? 100_000;
	const timestamp = overrides.timestamp ?? Math.floor(Date.now() / 1000);
	return {
		paymentHash: hash,
		checkingId: hash,
		walletId: WALLET_ID,
		direction: 'incoming',
		amountMsat,
		amountSats: Math.floor(amountMsat / 1000),
		feeMsat: 0,
		status: 'success',
		memo: 'coffee',
		bolt11: 'lnbc1u1p...',
		preimage: crypto.randomBytes(32).toString('hex'),
		time: new Date(timestamp * 1000).toISOString(),
		timestamp,
		extra: {},
		...overrides,
	};
}

/** A frame exactly as LNbits 1.6.2 sends it (Python json.dumps spacing, signed msat, balance in sats). */
export function frameFor(p: TriggerPayment, walletBalanceSats = 100): string {
	const amount = p.direction === 'outgoing' ? -p.amountMsat : p.amountMsat;
	return JSON.stringify({
		wallet_balance: walletBalanceSats,
		payment: {
			checking_id: p.checkingId,
			payment_hash: p.paymentHash,
			wallet_id: p.walletId,
			amount,
			fee: p.feeMsat,
			bolt11: p.bolt11,
			status: p.status,
			memo: p.memo,
			preimage: p.preimage,
			time: p.time,
			extra: p.extra,
		},
	}).replace(/":/g, '": ').replace(/,"/g, ', "');
}

function fail(kind: 'not_found' | 'network' | 'auth', message: string): ServiceError {
	return new ServiceError(message, { kind, service: 'LNbits', status: kind === 'not_found' ? 404 : kind === 'auth' ? 401 : undefined });
}

export class FakeWallet {
	readonly payments = new Map<string, TriggerPayment>();
	balanceMsat = 0;
	confirmCalls: string[] = [];
	listCalls: number[] = [];
	balanceCalls = 0;
	/** Next N confirm / list / balance calls fail with a network error. */
	failConfirm = 0;
	failList = 0;
	/** Every call fails with 401 (wrong key). */
	unauthorized = false;

	add(p: TriggerPayment): TriggerPayment {
		this.payments.set(p.paymentHash, p);
		if (p.status === 'success') this.balanceMsat += p.direction === 'incoming' ? p.amountMsat : -p.amountMsat;
		return p;
	}

	settle(overrides: Partial<TriggerPayment> = {}): TriggerPayment {
		return this.add(makePayment(overrides));
	}

	confirm = async (hash: string): Promise<TriggerPaymentStatus> => {
		this.confirmCalls.push(hash);
		await Promise.resolve();
		if (this.unauthorized) throw fail('auth', 'Wallet not found');
		if (this.failConfirm > 0) {
			this.failConfirm--;
			throw fail('network', 'connection refused');
		}
		const p = this.payments.get(hash);
		if (!p) throw fail('not_found', 'Payment does not exist.');
		return { paid: p.status === 'success', preimage: p.preimage, details: { ...p } };
	};

	listSince = async (since: number): Promise<TriggerPayment[]> => {
		this.listCalls.push(since);
		await Promise.resolve();
		if (this.unauthorized) throw fail('auth', 'Wallet not found');
		if (this.failList > 0) {
			this.failList--;
			throw fail('network', 'connection refused');
		}
		return [...this.payments.values()]
			.filter((p) => p.status === 'success' && p.timestamp >= since)
			.sort((a, b) => b.timestamp - a.timestamp)
			.map((p) => ({ ...p }));
	};

	balance = async (): Promise<WalletBalance> => {
		this.balanceCalls++;
		await Promise.resolve();
		if (this.unauthorized) throw fail('auth', 'Wallet not found');
		return { balanceMsat: this.balanceMsat, balanceSats: Math.floor(this.balanceMsat / 1000) };
	};
}

/** Real timers that remember what is scheduled, so tests can assert nothing is left behind. */
export class TrackedTimers implements Timers {
	readonly live = new Set<NodeJS.Timeout>();
	readonly delays: number[] = [];
	offsetMs = 0;

	setTimeout(fn: () => void, ms: number): unknown {
		this.delays.push(ms);
		const handle: NodeJS.Timeout = setTimeout(() => {
			this.live.delete(handle);
			fn();
		}, ms);
		this.live.add(handle);
		return handle;
	}

	clearTimeout(handle: unknown): void {
		clearTimeout(handle as NodeJS.Timeout);
		this.live.delete(handle as NodeJS.Timeout);
	}

	now(): number {
		return Date.now() + this.offsetMs;
	}
}

/** Polls `cond` every 5 ms until it holds; rejects after `timeoutMs` naming `what`. */
export async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!cond()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 5));
	}
}

/** Lets pending promise callbacks and socket events run. */
export function settle(ms = 50): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}
