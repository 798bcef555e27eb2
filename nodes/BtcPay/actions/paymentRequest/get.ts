/** Payment Request > Get: a payment request and its status. */
import { simplify } from '../common';
import { storeOperation } from '../operations';
import { paymentRequestId, simplifyPaymentRequest } from './common';

export const get = storeOperation(
	{ name: 'Get', simplify: true, action: 'Get a payment request', description: 'Get a payment request and its status' },
	async (ctx, i, client, storeId) => {
		return simplify(ctx, i, await client.paymentRequests.get(storeId, paymentRequestId(ctx, i)), simplifyPaymentRequest(client.http.baseUrl));
	},
);
