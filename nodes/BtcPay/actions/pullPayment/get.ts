/** Pull Payment > Get: a pull payment and its claim link (no store needed). */
import { simplify } from '../common';
import { text } from '../format';
import { defineBtcPayOperation } from '../types';
import { simplifyPullPayment } from './common';

export const get = defineBtcPayOperation(
	{ name: 'Get', simplify: true, action: 'Get a pull payment', description: 'Get a pull payment and its claim link' },
	async (ctx, i, client) => {
		return simplify(ctx, i, await client.pullPayments.get(text(ctx, 'pullPaymentId', i)), simplifyPullPayment);
	},
);
