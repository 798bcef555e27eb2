/** Payout > Get: a payout and its state. */
import { getStoreId, simplify } from '../common';
import type { BtcPayOperation } from '../types';
import { payoutId, simplifyPayout } from './common';

export const get: BtcPayOperation = {
	name: 'Get',
	action: 'Get a payout',
	description: 'Get a payout and its state',
	async execute(ctx, i, client) {
		const storeId = getStoreId(ctx, i);
		return simplify(ctx, i, await client.pullPayments.getPayout(storeId, payoutId(ctx, i)), simplifyPayout);
	},
};
