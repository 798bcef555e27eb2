/**
 * The official Greenfield OpenAPI fragments (v2.4.1) merged into one document
 * (every file, subscriptions included: see normalizeComponentNames) and
 * compiled with ajv. As PROTOCOL-NOTES
 * explains, `additionalProperties: false` is relaxed for schemas that take
 * part in an `allOf` (otherwise every composed payload fails). OpenAPI 3.0
 * `nullable` is rewritten to JSON Schema.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const OPENAPI_DIR = process.env.BTCPAY_OPENAPI_DIR ?? path.resolve(__dirname, '../../../shared/reference/btcpay-greenfield-openapi');

type Json = Record<string, unknown>;
const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export interface SpecParameter {
	name: string;
	in: 'path' | 'query' | 'header' | 'cookie';
	required?: boolean;
	schema?: Json;
}

export interface SpecOperation {
	method: string;
	/** Path template as written in the spec, e.g. /api/v1/stores/{storeId}. */
	template: string;
	operationId?: string;
	parameters: SpecParameter[];
	requestBodyPointer?: string;
	requestBodyRequired: boolean;
	/** status ("200", "default") → JSON pointer of the application/json schema, or null when no body is documented. */
	responses: Record<string, string | null>;
	/** Permissions named in `security[].API_Key` (empty: anonymous or any key). */
	permissions: string[];
	anonymous: boolean;
	regex: RegExp;
	paramNames: string[];
}

