/** Invoice > Unarchive: show an archived invoice again. */
import { storeObjectQuery } from '../operations';
import { simplifyInvoice } from './common';

export const unarchive = storeObjectQuery(
	{ name: 'Unarchive', simplify: true, action: 'Unarchive an invoice', description: 'Show an archived invoice again' },
	'invoiceId',
	(client, storeId, id) => client.invoices.unarchive(storeId, id),
	simplifyInvoice,
);
