/** Payout > Mark Paid: record that a payout was paid outside BTCPay. */
import { getStoreId } from '../common';
import type { BtcPayOperation } from '../types';
import { payoutId } from './common';

export const markPaid: BtcPayOperation = {
	name: 'Mark Paid',
	action: 'Mark a payout as paid',
	description: 'Record that a payout was paid outside BTCPay',
	async execute(ctx, i, client) {
		const storeId = getStoreId(ctx, i);
		const id = payoutId(ctx, i);
		await client.pullPayments.markPayoutPaid(storeId, id);
		return { success: true, payoutId: id, state: 'Completed' };
	},
};
