/**
 * Typed BTCPay Server Greenfield API v1 client: ky + zod, no n8n imports.
 * Each resource lives in its own file and receives the shared HttpClient.
 */
import { HttpClient, type HttpClientOptions, type HttpMethod, type RequestOptions } from '../../shared/http';
import { normalizeServerUrl } from '../../shared/url';
import { InputError, ServiceError } from '../../shared/errors';
import { mapBtcPayError, OBJECT_UNREACHABLE, STORE_UNREACHABLE } from './errors';
import { keyGrants, storePathOf } from './permissions';
import { apiKeySchema } from './server';
import type { z } from 'zod';
import { StoresApi } from './stores';
import { InvoicesApi } from './invoices';
import { ServerApi } from './server';
import { WebhooksApi } from './webhooks';
import { PaymentRequestsApi } from './paymentRequests';
import { PullPaymentsApi } from './pullPayments';
import { LightningApi } from './lightning';
import { ReportsApi } from './reports';
import { SubscriptionsApi } from './subscriptions';
import { PaymentMethodsApi } from './paymentMethods';
import { AppsApi } from './apps';
import { RatesApi } from './rates';
import { NotificationsApi, StoreUsersApi, UsersApi } from './users';

export interface BtcPayClientOptions {
	url: string;
	apiKey: string;
	timeoutMs?: number;
	retries?: number;
	retryDelayMs?: number;
	/** Longest server-requested Retry-After wait honoured, ms (longer: no retry). */
	maxRetryAfterMs?: number;
	fetch?: typeof fetch;
}

/**
 * The Greenfield HTTP client. BTCPay v2.4.1 answers a store that does not exist
 * (or that the key's user cannot reach) with 403 `missing-permission`, exactly
 * like a key that lacks the permission. On such a 403 for a store route, the
 * key's own permissions (`GET /api/v1/api-keys/current`, read once per client)
 * tell the two apart: a key that holds the named permission for that store, or
 * for every store, points at the store, not at the key.
 */
export class BtcPayHttpClient extends HttpClient {
	private keyPermissions?: Promise<string[] | undefined>;

	async open<S extends z.ZodTypeAny | undefined>(method: HttpMethod, path: string, options: RequestOptions<S> = {}): Promise<Response> {
		try {
			return await super.open(method, path, options);
		} catch (error) {
			throw await this.explainForbidden(error, path);
		}
	}

	private async explainForbidden(error: unknown, path: string): Promise<unknown> {
		if (!(error instanceof ServiceError) || error.kind !== 'permission' || error.status !== 403 || !error.missingPermission) return error;
		const scoped = storePathOf(path);
		if (!scoped) return error;
		const { storeId, object } = scoped;
		const granted = await this.currentPermissions();
		if (!granted || !keyGrants(granted, error.missingPermission, storeId)) return error;
		if (object) {
			return new ServiceError(`The ${object.label} "${object.id}" was not found in the BTCPay store "${storeId}" (403 Forbidden)`, {
				kind: 'not_found',
				service: 'BTCPay',
				status: 403,
				code: OBJECT_UNREACHABLE,
				hint: `Check the ${object.label} ID and the store: BTCPay answers 403 Forbidden for an ID that does not exist or that belongs to another store.`,
			});
		}
		return new ServiceError(`The BTCPay store "${storeId}" does not exist or this API key cannot see it (403 Forbidden)`, {
			kind: 'not_found',
			service: 'BTCPay',
			status: 403,
			code: STORE_UNREACHABLE,
			hint: 'Check the store ID (pick the store from the list), and that the user who created the API key still has access to this store.',
		});
	}

	/** The key's permissions, or undefined when they cannot be read (the original 403 is kept then). */
	private currentPermissions(): Promise<string[] | undefined> {
		this.keyPermissions ??= super
			.open('GET', '/api/v1/api-keys/current', { resource: 'The API key', retry: false })
			.then(async (response) => apiKeySchema.safeParse(JSON.parse(await response.text())))
			.then((parsed) => (parsed.success ? parsed.data.permissions : undefined))
			.catch(() => undefined);
		const pending = this.keyPermissions;
		// a failed read is not cached: the next 403 asks again
		void pending.then((p) => {
			if (p === undefined && this.keyPermissions === pending) this.keyPermissions = undefined;
		});
		return pending;
	}
}

export function createBtcPayHttp(options: BtcPayClientOptions): HttpClient {
	const { baseUrl } = normalizeServerUrl(options.url);
	const apiKey = (options.apiKey ?? '').trim();
	if (!apiKey) throw new InputError('API Key', 'is empty in the BTCPay credential');
	const httpOptions: HttpClientOptions = {
		service: 'BTCPay',
		baseUrl,
		headers: { Authorization: `token ${apiKey}` },
		secrets: [apiKey],
		mapError: mapBtcPayError,
		timeoutMs: options.timeoutMs,
		retries: options.retries,
		retryDelayMs: options.retryDelayMs,
		maxRetryAfterMs: options.maxRetryAfterMs,
		fetch: options.fetch,
	};
	return new BtcPayHttpClient(httpOptions);
}

export class BtcPayClient {
	readonly http: HttpClient;
	readonly stores: StoresApi;
	readonly invoices: InvoicesApi;
	readonly server: ServerApi;
	readonly webhooks: WebhooksApi;
	readonly paymentRequests: PaymentRequestsApi;
	readonly pullPayments: PullPaymentsApi;
	readonly lightning: LightningApi;
	readonly reports: ReportsApi;
	readonly subscriptions: SubscriptionsApi;
	readonly paymentMethods: PaymentMethodsApi;
	readonly apps: AppsApi;
	readonly rates: RatesApi;
	readonly users: UsersApi;
	readonly notifications: NotificationsApi;
	readonly storeUsers: StoreUsersApi;

	constructor(options: BtcPayClientOptions) {
		this.http = createBtcPayHttp(options);
		this.stores = new StoresApi(this.http);
		this.invoices = new InvoicesApi(this.http);
		this.server = new ServerApi(this.http);
		this.webhooks = new WebhooksApi(this.http);
		this.paymentRequests = new PaymentRequestsApi(this.http);
		this.pullPayments = new PullPaymentsApi(this.http);
		this.lightning = new LightningApi(this.http);
		this.reports = new ReportsApi(this.http);
		this.subscriptions = new SubscriptionsApi(this.http);
		this.paymentMethods = new PaymentMethodsApi(this.http);
		this.apps = new AppsApi(this.http);
		this.rates = new RatesApi(this.http);
		this.users = new UsersApi(this.http);
		this.notifications = new NotificationsApi(this.http);
		this.storeUsers = new StoreUsersApi(this.http);
	}
}

export { StoresApi } from './stores';
export { InvoicesApi } from './invoices';
export { ServerApi } from './server';
export { SubscriptionsApi } from './subscriptions';
export type { Store, StoreSettings, StoreChanges } from './stores';
export type { Invoice, InvoicePaymentMethod, InvoiceStatus, InvoiceMarkStatus, CreateInvoiceInput, ListInvoicesQuery } from './invoices';
export type { Health, ApiKeyInfo } from './server';
export type { Offering, Plan, Subscriber, Credit, PlanCheckout, PortalSession, SubscriptionPhase, RecurringType } from './subscriptions';
