/**
 * Subscriber Portal: a session link where a customer manages the subscription
 * (plan, credit, payment). Create and Get.
 */
import type { INodeProperties } from 'n8n-workflow';
import { defineBtcPayResource, show, simplify, storeLocatorProperty } from '../common';
import { objectQuery, storeOperation } from '../operations';
import { customer, customerProperty, getOfferingId, offeringLocatorProperty, simplifyPortal } from '../offering/common';

const R = 'subscriberPortal';

const create = storeOperation(
	{
		name: 'Create', simplify: true,
		action: 'Create a portal session',
		description: 'Create the link where the customer manages the subscription',
		properties: [
			{
				displayName: 'Duration (Minutes)',
				name: 'durationMinutes',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1440,
				description: 'How long the link works (BTCPay default: one day)',
				displayOptions: show(R, ['create']),
			},
		],
	},
	async (ctx, i, client, storeId) => {
		const minutes = ctx.getNodeParameter('durationMinutes', i, 1440) as number;
		const session = await client.subscriptions.createPortalSession({ storeId, offeringId: getOfferingId(ctx, i), customerSelector: customer(ctx, i), durationMinutes: minutes });
		return simplify(ctx, i, session, simplifyPortal);
	},
);

const get = objectQuery(
	{ name: 'Get', simplify: true, action: 'Get a portal session', description: 'Get a portal session and its subscriber' },
	'portalSessionId',
	(client, id) => client.subscriptions.getPortalSession(id),
	simplifyPortal,
);

const fields: INodeProperties[] = [
	storeLocatorProperty(R, ['create']),
	offeringLocatorProperty(R, ['create']),
	customerProperty(R, ['create']),
	{ displayName: 'Portal Session ID', name: 'portalSessionId', type: 'string', default: '', required: true, placeholder: 'ps_665afQ23ExGouiY4EZ', displayOptions: show(R, ['get']) },
];

export const subscriberPortal = defineBtcPayResource({
	value: R,
	name: 'Subscriber Portal',
	description: 'Links where a customer manages the subscription',
	operations: { create, get },
	defaultOperation: 'create',
	fields,
});
