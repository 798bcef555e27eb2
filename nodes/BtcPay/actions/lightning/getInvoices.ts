/** Store Lightning > Get Many Invoices: invoices of the store node, optionally unpaid only. */
import { nodeListOperation, simplifyInvoice } from './common';

export const getInvoices = nodeListOperation(
	'getInvoices',
	{ name: 'Get Many Invoices', simplify: true, action: 'Get many lightning invoices', description: 'Invoices of the store node' },
	{ displayName: 'Pending Only', name: 'pendingOnly', type: 'boolean', default: false, description: 'Whether to list unpaid invoices only' },
	(client, storeId, pendingOnly) => client.lightning.listInvoices(storeId, { pendingOnly }),
	simplifyInvoice,
);
