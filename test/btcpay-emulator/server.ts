/**
 * BTCPay Server Greenfield emulator: a node:http server on 127.0.0.1 with
 * in-memory state. Every request and response is checked against the
 * official OpenAPI files (see openapi.ts); problems are recorded in
 * `violations` (tests assert there are none). Route handlers live per
 * resource in routes/<resource>.ts and register through routes/index.ts.
 *
 * Test hooks: injected latency, forced error responses per route (429 with
 * Retry-After, 5xx...), request log, max concurrent requests seen, and API
 * keys with permissions so 401/403 answers can be tested. These are invented
 * for tests (a real server has none of them); see README.md.
 *
 * State changes publish events (`publish`), which routes/webhooks.ts turns into
 * deliveries like BTCPay's WebhookProviderHostedService. Time-driven changes
 * (invoice expiry, like BTCPay's InvoiceWatcher) run in `tick()`: before every
 * request, on `setClock`, and whenever a test calls `tick()`.
 */
import * as http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { GreenfieldSpec, greenfieldSpec, templateToRegex, type SpecOperation } from './openapi';

export type Json = Record<string, unknown>;

export interface ApiKeyRecord {
	apiKey: string;
	label: string;
	/** e.g. `btcpay.store.canviewinvoices` (all stores) or `btcpay.store.canviewinvoices:<storeId>`; `unrestricted` allows all. */
	permissions: string[];
}

export interface EmulatorRequest {
	method: string;
	path: string;
	params: Record<string, string>;
	query: URLSearchParams;
	body: unknown;
	headers: http.IncomingHttpHeaders;
	apiKey?: ApiKeyRecord;
	/** The documented operation (undefined for emulator-only routes). */
	operation?: SpecOperation;
}

