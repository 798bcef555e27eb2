/** Webhook: list and inspect store webhooks, their deliveries, and redeliver one (support workflows). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { BtcPayClient } from '../../client';
import type { Webhook } from '../../client/webhooks';
import { InputError } from '../../../shared/errors';
import { getLimit, getStoreId, operationProperty, returnAllLimitProperties, show, storeLocatorProperty } from '../common';
import type { BtcPayResource, ItemResult } from '../types';

const R = 'webhook';
const WITH_WEBHOOK = ['get', 'getDeliveries', 'getDeliveryRequest', 'redeliver'];
const WITH_DELIVERY = ['getDeliveryRequest', 'redeliver'];

export const webhookProperties: INodeProperties[] = [
	operationProperty(
		R,
		[
			{ name: 'Get', value: 'get', action: 'Get a webhook', description: 'Get a webhook of the store' },
			{
				name: 'Get Deliveries',
				value: 'getDeliveries',
				action: 'Get deliveries of a webhook',
				description: 'List the latest deliveries of a webhook, most recent first',
			},
			{
				name: 'Get Delivery Request',
				value: 'getDeliveryRequest',
				action: 'Get the request of a delivery',
				description: 'The JSON body BTCPay sent for a delivery',
			},
			{ name: 'Get Many', value: 'getAll', action: 'Get many webhooks', description: 'List the webhooks of the store' },
			{
				name: 'Redeliver',
				value: 'redeliver',
				action: 'Redeliver a delivery',
				description: 'Ask BTCPay to send a delivery again; returns the new delivery ID',
			},
		],
		'getAll',
	),
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

async function execute(ctx: IExecuteFunctions, client: BtcPayClient, operation: string, itemIndex: number): Promise<ItemResult> {
	const storeId = getStoreId(ctx, itemIndex);
	switch (operation) {
		case 'getAll':
			return (await client.webhooks.list(storeId)).map(publicWebhook);
		case 'get':
			return publicWebhook(await client.webhooks.get(storeId, text(ctx, 'webhookId', 'Webhook ID', itemIndex)));
		case 'getDeliveries': {
			const webhookId = text(ctx, 'webhookId', 'Webhook ID', itemIndex);
			const limit = getLimit(ctx, itemIndex);
			const deliveries = await client.webhooks.listDeliveries(storeId, webhookId, limit);
			return deliveries.slice(0, limit ?? deliveries.length).map((d) => ({ ...d, webhookId }) as IDataObject);
		}
		case 'getDeliveryRequest': {
			const webhookId = text(ctx, 'webhookId', 'Webhook ID', itemIndex);
			const deliveryId = text(ctx, 'deliveryId', 'Delivery ID', itemIndex);
			return (await client.webhooks.getDeliveryRequest(storeId, webhookId, deliveryId)) as IDataObject;
		}
		case 'redeliver': {
			const webhookId = text(ctx, 'webhookId', 'Webhook ID', itemIndex);
			const deliveryId = text(ctx, 'deliveryId', 'Delivery ID', itemIndex);
			const newDeliveryId = await client.webhooks.redeliver(storeId, webhookId, deliveryId);
			return { webhookId, redeliveredDeliveryId: deliveryId, deliveryId: newDeliveryId };
		}
		default:
			throw new InputError('Operation', `"${operation}" is not supported for webhooks`, 'BTCPay');
	}
}

export const webhook: BtcPayResource = {
	value: R,
	name: 'Webhook',
	description: 'Store webhooks and their deliveries',
	properties: webhookProperties,
	execute,
};
