/** Invoice > Get: an invoice by its payment hash. */
import type { INodeProperties } from 'n8n-workflow';
import { simplifyInvoice } from '../../client/simplify';
import { paymentHashProperty, show, simplify } from '../common';
import { defineLndOperation } from '../types';

const RESOURCE = 'invoice';

const properties: INodeProperties[] = [paymentHashProperty(show(RESOURCE, ['get']), 'e.g. 0001020304050607080900010203040506070809000102030405060708090102', 'The invoice payment hash, 64 hex characters (the paymentHash output of Create)')];

export const get = defineLndOperation(
	{ name: 'Get', simplify: true, action: 'Get an invoice', description: 'Look up an invoice by its payment hash', properties },
	async (ctx, itemIndex, client) => {
		const invoice = await client.lookupInvoice(String(ctx.getNodeParameter('paymentHash', itemIndex)));
		return simplify(ctx, itemIndex, invoice, simplifyInvoice);
	},
);
