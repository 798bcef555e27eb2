/**
 * Users (BTCPayServer/Controllers/GreenField/GreenfieldUsersController.cs, Services/UserService.cs),
 * the key's user's notifications (GreenfieldNotificationsController.cs, Services/Notifications/NotificationManager.cs)
 * and store users (GreenfieldStoreUsersController.cs, Services/Stores/StoreRepository.cs).
 *
 * Simplifications: every API key of the emulator belongs to one server administrator
 * (`admin@emulator.test`), so "me" and the notifications are that user's; the server
 * policies are BTCPay's defaults (registration open, no e-mail confirmation) except
 * `requiresUserApproval`, which tests switch with setServerPolicies.
 */
import { base58Id, notFound, validationError, type BtcPayEmulator, type EmulatorResponse, type Json } from '../server';

export interface UserRecord {
	id: string;
	email: string;
	name: string | null;
	imageUrl: string | null;
	created: number;
	roles: string[];
	approved: boolean;
	requiresApproval: boolean;
	disabled: boolean;
}

export interface NotificationRecord {
	id: string;
	identifier: string;
	type: string;
	body: string;
	storeId: string | null;
	link: string | null;
	createdTime: number;
	seen: boolean;
}

interface UsersState {
	users: Map<string, UserRecord>;
	adminId: string;
	policies: { requiresUserApproval: boolean };
	notifications: NotificationRecord[];
	/** storeId → userId → role */
	storeUsers: Map<string, Map<string, string>>;
}

export function usersState(emulator: BtcPayEmulator): UsersState {
	let state = emulator.state.users as UsersState | undefined;
	if (!state) {
		const admin: UserRecord = { id: base58Id(16), email: 'admin@emulator.test', name: 'Admin', imageUrl: null, created: emulator.now(), roles: ['ServerAdmin'], approved: true, requiresApproval: false, disabled: false };
		state = { users: new Map([[admin.id, admin]]), adminId: admin.id, policies: { requiresUserApproval: false }, notifications: [], storeUsers: new Map() };
		emulator.state.users = state;
	}
	return state;
}

/** Test setup: PoliciesSettings.RequiresUserApproval (new users then need an admin's approval). */
export function setServerPolicies(emulator: BtcPayEmulator, policies: Partial<UsersState['policies']>): void {
	Object.assign(usersState(emulator).policies, policies);
}

/** Test setup: a notification for the key's user (BTCPay creates them itself: new invoice paid, new version…). */
export function addNotification(emulator: BtcPayEmulator, notification: Partial<NotificationRecord> & { body: string }): NotificationRecord {
	const record: NotificationRecord = {
		id: base58Id(16),
		identifier: 'invoicestate',
		type: 'invoicestate',
		storeId: null,
		link: null,
		createdTime: emulator.now(),
		seen: false,
		...notification,
	};
	usersState(emulator).notifications.unshift(record);
	return record;
}

/** UserManager.FindByIdOrEmail: id, else e-mail (case-insensitive, Identity's normalized e-mail). */
function find(state: UsersState, idOrEmail: string): UserRecord | undefined {
	return state.users.get(idOrEmail) ?? [...state.users.values()].find((u) => u.email.toLowerCase() === idOrEmail.toLowerCase());
}

/** UserService.ForAPI (ApplicationUserData). */
function userModel(u: UserRecord): Json {
	return {
		id: u.id,
		email: u.email,
		name: u.name,
		imageUrl: u.imageUrl,
		invitationUrl: null,
		emailConfirmed: true,
		requiresEmailConfirmation: false,
		approved: u.approved,
		requiresApproval: u.requiresApproval,
		storeQuota: null,
		created: u.created,
		disabled: u.disabled,
		roles: u.roles,
	};
}

const userNotFound = (): EmulatorResponse => notFound('user-not-found', 'The user was not found');
const MAILBOX_RE = /^[^\s@]+@[^\s@]+$/;

/** The store's users; a store has its creator (the admin) as Owner. */
function storeUsersOf(emulator: BtcPayEmulator, storeId: string): Map<string, string> {
	const state = usersState(emulator);
	let map = state.storeUsers.get(storeId);
	if (!map) {
		map = new Map([[state.adminId, 'Owner']]);
		state.storeUsers.set(storeId, map);
	}
	return map;
}

/** StoreRepository.ResolveStoreRoleId: the server's default roles, case-insensitive. */
const ROLES = ['Owner', 'Manager', 'Employee', 'Guest'];
const resolveRole = (role: string) => ROLES.find((r) => r.toLowerCase() === role.toLowerCase());

