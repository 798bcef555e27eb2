/**
 * In-process memory of webhook deliveries a trigger has handled, shared by every
 * call of one trigger node (workflow id + node id + store/wallet) in this n8n process.
 *
 * Why not only workflow static data: n8n loads static data from its database for
 * each webhook call, so two calls close together both read it before either
 * saves (both emit). The memory is also written to static data (see `persistable()`)
 * so it survives a restart. n8n 2.x saves static data changed in webhook() only if
 * it runs its save before WorkflowRunner.run(): run() builds a second Workflow over
 * the same staticData object, which resets its `__dataChanged` flag. A trigger that
 * answers through the response object (`noWebhookResponse: true`) gets that order:
 * n8n's response callback, which saves, runs before the execution starts.
 *
 * A key is claimed synchronously (no await between the check and the claim),
 * settled when the delivery was emitted, and released when it was answered
 * with an error or not emitted, so a redelivery is processed again. A call that
 * finds the key claimed by another call can wait (bounded) for that call's
 * outcome with `whenSettled()` instead of answering "duplicate" for something
 * that may never be emitted.
 */
import { BoundedSet } from './dedupe';

export class DeliveryMemory {
	private done: BoundedSet;
	/** Claimed keys, each with the callbacks waiting for its outcome. */
	private readonly pending = new Map<string, Array<() => void>>();

	constructor(capacity: number, initial: Iterable<string> = []) {
		this.done = new BoundedSet(capacity, initial);
	}

	get capacity(): number {
		return this.done.capacity;
	}

	/** Claims the key for this call; false when it was already emitted or another call holds it. */
	claim(key: string): boolean {
		if (this.done.has(key) || this.pending.has(key)) return false;
		this.pending.set(key, []);
		return true;
	}

	/** The claimed delivery was emitted: remember it for good. */
	settle(key: string): void {
		const waiting = this.pending.get(key);
		this.pending.delete(key);
		this.done.add(key);
		for (const wake of waiting ?? []) wake();
	}

	/** The claimed delivery was not emitted (error, unconfirmed...): forget the claim. */
	release(key: string): void {
		const waiting = this.pending.get(key);
		this.pending.delete(key);
		for (const wake of waiting ?? []) wake();
	}

	/** Emitted (and remembered). */
	isDone(key: string): boolean {
		return this.done.has(key);
	}

	/**
	 * Resolves when the call holding `key` settles or releases it, or after `ms`
	 * (at once when nobody holds it). The caller then looks again: claim, isDone.
	 */
	async whenSettled(key: string, ms: number): Promise<void> {
		const waiting = this.pending.get(key);
		if (!waiting || ms <= 0) return;
		await new Promise<void>((resolve) => {
			const timer = setTimeout(done, ms);
			function done() {
				clearTimeout(timer);
				const i = waiting!.indexOf(done);
				if (i !== -1) waiting!.splice(i, 1);
				resolve();
			}
			waiting.push(done);
		});
	}

	/** Emitted or being handled right now. */
	has(key: string): boolean {
		return this.done.has(key) || this.pending.has(key);
	}

	/** Number of emitted keys remembered. */
	get size(): number {
		return this.done.size;
	}

	/** Emitted keys, oldest first: what belongs in static data. */
	persistable(): string[] {
		return this.done.toArray();
	}

	/** Keeps the newest keys when the configured capacity changes. */
	resize(capacity: number): void {
		if (capacity !== this.done.capacity) this.done = new BoundedSet(capacity, this.done.toArray());
	}
}

/** How many trigger nodes (scopes) one process remembers; the oldest scope is dropped first. */
export const MAX_SCOPES = 500;

const scopes = new Map<string, DeliveryMemory>();

/**
 * The memory of one trigger node in this process. Created on first use from the
 * keys persisted in static data (after a restart); afterwards this process's
 * memory is authoritative, because the persisted copy can lag behind it.
 */
export function deliveryMemoryFor(scope: string, capacity: number, persisted: () => Iterable<string>): DeliveryMemory {
	let memory = scopes.get(scope);
	if (memory) {
		// refresh the scope's position so busy triggers are dropped last
		scopes.delete(scope);
		memory.resize(capacity);
	} else {
		memory = new DeliveryMemory(capacity, persisted());
		if (scopes.size >= MAX_SCOPES) scopes.delete(scopes.keys().next().value as string);
	}
	scopes.set(scope, memory);
	return memory;
}

/** Scope key from its parts; parts are joined unambiguously. */
export function deliveryScope(...parts: Array<string | undefined>): string {
	return JSON.stringify(parts.map((p) => p ?? ''));
}

/** Strings from a persisted array (static data may hold anything). */
export function persistedKeys(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : [];
}

/** True when the persisted array differs from the memory, i.e. static data must be rewritten. */
export function needsPersisting(stored: unknown, memory: DeliveryMemory): boolean {
	const keys = memory.persistable();
	if (!Array.isArray(stored)) return keys.length > 0;
	const old = persistedKeys(stored);
	return old.length !== keys.length || old.some((k, i) => k !== keys[i]);
}
