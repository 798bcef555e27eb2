/**
 * Greenfield API key permissions: which permission a key's list grants for a
 * store, following BTCPay's implication tree (BTCPayServer.Client/Permissions.cs,
 * PermissionSet / Policies: e.g. canmodifystoresettings includes canviewinvoices).
 *
 * Used to explain a 403: BTCPay v2.4.1 answers an unknown store, or one the key
 * cannot reach, with 403 `missing-permission` (authorization runs before the store
 * lookup; there is no `store-not-found`). When the key does hold the permission
 * BTCPay names, for that store or for every store, the store is the problem.
 */

/** Permission → permissions it includes (one level; `expand` follows the chain). */
const IMPLIED: Record<string, readonly string[]> = {
	'btcpay.store.canmodifystoresettings': [
		'btcpay.store.canmanagepullpayments',
		'btcpay.store.canmodifyinvoices',
		'btcpay.store.canviewstoresettings',
		'btcpay.store.webhooks.canmodifywebhooks',
		'btcpay.store.canmodifypaymentrequests',
		'btcpay.store.canmanagepayouts',
		'btcpay.store.canuselightningnode',
		// Plugins/Subscriptions/SubscriptionsPlugin.cs: includedByPermissions CanModifyStoreSettings.
		'btcpay.store.canmodifyofferings',
		// Plugins/Wallets/WalletsPlugin.cs: CanManageWallets includedByPermissions CanModifyStoreSettings.
		'btcpay.store.canmanagewallets',
	],
	'btcpay.store.canmanagewallets': ['btcpay.store.canmanagewalletsettings', 'btcpay.store.canmanagewallettransactions'],
	'btcpay.store.canmanagewalletsettings': ['btcpay.store.canviewwallet'],
	'btcpay.store.canmanagewallettransactions': [
		'btcpay.store.cancreatetransactions',
		'btcpay.store.cansigntransactions',
		'btcpay.store.canbroadcasttransactions',
		'btcpay.store.cancanceltransactions',
	],
	'btcpay.store.cancreatetransactions': ['btcpay.store.canviewwallet'],
	'btcpay.store.cansigntransactions': ['btcpay.store.canviewwallet'],
	'btcpay.store.canbroadcasttransactions': ['btcpay.store.canviewwallet'],
	'btcpay.store.cancanceltransactions': ['btcpay.store.canviewwallet'],
	'btcpay.store.canmodifyofferings': ['btcpay.store.canviewofferings', 'btcpay.store.canmanagesubscribers', 'btcpay.store.cancreditsubscribers'],
	'btcpay.server.canmanageusers': ['btcpay.server.cancreateuser'],
	'btcpay.store.canmanagepullpayments': ['btcpay.store.cancreatepullpayments', 'btcpay.store.canarchivepullpayments'],
	'btcpay.store.cancreatepullpayments': ['btcpay.store.cancreatenonapprovedpullpayments'],
	'btcpay.store.cancreatenonapprovedpullpayments': ['btcpay.store.canviewpullpayments'],
	'btcpay.store.canmodifypaymentrequests': ['btcpay.store.canviewpaymentrequests'],
	'btcpay.user.canmodifyprofile': ['btcpay.user.canviewprofile'],
	'btcpay.store.canuselightningnode': ['btcpay.store.canviewlightninginvoice', 'btcpay.store.cancreatelightninginvoice'],
	'btcpay.user.canmanagenotificationsforuser': ['btcpay.user.canviewnotificationsforuser'],
	'btcpay.server.canmodifyserversettings': ['btcpay.server.canuseinternallightningnode', 'btcpay.server.canmanageusers'],
	'btcpay.server.canuseinternallightningnode': ['btcpay.server.cancreatelightninginvoice', 'btcpay.server.canviewlightninginvoice'],
	'btcpay.store.canmodifyinvoices': ['btcpay.store.canviewinvoices', 'btcpay.store.cancreateinvoice', 'btcpay.store.cancreatelightninginvoice'],
	'btcpay.store.canviewstoresettings': [
		'btcpay.store.canviewinvoices',
		'btcpay.store.canviewpaymentrequests',
		'btcpay.store.canviewreports',
		'btcpay.store.canviewpullpayments',
		'btcpay.store.canviewpayouts',
	],
	'btcpay.store.canmanagepayouts': ['btcpay.store.canviewpayouts'],
};

function expand(permission: string, into: Set<string>): Set<string> {
	if (into.has(permission)) return into;
	into.add(permission);
	for (const child of IMPLIED[permission] ?? []) expand(child, into);
	return into;
}

/**
 * Whether a key with `granted` (as `GET /api/v1/api-keys/current` lists them:
 * `policy` or `policy:storeId`) holds `wanted` for `storeId`.
 */
export function keyGrants(granted: readonly string[], wanted: string, storeId: string): boolean {
	const policy = wanted.split(':')[0].trim().toLowerCase();
	for (const entry of granted) {
		const at = entry.indexOf(':');
		const base = (at === -1 ? entry : entry.slice(0, at)).trim().toLowerCase();
		const scope = at === -1 ? undefined : entry.slice(at + 1);
		if (scope !== undefined && scope !== storeId) continue;
		if (base === 'unrestricted') return true;
		if (expand(base, new Set()).has(policy)) return true;
	}
	return false;
}

/**
 * Store-scoped route segments whose next segment is an object ID that BTCPay
 * authorizes by its owner store (Security/BuiltInPermissionScopeProvider.cs).
 */
const OWNED_OBJECTS: Record<string, string> = {
	invoices: 'invoice',
	payouts: 'payout',
	'pull-payments': 'pull payment',
	'payment-requests': 'payment request',
	webhooks: 'webhook',
	// Plugins/Subscriptions/SubscriptionsPlugin.cs: RouteValueToStoreIdQuery("offeringId").
	offerings: 'offering',
};

export interface StorePath {
	storeId: string;
	/** The object the route names after the store, when BTCPay checks its owner. */
	object?: { label: string; id: string };
}

function decoded(segment: string): string | undefined {
	try {
		return decodeURIComponent(segment);
	} catch {
		return undefined;
	}
}

/** The store (and owned object) of a store-scoped Greenfield path (`/api/v1/stores/{storeId}/...`). */
export function storePathOf(path: string): StorePath | undefined {
	const m = /^\/api\/v1\/stores\/([^/?#]+)(?:\/([^/?#]+)\/([^/?#]+))?/.exec(path);
	const storeId = m && decoded(m[1]);
	if (!storeId) return undefined;
	const label = m[2] ? OWNED_OBJECTS[m[2]] : undefined;
	const id = label && m[3] ? decoded(m[3]) : undefined;
	return label && id ? { storeId, object: { label, id } } : { storeId };
}

