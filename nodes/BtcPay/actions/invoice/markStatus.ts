/** Invoice > Mark Status: settled or invalid. */
import type { INodeProperties } from 'n8n-workflow';
import type { InvoiceMarkStatus } from '../../client/invoices';
import { show, simplify } from '../common';
import { storeOperation } from '../operations';
import { invoiceId, R, simplifyInvoice } from './common';

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

export const markStatus = storeOperation(
	{ name: 'Mark Status', action: 'Mark an invoice as settled or invalid', description: 'Mark an invoice as settled or invalid', properties },
	async (ctx, i, client, storeId) => {
		const status = ctx.getNodeParameter('markAs', i, '') as InvoiceMarkStatus;
		return simplify(ctx, i, await client.invoices.markStatus(storeId, invoiceId(ctx, i), status), simplifyInvoice);
	},
);
