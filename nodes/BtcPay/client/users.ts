/**
 * Greenfield users (Controllers/GreenField/GreenfieldUsersController.cs), the
 * key's user's notifications (GreenfieldNotificationsController.cs) and store
 * users (GreenfieldStoreUsersController.cs).
 *
 * Server-admin calls: list/get users need btcpay.server.canviewusers, lock and
 * approve need btcpay.server.canmodifyserversettings, create needs
 * btcpay.server.cancreateuser (an admin needs `unrestricted` too).
 * Notifications need btcpay.user.canviewnotificationsforuser (read) or
 * btcpay.user.canmanagenotificationsforuser (change); store users
 * btcpay.store.canviewstoresettings (list) / canmodifystoresettings (change).
 */
import { z } from 'zod';
import type { HttpClient } from '../../shared/http';
import { InputError } from '../../shared/errors';
import { redactErrorWith } from './paymentMethods';
import { httpUrlSchema, parseInput, seg } from './schemas';
import { parseStoreId } from './stores';

export const userSchema = z
	.object({
		id: z.string(),
		email: z.string().nullish(),
		name: z.string().nullish(),
		emailConfirmed: z.boolean().optional(),
		requiresEmailConfirmation: z.boolean().optional(),
		approved: z.boolean().optional(),
		requiresApproval: z.boolean().optional(),
		disabled: z.boolean().optional(),
		roles: z.array(z.string()).optional(),
		created: z.number().nullish(),
	})
	.passthrough();
export type User = z.infer<typeof userSchema>;

export const storeUserSchema = userSchema.extend({ storeRole: z.string().nullish() }).passthrough();
export type StoreUser = z.infer<typeof storeUserSchema>;

export const notificationSchema = z
	.object({
		id: z.string(),
		identifier: z.string().nullish(),
		type: z.string().nullish(),
		body: z.string().nullish(),
		storeId: z.string().nullish(),
		link: z.string().nullish(),
		createdTime: z.number().nullish(),
		seen: z.boolean(),
	})
	.passthrough();
export type Notification = z.infer<typeof notificationSchema>;

const EMAIL = z.string().trim().min(1, 'is required').email('is not an e-mail address');

export const createUserSchema = z
	.object({
		email: EMAIL,
		name: z.string().trim().optional(),
		imageUrl: httpUrlSchema.optional(),
		/** At least 6 characters (Hosting/Startup.cs: Password.RequiredLength = 6); none: the user sets it from the invitation. */
		password: z.string().min(6, 'must be at least 6 characters').optional(),
		isAdministrator: z.boolean().optional(),
		sendInvitationEmail: z.boolean().optional(),
	})
	.strict();
export type CreateUserInput = z.input<typeof createUserSchema>;

const USER_LABELS: Record<string, string> = { email: 'Email', name: 'Name', imageUrl: 'Image URL', password: 'Password', isAdministrator: 'Administrator', sendInvitationEmail: 'Send Invitation Email' };

/** A user ID or e-mail (what BTCPay's FindByIdOrEmail takes). */
export function parseUserRef(value: unknown, field = 'User'): string {
	const raw = typeof value === 'string' ? value.trim() : '';
	if (!raw) throw new InputError(field, 'is required (a user ID or e-mail)', 'BTCPay');
	if (raw.includes('/') || raw.length > 256) throw new InputError(field, `"${raw}" is not a user ID or e-mail`, 'BTCPay');
	return raw;
}

/** BTCPay's default store roles; a server may add its own (any role ID is accepted and checked by BTCPay). */
export const STORE_ROLES = ['Owner', 'Manager', 'Employee', 'Guest'] as const;

function parseRole(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const role = String(value).trim();
	if (!/^[A-Za-z0-9 _-]{1,50}$/.test(role)) throw new InputError('Role', `"${role}" is not a store role (e.g. Owner, Manager, Employee, Guest)`, 'BTCPay');
	const known = STORE_ROLES.find((r) => r.toLowerCase() === role.toLowerCase());
	return known ?? role;
}

export class UsersApi {
	constructor(private readonly http: HttpClient) {}

	/** `POST /api/v1/users` (201). The password never appears in an error. */
	async create(input: CreateUserInput): Promise<User> {
		const secrets = typeof input.password === 'string' ? [input.password] : [];
		try {
			const body = parseInput(createUserSchema, input, USER_LABELS);
			return await this.http.request('POST', '/api/v1/users', { json: body, schema: userSchema, retry: false });
		} catch (error) {
			throw redactErrorWith(error, secrets);
		}
	}

