/** Invoice > Archive: hide it from the invoice list. */
import { storeObjectAction } from '../operations';

export const archive = storeObjectAction(
	{ name: 'Archive', action: 'Archive an invoice', description: 'Hide an invoice from the invoice list' },
	'invoiceId',
	(client, storeId, id) => client.invoices.archive(storeId, id),
	{ archived: true },
);
