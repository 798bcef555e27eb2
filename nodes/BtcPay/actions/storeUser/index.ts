/** Store User: who can use the store, with which role: list, add, change the role, remove. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { StoreUser } from '../../client/users';
import { defineBtcPayResource, pick, show, simplify, storeLocatorProperty } from '../common';
import { text } from '../format';
import { storeObjectAction, storeOperation } from '../operations';

const R = 'storeUser';

const roleProperty = (operations: string[], required: boolean): INodeProperties => ({
	displayName: 'Role',
	name: 'role',
	type: 'options',
	default: 'Employee',
	required,
	options: [
		{ name: 'Owner', value: 'Owner' },
		{ name: 'Manager', value: 'Manager' },
		{ name: 'Employee', value: 'Employee' },
		{ name: 'Guest', value: 'Guest' },
	],
	description: 'Store role; a custom role of the server can be given by expression',
	displayOptions: show(R, operations),
});

const fields: INodeProperties[] = [
	storeLocatorProperty(R),
	{ displayName: 'User', name: 'userId', type: 'string', default: '', required: true, placeholder: 'name@email.com', description: 'ID or e-mail of the user', displayOptions: show(R, ['add', 'update', 'remove']) },
	roleProperty(['add'], false),
	roleProperty(['update'], true),
];

const simplifyStoreUser = (u: StoreUser): IDataObject => pick(u, ['id', 'email', 'name', 'storeRole', 'approved', 'disabled']);
const ref = (ctx: IExecuteFunctions, i: number) => text(ctx, 'userId', i);

export const storeUser = defineBtcPayResource({
	value: R,
	// eslint-disable-next-line n8n-nodes-base/node-param-option-name-wrong-for-get-many -- a resource (defaultOperation 'getAll'), not a dropdown option
	name: 'Store User',
	description: 'Users of the store and their roles',
	operations: {
		getAll: storeOperation({ simplify: true, name: 'Get Many', action: 'Get many store users', description: 'List the users of the store and their roles' }, async (ctx, i, client, storeId) =>
			simplify(ctx, i, await client.storeUsers.list(storeId), simplifyStoreUser),
		),
		add: storeOperation({ name: 'Add', action: 'Add a user to the store', description: 'Give a user of the server a role in the store' }, async (ctx, i, client, storeId) => {
			const userId = ref(ctx, i);
			const role = text(ctx, 'role', i);
			await client.storeUsers.add(storeId, userId, role || undefined);
			return { success: true, storeId, userId, ...(role ? { storeRole: role } : {}) };
		}),
		update: storeOperation({ name: 'Update', action: "Update a store user's role", description: "Change a user's role in the store" }, async (ctx, i, client, storeId) => {
			const userId = ref(ctx, i);
			const role = text(ctx, 'role', i);
			await client.storeUsers.update(storeId, userId, role);
			return { success: true, storeId, userId, storeRole: role };
		}),
		remove: storeObjectAction({ name: 'Remove', action: 'Remove a user from the store', description: 'Take away the user\'s access to the store' }, 'userId', (client, storeId, id) => client.storeUsers.remove(storeId, id), { removed: true }),
	},
	defaultOperation: 'getAll',
	fields,
});
