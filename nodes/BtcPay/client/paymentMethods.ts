/**
 * Greenfield store payment methods (GreenfieldStorePaymentMethodsController.cs):
 * list, get, update (config and/or enabled), remove, the on-chain address preview
 * (Plugins/Wallets/Controllers/GreenfieldStoreOnChainPaymentMethodsController.cs),
 * and the store's Lightning addresses (GreenfieldStoreLightningAddressesController.cs).
 *
 * A Lightning connection string (`type=lnd-rest;server=…;macaroon=…`) is a
 * secret: BTCPay returns it in `config.connectionString` with includeConfig,
 * so every answer passes through `redactConnectionString` here, before any
 * caller sees it, and every error of a call that carried one is redacted too.
 *
 * Permissions: view needs btcpay.store.canviewstoresettings (the config
 * needs btcpay.store.canmodifystoresettings), changes need
 * btcpay.store.canmodifystoresettings; the Internal Node needs
 * btcpay.server.canuseinternallightningnode.
 */
import { z } from 'zod';
import type { HttpClient } from '../../shared/http';
import { InputError, mapErrorText, redact, ServiceError } from '../../shared/errors';
import { parseDecimalAmount, toScaled } from '../../shared/amounts';
import { parseInput, seg } from './schemas';
import { parseStoreId } from './stores';

/** Canonical payment method IDs of a Bitcoin-only BTCPay (v2.4.1 PaymentMethodId). */
export const PAYMENT_METHOD_IDS = ['BTC-CHAIN', 'BTC-LN', 'BTC-LNURL'] as const;
export type PaymentMethodKind = 'onchain' | 'lightning' | 'lnurl' | 'other';

/**
 * Legacy spellings the server's PaymentMethodIdModelBinder still parses
 * (BTCPayServer/Payments/PaymentMethodId.cs TryParse): `BTC` → BTC-CHAIN,
 * `BTC-LightningNetwork` / `BTC_LightningLike` → BTC-LN, `BTC-LNURLPAY` → BTC-LNURL.
 */
const LEGACY: Record<string, string> = {
	BTC: 'BTC-CHAIN',
	'BTC-ONCHAIN': 'BTC-CHAIN',
	'BTC-LIGHTNINGNETWORK': 'BTC-LN',
	BTC_LIGHTNINGLIKE: 'BTC-LN',
	'BTC-LIGHTNINGLIKE': 'BTC-LN',
	'BTC-LNURLPAY': 'BTC-LNURL',
	BTC_LNURLPAY: 'BTC-LNURL',
};

/** Normalizes a payment method ID (InputError naming `field` when it is not one). */
export function parsePaymentMethodId(value: unknown, field = 'Payment Method'): string {
	const raw = typeof value === 'string' ? value.trim() : '';
	if (!raw) throw new InputError(field, 'is required', 'BTCPay');
	const upper = raw.toUpperCase();
	const id = LEGACY[upper] ?? upper;
	if (!/^[A-Z0-9]{2,10}-(CHAIN|LN|LNURL)$/.test(id)) {
		throw new InputError(field, `"${raw}" is not a payment method ID (e.g. BTC-CHAIN, BTC-LN, BTC-LNURL)`, 'BTCPay');
	}
	return id;
}

export function paymentMethodKind(paymentMethodId: string): PaymentMethodKind {
	if (paymentMethodId.endsWith('-CHAIN')) return 'onchain';
	if (paymentMethodId.endsWith('-LNURL')) return 'lnurl';
	if (paymentMethodId.endsWith('-LN')) return 'lightning';
	return 'other';
}

const INTERNAL_NODE = 'Internal Node';
/** Parts of a connection string that are not secret and worth showing. */
const SHOWN_KEYS = new Set(['type', 'server']);

/**
 * A connection string with every value except `type` and `server` replaced
 * by `***` (and any user:password removed from the server URL), so the
 * output says which node is connected without the credentials.
 */
export function redactConnectionString(value: string): string {
	if (value.trim() === INTERNAL_NODE) return INTERNAL_NODE;
	return value
		.split(';')
		.filter((part) => part.trim() !== '')
		.map((part) => {
			const eq = part.indexOf('=');
			if (eq < 0) return '***';
			const key = part.slice(0, eq).trim();
			let shown = part.slice(eq + 1).trim();
			if (!SHOWN_KEYS.has(key.toLowerCase())) return `${key}=***`;
			if (key.toLowerCase() === 'server') shown = shown.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
			return `${key}=${shown}`;
		})
		.join(';');
}

