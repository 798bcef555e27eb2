/**
 * Subscriber: a customer's subscription to an offering, found by a customer
 * selector (e-mail, cust_… ID, [external reference]). Get, delete, suspend /
 * unsuspend, update dates, get and update the credit balance (Update Credit in its
 * own file); the pickers, the Customer field and Simplify are declared here.
 */
import { formatMoney } from '../../../shared/amounts';
import type { INodeProperties } from 'n8n-workflow';
import { defineBtcPayResource, show, simplify, storeLocatorProperty } from '../common';
import { collection, present, text } from '../format';
import { storeOperation } from '../operations';
import { customer, customerProperty, getOfferingId, offeringLocatorProperty, simplifySubscriber } from '../offering/common';
import { creditCurrencyProperty, R } from './common';
import { updateCredit } from './updateCredit';

const get = storeOperation({ name: 'Get', simplify: true, action: 'Get a subscriber', description: 'Get a subscriber: phase, active flag, plan, period end' }, async (ctx, i, client, storeId) =>
	simplify(ctx, i, await client.subscriptions.getSubscriber(storeId, getOfferingId(ctx, i), customer(ctx, i)), simplifySubscriber),
);

const deleteSubscriber = storeOperation({ name: 'Delete', action: 'Delete a subscriber', description: 'Delete a subscriber of an offering' }, async (ctx, i, client, storeId) => {
	await client.subscriptions.deleteSubscriber(storeId, getOfferingId(ctx, i), customer(ctx, i));
	return { success: true, customerSelector: customer(ctx, i) };
});

const suspend = storeOperation(
	{
		name: 'Suspend', simplify: true,
		action: 'Suspend a subscriber',
		description: 'Turn access off at once (the subscriber keeps its dates)',
		properties: [{ displayName: 'Reason', name: 'reason', type: 'string', default: '', description: 'Why, shown to the subscriber', displayOptions: show(R, ['suspend']) }],
	},
	async (ctx, i, client, storeId) =>
		simplify(ctx, i, await client.subscriptions.suspendSubscriber(storeId, getOfferingId(ctx, i), customer(ctx, i), text(ctx, 'reason', i) || undefined), simplifySubscriber),
);

const unsuspend = storeOperation({ name: 'Unsuspend', simplify: true, action: 'Unsuspend a subscriber', description: 'Give access back to a suspended subscriber' }, async (ctx, i, client, storeId) =>
	simplify(ctx, i, await client.subscriptions.unsuspendSubscriber(storeId, getOfferingId(ctx, i), customer(ctx, i)), simplifySubscriber),
);

const updateDates = storeOperation(
	{
		name: 'Update Dates', simplify: true,
		action: 'Update the dates of a subscriber',
		description: 'Move the plan start and/or the period end (the trial end during a trial)',
		properties: [
			{
				displayName: 'Dates',
				name: 'dates',
				type: 'collection',
				placeholder: 'Add Date',
				default: {},
				options: [
					{ displayName: 'Expiration Date', name: 'expirationDate', type: 'dateTime', default: '', description: 'New end of the current period (grace and reminder move with it)' },
					{ displayName: 'Start Date', name: 'startDate', type: 'dateTime', default: '' },
				],
				displayOptions: show(R, ['updateDates']),
			},
		],
	},
	async (ctx, i, client, storeId) => {
		const d = present(collection(ctx, 'dates', i));
		const input = { startDate: d.startDate as string | undefined, expirationDate: d.expirationDate as string | undefined };
		return simplify(ctx, i, await client.subscriptions.updateSubscriberDates(storeId, getOfferingId(ctx, i), customer(ctx, i), input), simplifySubscriber);
	},
);

const getCredit = storeOperation(
	{ name: 'Get Credit', action: 'Get the credit of a subscriber', description: "Get a subscriber's credit balance", properties: [creditCurrencyProperty(['getCredit'])] },
	async (ctx, i, client, storeId) => {
		const out = await client.subscriptions.getCredit(storeId, getOfferingId(ctx, i), customer(ctx, i), text(ctx, 'currency', i));
		return { balance: formatMoney(out.value, out.currency) as string, currency: out.currency, customerSelector: customer(ctx, i) };
	},
);

const fields: INodeProperties[] = [
	storeLocatorProperty(R),
	offeringLocatorProperty(R),
	customerProperty(R, ['get', 'delete', 'suspend', 'unsuspend', 'updateDates', 'getCredit', 'updateCredit']),
];

export const subscriber = defineBtcPayResource({
	value: R,
	name: 'Subscriber',
	description: "A customer's subscription: phase, credit, suspension, dates",
	operations: { get, delete: deleteSubscriber, suspend, unsuspend, updateDates, getCredit, updateCredit },
	defaultOperation: 'get',
	fields,
});
