/**
 * Registry of the BTCPay node's resources. Adding a resource = a folder under
 * actions/ exporting a BtcPayResource + one line here.
 */
import type { BtcPayResource } from './types';
import { store } from './store';
import { invoice } from './invoice';
import { server } from './server';
import { webhook } from './webhook';

export const resources: BtcPayResource[] = [
	invoice,
	store,
	server,
	webhook,
];

export function findResource(value: string): BtcPayResource | undefined {
	return resources.find((r) => r.value === value);
}