/** The secret parts of a connection string (each value but type/server, and the whole string). */
export function connectionStringSecrets(value: string): string[] {
	const out = [value.trim()];
	for (const part of value.split(';')) {
		const eq = part.indexOf('=');
		if (eq < 0) {
			out.push(part.trim());
			continue;
		}
		const key = part.slice(0, eq).trim().toLowerCase();
		const v = part.slice(eq + 1).trim();
		if (key === 'server') {
			const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^@/]*)@/i.exec(v)?.[1];
			if (userinfo) out.push(userinfo, ...userinfo.split(':'));
		} else if (key !== 'type') out.push(v);
	}
	return out.filter((s) => s.length >= 6);
}

/** Hides the connection string in a config object (recursively safe: only the known key). */
function redactConfig(config: unknown): unknown {
	if (!config || typeof config !== 'object' || Array.isArray(config)) return config;
	const out: Record<string, unknown> = { ...(config as Record<string, unknown>) };
	if (typeof out.connectionString === 'string') out.connectionString = redactConnectionString(out.connectionString);
	return out;
}

export const paymentMethodSchema = z
	.object({
		paymentMethodId: z.string(),
		enabled: z.boolean(),
		config: z.unknown().optional(),
	})
	.passthrough()
	.transform((m) => ({ ...m, ...(m.config !== undefined ? { config: redactConfig(m.config) } : {}) }));
export type StorePaymentMethod = z.output<typeof paymentMethodSchema>;

/** What an update changes: the config (kind-specific), whether it is enabled, or both. */
export type PaymentMethodConfigInput =
	| { kind: 'lightning'; connectionString: string }
	| { kind: 'lnurl'; useBech32Scheme?: boolean; lud12Enabled?: boolean; lud21Enabled?: boolean }
	| { kind: 'onchain'; derivationScheme: string; label?: string; accountKeyPath?: string };

export interface UpdatePaymentMethodInput {
	enabled?: boolean;
	config?: PaymentMethodConfigInput;
}

/** xpub/tpub/… (optionally with NBXplorer suffixes) or an output descriptor; the server does the real parsing. */
const DERIVATION_RE = /^(?:[a-z]{1,2}pub[1-9A-HJ-NP-Za-km-z]{100,}(?:-\[[a-z0-9-]+\])*|(?:wpkh|sh|pkh|tr|wsh)\(.+\))$/;
const ACCOUNT_KEY_PATH_RE = /^[0-9a-fA-F]{8}(?:\/\d+'?)+$/;

const onchainConfigSchema = z
	.object({
		derivationScheme: z.string().trim().min(1, 'is required').regex(DERIVATION_RE, 'is not an extended public key (xpub…, tpub…, zpub…) or an output descriptor'),
		label: z.string().trim().max(100).optional(),
		accountKeyPath: z.string().trim().regex(ACCOUNT_KEY_PATH_RE, "must be a fingerprint and key path like abcd82a1/84'/0'/0'").optional(),
	})
	.strict();
const lnurlConfigSchema = z.object({ useBech32Scheme: z.boolean().optional(), lud12Enabled: z.boolean().optional(), lud21Enabled: z.boolean().optional() }).strict();
const LABELS: Record<string, string> = {
	derivationScheme: 'Derivation Scheme',
	label: 'Label',
	accountKeyPath: 'Account Key Path',
	connectionString: 'Connection String',
	useBech32Scheme: 'Use Bech32 Scheme',
	lud12Enabled: 'Allow Comments (LUD-12)',
	lud21Enabled: 'Verify URL (LUD-21)',
};

/** Checks a connection string's shape without ever echoing it (InputError naming the field). */
export function parseConnectionString(value: unknown): string {
	const raw = typeof value === 'string' ? value.trim() : '';
	if (!raw) throw new InputError('Connection String', 'is required', 'BTCPay');
	if (raw.toLowerCase() === INTERNAL_NODE.toLowerCase()) return INTERNAL_NODE;
	const keys = raw
		.split(';')
		.filter((p) => p.trim())
		.map((p) => p.slice(0, Math.max(0, p.indexOf('='))).trim().toLowerCase());
	if (keys.some((k) => !k)) throw new InputError('Connection String', 'must be key=value pairs separated by ";" (e.g. type=lnd-rest;server=https://…;macaroon=…), or "Internal Node"', 'BTCPay');
	if (!keys.includes('type')) throw new InputError('Connection String', 'has no type= (e.g. type=lnd-rest, type=clightning, type=lnbits)', 'BTCPay');
	return raw;
}

function toRequestConfig(paymentMethodId: string, config: PaymentMethodConfigInput): unknown {
	const kind = paymentMethodKind(paymentMethodId);
	if (config.kind !== kind) {
		throw new InputError('Payment Method', `${paymentMethodId} takes a ${kindLabel(kind)} configuration, not a ${kindLabel(config.kind)} one`, 'BTCPay');
	}
	if (config.kind === 'lightning') return { connectionString: parseConnectionString(config.connectionString) };
	const { kind: _kind, ...rest } = config;
	void _kind;
	if (config.kind === 'lnurl') return parseInput(lnurlConfigSchema, rest, LABELS);
	return parseInput(onchainConfigSchema, rest, LABELS);
}

function kindLabel(kind: PaymentMethodKind): string {
	return { onchain: 'on-chain (derivation scheme)', lightning: 'Lightning (connection string)', lnurl: 'LNURL', other: 'custom' }[kind];
}

/** The same error with the given secrets replaced by `***` in its message, details and hint. */
export function redactErrorWith(error: unknown, secrets: string[]): unknown {
	if (!(error instanceof ServiceError) || !secrets.length) return error;
	return mapErrorText(error, (text) => redact(text, secrets));
}

export const previewAddressesSchema = z
	.object({ addresses: z.array(z.object({ keyPath: z.string().nullish(), index: z.number().optional(), address: z.string() }).passthrough()) })
	.passthrough();
export type AddressPreview = z.infer<typeof previewAddressesSchema>;

export const lightningAddressSchema = z
	.object({
		username: z.string(),
		currencyCode: z.string().nullish(),
		min: z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? v : String(v))),
		max: z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? v : String(v))),
		invoiceMetadata: z.record(z.unknown()).nullish(),
	})
	.passthrough();
