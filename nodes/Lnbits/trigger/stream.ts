/**
 * The LNbits payment stream behind the LNbits Trigger: listens on the wallet's
 * WebSocket channel, confirms every frame over the REST API before emitting,
 * reconnects with bounded exponential backoff and jitter, and on every
 * (re)connect catches up by listing the wallet's payments, so payments
 * settled while disconnected are emitted once and only once.
 *
 * A socket that stays open but delivers nothing (a proxy or NAT that stopped forwarding without
 * closing it) is noticed by the stream check: every `probeIntervalMs` a frame
 * `{"n8nStreamCheck":"<random id>"}` is pushed to the wallet's own channel over the API
 * (`POST /api/v1/ws/<key>`); when it has not come back on this socket within `probeTimeoutMs`,
 * the socket is dropped, and the reconnect's catch-up emits what was paid meanwhile. The frame
 * carries no `payment`, so every other listener of the channel (LNbits' wallet page, another
 * trigger) ignores it, and each stream only counts its own id.
 *
 * Everything it talks to is injected (socket factory, confirm, list, balance,
 * timers, random), so it runs the same against a real LNbits and in tests.
 * No n8n imports.
 */
import { randomUUID } from 'node:crypto';
import { isServiceError } from '../../shared/errors';
import type { BoundedSet } from '../../shared/dedupe';
import { backoffDelay, type BackoffOptions } from './backoff';
import { passesFilter } from './filter';
import { parseFrame, type FrameClaim } from './frames';
import { verifyClaim } from './verify';
import { seenSet, STATE_VERSION, type StreamState } from './state';
import type {
	PaymentEvent,
	PaymentFilter,
	PaymentSource,
	StreamStats,
	TriggerPayment,
	TriggerPaymentStatus,
	WalletBalance,
} from './types';

/** The part of the WebSocket API the stream uses (Node's global WebSocket fits). */
export interface SocketLike {
	addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (event: any) => void): void;
	close(code?: number, reason?: string): void;
	readonly readyState: number;
}

export type Connect = (url: string) => SocketLike;

export interface Timers {
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
	/** Milliseconds since the epoch. */
	now(): number;
}

export const realTimers: Timers = {
	setTimeout: (fn, ms) => setTimeout(fn, ms),
	clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
	now: () => Date.now(),
};

export const globalWebSocketConnect: Connect = (url) => {
	const Ctor = (globalThis as { WebSocket?: new (url: string) => SocketLike }).WebSocket;
	if (!Ctor) throw new Error('This Node.js has no global WebSocket (Node 22 or newer is needed)');
	return new Ctor(url);
};

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface PaymentStreamOptions {
	/** ws:// or wss:// URL of the wallet channel. */
	url: string;
	connect?: Connect;
	/** GET /api/v1/payments/<hash> with the wallet key. */
	confirm(paymentHash: string): Promise<TriggerPaymentStatus>;
	/** Every settled payment of the wallet created at or after `sinceUnix`, newest first (as LNbits lists). */
	listSince(sinceUnix: number): Promise<TriggerPayment[]>;
	/** Current wallet balance; optional. */
	balance?(): Promise<WalletBalance>;
	/** Pushes a text frame to the wallet's channel over the API (the stream check); optional. */
	probe?(frame: string): Promise<unknown>;
	/** Stream check interval while connected, ms (default 20 000; 0 = off). */
	probeIntervalMs?: number;
	/** How long the pushed frame may take to come back on the socket, ms (default 10 000). */
	probeTimeoutMs?: number;
	/** Called once per new confirmed payment that passes the filter. */
	emit(event: PaymentEvent): void;
	filter: PaymentFilter;
	/** Persisted state from an earlier run (undefined: first start, nothing emitted for older payments). */
	state?: StreamState;
	/** Wallet fingerprint stored with a new state. */
	wallet?: string;
	/** Called whenever the state changed and should be persisted. */
	save?(state: StreamState): void;
	/**
	 * How far back a catch-up lists, seconds (default 86 400). Must exceed the
	 * longest invoice expiry: LNbits lists by creation time, and an invoice can
	 * be paid until it expires.
	 */
	lookbackSeconds?: number;
	/** While connected, catch up this often anyway (ms, default 300 000; 0 = never). */
	safetyCheckMs?: number;
	backoff?: BackoffOptions;
	/** A connection that stays open this long resets the backoff (ms, default 30 000). */
	stableAfterMs?: number;
	/** Give up an opening handshake after this long (ms, default 15 000). */
	openTimeoutMs?: number;
	/** Hashes remembered for deduplication (default 2 000). */
	seenCapacity?: number;
	/**
	 * Frames confirmed at the same time (default 8). Anyone can push frames, so
	 * beyond this they are not confirmed one by one; a catch-up lists the wallet instead.
	 */
	maxConcurrentConfirmations?: number;
	/** Stop emitting after this many events (manual test runs: 1). */
	maxEmits?: number;
	timers?: Timers;
	random?: () => number;
	log?(level: LogLevel, message: string): void;
}

