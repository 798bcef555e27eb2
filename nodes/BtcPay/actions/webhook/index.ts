/** Webhook: list and inspect store webhooks, their deliveries, and redeliver one (support workflows). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Webhook } from '../../client/webhooks';
import { InputError } from '../../../shared/errors';
import { defineBtcPayResource, getLimit, returnAllLimitProperties, show, storeLocatorProperty } from '../common';
import { text } from '../format';
import { storeOperation } from '../operations';
import type { BtcPayOperation } from '../types';

const R = 'webhook';
const WITH_WEBHOOK = ['get', 'getDeliveries', 'getDeliveryRequest', 'redeliver'];
const WITH_DELIVERY = ['getDeliveryRequest', 'redeliver'];

const fields: INodeProperties[] = [
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

/** A required string parameter, trimmed; empty → an InputError naming `field`. */
function requiredText(ctx: IExecuteFunctions, name: string, field: string, itemIndex: number): string {
	const value = text(ctx, name, itemIndex);
	if (!value) throw new InputError(field, 'is required', 'BTCPay');
	return value;
}

/** Webhook without its secret (BTCPay only returns it on create, but never pass one on). */
function publicWebhook(hook: Webhook): IDataObject {
	const { secret: _secret, ...rest } = hook;
	return rest as IDataObject;
}

const hookId = (ctx: IExecuteFunctions, itemIndex: number) => requiredText(ctx, 'webhookId', 'Webhook ID', itemIndex);
const deliveryId = (ctx: IExecuteFunctions, itemIndex: number) => requiredText(ctx, 'deliveryId', 'Delivery ID', itemIndex);

// Every webhook operation is in the chosen store; the Webhook ID and Delivery ID are read after it.
const operations: Record<string, BtcPayOperation> = {
	get: storeOperation({ name: 'Get', action: 'Get a webhook', description: 'Get a webhook of the store' }, async (ctx, itemIndex, client, storeId) =>
		publicWebhook(await client.webhooks.get(storeId, hookId(ctx, itemIndex))),
	),
	getDeliveries: storeOperation(
		{ name: 'Get Deliveries', action: 'Get deliveries of a webhook', description: 'List the latest deliveries of a webhook, most recent first' },
		async (ctx, itemIndex, client, storeId) => {
			const webhookId = hookId(ctx, itemIndex);
			const limit = getLimit(ctx, itemIndex);
			const deliveries = await client.webhooks.listDeliveries(storeId, webhookId, limit);
			return deliveries.slice(0, limit ?? deliveries.length).map((d) => ({ ...d, webhookId }) as IDataObject);
		},
	),
	getDeliveryRequest: storeOperation(
		{ name: 'Get Delivery Request', action: 'Get the request of a delivery', description: 'The JSON body BTCPay sent for a delivery' },
		async (ctx, itemIndex, client, storeId) =>
			(await client.webhooks.getDeliveryRequest(storeId, hookId(ctx, itemIndex), deliveryId(ctx, itemIndex))) as IDataObject,
	),
	getAll: storeOperation({ name: 'Get Many', action: 'Get many webhooks', description: 'List the webhooks of the store' }, async (_ctx, _i, client, storeId) =>
		(await client.webhooks.list(storeId)).map(publicWebhook),
	),
	redeliver: storeOperation(
		{ name: 'Redeliver', action: 'Redeliver a delivery', description: 'Ask BTCPay to send a delivery again; returns the new delivery ID' },
		async (ctx, itemIndex, client, storeId) => {
			const webhookId = hookId(ctx, itemIndex);
			const redeliveredDeliveryId = deliveryId(ctx, itemIndex);
			const newDeliveryId = await client.webhooks.redeliver(storeId, webhookId, redeliveredDeliveryId);
			return { webhookId, redeliveredDeliveryId, deliveryId: newDeliveryId };
		},
	),
};

export const webhook = defineBtcPayResource({
	value: R,
	// eslint-disable-next-line n8n-nodes-base/node-param-option-name-wrong-for-get-many -- a resource (defaultOperation 'getAll'), not a dropdown option
	name: 'Webhook',
	description: 'Store webhooks and their deliveries',
	operations,
	defaultOperation: 'getAll',
	fields,
});
