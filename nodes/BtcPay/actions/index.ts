/**
 * Registry of the BTCPay node's resources. Adding a resource = a folder under
 * actions/ exporting a BtcPayResource + one line here.
 */
import type { BtcPayResource } from './types';
import { store } from './store';
import { invoice } from './invoice';
import { server } from './server';
import { webhook } from './webhook';
import { paymentRequest } from './paymentRequest';
import { refund } from './refund';
import { pullPayment } from './pullPayment';
import { payout } from './payout';
import { lightning } from './lightning';
import { report } from './report';

export const resources: BtcPayResource[] = [
	invoice,
	store,
	server,
	webhook,
	paymentRequest,
	refund,
	pullPayment,
	payout,
	lightning,
	report,
];

export function findResource(value: string): BtcPayResource | undefined {
	return resources.find((r) => r.value === value);
}
