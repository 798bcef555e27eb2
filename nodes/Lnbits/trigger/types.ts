/**
 * Types shared by the LNbits payment stream (WebSocket + catch-up) and the
 * webhook mode. No n8n imports: the engine is tested on its own.
 */
import type { LnbitsPayment } from '../client/paymentRecord';

/**
 * The fields of a confirmed LNbits payment the trigger reads: the client's
 * LnbitsPayment without the invoice expiry; tag and webhook may be absent.
 */
export type TriggerPayment = Omit<LnbitsPayment, 'expiry' | 'tag' | 'webhook'> & Partial<Pick<LnbitsPayment, 'tag' | 'webhook'>>;

/** Answer of GET /api/v1/payments/<hash> with a wallet key. */
export interface TriggerPaymentStatus {
	paid: boolean;
	preimage: string | null;
	/** This wallet's record of the hash; null when the wallet has none. */
	details: TriggerPayment | null;
}

export interface WalletBalance {
	balanceMsat: number;
	balanceSats: number;
}

export type Direction = 'incoming' | 'outgoing' | 'both';

export interface PaymentFilter {
	direction: Direction;
	/** Smallest amount (sats) that is emitted; 0 = every amount. */
	minAmountSats: number;
	/** Case-insensitive substring the memo must contain; empty = any memo. */
	memoContains: string;
}

export type PaymentSource = 'websocket' | 'catch-up' | 'webhook';

/** What one emission carries. */
export interface PaymentEvent {
	payment: TriggerPayment;
	balance: WalletBalance | null;
	source: PaymentSource;
}

/** Counters exposed for logs and tests. */
export interface StreamStats {
	/** Text frames received on the socket. */
	frames: number;
	emitted: number;
	/** Frames or listed payments whose hash was already handled (LNbits sends most frames twice). */
	duplicates: number;
	/** Frames that are not JSON or carry no payment hash. */
	droppedInvalid: number;
	/** Frames whose hash LNbits does not confirm as a settled payment of this wallet. */
	droppedUnconfirmed: number;
	/** Frames whose amount, direction or wallet differ from LNbits' own record. */
	droppedMismatch: number;
	/** Frames naming a payment older than the catch-up window (replays of old hashes). */
	droppedStale: number;
	/** Frames left unconfirmed because too many confirmations were running (a flood); a catch-up follows. */
	droppedOverload: number;
	/** Confirmed payments not emitted because of the direction / amount / memo options. */
	filtered: number;
	/** Confirmations that failed for a transient reason (network, 5xx); a catch-up follows. */
	confirmErrors: number;
	connects: number;
	disconnects: number;
	catchUps: number;
	/** Payments emitted by a catch-up rather than by their frame. */
	caughtUp: number;
	/** Stream checks sent (a frame pushed to the wallet's channel over the API). */
	probes: number;
	/** Connections given up because a stream check's frame did not come back in time. */
	silentDrops: number;
}
