/** Payout > Cancel: a payout that is not completed. */
import { storeObjectAction } from '../operations';

export const cancel = storeObjectAction(
	{ name: 'Cancel', action: 'Cancel a payout', description: 'Cancel a payout that is not completed' },
	'payoutId',
	(client, storeId, id) => client.pullPayments.cancelPayout(storeId, id),
	{ state: 'Cancelled' },
);
