/** Payout > Cancel: a payout that is not completed. */
import { getStoreId } from '../common';
import type { BtcPayOperation } from '../types';
import { payoutId } from './common';

export const cancel: BtcPayOperation = {
	name: 'Cancel',
	action: 'Cancel a payout',
	description: 'Cancel a payout that is not completed',
	async execute(ctx, i, client) {
		const storeId = getStoreId(ctx, i);
		const id = payoutId(ctx, i);
		await client.pullPayments.cancelPayout(storeId, id);
		return { success: true, payoutId: id, state: 'Cancelled' };
	},
};
