/** Invoice > Mark Status: settled or invalid. */
import type { INodeProperties } from 'n8n-workflow';
import type { InvoiceMarkStatus } from '../../client/invoices';
import { show } from '../common';
import { storeObjectQuery } from '../operations';
import { R, simplifyInvoice } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Status',
		name: 'markAs',
		type: 'options',
		default: 'Settled',
		options: [
			{ name: 'Settled', value: 'Settled' },
			{ name: 'Invalid', value: 'Invalid' },
		],
		description: 'New status of the invoice',
		displayOptions: show(R, ['markStatus']),
	},
];

export const markStatus = storeObjectQuery(
	{ name: 'Mark Status', simplify: true, action: 'Mark an invoice as settled or invalid', description: 'Mark an invoice as settled or invalid', properties },
	'invoiceId',
	(client, storeId, id, ctx, i) => client.invoices.markStatus(storeId, id, ctx.getNodeParameter('markAs', i, '') as InvoiceMarkStatus),
	simplifyInvoice,
);
