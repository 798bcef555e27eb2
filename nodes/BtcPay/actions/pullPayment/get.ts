/** Pull Payment > Get: a pull payment and its claim link (no store needed). */
import { objectQuery } from '../operations';
import { simplifyPullPayment } from './common';

export const get = objectQuery(
	{ name: 'Get', simplify: true, action: 'Get a pull payment', description: 'Get a pull payment and its claim link' },
	'pullPaymentId',
	(client, id) => client.pullPayments.get(id),
	simplifyPullPayment,
);
