/** Pull Payment > Get: a pull payment and its claim link (no store needed). */
import { simplify } from '../common';
import { text } from '../format';
import type { BtcPayOperation } from '../types';
import { simplifyPullPayment } from './common';

export const get: BtcPayOperation = {
	name: 'Get',
	action: 'Get a pull payment',
	description: 'Get a pull payment and its claim link',
	async execute(ctx, i, client) {
		return simplify(ctx, i, await client.pullPayments.get(text(ctx, 'pullPaymentId', i)), simplifyPullPayment);
	},
};
