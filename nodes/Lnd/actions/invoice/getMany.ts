/** Invoice > Get Many: invoices, newest first by default, with LND's index paging. */
import { simplifyInvoice } from '../../client/simplify';
import { listOperation } from '../common';

export const getMany = listOperation({
	resource: 'invoice',
	entry: { name: 'Get Many', simplify: true, action: 'Get many invoices', description: 'List invoices, newest first by default' },
	what: 'invoices',
	filter: {
		displayName: 'Open Only',
		name: 'pendingOnly',
		type: 'boolean',
		default: false,
		description: 'Whether to return only invoices not yet paid (open or accepted)',
	},
	list: (client, paging, filters) => client.listInvoices({ ...paging, pendingOnly: filters.pendingOnly === true }),
	simplifier: simplifyInvoice,
});
