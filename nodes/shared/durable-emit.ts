/**
 * Exactly-once emission for the stream triggers (LNbits Trigger, LND Trigger) across an n8n crash.
 *
 * What n8n 2.40 does (read in its source, packages/cli/src/workflows/triggers/
 * trigger-execution-context.factory.ts and executions/execution-persistence.ts):
 * - a trigger's static data is written to the database only when the trigger calls `emit()`
 *   (n8n starts an asynchronous save of the whole object at that moment, without waiting) and when
 *   the workflow is deactivated: a memory changed after the last emit is lost on a SIGKILL, and the
 *   save started by an emit may land before or after the execution row of that emit;
 * - `emit(data, responsePromise, donePromise, deduplicationKey)`: the execution row is inserted with
 *   the key under a unique index; a second emit with the same key is refused by the database
 *   (`DuplicateExecutionError`, logged as skipped) and starts nothing. `donePromise` resolves once
 *   the execution has run, or at once (with undefined) when it was refused as a duplicate.
 *
 * So the design: every emit carries a key naming the payment (`<kind>:<workflow>:<node>:<id>`), and
 * a trigger writes into its static data only what n8n has confirmed (donePromise settled); what was
 * emitted but not yet confirmed is left out, so after a crash it is emitted again and the database
 * refuses it when its execution already exists. The memory may lag behind; it never runs ahead.
 * Residual: a replayed payment whose execution was already deleted (pruning, or "save successful
 * executions: none") before the memory caught up would run again.
 */
import type { INodeExecutionData, IRun, ITriggerFunctions } from 'n8n-workflow';

/** The part of the trigger context used here (easy to fake in tests). */
export type EmitContext = Pick<ITriggerFunctions, 'emit' | 'getNode' | 'getWorkflow' | 'helpers'>;

/** A key unique across the n8n instance (the database index is global): kind, workflow, node, id. */
export function deduplicationKey(ctx: Pick<ITriggerFunctions, 'getNode' | 'getWorkflow'>, kind: string, id: string): string {
	return `${kind}:${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}:${id}`.slice(0, 255);
}

/**
 * Emits `items` with the key and resolves once n8n has recorded the execution (run it, or refused
 * it as a duplicate of one that exists); rejects when n8n could not start it.
 */
export function emitRecorded(ctx: EmitContext, items: INodeExecutionData[], key: string): Promise<void> {
	const done = ctx.helpers.createDeferredPromise<IRun>();
	ctx.emit([items], undefined, done, key);
	return done.promise.then(() => undefined);
}

/**
 * Confirmations that may arrive out of order for positions handed out in increasing order (LND
 * settle indexes): `onAdvance` receives the highest position up to which every one is confirmed.
 */
export class InOrderConfirmations {
	private readonly pending: Array<{ position: bigint; done: boolean }> = [];
	private readonly onAdvance: (position: bigint) => void;

	constructor(onAdvance: (position: bigint) => void) {
		this.onAdvance = onAdvance;
	}

	/** Positions handed out and not yet confirmed with everything before them. */
	get open(): number {
		return this.pending.length;
	}

	/** Registers a position; call the returned function once it is confirmed. */
	add(position: bigint): () => void {
		const entry = { position, done: false };
		this.pending.push(entry);
		return () => {
			entry.done = true;
			let last: bigint | undefined;
			while (this.pending.length > 0 && this.pending[0].done) last = this.pending.shift()!.position;
			if (last !== undefined) this.onAdvance(last);
		};
	}
}
