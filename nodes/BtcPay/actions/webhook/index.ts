/** Webhook: list and inspect store webhooks, their deliveries, and redeliver one (support workflows). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Webhook } from '../../client/webhooks';
import { InputError } from '../../../shared/errors';
import { getLimit, getStoreId, returnAllLimitProperties, show, storeLocatorProperty } from '../common';
import type { BtcPayOperation, BtcPayResource } from '../types';

const R = 'webhook';
const WITH_WEBHOOK = ['get', 'getDeliveries', 'getDeliveryRequest', 'redeliver'];
const WITH_DELIVERY = ['getDeliveryRequest', 'redeliver'];

const properties: INodeProperties[] = [
	storeLocatorProperty(R),
	{
		displayName: 'Webhook ID',
		name: 'webhookId',
		type: 'string',
		required: true,
		default: '',
		description: 'ID of the webhook (see Get Many)',
		displayOptions: show(R, WITH_WEBHOOK),
	},
	{
		displayName: 'Delivery ID',
		name: 'deliveryId',
		type: 'string',
		required: true,
		default: '',
		description: 'ID of the delivery (see Get Deliveries, or the deliveryId of a trigger event)',
		displayOptions: show(R, WITH_DELIVERY),
	},
	...returnAllLimitProperties(R, ['getDeliveries'], 1000),
];

function text(ctx: IExecuteFunctions, name: string, field: string, itemIndex: number): string {
	const value = String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (!value) throw new InputError(field, 'is required', 'BTCPay');
	return value;
}

/** Webhook without its secret (BTCPay only returns it on create, but never pass one on). */
function publicWebhook(hook: Webhook): IDataObject {
	const { secret: _secret, ...rest } = hook;
	return rest as IDataObject;
}

const storeIdAndHook = (ctx: IExecuteFunctions, itemIndex: number) => ({
	storeId: getStoreId(ctx, itemIndex),
	webhookId: text(ctx, 'webhookId', 'Webhook ID', itemIndex),
});

const operations: Record<string, BtcPayOperation> = {
	get: {
		name: 'Get',
		action: 'Get a webhook',
		description: 'Get a webhook of the store',
		async execute(ctx, itemIndex, client) {
			const { storeId, webhookId } = storeIdAndHook(ctx, itemIndex);
			return publicWebhook(await client.webhooks.get(storeId, webhookId));
		},
	},
	getDeliveries: {
		name: 'Get Deliveries',
		action: 'Get deliveries of a webhook',
		description: 'List the latest deliveries of a webhook, most recent first',
		async execute(ctx, itemIndex, client) {
			const { storeId, webhookId } = storeIdAndHook(ctx, itemIndex);
			const limit = getLimit(ctx, itemIndex);
			const deliveries = await client.webhooks.listDeliveries(storeId, webhookId, limit);
			return deliveries.slice(0, limit ?? deliveries.length).map((d) => ({ ...d, webhookId }) as IDataObject);
		},
	},
	getDeliveryRequest: {
		name: 'Get Delivery Request',
		action: 'Get the request of a delivery',
		description: 'The JSON body BTCPay sent for a delivery',
		async execute(ctx, itemIndex, client) {
			const { storeId, webhookId } = storeIdAndHook(ctx, itemIndex);
			const deliveryId = text(ctx, 'deliveryId', 'Delivery ID', itemIndex);
			return (await client.webhooks.getDeliveryRequest(storeId, webhookId, deliveryId)) as IDataObject;
		},
	},
	getAll: {
		name: 'Get Many',
		action: 'Get many webhooks',
		description: 'List the webhooks of the store',
		async execute(ctx, itemIndex, client) {
			return (await client.webhooks.list(getStoreId(ctx, itemIndex))).map(publicWebhook);
		},
	},
	redeliver: {
		name: 'Redeliver',
		action: 'Redeliver a delivery',
		description: 'Ask BTCPay to send a delivery again; returns the new delivery ID',
		async execute(ctx, itemIndex, client) {
			const { storeId, webhookId } = storeIdAndHook(ctx, itemIndex);
			const deliveryId = text(ctx, 'deliveryId', 'Delivery ID', itemIndex);
			const newDeliveryId = await client.webhooks.redeliver(storeId, webhookId, deliveryId);
			return { webhookId, redeliveredDeliveryId: deliveryId, deliveryId: newDeliveryId };
		},
	},
};

export const webhook: BtcPayResource = {
	value: R,
	// eslint-disable-next-line n8n-nodes-base/node-param-option-name-wrong-for-get-many -- a resource (defaultOperation 'getAll'), not a dropdown option
	name: 'Webhook',
	description: 'Store webhooks and their deliveries',
	operations,
	defaultOperation: 'getAll',
	properties,
};
