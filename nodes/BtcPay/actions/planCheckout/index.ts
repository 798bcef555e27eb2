/**
 * Plan Checkout: the page where a customer subscribes to (or pays for) a plan.
 * Create (its own file) returns the URL to send; Get reads it; Proceed goes on
 * as the page does (creates the invoice, or starts a trial).
 */
import type { INodeProperties } from 'n8n-workflow';
import { defineBtcPayResource, show, simplify, storeLocatorProperty } from '../common';
import { text } from '../format';
import { offeringLocatorProperty, planLocatorProperty, simplifyCheckout } from '../offering/common';
import type { BtcPayOperation } from '../types';
import { R } from './common';
import { create } from './create';

const get: BtcPayOperation = {
	name: 'Get', simplify: true,
	action: 'Get a plan checkout',
	description: 'Get a plan checkout: its invoice, whether the plan started',
	async execute(ctx, i, client) {
		return simplify(ctx, i, await client.subscriptions.getPlanCheckout(text(ctx, 'checkoutId', i)), simplifyCheckout);
	},
};

const proceed: BtcPayOperation = {
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
	async execute(ctx, i, client) {
		return simplify(ctx, i, await client.subscriptions.proceedPlanCheckout(text(ctx, 'checkoutId', i), text(ctx, 'email', i) || undefined), simplifyCheckout);
	},
};

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
