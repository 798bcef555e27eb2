/** Invoice > Get. */
import { storeObjectQuery } from '../operations';
import { simplifyInvoice } from './common';

export const get = storeObjectQuery(
	{ name: 'Get', simplify: true, action: 'Get an invoice', description: 'Get an invoice' },
	'invoiceId',
	(client, storeId, id) => client.invoices.get(storeId, id),
	simplifyInvoice,
);
