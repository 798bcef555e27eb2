/**
 * A set that remembers at most `capacity` keys, forgetting the oldest first.
 * Used to drop redelivered webhooks and duplicate payment events in bounded memory.
 */
export class BoundedSet {
	private readonly keys = new Set<string>();

	constructor(
		readonly capacity: number,
		initial: Iterable<string> = [],
	) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
		for (const key of initial) this.add(key);
	}

	has(key: string): boolean {
		return this.keys.has(key);
	}

	/** Adds the key; returns false when it was already present. */
	add(key: string): boolean {
		if (this.keys.has(key)) return false;
		this.keys.add(key);
		if (this.keys.size > this.capacity) {
			const oldest = this.keys.values().next().value as string;
			this.keys.delete(oldest);
		}
		return true;
	}

	get size(): number {
		return this.keys.size;
	}

	/** Oldest first; suitable for persisting in node static data. */
	toArray(): string[] {
		return [...this.keys];
	}
}

/** A map that holds at most `capacity` entries, forgetting the oldest first (as BoundedSet). */
export class BoundedMap<V> {
	private readonly entries = new Map<string, V>();

	constructor(readonly capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
	}

	get(key: string): V | undefined {
		return this.entries.get(key);
	}

	/** Sets the value; a new key beyond the capacity pushes out the oldest one. */
	set(key: string, value: V): void {
		const isNew = !this.entries.has(key);
		this.entries.set(key, value);
		if (isNew && this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
	}

	/** The value of `key`, made with `make` and added when there is none. */
	getOrAdd(key: string, make: () => V): V {
		let value = this.entries.get(key);
		if (value === undefined) {
			value = make();
			this.set(key, value);
		}
		return value;
	}

	get size(): number {
		return this.entries.size;
	}
}