export interface EmulatorResponse {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export type RouteHandler = (req: EmulatorRequest, emulator: BtcPayEmulator) => EmulatorResponse | Promise<EmulatorResponse>;

export interface RouteOptions {
	/** Skip authentication (the spec marks anonymous routes itself; this is for emulator-only routes). */
	anonymous?: boolean;
	/** The permission must be unscoped (store creation). */
	unscoped?: boolean;
	/** Override the permissions taken from the spec. */
	permissions?: string[];
}

interface Route {
	method: string;
	template: string;
	regex: RegExp;
	paramNames: string[];
	handler: RouteHandler;
	options: RouteOptions;
}

export interface ForcedError {
	method?: string;
	/** Exact path, path template (`/api/v1/stores/{storeId}/invoices`) or RegExp matched against the path. */
	path?: string | RegExp;
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** How many matching requests get this answer (default 1; Infinity for always). */
	times?: number;
}

export interface RequestLogEntry {
	method: string;
	path: string;
	query: string;
	status: number;
	/** Authorization header with the key replaced by its label. */
	auth: string | undefined;
	body: unknown;
	startedAt: number;
	durationMs: number;
}

export interface Violation {
	kind: 'request' | 'response' | 'route';
	method: string;
	path: string;
	status?: number;
	problems: string[];
}

export interface EmulatorOptions {
	/** Delay before every answer, ms (default 0). */
	latencyMs?: number;
	port?: number;
	/** Extra keys; a default unrestricted key `emulator.apiKey` always exists. */
	apiKeys?: Array<{ apiKey?: string; label?: string; permissions: string[] }>;
	/** Whether the spec validation runs (default true). */
	validate?: boolean;
	/** Keep the request log (default true; benches may turn it off). */
	log?: boolean;
	/**
	 * Emulator-only: factor applied to BTCPay's webhook retry delays (10 s, 1 min,
	 * 6 × 10 min) and its 100 s answer timeout (default 1: real time). Tests use
	 * e.g. 0.001 (10 ms, 60 ms, 600 ms; 100 ms timeout).
	 */
	webhookTimeScale?: number;
	/**
	 * Emulator-only: factor applied to the 100 s answer timeout alone (default: webhookTimeScale).
	 * A timeout is a network error that BTCPay retries, so a timeout scaled to 100 ms
	 * turns a receiver that a loaded machine answers late into redeliveries; tests of
	 * the retry schedule scale the delays down and keep the timeout at seconds.
	 */
	webhookTimeoutScale?: number;
}

/** A state change, published to subscribers (routes/webhooks.ts builds deliveries from it). */
export interface EmulatorEvent {
	/** Webhook event type, e.g. InvoiceCreated. */
	type: string;
	storeId: string;
	/**
	 * The payload fields beyond the WebhookEvent base ones, in BTCPay's serialization
	 * order: `before` (the event class's own unordered properties, which
	 * Newtonsoft writes first) and `after` (storeId comes between, then the
	 * [JsonProperty(Order = n)] ones such as invoiceId, metadata).
	 */
	before?: Json;
	after?: Json;
}

/** Permissions that include others (BTCPay's policy tree, BTCPayServer.Client Permission.PolicyMap). */
export const IMPLIED_PERMISSIONS: Record<string, string[]> = {
	'btcpay.store.canmodifystoresettings': [
		'btcpay.store.canmanagepullpayments',
		'btcpay.store.canmodifyinvoices',
		'btcpay.store.canviewstoresettings',
		'btcpay.store.webhooks.canmodifywebhooks',
		'btcpay.store.canmodifypaymentrequests',
		'btcpay.store.canmanagepayouts',
		'btcpay.store.canuselightningnode',
		// Plugins/Subscriptions/SubscriptionsPlugin.cs AddPolicies: CanModifyOfferings includedByPermissions CanModifyStoreSettings.
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
	// SubscriptionsPlugin.cs: CanModifyOfferings includes the view, manage-subscribers and credit policies.
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

function expand(permission: string, into: Set<string>): void {
	if (into.has(permission)) return;
	into.add(permission);
	for (const child of IMPLIED_PERMISSIONS[permission] ?? []) expand(child, into);
}

/** Random base58 ID like BTCPay's (store IDs: 32 bytes, others: 16). */
export function base58Id(bytes = 16): string {
	const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
	let n = BigInt(`0x${randomBytes(bytes).toString('hex')}`);
	let out = '';
	while (n > 0n) {
		out = alphabet[Number(n % 58n)] + out;
		n /= 58n;
	}
	return out.padStart(bytes === 32 ? 44 : 22, '1');
}

export class BtcPayEmulator {
	readonly spec: GreenfieldSpec;
	/** Unrestricted key accepted by every route. */
	readonly apiKey: string;
	readonly apiKeys = new Map<string, ApiKeyRecord>();
	readonly violations: Violation[] = [];
	readonly requestLog: RequestLogEntry[] = [];
	/** Per-resource in-memory state, owned by the route modules (e.g. state.stores). */
	readonly state: Record<string, unknown> = {};
	latencyMs: number;
	maxConcurrent = 0;
	inFlight = 0;
	requestCount = 0;
	url = '';

	private readonly routes: Route[] = [];
	private readonly forced: Array<ForcedError & { remaining: number }> = [];
	private readonly server: http.Server;
	private readonly options: EmulatorOptions;
	private clock?: () => number;
	private readonly subscribers: Array<(event: EmulatorEvent) => void> = [];
	private readonly watchers: Array<() => void> = [];
	private readonly closers: Array<() => void> = [];
	private readonly owners = new Map<string, (id: string) => string | undefined>();
	/** SqlStoreScopeProvider caches each found owner for 10 minutes (sliding) in IMemoryCache. */
	private readonly ownerCache = new Map<string, { storeId: string; until: number }>();
	private storeExists: (storeId: string) => boolean = () => true;
	private ticking = false;
	/** See EmulatorOptions.webhookTimeScale. */
	webhookTimeScale: number;
	/** See EmulatorOptions.webhookTimeoutScale. */
	webhookTimeoutScale: number;

	constructor(options: EmulatorOptions = {}) {
		this.options = options;
		this.spec = greenfieldSpec();
		this.latencyMs = options.latencyMs ?? 0;
		this.webhookTimeScale = options.webhookTimeScale ?? 1;
		this.webhookTimeoutScale = options.webhookTimeoutScale ?? this.webhookTimeScale;
		this.apiKey = this.addApiKey({ label: 'emulator', permissions: ['unrestricted'] }).apiKey;
		for (const key of options.apiKeys ?? []) this.addApiKey(key);
		this.server = http.createServer((req, res) => void this.handle(req, res));
		this.server.keepAliveTimeout = 1000;
	}

	/** Registers a route; `template` uses `{param}` segments like the spec. */
	route(method: string, template: string, handler: RouteHandler, options: RouteOptions = {}): void {
		const { regex, paramNames } = templateToRegex(template);
		this.routes.push({ method: method.toUpperCase(), template, regex, paramNames, handler, options });
	}

	addApiKey(key: { apiKey?: string; label?: string; permissions: string[] }): ApiKeyRecord {
		const record: ApiKeyRecord = {
			apiKey: key.apiKey ?? randomBytes(20).toString('hex'),
			label: key.label ?? 'test key',
			permissions: key.permissions,
		};
		this.apiKeys.set(record.apiKey, record);
		return record;
	}

	/** Answers the next matching request(s) with the given status instead of the handler. */
	failNext(error: ForcedError): void {
		this.forced.push({ ...error, remaining: error.times ?? 1 });
	}

	clearForcedErrors(): void {
		this.forced.length = 0;
	}

	/** Unix seconds used by handlers (overridable for expiry tests). */
	now(): number {
		return this.clock ? this.clock() : Math.floor(Date.now() / 1000);
	}

	/** Replaces the clock (unix seconds); time-driven changes (expiry) run at once. */
	setClock(clock: (() => number) | undefined): void {
		this.clock = clock;
		this.tick();
	}

	/** Publishes a state change to every subscriber (webhook sender). */
	publish(event: EmulatorEvent): void {
		for (const subscriber of this.subscribers) subscriber(event);
	}

	subscribe(subscriber: (event: EmulatorEvent) => void): void {
		this.subscribers.push(subscriber);
	}

	/** Registers a time-driven check (e.g. invoice expiry), run by tick(). */
	addWatcher(watcher: () => void): void {
		this.watchers.push(watcher);
	}

	/**
	 * Runs the time-driven checks now (BTCPay's InvoiceWatcher wakes up at each
	 * invoice's expiration and monitoring deadline; the emulator checks before
	 * every request, on setClock, and when a test calls tick()).
	 */
	tick(): void {
		if (this.ticking) return;
		this.ticking = true;
		try {
			for (const watcher of this.watchers) watcher();
		} finally {
			this.ticking = false;
		}
	}

	/** Called by close() (the webhook sender stops its queues). */
	onClose(fn: () => void): void {
		this.closers.push(fn);
	}

	/**
	 * Route value whose object belongs to a store (`invoiceId`, `payoutId`...), for
	 * the store scope of the permission check; see dispatch().
	 */
	registerOwner(routeValue: string, ownerOf: (id: string) => string | undefined): void {
		this.owners.set(routeValue, ownerOf);
	}

	setStoreExists(exists: (storeId: string) => boolean): void {
		this.storeExists = exists;
	}

	resetStats(): void {
		this.maxConcurrent = 0;
		this.requestCount = 0;
		this.requestLog.length = 0;
	}

	/** Does `key` hold `permission` for `storeId` (or, with no store, for at least one store / unscoped)? */
	hasPermission(key: ApiKeyRecord, permission: string, storeId?: string, unscoped = false): boolean {
		if (key.permissions.includes('unrestricted')) return true;
		for (const granted of key.permissions) {
			const [base, scope] = granted.split(':');
			const all = new Set<string>();
			expand(base, all);
			if (!all.has(permission)) continue;
			if (!scope) return true;
			if (unscoped) continue;
			if (storeId === undefined || scope === storeId) return true;
		}
		return false;
	}

	/** Store IDs a key may use `permission` on (undefined: all). */
	storeScope(key: ApiKeyRecord, permission: string): Set<string> | undefined {
		if (this.hasPermission(key, permission, undefined, true)) return undefined;
		const stores = new Set<string>();
		for (const granted of key.permissions) {
			const [base, scope] = granted.split(':');
			const all = new Set<string>();
			expand(base, all);
			if (scope && all.has(permission)) stores.add(scope);
		}
		return stores;
	}

	async listen(): Promise<this> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
		});
		const { port } = this.server.address() as AddressInfo;
		this.url = `http://127.0.0.1:${port}`;
		return this;
	}

