/**
 * What the trigger keeps in n8n's node static data so a restarted workflow
 * neither loses nor repeats payments: the moment up to which every settled
 * payment has been handled, and the hashes handled recently.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { BoundedSet } from '../../shared/dedupe';

export const STATE_VERSION = 1;

export interface StreamState {
	v: number;
	/** Identifies server + wallet (a hash, not the key), so a changed credential starts afresh. */
	wallet: string;
	/** Unix seconds: every payment settled before this moment has been handled. */
	aliveAt: number;
	/** Payment hashes handled (emitted or filtered out), oldest first. */
	seen: string[];
}

/** A short, non-reversible identifier of a wallet channel (server URL + key). */
export function walletFingerprint(baseUrl: string, key: string): string {
	return bytesToHex(sha256(utf8ToBytes(`${baseUrl}\n${key}`))).slice(0, 16);
}

/** Reads the persisted state from a static data object; undefined when absent, stale or for another wallet. */
export function loadState(store: Record<string, unknown>, wallet: string): StreamState | undefined {
	const raw = store.lnbitsStream as Partial<StreamState> | undefined;
	if (!raw || typeof raw !== 'object') return undefined;
	if (raw.v !== STATE_VERSION || raw.wallet !== wallet) return undefined;
	if (typeof raw.aliveAt !== 'number' || !Number.isFinite(raw.aliveAt) || !Array.isArray(raw.seen)) return undefined;
	return { v: STATE_VERSION, wallet, aliveAt: raw.aliveAt, seen: raw.seen.filter((h) => typeof h === 'string') };
}

export function saveState(store: Record<string, unknown>, state: StreamState): void {
	store.lnbitsStream = { v: state.v, wallet: state.wallet, aliveAt: state.aliveAt, seen: [...state.seen] };
}

/** Builds the in-memory dedupe set from persisted hashes. */
export function seenSet(capacity: number, hashes: Iterable<string> = []): BoundedSet {
	return new BoundedSet(capacity, hashes);
}
