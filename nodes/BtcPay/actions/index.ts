/**
 * Registry of the BTCPay node's resources. Adding a resource = a folder under
 * actions/ exporting a BtcPayResource + one line here (see nodes/README.md).
 */
import type { NodeActions } from '../../shared/resource';
import type { BtcPayClient } from '../client';
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
import { offering } from './offering';
import { plan } from './plan';
import { subscriber } from './subscriber';
import { planCheckout } from './planCheckout';
import { subscriberPortal } from './subscriberPortal';
import { paymentMethod } from './paymentMethod';
import { lightningAddress } from './lightningAddress';
import { app } from './app';
import { rate } from './rate';
import { user } from './user';
import { notification } from './notification';
import { storeUser } from './storeUser';

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
	offering,
	plan,
	subscriber,
	planCheckout,
	subscriberPortal,
	paymentMethod,
	lightningAddress,
	app,
	rate,
	user,
	notification,
	storeUser,
];

export const actions: NodeActions<BtcPayClient> = { service: 'BTCPay', resources, defaultResource: 'invoice' };
