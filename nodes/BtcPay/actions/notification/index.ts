/** Notification: the API key's user's notifications: list (filters, paging), get, mark seen or unseen, delete. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Notification } from '../../client/users';
import { defineBtcPayResource, filtersProperty, getPaged, parseList, returnAllLimitProperties, show } from '../common';
import { collection, text } from '../format';
import { isoFromUnixSeconds } from '../../../shared/time';
import { defineBtcPayOperation } from '../types';

const R = 'notification';

const fields: INodeProperties[] = [
	{ displayName: 'Notification ID', name: 'notificationId', type: 'string', default: '', required: true, displayOptions: show(R, ['get', 'markSeen', 'markUnseen', 'delete']) },
	filtersProperty(R, ['getAll'], [
		{
			displayName: 'Seen',
			name: 'seen',
			type: 'options',
			default: 'unseen',
			options: [
				{ name: 'Unseen Only', value: 'unseen' },
				{ name: 'Seen Only', value: 'seen' },
			],
		},
		{ displayName: 'Store IDs', name: 'storeIds', type: 'string', default: '', description: 'Comma-separated: only notifications about these stores' },
	]),
	...returnAllLimitProperties(R, ['getAll'], 1000),
];

/** BTCPay's notification with the time as ISO too. */
function output(n: Notification): IDataObject {
	const created = isoFromUnixSeconds(n.createdTime);
	return { ...(n as IDataObject), ...(created ? { createdAt: created } : {}) };
}

const notificationId = (ctx: IExecuteFunctions, i: number) => text(ctx, 'notificationId', i);

const seenOperation = (seen: boolean) =>
	defineBtcPayOperation(
		{ name: seen ? 'Mark as Seen' : 'Mark as Unseen', action: `Mark a notification as ${seen ? 'seen' : 'unseen'}`, description: `Mark a notification as ${seen ? 'seen' : 'unseen'}` },
		async (ctx, i, client) => output(await client.notifications.setSeen(notificationId(ctx, i), seen)),
	);

export const notification = defineBtcPayResource({
	value: R,
	// eslint-disable-next-line n8n-nodes-base/node-param-option-name-wrong-for-get-many -- a resource (defaultOperation 'getAll'), not a dropdown option
	name: 'Notification',
	description: "Notifications of the API key's user",
	operations: {
		getAll: defineBtcPayOperation({ name: 'Get Many', action: 'Get many notifications', description: 'List notifications, newest first' }, async (ctx, i, client) => {
			const filters = collection(ctx, 'filters', i);
			const seen = filters.seen === 'seen' ? true : filters.seen === 'unseen' ? false : undefined;
			const storeIds = parseList(filters.storeIds);
			const list = await getPaged(ctx, i, (skip, take) => client.notifications.list({ seen, storeIds, skip, take }));
			return list.map(output);
		}),
		get: defineBtcPayOperation({ name: 'Get', action: 'Get a notification', description: 'Get one notification' }, async (ctx, i, client) => output(await client.notifications.get(notificationId(ctx, i)))),
		markSeen: seenOperation(true),
		markUnseen: seenOperation(false),
		delete: defineBtcPayOperation({ name: 'Delete', action: 'Delete a notification', description: 'Delete a notification' }, async (ctx, i, client) => {
			const id = notificationId(ctx, i);
			await client.notifications.delete(id);
			return { success: true, notificationId: id, deleted: true };
		}),
	},
	defaultOperation: 'getAll',
	fields,
});
