/** Pull Payment > Archive: close it; unapproved payouts are cancelled. */
import { storeObjectAction } from '../operations';

export const archive = storeObjectAction(
	{ name: 'Archive', action: 'Archive a pull payment', description: 'Close a pull payment; unapproved payouts are cancelled' },
	'pullPaymentId',
	(client, storeId, id) => client.pullPayments.archive(storeId, id),
	{ archived: true },
);
