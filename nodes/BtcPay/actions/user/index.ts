/**
 * User: the server's users (create, get, get many, lock, unlock, approve) and
 * the key's own user. Server-admin operations: the key must be a server
 * administrator's with the permission named in the README (a 403 says which).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { CreateUserInput, User } from '../../client/users';
import { defineBtcPayResource, additionalFieldsProperty, pick, show, simplify } from '../common';
import { collection, present, text } from '../format';
import { isoFromUnixSeconds } from '../../../shared/time';
import { defineBtcPayOperation } from '../types';

const R = 'user';
const WITH_USER = ['get', 'lock', 'unlock', 'approve'];

const fields: INodeProperties[] = [
	{
		displayName: 'User',
		name: 'user',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'name@email.com',
		description: 'ID or e-mail of the user',
		displayOptions: show(R, WITH_USER),
	},
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '', required: true, displayOptions: show(R, ['create']) },
	additionalFieldsProperty(R, ['create'], [
		{ displayName: 'Administrator', name: 'isAdministrator', type: 'boolean', default: false, description: 'Whether the user is a server administrator (needs an unrestricted admin key)' },
		{ displayName: 'Image URL', name: 'imageUrl', type: 'string', default: '' },
		{ displayName: 'Name', name: 'name', type: 'string', default: '' },
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'At least 6 characters; empty: the user sets it through the invitation',
		},
		{ displayName: 'Send Invitation Email', name: 'sendInvitationEmail', type: 'boolean', default: true, description: 'Whether BTCPay e-mails the invitation link (when the server can send e-mail)' },
	]),
	{ displayName: 'Approved', name: 'approved', type: 'boolean', default: true, description: 'Whether to approve (on) or revoke the approval (off)', displayOptions: show(R, ['approve']) },
];

function simplifyUser(user: User): IDataObject {
	const out = pick(user, ['id', 'email', 'name', 'roles', 'approved', 'requiresApproval', 'emailConfirmed', 'disabled']);
	const created = isoFromUnixSeconds(user.created);
	if (created) out.createdAt = created;
	return out;
}

const userRef = (ctx: IExecuteFunctions, i: number) => text(ctx, 'user', i);

function toCreateInput(email: string, fields: IDataObject): CreateUserInput {
	const f = present(fields);
	const input: CreateUserInput = { email };
	for (const key of ['name', 'imageUrl', 'password'] as const) if (f[key] !== undefined) input[key] = String(f[key]);
	for (const key of ['isAdministrator', 'sendInvitationEmail'] as const) if (typeof f[key] === 'boolean') input[key] = f[key] as boolean;
	return input;
}

/** Lock or unlock: BTCPay answers 200 without a body; the outcome names the user and the new state. */
const lockOperation = (locked: boolean) =>
	defineBtcPayOperation(
		{ name: locked ? 'Lock' : 'Unlock', action: `${locked ? 'Lock' : 'Unlock'} a user`, description: locked ? 'Lock a user out of the server' : 'Let a locked user log in again' },
		async (ctx, i, client) => {
			const ref = userRef(ctx, i);
			await client.users.setLocked(ref, locked);
			return { success: true, user: ref, locked };
		},
	);

export const user = defineBtcPayResource({
	value: R,
	// eslint-disable-next-line n8n-nodes-base/node-param-option-name-wrong-for-get-many -- a resource (defaultOperation 'getAll'), not a dropdown option
	name: 'User',
	description: 'Users of the BTCPay server (server administrator keys)',
	operations: {
		create: defineBtcPayOperation({ simplify: true, name: 'Create', action: 'Create a user', description: 'Create a user on the server' }, async (ctx, i, client) =>
			simplify(ctx, i, await client.users.create(toCreateInput(text(ctx, 'email', i), collection(ctx, 'additionalFields', i))), simplifyUser),
		),
		get: defineBtcPayOperation({ simplify: true, name: 'Get', action: 'Get a user', description: 'Get a user by ID or e-mail' }, async (ctx, i, client) => simplify(ctx, i, await client.users.get(userRef(ctx, i)), simplifyUser)),
		getAll: defineBtcPayOperation({ simplify: true, name: 'Get Many', action: 'Get many users', description: 'List the users of the server' }, async (ctx, i, client) => simplify(ctx, i, await client.users.list(), simplifyUser)),
		getCurrent: defineBtcPayOperation({ simplify: true, name: 'Get Current', action: 'Get the current user', description: 'The user who owns the API key' }, async (ctx, i, client) => simplify(ctx, i, await client.users.me(), simplifyUser)),
		lock: lockOperation(true),
		unlock: lockOperation(false),
		approve: defineBtcPayOperation({ name: 'Approve', action: 'Approve a user', description: 'Approve a user who registered on a server that requires approval' }, async (ctx, i, client) => {
			const ref = userRef(ctx, i);
			const approved = ctx.getNodeParameter('approved', i, true) as boolean;
			await client.users.setApproved(ref, approved);
			return { success: true, user: ref, approved };
		}),
	},
	defaultOperation: 'getAll',
	fields,
});
