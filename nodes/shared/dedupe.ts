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
