/** Payout > Mark Paid: record that a payout was paid outside BTCPay. */
import { storeObjectAction } from '../operations';

export const markPaid = storeObjectAction(
	{ name: 'Mark Paid', action: 'Mark a payout as paid', description: 'Record that a payout was paid outside BTCPay' },
	'payoutId',
	(client, storeId, id) => client.pullPayments.markPayoutPaid(storeId, id),
	{ state: 'Completed' },
);
