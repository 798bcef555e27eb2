/** Payout > Cancel: a payout that is not completed. */
import { storeObjectAction } from '../operations';
import { payoutId } from './common';

export const cancel = storeObjectAction(
	{ name: 'Cancel', action: 'Cancel a payout', description: 'Cancel a payout that is not completed' },
	'payoutId',
	payoutId,
	(client, storeId, id) => client.pullPayments.cancelPayout(storeId, id),
	{ state: 'Cancelled' },
);