	async close(): Promise<void> {
		for (const fn of this.closers) fn();
		this.server.closeAllConnections?.();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	/** Throws when any request or response did not match the OpenAPI spec. */
	assertNoViolations(): void {
		if (this.violations.length) {
			const lines = this.violations.slice(0, 20).map((v) => `${v.kind} ${v.method} ${v.path}${v.status ? ` ${v.status}` : ''}: ${v.problems.join('; ')}`);
			throw new Error(`OpenAPI violations (${this.violations.length}):\n${lines.join('\n')}`);
		}
	}

	private findRoute(method: string, pathname: string): { route: Route; params: Record<string, string> } | undefined {
		let best: { route: Route; params: Record<string, string>; literal: number } | undefined;
		for (const route of this.routes) {
			if (route.method !== method) continue;
			const m = route.regex.exec(pathname);
			if (!m) continue;
			const params: Record<string, string> = {};
			route.paramNames.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
			const literal = route.template.replace(/\{[^}]+\}/g, '').length;
			if (!best || literal > best.literal) best = { route, params, literal };
		}
		return best && { route: best.route, params: best.params };
	}

	private takeForced(method: string, pathname: string, route?: Route): ForcedError | undefined {
		for (const f of this.forced) {
			if (f.remaining <= 0) continue;
			if (f.method && f.method.toUpperCase() !== method) continue;
			if (f.path !== undefined) {
				const match =
					f.path instanceof RegExp ? f.path.test(pathname) : f.path === pathname || (route !== undefined && f.path === route.template);
				if (!match) continue;
			}
			f.remaining--;
			return f;
		}
		return undefined;
	}

