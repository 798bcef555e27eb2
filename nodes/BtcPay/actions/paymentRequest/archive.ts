/** Payment Request > Archive: hidden, it can no longer be paid. */
import { storeObjectAction } from '../operations';

export const archive = storeObjectAction(
	{ name: 'Archive', action: 'Archive a payment request', description: 'Hide a payment request; it can no longer be paid' },
	'paymentRequestId',
	(client, storeId, id) => client.paymentRequests.archive(storeId, id),
	{ archived: true },
);
