/**
 * Route registry of the BTCPay emulator. Adding a resource = a routes file
 * exporting `register(emulator)` + one line here.
 */
import type { BtcPayEmulator } from '../server';
import * as server from './server';
import * as stores from './stores';
import * as invoices from './invoices';
import * as webhooks from './webhooks';
import * as paymentRequests from './paymentRequests';
import * as pullPayments from './pullPayments';
import * as lightning from './lightning';
import * as subscriptions from './subscriptions';
import * as paymentMethods from './paymentMethods';
import * as apps from './apps';
import * as rates from './rates';
import * as users from './users';

export interface RouteModule {
	register(emulator: BtcPayEmulator): void;
}

export const routeModules: RouteModule[] = [
	server,
	stores,
	invoices,
	webhooks,
	paymentRequests,
	pullPayments,
	lightning,
	subscriptions,
	paymentMethods,
	apps,
	rates,
	users,
];