	private record(v: Violation): void {
		this.violations.push(v);
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		this.inFlight++;
		this.requestCount++;
		this.maxConcurrent = Math.max(this.maxConcurrent, this.inFlight);
		const startedAt = Date.now();
		const method = (req.method ?? 'GET').toUpperCase();
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const pathname = url.pathname;
		let bodyText = '';
		let response: EmulatorResponse;
		let auth: string | undefined;
		let parsedBody: unknown;
		try {
			for await (const chunk of req) bodyText += chunk;
			if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
			parsedBody = bodyText ? safeJson(bodyText) : undefined;
			const result = await this.dispatch(method, pathname, url.searchParams, parsedBody, req.headers, bodyText);
			response = result.response;
			auth = result.auth;
		} catch (error) {
			response = { status: 500, body: { code: 'emulator-error', message: (error as Error).message } };
		}
		const headers: Record<string, string> = { ...(response.headers ?? {}) };
		let payload = '';
		if (response.body !== undefined) {
			payload = JSON.stringify(response.body, null, 2);
			headers['content-type'] ??= 'application/json; charset=utf-8';
		}
		res.writeHead(response.status, headers);
		res.end(payload);
		this.inFlight--;
		if (this.options.log !== false) {
			this.requestLog.push({
				method,
				path: pathname,
				query: url.search,
				status: response.status,
				auth,
				body: parsedBody,
				startedAt,
				durationMs: Date.now() - startedAt,
			});
		}
	}

	private async dispatch(
		method: string,
		pathname: string,
		query: URLSearchParams,
		body: unknown,
		headers: http.IncomingHttpHeaders,
		bodyText: string,
	): Promise<{ response: EmulatorResponse; auth?: string }> {
		this.tick();
		const found = this.findRoute(method, pathname);
		const documented = this.spec.find(method, pathname);
		const validate = this.options.validate !== false;

		// Request validation against the spec.
		if (validate) {
			if (!documented) {
				this.record({ kind: 'route', method, path: pathname, problems: ['no documented OpenAPI operation matches this request'] });
			} else {
				const problems = this.spec.checkQuery(documented.op, query);
				if (bodyText && body === INVALID_JSON) problems.push('request body is not JSON');
				else if (documented.op.requestBodyPointer && body !== undefined) {
					const fn = this.spec.validator(documented.op.requestBodyPointer);
					if (!fn(body)) problems.push(...GreenfieldSpec.describe(fn).map((p) => `body ${p}`));
				} else if (documented.op.requestBodyRequired && body === undefined) {
					problems.push('request body is required');
				} else if (!documented.op.requestBodyPointer && body !== undefined && bodyText.trim() !== '') {
					problems.push('request body sent to an operation that documents none');
				}
				if (problems.length) this.record({ kind: 'request', method, path: pathname, problems });
			}
		}

		// Authentication and permissions.
		const header = headers.authorization;
		const token = typeof header === 'string' ? /^(?:token|bearer)\s+(.+)$/i.exec(header.trim())?.[1] : undefined;
		const key = token ? this.apiKeys.get(token) : undefined;
		const auth = header ? (key ? `token <${key.label}>` : 'token <unknown>') : undefined;
		const anonymous = found?.route.options.anonymous ?? documented?.op.anonymous ?? false;

		const forced = this.takeForced(method, pathname, found?.route);
		if (forced) {
			const response: EmulatorResponse = { status: forced.status, body: forced.body ?? defaultErrorBody(forced.status), headers: forced.headers };
			return { response: this.checkResponse(method, pathname, documented?.op, response), auth };
		}
		if (!found) {
			return { response: { status: 404, body: { code: 'not-found', message: `No emulated route for ${method} ${pathname}` } }, auth };
		}
		const request: EmulatorRequest = { method, path: pathname, params: found.params, query, body, headers, apiKey: key, operation: documented?.op };
		if (!anonymous) {
			if (!key) {
				return {
					response: this.checkResponse(method, pathname, documented?.op, {
						status: 401,
						body: { code: 'unauthenticated', message: 'Authentication is required for accessing this endpoint' },
					}),
					auth,
				};
			}
			const required = found.route.options.permissions ?? documented?.op.permissions ?? [];
			const forbidden = (permission: string) => ({
				response: this.checkResponse(method, pathname, documented?.op, {
					status: 403,
					// GreenfieldAuthenticationHandler.HandleForbiddenAsync writes GreenfieldPermissionAPIError(policy)
					// (BTCPayServer.Client/Models/GreenfieldPermissionAPIError.cs) for any failed authorization.
					body: {
						code: 'missing-permission',
						message: `Insufficient API Permissions. Please use an API key with permission "${permission}". You can create an API key in your account's settings / Api Keys.`,
						missingPermission: permission,
					},
				}),
				auth,
			});
			const storePolicy = required.find((p) => p.startsWith('btcpay.store.'));
			let storeId: string | undefined = found.params.storeId;
			if (storePolicy && !found.route.options.unscoped) {
				// BTCPayServer/Security/BuiltInPermissionScopeProvider.cs (SqlStoreScopeProvider): the scope is
				// the route's storeId; each of appId, paymentRequestId, pullPaymentId, payoutId, invoiceId,
				// webhookId in the route is looked up to its owning store. An id that is not found, or that
				// belongs to another store than the route's, fails the authorization (403) before any action
				// runs, so neither `store-not-found` nor a 404 for an unknown id reaches the client.
				for (const [routeValue, ownerOf] of this.owners) {
					const id = found.params[routeValue];
					if (id === undefined) continue;
					const cacheKey = `${routeValue}-${id}`;
					const cached = this.ownerCache.get(cacheKey);
					const owner = cached && cached.until > this.now() ? cached.storeId : ownerOf(id);
					if (owner !== undefined) this.ownerCache.set(cacheKey, { storeId: owner, until: this.now() + 600 });
					if (owner === undefined && storeId === undefined) return forbidden(storePolicy);
					storeId ??= owner;
					if (owner !== storeId) return forbidden(storePolicy);
				}
				// BTCPayServer/Security/BuiltInPermissionHandler.cs: a scoped store policy needs the store
				// (StoreRepository.FindStore); none → Fail → 403, even for an unrestricted key of an admin.
				if (storeId !== undefined && !this.storeExists(storeId)) return forbidden(storePolicy);
			}
			for (const permission of required) {
				if (!this.hasPermission(key, permission, storeId, found.route.options.unscoped)) return forbidden(permission);
			}
		}
		if (body === INVALID_JSON) {
			return { response: { status: 422, body: [{ path: '', message: 'Invalid JSON' }] }, auth };
		}
		const response = await found.route.handler(request, this);
		return { response: this.checkResponse(method, pathname, documented?.op, response), auth };
	}

