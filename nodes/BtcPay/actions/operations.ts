/**
 * Builders for BTCPay operations whose logic is the same: every store-scoped
 * operation reads and checks the Store field the same way; "get (or change)
 * one object (of the store) by ID and simplify it" and "act on one object by
 * ID, answer success" differ only in the ID parameter, the client call and
 * the simplifier or the answer.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { BtcPayClient } from '../client';
import type { OperationEntry as SharedOperationEntry } from '../../shared/resource';
import { getStoreId, simplify } from './common';
import { text } from './format';
import { defineBtcPayOperation, type BtcPayOperation, type ItemResult } from './types';

/** What an operation shows in the editor (its Operation dropdown entry and its own fields). */
export type OperationEntry = SharedOperationEntry<BtcPayClient>;

/** A client call on one object of the store; `ctx` and `i` for operations with more parameters than the ID. */
type ObjectCall<T> = (client: BtcPayClient, storeId: string, id: string, ctx: IExecuteFunctions, i: number) => Promise<T>;

/** An operation in the store chosen by the Store field: the store ID is read and checked before `run`. */
export function storeOperation(
	entry: OperationEntry,
	run: (ctx: IExecuteFunctions, i: number, client: BtcPayClient, storeId: string) => Promise<ItemResult>,
): BtcPayOperation {
	return defineBtcPayOperation(entry, async (ctx, i, client) => run(ctx, i, client, getStoreId(ctx, i)));
}

/**
 * Gets (or changes and gets back) one object by its ID alone, read from the parameter
 * `idParameter`, where BTCPay needs no store (pull payments, plan checkouts, portal sessions);
 * the answer is simplified unless Simplify is off.
 */
export function objectQuery<T extends object>(
	entry: OperationEntry,
	idParameter: string,
	call: (client: BtcPayClient, id: string, ctx: IExecuteFunctions, i: number) => Promise<T>,
	simplifier: (object: T) => IDataObject,
): BtcPayOperation {
	return defineBtcPayOperation(entry, async (ctx, i, client) => simplify(ctx, i, await call(client, text(ctx, idParameter, i), ctx, i), simplifier));
}

/**
 * Gets (or changes and gets back) one object of the store by its ID, read from
 * the parameter `idParameter`; the answer is simplified unless Simplify is off.
 */
export function storeObjectQuery<T extends object>(
	entry: OperationEntry,
	idParameter: string,
	call: ObjectCall<T | T[]>,
	simplifier: (object: T) => IDataObject,
): BtcPayOperation {
	return storeOperation(entry, async (ctx, i, client, storeId) => simplify(ctx, i, await call(client, storeId, text(ctx, idParameter, i), ctx, i), simplifier));
}

/**
 * Acts on one object of the store by its ID, read from the parameter `idParameter`
 * (e.g. 'payoutId'); answers `{ success: true, <idParameter>: id, ...outcome }`.
 */
export function storeObjectAction(entry: OperationEntry, idParameter: string, call: ObjectCall<unknown>, outcome: IDataObject): BtcPayOperation {
	return storeOperation(entry, async (ctx, i, client, storeId) => {
		const id = text(ctx, idParameter, i);
		await call(client, storeId, id, ctx, i);
		return { success: true, [idParameter]: id, ...outcome };
	});
}
