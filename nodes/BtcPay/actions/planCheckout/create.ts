/** Plan Checkout > Create: the link to send a customer to subscribe (new subscriber) or pay for a plan (existing one). */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { additionalFieldsProperty, show, simplify } from '../common';
import { collection, present, text } from '../format';
import { storeOperation } from '../operations';
import { getOfferingId, getPlanId, jsonObject, metadataProperty, simplifyCheckout } from '../offering/common';
import type { PlanCheckoutInput } from '../../client/subscriptions';
import { R } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Customer',
		name: 'customerMode',
		type: 'options',
		default: 'new',
		options: [
			{ name: 'New Subscriber', value: 'new', description: 'A customer who does not subscribe yet (e-mail now or on the page)' },
			{ name: 'Existing Subscriber', value: 'existing', description: 'Renew, upgrade or top up an existing subscriber' },
		],
		displayOptions: show(R, ['create']),
	},
	{
		displayName: 'New Subscriber Email',
		name: 'newSubscriberEmail',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'E-mail of the new subscriber (empty: asked on the checkout page)',
		displayOptions: { show: { resource: [R], operation: ['create'], customerMode: ['new'] } },
	},
	{
		displayName: 'Customer Selector',
		name: 'customerSelector',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'customer@example.com',
		description: 'The subscriber: e-mail, customer ID (cust_…) or [external reference]',
		displayOptions: { show: { resource: [R], operation: ['create'], customerMode: ['existing'] } },
	},
	additionalFieldsProperty(R, ['create'], [
		{ displayName: 'Credit Purchase', name: 'creditPurchase', type: 'string', default: '', placeholder: '20.00', description: 'Buy this much credit instead of the plan price' },
		{ displayName: 'Duration (Minutes)', name: 'durationMinutes', type: 'number', typeOptions: { minValue: 1 }, default: 1440, description: 'How long the link works (BTCPay default: one day)' },
		metadataProperty('Invoice Metadata', 'invoiceMetadata', 'JSON object added to the invoice metadata'),
		metadataProperty('Metadata', 'metadata', 'JSON object stored with the checkout'),
		metadataProperty('New Subscriber Metadata', 'newSubscriberMetadata', "JSON object stored as the new subscriber's metadata (your app's fields)"),
		{
			displayName: 'On Pay',
			name: 'onPayBehavior',
			type: 'options',
			default: 'SoftMigration',
			options: [
				{ name: 'Soft Migration', value: 'SoftMigration', description: 'Start the plan only if payment is due; else add the amount as credit' },
				{ name: 'Hard Migration', value: 'HardMigration', description: 'Start the plan at once, refunding the unused part of the current period as credit' },
			],
		},
		{ displayName: 'Success Redirect URL', name: 'successRedirectLink', type: 'string', default: '', placeholder: 'https://example.com/thanks' },
		{ displayName: 'Trial', name: 'isTrial', type: 'boolean', default: false, description: "Whether to start with the plan's free trial (only if the plan has trial days)" },
	]),
];

export const create = storeOperation(
	{ name: 'Create', simplify: true, action: 'Create a plan checkout', description: 'Create the checkout link to send to a customer for a plan', properties },
	async (ctx, i, client, storeId) => {
		const f = present(collection(ctx, 'additionalFields', i));
		const input: PlanCheckoutInput = { storeId, offeringId: getOfferingId(ctx, i), planId: getPlanId(ctx, i) };
		if (text(ctx, 'customerMode', i) === 'existing') input.customerSelector = text(ctx, 'customerSelector', i);
		else if (text(ctx, 'newSubscriberEmail', i)) input.newSubscriberEmail = text(ctx, 'newSubscriberEmail', i);
		for (const key of ['invoiceMetadata', 'metadata', 'newSubscriberMetadata'] as const) {
			const label = key === 'invoiceMetadata' ? 'Invoice Metadata' : key === 'metadata' ? 'Metadata' : 'New Subscriber Metadata';
			const value = jsonObject(f[key], label);
			if (value && Object.keys(value).length) input[key] = value as IDataObject;
		}
		if (f.creditPurchase !== undefined) input.creditPurchase = String(f.creditPurchase);
		if (f.durationMinutes !== undefined) input.durationMinutes = f.durationMinutes as number;
		if (f.onPayBehavior !== undefined) input.onPayBehavior = f.onPayBehavior as 'SoftMigration' | 'HardMigration';
		if (f.successRedirectLink !== undefined) input.successRedirectLink = String(f.successRedirectLink);
		if (f.isTrial === true) input.isTrial = true;
		return simplify(ctx, i, await client.subscriptions.createPlanCheckout(input), simplifyCheckout);
	},
);