export type LightningAddress = z.infer<typeof lightningAddressSchema>;

export interface LightningAddressInput {
	currencyCode?: string;
	/** Sats, decimal string. */
	min?: string | number;
	max?: string | number;
	invoiceMetadata?: Record<string, unknown>;
}

/** The part before @ of a Lightning address (what BTCPay stores, lower-cased by the server). */
export function parseLightningUsername(value: unknown, field = 'Username'): string {
	const raw = typeof value === 'string' ? value.trim() : '';
	const name = raw.includes('@') ? raw.slice(0, raw.indexOf('@')) : raw;
	if (!name) throw new InputError(field, 'is required', 'BTCPay');
	if (!/^[a-zA-Z0-9._+-]{1,64}$/.test(name)) throw new InputError(field, `"${raw}" is not a Lightning address user name (letters, digits, ".", "_", "-", "+")`, 'BTCPay');
	return name.toLowerCase();
}

export class PaymentMethodsApi {
	constructor(private readonly http: HttpClient) {}

	/** `GET /api/v1/stores/{storeId}/payment-methods`; `includeConfig` needs canmodifystoresettings. */
	async list(storeId: string, options: { onlyEnabled?: boolean; includeConfig?: boolean } = {}): Promise<StorePaymentMethod[]> {
		const id = parseStoreId(storeId);
		return this.http.request('GET', `/api/v1/stores${seg(id)}/payment-methods`, {
			query: { onlyEnabled: options.onlyEnabled || undefined, includeConfig: options.includeConfig || undefined },
			schema: z.array(paymentMethodSchema),
		});
	}

	async get(storeId: string, paymentMethodId: string, options: { includeConfig?: boolean } = {}): Promise<StorePaymentMethod> {
		const id = parseStoreId(storeId);
		const pm = parsePaymentMethodId(paymentMethodId);
		return this.http.request('GET', `/api/v1/stores${seg(id)}/payment-methods${seg(pm)}`, {
			query: { includeConfig: options.includeConfig || undefined },
			schema: paymentMethodSchema,
			resource: `The payment method ${pm} of the store`,
		});
	}

	/**
	 * `PUT …/payment-methods/{id}`: sets the config and/or enabled. BTCPay
	 * answers the method with its config when one was sent (connection
	 * string redacted here); errors never carry the connection string.
	 */
	async update(storeId: string, paymentMethodId: string, input: UpdatePaymentMethodInput): Promise<StorePaymentMethod> {
		const id = parseStoreId(storeId);
		const pm = parsePaymentMethodId(paymentMethodId);
		const secrets = input.config?.kind === 'lightning' && typeof input.config.connectionString === 'string' ? connectionStringSecrets(input.config.connectionString) : [];
		try {
			const body: Record<string, unknown> = {};
			if (input.config) body.config = toRequestConfig(pm, input.config);
			if (typeof input.enabled === 'boolean') body.enabled = input.enabled;
			if (!Object.keys(body).length) throw new InputError('Update Fields', 'set a configuration or Enabled', 'BTCPay');
			return await this.http.request('PUT', `/api/v1/stores${seg(id)}/payment-methods${seg(pm)}`, {
				json: body,
				schema: paymentMethodSchema,
				resource: `The payment method ${pm} of the store`,
			});
		} catch (error) {
			throw redactErrorWith(error, secrets);
		}
	}

	/** `DELETE …/payment-methods/{id}`: removes the config (200 also when there was none). */
	async remove(storeId: string, paymentMethodId: string): Promise<void> {
		const id = parseStoreId(storeId);
		const pm = parsePaymentMethodId(paymentMethodId);
		await this.http.request('DELETE', `/api/v1/stores${seg(id)}/payment-methods${seg(pm)}`, { resource: `The payment method ${pm} of the store` });
	}

