/** Payment Request > Get: a payment request and its status. */
import { getStoreId, simplify } from '../common';
import type { BtcPayOperation } from '../types';
import { paymentRequestId, simplifyPaymentRequest } from './common';

export const get: BtcPayOperation = {
	name: 'Get',
	action: 'Get a payment request',
	description: 'Get a payment request and its status',
	async execute(ctx, i, client) {
		const storeId = getStoreId(ctx, i);
		return simplify(ctx, i, await client.paymentRequests.get(storeId, paymentRequestId(ctx, i)), simplifyPaymentRequest(client.http.baseUrl));
	},
};
