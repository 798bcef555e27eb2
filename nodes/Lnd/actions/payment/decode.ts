/** Payment > Decode Invoice: amount, payee, description and expiry of a BOLT11 invoice (asks the node). */
import { simplifyPayReq } from '../../client/simplify';
import { asData, isSimplified } from '../common';
import { defineLndOperation } from '../types';

export const decode = defineLndOperation(
	{ name: 'Decode Invoice', simplify: true, action: 'Decode an invoice', description: 'Read amount, payee, description and expiry of a BOLT11 invoice' },
	async (ctx, itemIndex, client) => {
		const simple = isSimplified(ctx, itemIndex);
		const payReq = String(ctx.getNodeParameter('paymentRequest', itemIndex) ?? '');
		const decoded = await client.decodePayReq(payReq);
		return asData(simple ? simplifyPayReq(decoded, payReq.trim().replace(/^lightning:/i, '').toLowerCase()) : decoded);
	},
);
