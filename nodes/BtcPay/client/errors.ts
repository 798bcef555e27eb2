import { defaultHttpError, fieldErrors, type ErrorContext } from '../../shared/http';
import { ServiceError } from '../../shared/errors';

/**
 * Our code for a 403 that BTCPay gave for a store the key holds the permission for:
 * the store does not exist or the key's user cannot reach it (see BtcPayHttpClient).
 * Not a BTCPay code: v2.4.1 has no `store-not-found`.
 */
export const STORE_UNREACHABLE = 'store-unreachable';

/**
 * Our code for the same 403 on a route naming an object of the store (invoice,
 * payout, pull payment, payment request, webhook): v2.4.1 authorizes such routes by
 * the object's owner store (Security/BuiltInPermissionScopeProvider.cs), so an ID
 * that does not exist, or belongs to another store, is 403 too, never 404.
 */
export const OBJECT_UNREACHABLE = 'object-unreachable';

/** What each Greenfield permission lets a key do, for 403 messages. */
const PERMISSION_HELP: Record<string, string> = {
	'btcpay.store.canviewinvoices': 'View invoices',
	'btcpay.store.cancreateinvoice': 'Create an invoice',
	'btcpay.store.canmodifyinvoices': 'Modify invoices',
	'btcpay.store.canviewstoresettings': 'View your stores',
	'btcpay.store.canmodifystoresettings': 'Modify your stores',
	'btcpay.store.webhooks.canmodifywebhooks': 'Modify stores webhooks',
	'btcpay.store.canviewpaymentrequests': 'View your payment requests',
	'btcpay.store.canmodifypaymentrequests': 'Modify your payment requests',
	'btcpay.store.canviewpullpayments': 'View your pull payments',
	'btcpay.store.canmanagepullpayments': 'Manage your pull payments',
	'btcpay.store.cancreatepullpayments': 'Create pull payments',
	'btcpay.store.cancreatenonapprovedpullpayments': 'Create non-approved pull payments',
	'btcpay.store.canmanagepayouts': 'Manage payouts',
	'btcpay.store.canviewpayouts': 'View payouts',
	'btcpay.store.cancreatelightninginvoice': 'Create invoices from the store Lightning node',
	'btcpay.store.canuselightningnode': 'Use the store Lightning node',
	'btcpay.store.canviewlightninginvoice': 'View invoices of the store Lightning node',
	'btcpay.server.canmodifyserversettings': 'Modify your server',
	'btcpay.user.canviewprofile': 'View your profile',
	'btcpay.store.canviewofferings': 'View your offerings',
	'btcpay.store.canmodifyofferings': 'Modify your offerings',
	'btcpay.store.canmanagesubscribers': 'Manage your subscribers',
	'btcpay.store.cancreditsubscribers': 'Credit your subscribers',
	'btcpay.server.canviewusers': 'View users',
	'btcpay.server.cancreateuser': 'Create new users',
	'btcpay.server.canmanageusers': 'Manage users',
	'btcpay.server.canuseinternallightningnode': 'Use the internal Lightning node',
	'btcpay.user.canmodifyprofile': 'Modify your profile',
	'btcpay.user.canviewnotificationsforuser': 'View your notifications',
	'btcpay.user.canmanagenotificationsforuser': 'Manage your notifications',
	unrestricted: 'Unrestricted access',
};

/** A server-wide permission: only a key of a server administrator can hold it, never scoped to a store. */
function isServerPermission(permission: string): boolean {
	return permission.startsWith('btcpay.server.') || permission === 'unrestricted';
}

/** Greenfield-specific error mapping (PROTOCOL-NOTES: 403 missingPermission, 404 codes, 422 lists). */
export function mapBtcPayError(ctx: ErrorContext): ServiceError | undefined {
	const body = (ctx.body ?? {}) as { code?: string; message?: string; missingPermission?: string };
	if (ctx.status === 403) {
		const permission = typeof body.missingPermission === 'string' ? body.missingPermission : undefined;
		const base = permission?.split(':')[0];
		const label = base ? PERMISSION_HELP[base] : undefined;
		const message = permission
			? `The BTCPay API key lacks the permission "${permission}"${label ? ` (${label})` : ''} (403 Forbidden)`
			: `The BTCPay API key is not allowed to do this (403 Forbidden)${body.message ? `: ${body.message}` : ''}`;
		return new ServiceError(message, {
			kind: 'permission',
			service: 'BTCPay',
			status: 403,
			code: body.code,
			missingPermission: permission,
			hint: permission && base && isServerPermission(base)
				? `"${permission}" is a server-wide permission: a server administrator must create the API key (Account > API Keys, with "${permission}"), then update the credential.`
				: permission
				? `In BTCPay, open Account > API Keys and create a key that includes "${permission}"${permission.includes(':') ? '' : ' for this store'}, then update the credential.`
				: 'Create an API key with the permissions listed in the package README and update the credential.',
		});
	}
	if (ctx.status === 404 && body.code === 'checkout-plan-expired') {
		return new ServiceError('The plan checkout has expired in BTCPay (404 checkout-plan-expired)', {
			kind: 'business',
			service: 'BTCPay',
			status: 404,
			code: body.code,
			hint: 'Create a new plan checkout for the customer (a checkout lasts one day unless a duration is set).',
		});
	}
	if (ctx.status === 404) {
		const what = ctx.resource ?? notFoundLabel(body.code);
		return new ServiceError(`${what} was not found in BTCPay (404${body.code ? ` ${body.code}` : ''})`, {
			kind: 'not_found',
			service: 'BTCPay',
			status: 404,
			code: body.code,
			hint: 'Check the ID and that the API key has access to this store.',
		});
	}
	if (ctx.status === 422 || (ctx.status === 400 && Array.isArray(ctx.body))) {
		const details = fieldErrors(ctx.body);
		const summary = details.length ? details.join('; ') : body.message ?? 'invalid request';
		return new ServiceError(`BTCPay rejected the request: ${summary}`, {
			kind: 'validation',
			service: 'BTCPay',
			status: ctx.status,
			details,
			hint: 'Fix the listed fields and run the node again.',
		});
	}
	if (ctx.status === 400 && body.message) {
		return new ServiceError(`BTCPay refused: ${body.message}${body.code ? ` (${body.code})` : ''}`, {
			kind: 'business',
			service: 'BTCPay',
			status: 400,
			code: body.code,
		});
	}
	return defaultHttpError(ctx);
}

function notFoundLabel(code: string | undefined): string {
	switch (code) {
		case 'invoice-not-found':
			return 'The invoice';
		case 'store-not-found':
			return 'The store';
		case 'payment-request-not-found':
			return 'The payment request';
		case 'pullpayment-not-found':
			return 'The pull payment';
		case 'payout-not-found':
			return 'The payout';
		case 'webhook-not-found':
			return 'The webhook';
		case 'offering-not-found':
			return 'The offering';
		case 'plan-not-found':
			return 'The plan';
		case 'subscriber-not-found':
			return 'The subscriber';
		case 'checkout-plan-not-found':
		case 'checkout-plan-expired':
			return 'The plan checkout';
		case 'portal-session-not-found':
			return 'The portal session';
		case 'paymentmethod-not-found':
			return 'The payment method';
		case 'lightning-address-not-found':
			return 'The Lightning address';
		case 'app-not-found':
			return 'The app';
		case 'user-not-found':
			return 'The user';
		case 'notification-not-found':
			return 'The notification';
		default:
			return 'The requested object';
	}
}
