/** Payout > Get: a payout and its state. */
import { storeObjectQuery } from '../operations';
import { simplifyPayout } from './common';

export const get = storeObjectQuery(
	{ name: 'Get', simplify: true, action: 'Get a payout', description: 'Get a payout and its state' },
	'payoutId',
	(client, storeId, id) => client.pullPayments.getPayout(storeId, id),
	simplifyPayout,
);
