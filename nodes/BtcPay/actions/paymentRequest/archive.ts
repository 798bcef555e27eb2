/** Payment Request > Archive: hidden, it can no longer be paid. */
import { getStoreId } from '../common';
import type { BtcPayOperation } from '../types';
import { paymentRequestId } from './common';

export const archive: BtcPayOperation = {
	name: 'Archive',
	action: 'Archive a payment request',
	description: 'Hide a payment request; it can no longer be paid',
	async execute(ctx, i, client) {
		const storeId = getStoreId(ctx, i);
		const prId = paymentRequestId(ctx, i);
		await client.paymentRequests.archive(storeId, prId);
		return { success: true, paymentRequestId: prId, archived: true };
	},
};
