/** Store Lightning > Get Many Payments: outgoing payments of the store node. */
import { nodeListOperation } from './common';
import { simplifyPayment } from './getPayment';

export const getPayments = nodeListOperation(
	'getPayments',
	{ name: 'Get Many Payments', simplify: true, action: 'Get many lightning payments', description: 'Outgoing payments of the store node' },
	{ displayName: 'Include Pending', name: 'includePending', type: 'boolean', default: false, description: 'Whether to list payments still in flight too' },
	(client, storeId, includePending) => client.lightning.listPayments(storeId, { includePending }),
	simplifyPayment,
);
