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
	/** Each confirmation takes this long (ms). */
	confirmDelayMs = 0;
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
		if (this.confirmDelayMs) await new Promise((r) => setTimeout(r, this.confirmDelayMs));
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

/** The payment as the LNbits REST API returns it (snake_case, signed msat, ISO times). */
export function rawPayment(p: TriggerPayment): Record<string, unknown> {
	return {
		checking_id: p.checkingId,
		payment_hash: p.paymentHash,
		wallet_id: p.walletId,
		amount: p.direction === 'outgoing' ? -p.amountMsat : p.amountMsat,
		fee: p.feeMsat,
		bolt11: p.bolt11,
		payment_request: p.bolt11,
		status: p.status,
		memo: p.memo,
		expiry: null,
		webhook: null,
		webhook_status: null,
		preimage: p.preimage,
		tag: null,
		extension: null,
		time: p.time.replace('Z', '+00:00'),
		created_at: p.time,
		updated_at: p.time,
		labels: [],
		extra: p.extra,
		external_id: null,
	};
}

/**
 * A request handler serving the REST calls the trigger makes, from a FakeWallet:
 * GET /api/v1/wallet, GET /api/v1/payments/<hash>, GET /api/v1/payments/paginated.
 * Requests without the right X-Api-Key get 404 "Wallet not found." like LNbits.
 */
export function fakeLnbitsRest(wallet: FakeWallet, key: string, requests: string[] = []) {
	return (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void => {
		const url = new URL(req.url ?? '/', 'http://x');
		requests.push(`${req.method} ${url.pathname}${url.search}`);
		const send = (status: number, body: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
		};
		if (req.headers['x-api-key'] !== key) return send(404, { detail: 'Wallet not found.' });
		if (url.pathname === '/api/v1/wallet') {
			return send(200, { name: 'A', balance: wallet.balanceMsat });
		}
		if (url.pathname === '/api/v1/payments/paginated') {
			const since = Number(url.searchParams.get('time[ge]') ?? 0);
			const status = url.searchParams.get('status[eq]');
			const limit = Number(url.searchParams.get('limit') ?? 20);
			const offset = Number(url.searchParams.get('offset') ?? 0);
			const all = [...wallet.payments.values()]
				.filter((p) => p.timestamp >= since && (!status || p.status === status))
				.sort((a, b) => b.timestamp - a.timestamp);
			return send(200, { data: all.slice(offset, offset + limit).map(rawPayment), total: all.length });
		}
		const m = /^\/api\/v1\/payments\/([0-9a-f]{64})$/.exec(url.pathname);
		if (m) {
			const p = wallet.payments.get(m[1]);
			if (!p) return send(404, { detail: 'Payment does not exist.' });
			return send(200, { paid: p.status === 'success', preimage: p.preimage, details: rawPayment(p) });
		}
		send(404, { detail: 'Not Found' });
	};
}
