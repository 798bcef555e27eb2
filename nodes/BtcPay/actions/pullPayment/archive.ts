/** Pull Payment > Archive: close it; unapproved payouts are cancelled. */
import { getStoreId } from '../common';
import { text } from '../format';
import type { BtcPayOperation } from '../types';

export const archive: BtcPayOperation = {
	name: 'Archive',
	action: 'Archive a pull payment',
	description: 'Close a pull payment; unapproved payouts are cancelled',
	async execute(ctx, i, client) {
		const storeId = getStoreId(ctx, i);
		const id = text(ctx, 'pullPaymentId', i);
		await client.pullPayments.archive(storeId, id);
		return { success: true, pullPaymentId: id, archived: true };
	},
};