/** Errors that retrying cannot fix: the key is wrong. */
export function isFatalError(error: unknown): boolean {
	return isServiceError(error) && (error.kind === 'auth' || error.kind === 'permission');
}

function isNotFound(error: unknown): boolean {
	return isServiceError(error) && error.kind === 'not_found';
}

/** The field of a stream check frame. */
export const PROBE_FIELD = 'n8nStreamCheck';

function describeError(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

export class PaymentStream {
	readonly stats: StreamStats = {
		frames: 0,
		emitted: 0,
		duplicates: 0,
		droppedInvalid: 0,
		droppedUnconfirmed: 0,
		droppedMismatch: 0,
		droppedStale: 0,
		droppedOverload: 0,
		filtered: 0,
		confirmErrors: 0,
		connects: 0,
		disconnects: 0,
		catchUps: 0,
		caughtUp: 0,
		probes: 0,
		silentDrops: 0,
	};

	private readonly opts: PaymentStreamOptions;
	private readonly timers: Timers;
	private readonly random: () => number;
	private readonly connectFn: Connect;
	private readonly lookback: number;
	private readonly seen: BoundedSet;
	private state: StreamState | undefined;
	private readonly inflight = new Set<string>();
	private readonly tasks = new Set<Promise<unknown>>();

	private socket: SocketLike | undefined;
	private openedAt = 0;
	private attempt = 0;
	private stopped = false;
	private started = false;
	private reconnectTimer: unknown;
	private openTimer: unknown;
	private safetyTimer: unknown;
	private retryCatchUpTimer: unknown;
	private probeTimer: unknown;
	private probeWaitTimer: unknown;
	private probeId: string | undefined;
	private catchUpRun: Promise<void> | undefined;
	private catchUpAgain = false;
	private socketClosed: { socket: SocketLike; resolve: () => void } | undefined;

	constructor(options: PaymentStreamOptions) {
		this.opts = options;
		this.timers = options.timers ?? realTimers;
		this.random = options.random ?? Math.random;
		this.connectFn = options.connect ?? globalWebSocketConnect;
		this.lookback = options.lookbackSeconds ?? 86_400;
		this.state = options.state ? { ...options.state, seen: [...options.state.seen] } : undefined;
		this.seen = seenSet(options.seenCapacity ?? 2000, this.state?.seen ?? []);
	}

	/** True while a socket is open. */
	get connected(): boolean {
		return this.socket !== undefined && this.openedAt > 0;
	}

	/** Number of timers currently scheduled by the stream (0 after stop()). */
	get pendingTimers(): number {
		return [this.reconnectTimer, this.openTimer, this.safetyTimer, this.retryCatchUpTimer, this.probeTimer, this.probeWaitTimer].filter(
			(t) => t !== undefined,
		).length;
	}

	/**
	 * Catches up over the API first (on a first start: records the payments
	 * that already exist, so none of them is emitted), then connects. Rejects
	 * when the key is refused; other failures are retried in the background.
	 */
	async start(): Promise<void> {
		if (this.started) throw new Error('PaymentStream already started');
		this.started = true;
		try {
			await this.track(this.catchUp('start'));
		} catch (error) {
			if (isFatalError(error)) {
				this.stopped = true;
				throw error;
			}
			this.log('warn', `LNbits not reachable at start, will retry: ${describeError(error)}`);
		}
		if (!this.stopped) this.connect();
	}

	/** Closes the socket, cancels every timer and waits for work in progress. Safe to call twice. */
	async stop(): Promise<void> {
		this.stopped = true;
		for (const key of ['reconnectTimer', 'openTimer', 'safetyTimer', 'retryCatchUpTimer', 'probeTimer', 'probeWaitTimer'] as const) {
			this.clearTimer(key);
		}
		const socket = this.socket;
		this.socket = undefined;
		const waits: Array<Promise<unknown>> = [...this.tasks].map((t) => t.catch(() => undefined));
		if (socket && socket.readyState !== 3) {
			waits.push(
				new Promise<void>((resolve) => {
					this.socketClosed = { socket, resolve };
					try {
						socket.close(1000, 'trigger stopped');
					} catch {
						resolve();
					}
				}),
			);
		}
		if (waits.length) {
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([
				Promise.all(waits),
				new Promise<void>((resolve) => {
					timer = setTimeout(resolve, 5000);
				}),
			]);
			clearTimeout(timer);
		}
		this.socketClosed = undefined;
	}

	// ---- connection -------------------------------------------------------

	private connect(): void {
		if (this.stopped) return;
		let socket: SocketLike;
		try {
			socket = this.connectFn(this.opts.url);
		} catch (error) {
			this.log('warn', `WebSocket could not be created: ${describeError(error)}`);
			this.scheduleReconnect();
			return;
		}
		this.socket = socket;
		this.openedAt = 0;
		this.openTimer = this.timers.setTimeout(() => {
			this.openTimer = undefined;
			if (this.socket === socket && this.openedAt === 0) {
				this.log('warn', 'WebSocket handshake timed out');
				this.dropSocket(socket);
			}
		}, this.opts.openTimeoutMs ?? 15_000);

		socket.addEventListener('open', () => {
			if (this.socket !== socket || this.stopped) return;
			this.clearTimer('openTimer');
			this.openedAt = this.timers.now();
			this.stats.connects++;
			this.log('info', `Connected to LNbits (connection ${this.stats.connects})`);
			this.requestCatchUp('connect');
			this.scheduleSafetyCheck();
			this.scheduleProbe(socket);
		});
		socket.addEventListener('message', (event: { data: unknown }) => {
			if (this.socket !== socket || this.stopped) return;
			if (this.isProbeFrame(socket, event.data)) return;
			this.track(this.onFrame(event.data));
		});
		const onGone = () => {
			if (this.socketClosed?.socket === socket) {
				this.socketClosed.resolve();
				return;
			}
			if (this.socket !== socket) return;
			this.dropSocket(socket);
		};
		socket.addEventListener('close', onGone);
		socket.addEventListener('error', onGone);
	}

	/** Forgets a socket that failed or closed and schedules the next attempt. */
	private dropSocket(socket: SocketLike): void {
		if (this.socket !== socket) return;
		this.socket = undefined;
		this.clearTimer('openTimer');
		this.clearTimer('safetyTimer');
		this.clearTimer('probeTimer');
		this.clearTimer('probeWaitTimer');
		this.probeId = undefined;
		if (this.openedAt > 0) {
			this.stats.disconnects++;
			if (this.timers.now() - this.openedAt >= (this.opts.stableAfterMs ?? 30_000)) this.attempt = 0;
		}
		this.openedAt = 0;
		try {
			if (socket.readyState !== 3) socket.close();
		} catch {
			/* already closing */
		}
		this.scheduleReconnect();
	}

	private scheduleReconnect(): void {
		if (this.stopped || this.reconnectTimer !== undefined) return;
		const delay = backoffDelay(this.attempt, this.random, this.opts.backoff);
		this.attempt++;
		this.log('info', `Reconnecting in ${delay} ms`);
		this.reconnectTimer = this.timers.setTimeout(() => {
			this.reconnectTimer = undefined;
			this.connect();
		}, delay);
	}

	private scheduleSafetyCheck(): void {
		const every = this.opts.safetyCheckMs ?? 300_000;
		if (!every || this.stopped) return;
		this.clearTimer('safetyTimer');
		this.safetyTimer = this.timers.setTimeout(() => {
			this.safetyTimer = undefined;
			if (!this.connected) return;
			this.requestCatchUp('periodic check');
			this.scheduleSafetyCheck();
		}, every);
	}

	// ---- stream check -----------------------------------------------------

	private scheduleProbe(socket: SocketLike): void {
		const every = this.opts.probeIntervalMs ?? 20_000;
		if (!every || !this.opts.probe || this.stopped || this.socket !== socket) return;
		this.clearTimer('probeTimer');
		this.probeTimer = this.timers.setTimeout(() => {
			this.probeTimer = undefined;
			this.sendProbe(socket);
		}, every);
	}

	private sendProbe(socket: SocketLike): void {
		if (this.socket !== socket || !this.connected || this.stopped) return;
		const id = randomUUID();
		this.probeId = id;
		this.stats.probes++;
		this.probeWaitTimer = this.timers.setTimeout(() => {
			this.probeWaitTimer = undefined;
			if (this.socket !== socket || this.probeId !== id) return;
			this.stats.silentDrops++;
			this.log('warn', 'WebSocket silent: the stream check frame did not come back; reconnecting (a catch-up follows)');
			this.dropSocket(socket);
		}, this.opts.probeTimeoutMs ?? 10_000);
		// A failed push (LNbits unreachable) is decided by the timeout as well.
		this.track(
			Promise.resolve()
				.then(() => this.opts.probe!(JSON.stringify({ [PROBE_FIELD]: id })))
				.catch((error) => this.log('debug', `Stream check push failed: ${describeError(error)}`)),
		);
	}

	/** True for a stream check frame (ours: the check passed; another listener's: ignored). */
	private isProbeFrame(socket: SocketLike, data: unknown): boolean {
		if (typeof data !== 'string' || !data.includes(PROBE_FIELD)) return false;
		let id: unknown;
		try {
			id = (JSON.parse(data) as Record<string, unknown>)[PROBE_FIELD];
		} catch {
			return false;
		}
		if (typeof id !== 'string') return false;
		if (id === this.probeId) {
			this.probeId = undefined;
			this.clearTimer('probeWaitTimer');
			this.scheduleProbe(socket);
		}
		return true;
	}

	private clearTimer(key: 'reconnectTimer' | 'openTimer' | 'safetyTimer' | 'retryCatchUpTimer' | 'probeTimer' | 'probeWaitTimer'): void {
		if (this[key] !== undefined) this.timers.clearTimeout(this[key]);
		this[key] = undefined;
	}

	// ---- frames -----------------------------------------------------------

	private async onFrame(data: unknown): Promise<void> {
		this.stats.frames++;
		const claim = parseFrame(data);
		if (!claim) {
			this.stats.droppedInvalid++;
			this.log('debug', 'Dropped a frame that is not an LNbits payment');
			return;
		}
		const hash = claim.paymentHash;
		if (this.seen.has(hash) || this.inflight.has(hash)) {
			this.stats.duplicates++;
			return;
		}
		if (this.inflight.size >= (this.opts.maxConcurrentConfirmations ?? 8)) {
			this.stats.droppedOverload++;
			this.retryCatchUpLater();
			return;
		}
		this.inflight.add(hash);
		try {
			await this.confirmAndEmit(claim);
		} finally {
			this.inflight.delete(hash);
		}
	}

	private async confirmAndEmit(claim: FrameClaim): Promise<void> {
		const hash = claim.paymentHash;
		const balance = this.opts.balance ? this.opts.balance().catch(() => null) : Promise.resolve(null);
		let status: TriggerPaymentStatus;
		try {
			status = await this.opts.confirm(hash);
		} catch (error) {
			await balance;
			if (isNotFound(error)) {
				this.stats.droppedUnconfirmed++;
				this.log('warn', `Dropped a frame for payment ${hash}: LNbits does not know it`);
			} else {
				this.stats.confirmErrors++;
				this.log('warn', `Could not confirm payment ${hash} (${describeError(error)}); a catch-up follows`);
				this.retryCatchUpLater();
			}
			return;
		}
		const verdict = verifyClaim(claim, status);
		if (!verdict.ok && verdict.reason === 'unconfirmed') {
			await balance;
			this.stats.droppedUnconfirmed++;
			this.log('warn', `Dropped a frame for payment ${hash}: not a settled payment of this wallet`);
			// Still pending in LNbits' record: look again shortly, in case the frame came early.
			if (status.details?.status === 'pending') this.retryCatchUpLater();
			return;
		}
		if (!verdict.ok) {
			await balance;
			this.stats.droppedMismatch++;
			this.log('warn', `Dropped a frame for payment ${hash}: it differs from LNbits' record`);
			// The payment itself is real: a catch-up emits it from LNbits' record if it is new.
			this.requestCatchUp('mismatching frame');
			return;
		}
		const details = verdict.payment;
		const horizon = (this.state?.aliveAt ?? Math.floor(this.timers.now() / 1000)) - this.lookback;
		if (details.timestamp < horizon) {
			await balance;
			this.stats.droppedStale++;
			this.log('warn', `Dropped a frame for payment ${hash}: older than the catch-up window`);
			return;
		}
		const wallet = await balance;
		if (this.stopped) return;
		if (this.seen.has(hash)) {
			this.stats.duplicates++;
			return;
		}
		this.handle(details, wallet, 'websocket');
	}

	// ---- catch-up ---------------------------------------------------------

	/** Runs a catch-up now, or once more after the one in progress. */
	private requestCatchUp(reason: string): void {
		if (this.stopped) return;
		this.track(
			this.catchUp(reason).catch((error) => {
				if (this.stopped) return;
				this.log('warn', `Catch-up failed (${describeError(error)}); retrying`);
				this.retryCatchUpLater();
			}),
		);
	}

	private retryCatchUpLater(): void {
		if (this.stopped || this.retryCatchUpTimer !== undefined) return;
		const delay = backoffDelay(Math.min(this.attempt, 3), this.random, this.opts.backoff);
		this.retryCatchUpTimer = this.timers.setTimeout(() => {
			this.retryCatchUpTimer = undefined;
			this.requestCatchUp('retry');
		}, delay);
	}

	private catchUp(reason: string): Promise<void> {
		if (this.catchUpRun) {
			this.catchUpAgain = true;
			return this.catchUpRun;
		}
		const run = (async () => {
			do {
				this.catchUpAgain = false;
				await this.catchUpOnce(reason);
			} while (this.catchUpAgain && !this.stopped);
		})();
		this.catchUpRun = run;
		const clear = () => {
			if (this.catchUpRun === run) this.catchUpRun = undefined;
		};
		run.then(clear, clear);
		return run;
	}

	private async catchUpOnce(reason: string): Promise<void> {
		const startedAt = Math.floor(this.timers.now() / 1000);
		const baseline = this.state === undefined;
		const since = (this.state?.aliveAt ?? startedAt) - this.lookback;
		const payments = await this.opts.listSince(since);
		if (this.stopped) return;
		// Oldest first. LNbits lists newest first and times are whole seconds: reverse, then a stable sort.
		payments.reverse().sort((a, b) => a.timestamp - b.timestamp);
		this.stats.catchUps++;
		let wallet: WalletBalance | null | undefined;
		let emitted = 0;
		for (const payment of payments) {
			if (this.stopped) return;
			const hash = payment.paymentHash.toLowerCase();
			if (payment.status !== 'success' || this.seen.has(hash) || this.inflight.has(hash)) continue;
			if (baseline) {
				this.seen.add(hash);
				continue;
			}
			if (wallet === undefined && passesFilter(payment, this.opts.filter) && this.opts.balance) {
				wallet = await this.opts.balance().catch(() => null);
				if (this.stopped) return;
				if (this.seen.has(hash)) continue;
			}
			this.handle(payment, wallet ?? null, 'catch-up');
			emitted++;
		}
		this.state = {
			v: STATE_VERSION,
			wallet: this.state?.wallet ?? this.opts.wallet ?? '',
			aliveAt: startedAt,
			seen: this.seen.toArray(),
		};
		this.opts.save?.(this.state);
		this.log(
			'debug',
			baseline
				? `Recorded ${payments.length} existing payments; only newer ones are emitted`
				: `Catch-up (${reason}): ${payments.length} listed, ${emitted} new`,
		);
	}

	// ---- emission ---------------------------------------------------------

	/** Marks a confirmed payment as handled and emits it when it passes the filter. */
	private handle(payment: TriggerPayment, balance: WalletBalance | null, source: PaymentSource): void {
		const hash = payment.paymentHash.toLowerCase();
		if (!this.seen.add(hash)) {
			this.stats.duplicates++;
			return;
		}
		if (!passesFilter(payment, this.opts.filter)) {
			this.stats.filtered++;
			this.persistSeen();
			return;
		}
		if (this.opts.maxEmits !== undefined && this.stats.emitted >= this.opts.maxEmits) return;
		this.stats.emitted++;
		if (source === 'catch-up') this.stats.caughtUp++;
		this.persistSeen();
		this.opts.emit({ payment, balance, source });
	}

	private persistSeen(): void {
		if (!this.state) return;
		this.state = { ...this.state, seen: this.seen.toArray() };
		this.opts.save?.(this.state);
	}

	private track<T>(promise: Promise<T>): Promise<T> {
		this.tasks.add(promise);
		const remove = () => this.tasks.delete(promise);
		promise.then(remove, remove);
		return promise;
	}

	private log(level: LogLevel, message: string): void {
		this.opts.log?.(level, message);
	}
}
