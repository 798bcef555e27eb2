/**
 * Builders for BTCPay operations whose logic is the same: every store-scoped
 * operation reads and checks the Store field the same way; "get one object
 * of the store by ID" and "act on one object by ID, answer success" differ
 * only in the client call, the ID parameter and the answer's keys.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { BtcPayClient } from '../client';
import { getStoreId, simplify } from './common';
import type { BtcPayOperation, ItemResult } from './types';

/** What an operation shows in the editor (its Operation dropdown entry and its own fields). */
export type OperationEntry = Pick<BtcPayOperation, 'name' | 'action' | 'description' | 'properties'>;

/** Reads the ID of the object an operation is about (e.g. the Invoice ID parameter). */
export type IdReader = (ctx: IExecuteFunctions, itemIndex: number) => string;

type ObjectCall<T> = (client: BtcPayClient, storeId: string, id: string) => Promise<T>;

/** An operation in the store chosen by the Store field: the store ID is read and checked before `run`. */
export function storeOperation(
	entry: OperationEntry,
	run: (ctx: IExecuteFunctions, i: number, client: BtcPayClient, storeId: string) => Promise<ItemResult>,
): BtcPayOperation {
	return {
		...entry,
		async execute(ctx, i, client) {
			return run(ctx, i, client, getStoreId(ctx, i));
		},
	};
}

/** Gets (or changes and gets back) one object of the store by its ID, simplified unless Simplify is off. */
export function storeObjectQuery<T extends object>(
	entry: OperationEntry,
	readId: IdReader,
	call: ObjectCall<T>,
	simplifier: (object: T) => IDataObject,
): BtcPayOperation {
	return storeOperation(entry, async (ctx, i, client, storeId) => simplify(ctx, i, await call(client, storeId, readId(ctx, i)), simplifier));
}

/** Acts on one object of the store by its ID; answers `{ success: true, <idKey>: id, ...outcome }`. */
export function storeObjectAction(entry: OperationEntry, idKey: string, readId: IdReader, call: ObjectCall<unknown>, outcome: IDataObject): BtcPayOperation {
	return storeOperation(entry, async (ctx, i, client, storeId) => {
		const id = readId(ctx, i);
		await call(client, storeId, id);
		return { success: true, [idKey]: id, ...outcome };
	});
}