	async get(idOrEmail: string): Promise<User> {
		const ref = parseUserRef(idOrEmail);
		return this.http.request('GET', `/api/v1/users${seg(ref)}`, { schema: userSchema, resource: `The user "${ref}"` });
	}

	async list(): Promise<User[]> {
		return this.http.request('GET', '/api/v1/users', { schema: z.array(userSchema) });
	}

	/** The key's own user (`GET /api/v1/users/me`, btcpay.user.canviewprofile). */
	async me(): Promise<User> {
		return this.http.request('GET', '/api/v1/users/me', { schema: userSchema, resource: 'The current user' });
	}

	async setLocked(idOrEmail: string, locked: boolean): Promise<void> {
		const ref = parseUserRef(idOrEmail);
		await this.http.request('POST', `/api/v1/users${seg(ref)}/lock`, { json: { locked }, resource: `The user "${ref}"`, retry: true });
	}

	/** 400 `invalid-state` when the server does not require approval or it is already in that state. */
	async setApproved(idOrEmail: string, approved: boolean): Promise<void> {
		const ref = parseUserRef(idOrEmail);
		await this.http.request('POST', `/api/v1/users${seg(ref)}/approve`, { json: { approved }, resource: `The user "${ref}"`, retry: true });
	}
}

export class NotificationsApi {
	constructor(private readonly http: HttpClient) {}

	async list(query: { seen?: boolean; storeIds?: string[]; skip?: number; take?: number } = {}): Promise<Notification[]> {
		const storeId = query.storeIds?.map((s) => parseStoreId(s));
		return this.http.request('GET', '/api/v1/users/me/notifications', {
			query: { seen: query.seen, storeId, skip: query.skip, take: query.take },
			schema: z.array(notificationSchema),
		});
	}

	async get(id: string): Promise<Notification> {
		const nid = parseNotificationId(id);
		return this.http.request('GET', `/api/v1/users/me/notifications${seg(nid)}`, { schema: notificationSchema, resource: `The notification "${nid}"` });
	}

	/** Marks seen (or unseen); answers the notification. */
	async setSeen(id: string, seen: boolean): Promise<Notification> {
		const nid = parseNotificationId(id);
		return this.http.request('PUT', `/api/v1/users/me/notifications${seg(nid)}`, { json: { seen }, schema: notificationSchema, resource: `The notification "${nid}"` });
	}

	/** BTCPay answers 200 also for a notification that does not exist. */
	async delete(id: string): Promise<void> {
		const nid = parseNotificationId(id);
		await this.http.request('DELETE', `/api/v1/users/me/notifications${seg(nid)}`, { resource: `The notification "${nid}"` });
	}
}

export function parseNotificationId(value: unknown, field = 'Notification ID'): string {
	const raw = typeof value === 'string' ? value.trim() : '';
	if (!raw) throw new InputError(field, 'is required', 'BTCPay');
	if (!/^[A-Za-z0-9_-]{1,128}$/.test(raw)) throw new InputError(field, `"${raw}" is not a notification ID`, 'BTCPay');
	return raw;
}

export class StoreUsersApi {
	constructor(private readonly http: HttpClient) {}

	async list(storeId: string): Promise<StoreUser[]> {
		const id = parseStoreId(storeId);
		return this.http.request('GET', `/api/v1/stores${seg(id)}/users`, { schema: z.array(storeUserSchema) });
	}

	/** Adds a user (409 `duplicate-store-user-role` when already in the store). */
	async add(storeId: string, idOrEmail: string, role?: string): Promise<void> {
		const id = parseStoreId(storeId);
		const ref = parseUserRef(idOrEmail);
		const storeRole = parseRole(role);
		await this.http.request('POST', `/api/v1/stores${seg(id)}/users`, { json: { id: ref, ...(storeRole ? { storeRole } : {}) }, resource: `The user "${ref}"` });
	}

	/** Changes the user's role (adds the user when not in the store yet). */
	async update(storeId: string, idOrEmail: string, role: string): Promise<void> {
		const id = parseStoreId(storeId);
		const ref = parseUserRef(idOrEmail);
		const storeRole = parseRole(role);
		if (!storeRole) throw new InputError('Role', 'is required', 'BTCPay');
		await this.http.request('PUT', `/api/v1/stores${seg(id)}/users${seg(ref)}`, { json: { storeRole }, resource: `The user "${ref}"` });
	}

	/** 409 `store-user-role-orphaned` when it is the store's last owner. */
	async remove(storeId: string, idOrEmail: string): Promise<void> {
		const id = parseStoreId(storeId);
		const ref = parseUserRef(idOrEmail);
		await this.http.request('DELETE', `/api/v1/stores${seg(id)}/users${seg(ref)}`, { resource: `The user "${ref}"` });
	}
}