	private checkResponse(method: string, pathname: string, op: SpecOperation | undefined, response: EmulatorResponse): EmulatorResponse {
		if (!op || this.options.validate === false) return response;
		const status = String(response.status);
		const documented = status in op.responses ? op.responses[status] : undefined;
		if (documented === undefined) {
			// Greenfield answers 401/403/404/422/429/5xx on every route even where the spec omits them;
			// an undocumented success status is a real mismatch.
			if (response.status < 400 && !('default' in op.responses)) {
				this.record({ kind: 'response', method, path: pathname, status: response.status, problems: [`status ${status} is not documented for ${op.template}`] });
			}
			return response;
		}
		if (documented && response.body !== undefined) {
			const fn = this.spec.validator(documented);
			if (!fn(response.body)) {
				this.record({ kind: 'response', method, path: pathname, status: response.status, problems: GreenfieldSpec.describe(fn) });
			}
		}
		return response;
	}
}

const INVALID_JSON = Symbol('invalid json');

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return INVALID_JSON;
	}
}

function defaultErrorBody(status: number): unknown {
	if (status === 429) return { code: 'rate-limited', message: 'Too many requests' };
	if (status >= 500) return { code: 'server-error', message: 'Internal server error' };
	if (status === 422) return [{ path: 'Amount', message: 'forced validation error' }];
	if (status === 404) return { code: 'not-found', message: 'Not found' };
	if (status === 403) return { code: 'missing-permission', message: 'Forbidden', missingPermission: 'btcpay.store.canviewinvoices' };
	if (status === 401) return { code: 'unauthenticated', message: 'Authentication is required for accessing this endpoint' };
	return { code: 'error', message: `Forced ${status}` };
}

/** A Greenfield 422 answer. */
export function validationError(...errors: Array<{ path: string; message: string }>): EmulatorResponse {
	return { status: 422, body: errors };
}

/** A Greenfield 404 answer with its code (`invoice-not-found`, `payment-not-found`...). */
export function notFound(code: string, message: string): EmulatorResponse {
	return { status: 404, body: { code, message } };
}
