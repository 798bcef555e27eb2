/**
 * Plan Checkout: the page where a customer subscribes to (or pays for) a plan.
 * Create (its own file) returns the URL to send; Get reads it; Proceed goes on
 * as the page does (creates the invoice, or starts a trial).
 */
import type { INodeProperties } from 'n8n-workflow';
import { defineBtcPayResource, show, storeLocatorProperty } from '../common';
import { text } from '../format';
import { offeringLocatorProperty, planLocatorProperty, simplifyCheckout } from '../offering/common';
import { objectQuery } from '../operations';
import { R } from './common';
import { create } from './create';

const get = objectQuery(
	{ name: 'Get', simplify: true, action: 'Get a plan checkout', description: 'Get a plan checkout: its invoice, whether the plan started' },
	'checkoutId',
	(client, id) => client.subscriptions.getPlanCheckout(id),
	simplifyCheckout,
);

const proceed = objectQuery(
	{
		name: 'Proceed', simplify: true,
		action: 'Proceed with a plan checkout',
		description: 'Go on as the checkout page does: create its invoice, or start the trial',
		properties: [
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: 'E-mail of a new subscriber, if the checkout has none yet',
				displayOptions: show(R, ['proceed']),
			},
		],
	},
	'checkoutId',
	(client, id, ctx, i) => client.subscriptions.proceedPlanCheckout(id, text(ctx, 'email', i) || undefined),
	simplifyCheckout,
);

const fields: INodeProperties[] = [
	storeLocatorProperty(R, ['create']),
	offeringLocatorProperty(R, ['create']),
	planLocatorProperty(R, ['create']),
	{ displayName: 'Plan Checkout ID', name: 'checkoutId', type: 'string', default: '', required: true, placeholder: 'plancheckout_Hpm59L1NPCMUj477Q5', displayOptions: show(R, ['get', 'proceed']) },
];

export const planCheckout = defineBtcPayResource({
	value: R,
	name: 'Plan Checkout',
	description: 'The link where a customer subscribes to or pays for a plan',
	operations: { create, get, proceed },
	defaultOperation: 'create',
	fields,
});