	/**
	 * Addresses of the store's on-chain wallet (`GET …/wallet/preview`, needs
	 * btcpay.store.canviewwallet) or of a proposed derivation scheme
	 * (`POST …/wallet/preview` with `{config: <scheme>}`, the UpdatePaymentMethodRequest
	 * the server reads, not the spec's `{derivationScheme}`; needs
	 * btcpay.store.canmanagewalletsettings). BTCPay's loop runs `i = offset; i < count`
	 * (GreenfieldStoreOnChainPaymentMethodsController.GetPreviewResultData), so its
	 * `count` is the end index: `count` here is how many, sent as offset + count.
	 */
	async previewAddresses(storeId: string, paymentMethodId: string, options: { derivationScheme?: string; offset?: number; count?: number } = {}): Promise<AddressPreview> {
		const id = parseStoreId(storeId);
		const pm = parsePaymentMethodId(paymentMethodId);
		if (paymentMethodKind(pm) !== 'onchain') throw new InputError('Payment Method', `${pm} is not an on-chain payment method (use e.g. BTC-CHAIN)`, 'BTCPay');
		for (const [field, v] of [['Offset', options.offset], ['Count', options.count]] as const) {
			if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new InputError(field, 'must be a whole number, 0 or more', 'BTCPay');
		}
		const offset = options.offset ?? 0;
		const query = { offset, count: offset + (options.count ?? 10) };
		const path = `/api/v1/stores${seg(id)}/payment-methods${seg(pm)}/wallet/preview`;
		if (options.derivationScheme === undefined) return this.http.request('GET', path, { query, schema: previewAddressesSchema, resource: `The on-chain wallet ${pm} of the store` });
		const { derivationScheme } = parseInput(onchainConfigSchema.pick({ derivationScheme: true }), { derivationScheme: options.derivationScheme }, LABELS);
		return this.http.request('POST', path, { query, json: { config: derivationScheme }, schema: previewAddressesSchema, resource: `The on-chain wallet ${pm} of the store` });
	}

	async listLightningAddresses(storeId: string): Promise<LightningAddress[]> {
		const id = parseStoreId(storeId);
		return this.http.request('GET', `/api/v1/stores${seg(id)}/lightning-addresses`, { schema: z.array(lightningAddressSchema) });
	}

	async getLightningAddress(storeId: string, username: string): Promise<LightningAddress> {
		const id = parseStoreId(storeId);
		const name = parseLightningUsername(username);
		return this.http.request('GET', `/api/v1/stores${seg(id)}/lightning-addresses${seg(name)}`, { schema: lightningAddressSchema, resource: `The Lightning address "${name}"` });
	}

	/**
	 * `POST …/lightning-addresses/{username}`: creates it, or replaces it when the
	 * store has it already (400 `username-already-used` when another store has it).
	 */
	async setLightningAddress(storeId: string, username: string, input: LightningAddressInput = {}): Promise<LightningAddress> {
		const id = parseStoreId(storeId);
		const name = parseLightningUsername(username);
		const body: Record<string, unknown> = {};
		if (input.currencyCode !== undefined && input.currencyCode !== '') {
			const code = String(input.currencyCode).trim().toUpperCase();
			if (!/^[A-Z]{3,5}$/.test(code)) throw new InputError('Currency', `"${input.currencyCode}" is not a currency code (e.g. USD, EUR, BTC, SATS)`, 'BTCPay');
			body.currencyCode = code;
		}
		for (const [key, label] of [['min', 'Min'], ['max', 'Max']] as const) {
			const v = input[key];
			if (v !== undefined && v !== '') body[key] = parseDecimalAmount(v, label, { maxDecimals: 8 });
		}
		if (body.min !== undefined && body.max !== undefined && toScaled(String(body.min), 8) > toScaled(String(body.max), 8)) throw new InputError('Min', 'must not be above Max', 'BTCPay');
		if (input.invoiceMetadata !== undefined) body.invoiceMetadata = input.invoiceMetadata;
		return this.http.request('POST', `/api/v1/stores${seg(id)}/lightning-addresses${seg(name)}`, { json: body, schema: lightningAddressSchema, resource: `The Lightning address "${name}"` });
	}

	/** `DELETE …/lightning-addresses/{username}` (404 only when another store has it). */
	async removeLightningAddress(storeId: string, username: string): Promise<void> {
		const id = parseStoreId(storeId);
		const name = parseLightningUsername(username);
		await this.http.request('DELETE', `/api/v1/stores${seg(id)}/lightning-addresses${seg(name)}`, { resource: `The Lightning address "${name}"` });
	}
}
