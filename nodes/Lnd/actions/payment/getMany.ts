/** Payment > Get Many: outgoing payments, newest first by default, with LND's index paging. */
import { simplifyPayment } from '../../client/simplify';
import { listOperation } from '../common';

export const getMany = listOperation({
	resource: 'payment',
	entry: { name: 'Get Many', simplify: true, action: 'Get many payments', description: 'List outgoing payments, newest first by default' },
	what: 'payments',
	filter: {
		displayName: 'Include Incomplete',
		name: 'includeIncomplete',
		type: 'boolean',
		default: true,
		description: 'Whether to include payments still in flight and failed ones',
	},
	list: (client, paging, filters) => client.listPayments({ ...paging, includeIncomplete: filters.includeIncomplete !== false }),
	simplifier: simplifyPayment,
});