export function register(emulator: BtcPayEmulator): void {
	// The spec names btcpay.user.canmodifyserversettings; the controller's policy is Policies.CanModifyServerSettings.
	const SERVER_ADMIN = { permissions: ['btcpay.server.canmodifyserversettings'] };

	emulator.route('GET', '/api/v1/users/me', () => ({ status: 200, body: userModel(usersState(emulator).users.get(usersState(emulator).adminId) as UserRecord) }));

	emulator.route('GET', '/api/v1/users', () => ({ status: 200, body: [...usersState(emulator).users.values()].map(userModel) }));

	emulator.route('GET', '/api/v1/users/{idOrEmail}', (req) => {
		const u = find(usersState(emulator), req.params.idOrEmail);
		return u ? { status: 200, body: userModel(u) } : userNotFound();
	});

	/**
	 * CreateUser with an admin key (the emulator's keys are an admin's): Email checked
	 * (422 "Email is missing" / "Invalid email"), an administrator needs `unrestricted`
	 * (403), passwords of at least 6 characters (Hosting/Startup.cs), a taken e-mail
	 * is 422 on Email (DuplicateUserName); users created by an admin are approved; 201.
	 */
	emulator.route(
		'POST',
		'/api/v1/users',
		(req) => {
			const state = usersState(emulator);
			const body = (req.body ?? {}) as Json;
			const email = typeof body.email === 'string' ? body.email : null;
			if (email === null) return validationError({ path: 'Email', message: 'Email is missing' }, { path: 'Email', message: 'Invalid email' });
			if (!MAILBOX_RE.test(email)) return validationError({ path: 'Email', message: 'Invalid email' });
			const key = req.apiKey;
			const isAdmin = !!key && emulator.hasPermission(key, 'btcpay.server.canmodifyserversettings') && key.permissions.includes('unrestricted');
			if (body.isAdministrator === true && !isAdmin) {
				return { status: 403, body: { code: 'missing-permission', message: 'Insufficient API Permissions. Please use an API key with permission: unrestricted and be an admin.', missingPermission: 'unrestricted' } };
			}
			// PoliciesSettings.DisableNonAdminCreateUserApi: a non-admin key needs btcpay.server.cancreateuser
			if (!isAdmin && !(key && emulator.hasPermission(key, 'btcpay.server.cancreateuser'))) {
				return { status: 403, body: { code: 'missing-permission', message: 'Insufficient API Permissions. Please use an API key with permission "btcpay.server.cancreateuser".', missingPermission: 'btcpay.server.cancreateuser' } };
			}
			if (typeof body.password === 'string' && body.password !== '' && body.password.length < 6) return validationError({ path: 'Password', message: 'Passwords must be at least 6 characters.' });
			if (find(state, email)) return validationError({ path: 'Email', message: `Username '${email}' is already taken.` });
			const user: UserRecord = {
				id: base58Id(16),
				email,
				name: typeof body.name === 'string' ? body.name : null,
				imageUrl: typeof body.imageUrl === 'string' ? body.imageUrl : null,
				created: emulator.now(),
				roles: body.isAdministrator === true ? ['ServerAdmin'] : [],
				approved: isAdmin,
				requiresApproval: state.policies.requiresUserApproval,
				disabled: false,
			};
			state.users.set(user.id, user);
			return { status: 201, body: userModel(user) };
		},
		{ permissions: [] },
	);

	// UserService.SetDisabled: locking sets a lockout end, unlocking clears it; no error for the same state
	emulator.route(
		'POST',
		'/api/v1/users/{idOrEmail}/lock',
		(req) => {
			const u = find(usersState(emulator), req.params.idOrEmail);
			if (!u) return userNotFound();
			u.disabled = (req.body as Json | undefined)?.locked === true;
			return { status: 200 };
		},
		SERVER_ADMIN,
	);

	// ApproveUser: only for a user who RequiresApproval; the same state again → 400 invalid-state
	emulator.route(
		'POST',
		'/api/v1/users/{idOrEmail}/approve',
		(req) => {
			const u = find(usersState(emulator), req.params.idOrEmail);
			if (!u) return userNotFound();
			const approved = (req.body as Json | undefined)?.approved === true;
			if (!u.requiresApproval) return { status: 400, body: { code: 'invalid-state', message: `${approved ? 'Approving' : 'Unapproving'} user failed: No approval required` } };
			if (u.approved === approved) return { status: 400, body: { code: 'invalid-state', message: `User is already ${approved ? 'approved' : 'unapproved'}` } };
			u.approved = approved;
			return { status: 200 };
		},
		SERVER_ADMIN,
	);

	const notificationModel = (n: NotificationRecord): Json => ({ ...n });
	const notificationNotFound = () => notFound('notification-not-found', 'The notification was not found');

	emulator.route('GET', '/api/v1/users/me/notifications', (req) => {
		const seen = req.query.get('seen');
		const stores = req.query.getAll('storeId');
		const skip = Number(req.query.get('skip') ?? 0) || 0;
		const take = req.query.has('take') ? Number(req.query.get('take')) : undefined;
		const list = usersState(emulator)
			.notifications.filter((n) => (seen === null ? true : n.seen === (seen === 'true')))
			.filter((n) => !stores.length || (n.storeId !== null && stores.includes(n.storeId)))
			.sort((a, b) => b.createdTime - a.createdTime);
		return { status: 200, body: list.slice(skip, take === undefined ? undefined : skip + take).map(notificationModel) };
	}, { permissions: ['btcpay.user.canviewnotificationsforuser'] });

	emulator.route('GET', '/api/v1/users/me/notifications/{id}', (req) => {
		const n = usersState(emulator).notifications.find((x) => x.id === req.params.id);
		return n ? { status: 200, body: notificationModel(n) } : notificationNotFound();
	}, { permissions: ['btcpay.user.canviewnotificationsforuser'] });

	// NotificationManager.ToggleSeen: `seen` sets it; null toggles
	emulator.route('PUT', '/api/v1/users/me/notifications/{id}', (req) => {
		const n = usersState(emulator).notifications.find((x) => x.id === req.params.id);
		if (!n) return notificationNotFound();
		const seen = (req.body as Json | undefined)?.seen;
		n.seen = typeof seen === 'boolean' ? seen : !n.seen;
		return { status: 200, body: notificationModel(n) };
	});

	// DeleteNotification: 200 whether or not it existed
	emulator.route('DELETE', '/api/v1/users/me/notifications/{id}', (req) => {
		const state = usersState(emulator);
		state.notifications = state.notifications.filter((x) => x.id !== req.params.id);
		return { status: 200 };
	});

	// GetStoreUsers: Policies.CanViewStoreSettings in the controller (the spec names canmodifystoresettings)
	emulator.route(
		'GET',
		'/api/v1/stores/{storeId}/users',
		(req) => {
			const state = usersState(emulator);
			const body = [...storeUsersOf(emulator, req.params.storeId).entries()]
				.map(([userId, role]) => {
					const u = state.users.get(userId);
					// deprecated `userId` and `role` are still written (AdditionalData)
					return u ? { ...userModel(u), storeRole: role, userId, role } : undefined;
				})
				.filter(Boolean);
			return { status: 200, body };
		},
		{ permissions: ['btcpay.store.canviewstoresettings'] },
	);

	const addOrUpdate = (req: { params: Record<string, string>; body: unknown }, update: boolean): EmulatorResponse => {
		const state = usersState(emulator);
		const body = (req.body ?? {}) as Json;
		const storeRole = (body.storeRole ?? body.role) as string | undefined;
		const ref = update ? req.params.idOrEmail : ((body.id ?? body.userId) as string | undefined);
		const u = ref ? find(state, ref) : undefined;
		if (!u) return userNotFound();
		let role: string | undefined;
		if (storeRole != null) {
			role = resolveRole(String(storeRole));
			if (!role) return validationError({ path: 'StoreRole', message: 'The role id provided does not exist' });
		}
		const members = storeUsersOf(emulator, req.params.storeId);
		// no role: StoreRepository.GetDefaultRole (PoliciesSettings.DefaultRole, else Owner)
		const assigned = role ?? 'Owner';
		if (!update) {
			// AddStoreUser: false when the user is already in the store
			if (members.has(u.id)) return { status: 409, body: { code: 'duplicate-store-user-role', message: 'The user is already added to the store' } };
			members.set(u.id, assigned);
			return { status: 200 };
		}
		// AddOrUpdateStoreUser: the last owner cannot become something else
		const owners = [...members.entries()].filter(([, r]) => r === 'Owner').map(([id]) => id);
		if (members.get(u.id) === 'Owner' && assigned !== 'Owner' && owners.length === 1) {
			return { status: 409, body: { code: 'store-user-role-orphaned', message: 'Removing this user would result in the store having no owner.' } };
		}
		members.set(u.id, assigned);
		return { status: 200 };
	};
	emulator.route('POST', '/api/v1/stores/{storeId}/users', (req) => addOrUpdate(req, false));
	emulator.route('PUT', '/api/v1/stores/{storeId}/users/{idOrEmail}', (req) => addOrUpdate(req, true));

	// RemoveStoreUser: the last owner stays (409 store-user-role-orphaned); a user not in the store: 200
	emulator.route('DELETE', '/api/v1/stores/{storeId}/users/{idOrEmail}', (req) => {
		const u = find(usersState(emulator), req.params.idOrEmail);
		if (!u) return userNotFound();
		const members = storeUsersOf(emulator, req.params.storeId);
		const owners = [...members.entries()].filter(([, r]) => r === 'Owner');
		if (members.get(u.id) === 'Owner' && owners.length === 1) return { status: 409, body: { code: 'store-user-role-orphaned', message: 'Removing this user would result in the store having no owner.' } };
		members.delete(u.id);
		return { status: 200 };
	});

}
