/** Pull Payment > Archive: close it; unapproved payouts are cancelled. */
import { text } from '../format';
import { storeObjectAction } from '../operations';

export const archive = storeObjectAction(
	{ name: 'Archive', action: 'Archive a pull payment', description: 'Close a pull payment; unapproved payouts are cancelled' },
	'pullPaymentId',
	(ctx, i) => text(ctx, 'pullPaymentId', i),
	(client, storeId, id) => client.pullPayments.archive(storeId, id),
	{ archived: true },
);