function escapePointer(token: string): string {
	return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function templateToRegex(template: string): { regex: RegExp; paramNames: string[] } {
	const paramNames: string[] = [];
	const source = template
		.split('/')
		.map((part) => {
			const m = /^\{(.+)\}$/.exec(part);
			if (m) {
				paramNames.push(m[1]);
				return '([^/]+)';
			}
			return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		})
		.join('/');
	return { regex: new RegExp(`^${source}$`), paramNames };
}

function loadMerged(dir: string): Json {
	if (!fs.existsSync(dir)) {
		throw new Error(`BTCPay OpenAPI files not found in ${dir}; set BTCPAY_OPENAPI_DIR to the btcpay-greenfield-openapi folder`);
	}
	const files = fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort();
	const merged: Json = { openapi: '3.0.0', paths: {}, components: { schemas: {}, parameters: {}, securitySchemes: {} } };
	for (const file of files) {
		const doc = normalizeComponentNames(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Json);
		Object.assign(merged.paths as Json, doc.paths ?? {});
		const comps = (doc.components ?? {}) as Record<string, Json>;
		for (const kind of ['schemas', 'parameters', 'securitySchemes']) {
			Object.assign((merged.components as Record<string, Json>)[kind], comps[kind] ?? {});
		}
	}
	return merged;
}

/**
 * swagger.template.subscriptions.json (BTCPay v2.4.1,
 * BTCPayServer/wwwroot/swagger/v1/swagger.template.subscriptions.json) names a
 * component parameter `Subscriptions/Currency` and refers to it as
 * `#/components/parameters/Subscriptions/Currency`. OpenAPI 3.0 allows only
 * `^[a-zA-Z0-9.\-_]+$` as component keys, and read as a JSON pointer that ref
 * points to a nested `Subscriptions.Currency` that does not exist, so the
 * merged document neither validates as OpenAPI 3.0 nor resolves in ajv. At load
 * time such keys get `_` instead of `/` (`Subscriptions_Currency`) and every
 * `$ref` naming them is rewritten the same way; nothing else changes.
 */
export function normalizeComponentNames(doc: Json): Json {
	const components = (doc.components ?? {}) as Record<string, Json>;
	const renamed = new Map<string, string>();
	for (const [kind, entries] of Object.entries(components)) {
		if (!entries || typeof entries !== 'object') continue;
		for (const key of Object.keys(entries)) {
			if (/^[a-zA-Z0-9.\-_]+$/.test(key)) continue;
			const safe = key.replace(/[^a-zA-Z0-9.\-_]/g, '_');
			entries[safe] = entries[key];
			delete entries[key];
			renamed.set(`#/components/${kind}/${key}`, `#/components/${kind}/${safe}`);
		}
	}
	if (!renamed.size) return doc;
	const rewrite = (node: unknown): unknown => {
		if (Array.isArray(node)) return node.map(rewrite);
		if (!node || typeof node !== 'object') return node;
		const out: Json = {};
		for (const [k, v] of Object.entries(node as Json)) out[k] = k === '$ref' && typeof v === 'string' ? (renamed.get(v) ?? v) : rewrite(v);
		return out;
	};
	return rewrite(doc) as Json;
}

/**
 * Where BTCPay v2.4.1 sends what its spec does not allow, the server wins and the
 * schema is corrected at load time (each with the source that proves it):
 * - InvoicePaymentMethodDataModel.destination / currency: `Destination =
 *   prompt.Destination`, `Currency = prompt.Currency` in
 *   GreenfieldInvoiceController.ToPaymentMethodModels; a BTC-LNURL prompt has no
 *   destination until the LNURL is scanned (Payments/LNURLPay/LNURLPayPaymentHandler.cs),
 *   and a prompt without a currency sends null (BTCPayServer.Client/Models/InvoicePaymentMethodDataModel.cs
 *   declares both as plain nullable strings).
 * - GET /api/v1/stores/{storeId}/invoices takes `includeArchived` (GreenfieldInvoiceController.GetInvoices,
 *   `[FromQuery] bool includeArchived = false`), which the spec omits.
 * - POST .../invoices/{invoiceId}/unarchive answers 400 `already-unarchived` as an API error object
 *   (CreateAPIError), not the validation list the spec names.
 * - Subscriptions (BTCPayServer/Plugins/Subscriptions/Mapper.cs): a plan checkout's `subscriber` is null
 *   for a new subscriber until paid (`checkout.Subscriber is null ? null : ...`), its `invoiceId`,
 *   `successRedirectUrl` and `redirectUrl` are null before proceeding (nullable columns of
 *   PlanCheckoutData, GetRedirectUrl() returns null without a success URL); a customer's `externalId`
 *   is its nullable ExternalRef.
 */
function applyServerCorrections(doc: Json): void {
	const schemas = (doc.components as Record<string, Json>).schemas as Record<string, Json>;
	applyStoreSettingsCorrections(schemas, doc.paths as Record<string, Record<string, Json>>);
	const pm = schemas.InvoicePaymentMethodDataModel?.properties as Record<string, Json> | undefined;
	for (const field of ['destination', 'currency']) if (pm?.[field]) pm[field].nullable = true;
	const paths = doc.paths as Record<string, Record<string, Json>>;
	const list = paths['/api/v1/stores/{storeId}/invoices']?.get;
	const params = list?.parameters as Json[] | undefined;
	if (params && !params.some((p) => p.name === 'includeArchived')) {
		params.push({ name: 'includeArchived', in: 'query', required: false, description: 'Include archived invoices (default false)', schema: { type: 'boolean', default: false } });
	}
	const unarchive = (paths['/api/v1/invoices/{invoiceId}/unarchive']?.post?.responses as Record<string, Json> | undefined)?.['400'];
	if (unarchive) unarchive.content = { 'application/json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } };
	const checkout = schemas.PlanCheckoutModel?.properties as Record<string, Json> | undefined;
	for (const field of ['subscriber', 'invoiceId', 'successRedirectUrl', 'redirectUrl']) if (checkout?.[field]) checkout[field].nullable = true;
	const customer = schemas.CustomerModel?.properties as Record<string, Json> | undefined;
	if (customer?.externalId) customer.externalId.nullable = true;
}

/**
 * Payment methods, apps and rates (BTCPay v2.4.1 sends what the spec does not allow):
 * - GenericPaymentMethodData.config is a JToken (BTCPayServer.Client/Models/GenericPaymentMethodData.cs)
 *   serialized by the method's handler: the spec's `oneOf` of closed schemas plus "any object" matches
 *   every config twice (and its `additionalProperties: false` refuses all), so it is any object; in
 *   UpdatePaymentMethodConfig the three string branches make `oneOf` refuse every string: `anyOf`.
 * - Preview address items carry `index` and a null `keyPath` for policy wallets
 *   (GreenfieldStoreOnChainPaymentMethodsController.GetPreviewResultData, OnChainPaymentMethodPreviewResultData).
 * - StoreRateResult.rate is null when the pair has errors (GreenfieldStoreRatesController: `Rate = errors.Any() ? null : bid`);
 *   StoreRateConfiguration.preferredSource is null with a custom script (GreenfieldStoreRatesConfigurationController).
 * - CrowdfundAppData.perks is the parsed perk list, an array (GreenfieldAppsController.ToCrowdfundModel: `AppService.Parse`);
 *   an AppItem's description, image and buyButtonText are null when not set (the spec's own examples show
 *   `"buyButtonText": null`, `"description": null`, `"image": null`).
 * - GET /api/v1/users/me/notifications answers a list (GreenfieldNotificationsController.GetNotifications:
 *   `Ok(items.Items.Select(ToModel))`), not one NotificationData.
 * - Server info `onion` is null without Tor (GreenfieldServerInfoController: `Onion = _env.OnionUrl`).
 */
function applyStoreSettingsCorrections(schemas: Record<string, Json>, paths: Record<string, Record<string, Json>>): void {
	const item = schemas.AppItem?.properties as Record<string, Json> | undefined;
	for (const field of ['description', 'image', 'buyButtonText']) if (item?.[field]) item[field].nullable = true;
	const notifications = (paths['/api/v1/users/me/notifications']?.get?.responses as Record<string, Json> | undefined)?.['200'];
	const content = (notifications?.content as Record<string, Json> | undefined)?.['application/json'];
	if (content && (content.schema as Json).$ref) content.schema = { type: 'array', items: content.schema };
	const onion = (schemas.ApplicationServerInfoData?.properties as Record<string, Json> | undefined)?.onion;
	if (onion) onion.nullable = true;
	const generic = schemas.GenericPaymentMethodData?.properties as Record<string, Json> | undefined;
	if (generic?.config) generic.config = { description: generic.config.description, type: 'object', additionalProperties: true };
	const update = schemas.UpdatePaymentMethodConfig?.properties as Record<string, Json> | undefined;
	if (update?.config?.oneOf) {
		update.config.anyOf = update.config.oneOf;
		delete update.config.oneOf;
		delete update.config.type;
	}
	const address = schemas.OnChainPaymentMethodPreviewResultAddressItem?.properties as Record<string, Json> | undefined;
	if (address) {
		address.index = { type: 'integer', description: 'Index of the address on the deposit line' };
		if (address.keyPath) address.keyPath.nullable = true;
	}
	const rate = schemas.StoreRateResult?.properties as Record<string, Json> | undefined;
	if (rate?.rate) rate.rate.nullable = true;
	const config = schemas.StoreRateConfiguration?.properties as Record<string, Json> | undefined;
	if (config?.preferredSource) config.preferredSource.nullable = true;
	for (const part of (schemas.CrowdfundAppData?.allOf as Json[] | undefined) ?? []) {
		const perks = (part.properties as Record<string, Json> | undefined)?.perks;
		if (perks) {
			perks.type = 'array';
			perks.items = { type: 'object', additionalProperties: true };
		}
	}
}

/** Names of component schemas referenced (directly or through nested allOf) inside an allOf. */
function relaxAllOf(doc: Json): void {
	const schemas = (doc.components as Record<string, Json>).schemas as Record<string, Json>;
	const relaxed = new Set<string>();
	const relaxSchema = (schema: unknown): void => {
		if (!schema || typeof schema !== 'object') return;
		const s = schema as Json;
		if (typeof s.$ref === 'string') {
			const name = /^#\/components\/schemas\/(.+)$/.exec(s.$ref)?.[1];
			if (name && !relaxed.has(name) && schemas[name]) {
				relaxed.add(name);
				relaxSchema(schemas[name]);
			}
			return;
		}
		if (s.additionalProperties === false) delete s.additionalProperties;
		if (Array.isArray(s.allOf)) for (const member of s.allOf) relaxSchema(member);
	};
	const walk = (node: unknown): void => {
		if (!node || typeof node !== 'object') return;
		if (Array.isArray(node)) {
			node.forEach(walk);
			return;
		}
		const n = node as Json;
		if (Array.isArray(n.allOf)) {
			if (n.additionalProperties === false) delete n.additionalProperties;
			for (const member of n.allOf) relaxSchema(member);
		}
		for (const value of Object.values(n)) walk(value);
	};
	walk(doc);
}

/** OpenAPI 3.0 `nullable: true` → `anyOf: [{type: null}, schema]`. */
function rewriteNullable(node: unknown): unknown {
	if (!node || typeof node !== 'object') return node;
	if (Array.isArray(node)) return node.map(rewriteNullable);
	const n = node as Json;
	const out: Json = {};
	for (const [k, v] of Object.entries(n)) out[k] = k === 'example' || k === 'examples' ? v : rewriteNullable(v);
	// OpenAPI 3.0 boolean exclusiveMinimum/exclusiveMaximum → JSON Schema numbers.
	for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
		if (typeof out[flag] !== 'boolean') continue;
		if (out[flag] === true && typeof out[bound] === 'number') {
			out[flag] = out[bound];
			delete out[bound];
		} else delete out[flag];
	}
	if (out.nullable === true) {
		delete out.nullable;
		return { anyOf: [{ type: 'null' }, out] };
	}
	if (out.nullable === false) delete out.nullable;
	return out;
}

function collectFormats(node: unknown, into: Set<string>): void {
	if (!node || typeof node !== 'object') return;
	if (Array.isArray(node)) return node.forEach((n) => collectFormats(n, into));
	const n = node as Json;
	if (typeof n.format === 'string') into.add(n.format);
	for (const v of Object.values(n)) collectFormats(v, into);
}

export class GreenfieldSpec {
	readonly doc: Json;
	readonly operations: SpecOperation[] = [];
	private readonly ajv: Ajv;
	private readonly cache = new Map<string, ValidateFunction>();

	constructor(dir = OPENAPI_DIR) {
		const raw = loadMerged(dir);
		applyServerCorrections(raw);
		relaxAllOf(raw);
		this.doc = rewriteNullable(raw) as Json;
		this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
		addFormats(this.ajv);
		const known = new Set(['date-time', 'date', 'time', 'email', 'uri', 'url', 'uuid', 'hostname', 'ipv4', 'ipv6', 'uri-reference', 'byte', 'regex', 'duration', 'json-pointer', 'relative-json-pointer', 'uri-template', 'iri', 'iri-reference', 'idn-email', 'idn-hostname', 'password', 'binary', 'int32', 'int64', 'float', 'double']);
		this.ajv.addFormat('decimal', /^-?\d+(\.\d+)?$/);
		for (const name of ['int32', 'int64', 'float', 'double', 'seconds', 'minutes', 'days', 'binary', 'password']) this.ajv.addFormat(name, true);
		const used = new Set<string>();
		collectFormats(this.doc, used);
		for (const f of used) if (!known.has(f) && f !== 'decimal' && !['seconds', 'minutes', 'days'].includes(f)) this.ajv.addFormat(f, true);
		this.ajv.addSchema(this.doc, 'greenfield');
		this.indexOperations();
	}

	private resolveParameter(p: Json): SpecParameter {
		if (typeof p.$ref === 'string') {
			const name = p.$ref.split('/').pop() as string;
			return ((this.doc.components as Record<string, Json>).parameters[name] ?? {}) as unknown as SpecParameter;
		}
		return p as unknown as SpecParameter;
	}

	private indexOperations(): void {
		const paths = this.doc.paths as Record<string, Json>;
		for (const [template, item] of Object.entries(paths)) {
			const shared = ((item.parameters as Json[]) ?? []).map((p) => this.resolveParameter(p));
			for (const method of HTTP_METHODS) {
				const op = item[method] as Json | undefined;
				if (!op) continue;
				const base = `#/paths/${escapePointer(template)}/${method}`;
				const parameters = [...shared, ...((op.parameters as Json[]) ?? []).map((p) => this.resolveParameter(p))];
				const body = op.requestBody as Json | undefined;
				const bodyJson = (body?.content as Record<string, Json> | undefined)?.['application/json'];
				const responses: Record<string, string | null> = {};
				for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
					const content = (response.content as Record<string, Json> | undefined)?.['application/json'];
					responses[status] = content?.schema ? `${base}/responses/${escapePointer(status)}/content/application~1json/schema` : null;
				}
				const security = (op.security ?? (this.doc.security as unknown)) as Array<Record<string, string[]>> | undefined;
				const permissions = security?.flatMap((s) => s.API_Key ?? []) ?? [];
				const { regex, paramNames } = templateToRegex(template);
				this.operations.push({
					method: method.toUpperCase(),
					template,
					operationId: op.operationId as string | undefined,
					parameters,
					requestBodyPointer: bodyJson?.schema ? `${base}/requestBody/content/application~1json/schema` : undefined,
					requestBodyRequired: body?.required === true,
					responses,
					permissions,
					anonymous: Array.isArray(op.security) && op.security.length === 0,
					regex,
					paramNames,
				});
			}
		}
	}

	/**
	 * The documented operation for a concrete path. Store-nested paths that the
	 * 2.4 spec documents only in their flat form (`/api/v1/stores/{storeId}/invoices/{id}`
	 * → `/api/v1/invoices/{id}`) resolve to the flat operation.
	 */
	find(method: string, pathname: string): { op: SpecOperation; params: Record<string, string> } | undefined {
		const candidates = [pathname];
		const nested = /^\/api\/v1\/stores\/[^/]+(\/.+)$/.exec(pathname);
		if (nested) candidates.push(`/api/v1${nested[1]}`);
		for (const candidate of candidates) {
			let best: { op: SpecOperation; params: Record<string, string>; literal: number } | undefined;
			for (const op of this.operations) {
				if (op.method !== method) continue;
				const m = op.regex.exec(candidate);
				if (!m) continue;
				const params: Record<string, string> = {};
				op.paramNames.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
				const literal = op.template.replace(/\{[^}]+\}/g, '').length;
				if (!best || literal > best.literal) best = { op, params, literal };
			}
			if (best) return { op: best.op, params: best.params };
		}
		return undefined;
	}

	validator(pointer: string): ValidateFunction {
		let fn = this.cache.get(pointer);
		if (!fn) {
			fn = this.ajv.compile({ $ref: `greenfield${pointer}` });
			this.cache.set(pointer, fn);
		}
		return fn;
	}

	validatorForSchema(schema: Json): ValidateFunction {
		const key = JSON.stringify(schema);
		let fn = this.cache.get(key);
		if (!fn) {
			const rewritten = JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"greenfield#/components/')) as Json;
			fn = this.ajv.compile(rewritten);
			this.cache.set(key, fn);
		}
		return fn;
	}

	/** Human lines for ajv errors. */
	static describe(fn: ValidateFunction): string[] {
		return (fn.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
	}

	/** Validates query values against the operation's query parameters; returns problems. */
	checkQuery(op: SpecOperation, query: URLSearchParams): string[] {
		const problems: string[] = [];
		const declared = new Map(op.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
		for (const key of new Set(query.keys())) {
			const param = declared.get(key);
			if (!param) {
				problems.push(`query parameter "${key}" is not documented for ${op.method} ${op.template}`);
				continue;
			}
			if (!param.schema) continue;
			const schema = this.resolveSchema(param.schema);
			const values = query.getAll(key);
			const isArray = schema.type === 'array';
			const itemSchema = isArray ? this.resolveSchema((schema.items as Json) ?? {}) : schema;
			const coerced = values.map((v) => coerce(v, itemSchema));
			const fn = this.validatorForSchema(param.schema);
			if (isArray) {
				if (!fn(coerced)) problems.push(`query "${key}": ${GreenfieldSpec.describe(fn).join('; ')}`);
			} else {
				for (const value of coerced) if (!fn(value)) problems.push(`query "${key}"=${JSON.stringify(value)}: ${GreenfieldSpec.describe(fn).join('; ')}`);
			}
		}
		for (const param of declared.values()) {
			if (param.required && !query.has(param.name)) problems.push(`required query parameter "${param.name}" is missing`);
		}
		return problems;
	}

	private resolveSchema(schema: Json): Json {
		let s = schema;
		for (let i = 0; i < 10; i++) {
			if (typeof s.$ref === 'string') {
				const name = s.$ref.split('/').pop() as string;
				s = ((this.doc.components as Record<string, Json>).schemas[name] ?? {}) as Json;
				continue;
			}
			if (Array.isArray(s.anyOf)) {
				const nonNull = (s.anyOf as Json[]).find((a) => a.type !== 'null');
				if (nonNull) {
					s = nonNull;
					continue;
				}
			}
			if (Array.isArray(s.allOf) && !s.type && s.allOf.length === 1) {
				s = s.allOf[0] as Json;
				continue;
			}
			break;
		}
		return s;
	}
}

function coerce(value: string, schema: Json): unknown {
	if (schema.type === 'number' || schema.type === 'integer') {
		const n = Number(value);
		return value.trim() !== '' && Number.isFinite(n) ? n : value;
	}
	if (schema.type === 'boolean') {
		if (value === 'true') return true;
		if (value === 'false') return false;
	}
	return value;
}

let shared: GreenfieldSpec | undefined;
/** The spec is compiled once per process and shared by every emulator. */
export function greenfieldSpec(): GreenfieldSpec {
	shared ??= new GreenfieldSpec();
	return shared;
}
