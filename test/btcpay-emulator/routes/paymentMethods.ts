/**
 * Store payment methods (BTCPayServer/Controllers/GreenField/GreenfieldStorePaymentMethodsController.cs),
 * the on-chain address preview (Plugins/Wallets/Controllers/GreenfieldStoreOnChainPaymentMethodsController.cs)
 * and the store's Lightning addresses (Controllers/GreenField/GreenfieldStoreLightningAddressesController.cs,
 * Controllers/LightningAddressService.cs).
 *
 * The configured methods live here; which are enabled stays in stores.ts
 * (storePaymentMethods), which invoices read, so enabling or removing a
 * method changes what new invoices offer, as in BTCPay (StoreBlob excluded methods).
 */
import { createHash } from 'node:crypto';
import type { BtcPayEmulator, EmulatorRequest, EmulatorResponse, Json } from '../server';
import { notFound, validationError } from '../server';
import { setStorePaymentMethods, storePaymentMethods } from './stores';

/** Handlers of a Bitcoin-only server (PaymentMethodHandlerDictionary): BTC-CHAIN, BTC-LN, BTC-LNURL. */
const HANDLERS = ['BTC-CHAIN', 'BTC-LN', 'BTC-LNURL'];

/** Payments/PaymentMethodId.cs TryParse: legacy ids still bind. */
const LEGACY: Record<string, string> = { BTC: 'BTC-CHAIN', 'BTC-LIGHTNINGNETWORK': 'BTC-LN', BTC_LIGHTNINGLIKE: 'BTC-LN', 'BTC-LNURLPAY': 'BTC-LNURL' };
function bindId(raw: string): string {
	const upper = raw.toUpperCase();
	return LEGACY[upper] ?? upper;
}

/** Default configs of the emulator's stores (a hot wallet and an external LND). */
const DEFAULT_CONFIG: Record<string, Json> = {
	'BTC-CHAIN': { derivationScheme: 'tpubDDx5KbS4GKCE1Y6o3QzrqScHwCv8CmobLBmKs4pGZc88XqbQVmhq7d1HV2GFm5S7Hw4WM1N9aHdmwU4rHbvH6SNWrqtFgU5qfxAR8g8tUXr', label: null, accountKeyPath: null },
	'BTC-LN': { connectionString: 'type=lnd-rest;server=https://lnd.emulator.test:8080/;macaroon=0201036c6e640258030a10b3e4e9f1d9b7c3e1d4a5b6c7d8e9f00112001a160a0761646472657373120472656164120577726974651a130a04696e666f120472656164120577726974651a170a08696e766f69636573120472656164120577726974651a210a086d616361726f6f6e120867656e6572617465120472656164120577726974651a160a076d657373616765120472656164120577726974651a170a086f6666636861696e120472656164120577726974651a160a076f6e636861696e120472656164120577726974651a140a057065657273120472656164120577726974651a180a067369676e6572120867656e6572617465120472656164000006205b7e6b1f2f3f4f5f6f7f8f9fafbfcfdfeff00112233445566778899aabbccdd' },
	'BTC-LNURL': { useBech32Scheme: false, lud12Enabled: true, lud21Enabled: true },
};

function configs(emulator: BtcPayEmulator, storeId: string): Map<string, Json> {
	const all = ((emulator.state.paymentMethodConfigs as Map<string, Map<string, Json>> | undefined) ??= new Map()) as Map<string, Map<string, Json>>;
	let store = all.get(storeId);
	if (!store) {
		store = new Map();
		all.set(storeId, store);
	}
	// a method enabled through setStorePaymentMethods (test setup) is a configured one
	for (const id of storePaymentMethods(emulator, storeId)) if (!store.has(id) && DEFAULT_CONFIG[id]) store.set(id, { ...DEFAULT_CONFIG[id] });
	return store;
}

function setEnabled(emulator: BtcPayEmulator, storeId: string, id: string, enabled: boolean): void {
	const current = storePaymentMethods(emulator, storeId).filter((m) => m !== id);
	setStorePaymentMethods(emulator, storeId, enabled ? [...current, id] : current);
}

/** Excluded = configured but not enabled (StoreBlob.GetExcludedPaymentMethods). */
function model(emulator: BtcPayEmulator, storeId: string, id: string, config: Json, includeConfig: boolean): Json {
	// GenericPaymentMethodData: Config has DefaultValueHandling.Ignore, so it is absent without includeConfig.
	return { enabled: storePaymentMethods(emulator, storeId).includes(id), ...(includeConfig ? { config } : {}), paymentMethodId: id };
}

const missingPermission = (permission: string, message?: string): EmulatorResponse => ({
	status: 403,
	body: {
		code: 'missing-permission',
		message: message ?? `Insufficient API Permissions. Please use an API key with permission "${permission}". You can create an API key in your account's settings / Api Keys.`,
		missingPermission: permission,
	},
});

const paymentMethodNotFound = () => notFound('paymentmethod-not-found', 'The payment method is not found');

const LIGHTNING_TYPES = ['lnd-rest', 'lnd-grpc', 'clightning', 'charge', 'eclair', 'lndhub', 'lnbits', 'phoenixd', 'strike', 'blink', 'nwc', 'breez', 'cln-rest'];

/**
 * LightningLikePaymentHandler.ValidatePaymentMethodConfig: a string config
 * becomes `{connectionString}`; "Internal Node" needs
 * btcpay.server.canuseinternallightningnode (403); a connection string that
 * is not parsed: 422 on ConnectionString (the emulator always says "Invalid
 * connection string", the generic branch; BTCPay.Lightning's own parse messages
 * are not reproduced); not IsSafe (file paths, local hosts) needs
 * btcpay.server.canmodifyserversettings.
 */
function validateLightning(emulator: BtcPayEmulator, req: EmulatorRequest, config: unknown): { config?: Json; error?: EmulatorResponse } {
	const obj = typeof config === 'string' ? { connectionString: config } : (config as Json);
	const cs = typeof obj?.connectionString === 'string' ? obj.connectionString.trim() : '';
	if (cs === 'Internal Node') {
		if (!req.apiKey || !emulator.hasPermission(req.apiKey, 'btcpay.server.canuseinternallightningnode')) {
			return {
				error: missingPermission(
					'btcpay.server.canuseinternallightningnode',
					"You are not authorized to use the internal lightning node. Either add 'btcpay.server.canuseinternallightningnode' to an API Key, or allow non-admin users to use the internal lightning node in the server settings.",
				),
			};
		}
		return { config: { internalNodeRef: 'Internal Node' } };
	}
	if (!cs) return { error: validationError({ path: 'ConnectionString', message: 'The connection string or setting the internal node is required' }) };
	const pairs = new Map(
		cs
			.split(';')
			.filter((p) => p.trim())
			.map((p) => [p.slice(0, Math.max(0, p.indexOf('='))).trim().toLowerCase(), p.slice(p.indexOf('=') + 1).trim()] as const),
	);
	const type = pairs.get('type');
	if (!type || !LIGHTNING_TYPES.includes(type) || pairs.has('')) return { error: validationError({ path: 'ConnectionString', message: 'Invalid connection string' }) };
	const server = pairs.get('server') ?? '';
	let host = '';
	try {
		host = server ? new URL(server).hostname : '';
	} catch {
		return { error: validationError({ path: 'ConnectionString', message: 'Invalid connection string' }) };
	}
	const unsafe =
		['cookiefilepath', 'macaroondirectorypath', 'macaroonfilepath'].some((k) => pairs.has(k)) ||
		/^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(host) ||
		/\.(internal|local|lan)$|\.$/.test(host);
	if (unsafe && !(req.apiKey && emulator.hasPermission(req.apiKey, 'btcpay.server.canmodifyserversettings'))) {
		return {
			error: validationError({
				path: 'ConnectionString',
				message:
					"You do not have 'btcpay.server.canmodifyserversettings' rights, so the connection string should not contain 'cookiefilepath', 'macaroondirectorypath', 'macaroonfilepath', and should not point to a local ip or to a dns name ending with '.internal', '.local', '.lan' or '.'.",
			}),
		};
	}
	return { config: { connectionString: cs } };
}

/** NBXplorer derivation schemes as the emulator recognizes them (an xpub-like key, optional suffixes), or a descriptor. */
const DERIVATION_RE = /^(?:[a-z]{1,2}pub[1-9A-HJ-NP-Za-km-z]{100,}(?:-\[[a-z0-9-]+\])*|(?:wpkh|sh|pkh|tr|wsh)\(.+\))$/;

/**
 * BitcoinLikePaymentHandler.ValidatePaymentMethodConfig: a string is parsed as
 * an xpub (TryParseXpub); an object as DerivationSchemeSettings / AlternativeConfig
 * ({derivationScheme, label, accountKeyPath}); anything unparsable throws, which
 * the controller answers 422 on `config` "Invalid configuration (…)".
 */
function validateOnChain(config: unknown): { config?: Json; error?: EmulatorResponse } {
	const obj = typeof config === 'string' ? { derivationScheme: config } : (config as Json);
	const scheme = typeof obj?.derivationScheme === 'string' ? obj.derivationScheme.trim() : '';
	if (!DERIVATION_RE.test(scheme)) return { error: validationError({ path: 'config', message: 'Invalid configuration (Invalid derivation scheme)' }) };
	return { config: { derivationScheme: scheme, label: typeof obj.label === 'string' ? obj.label : null, accountKeyPath: typeof obj.accountKeyPath === 'string' ? obj.accountKeyPath : null } };
}

/** LNURLPaymentMethodConfig: UseBech32Scheme false, LUD12Enabled true, LUD21Enabled true by default; unknown properties stripped. */
function validateLnurl(config: unknown): { config?: Json; error?: EmulatorResponse } {
	if (!config || typeof config !== 'object' || Array.isArray(config)) return { error: validationError({ path: 'config', message: 'Invalid configuration (Invalid LNURLPaymentMethodConfig)' }) };
	const c = config as Json;
	return { config: { useBech32Scheme: c.useBech32Scheme === true, lud12Enabled: c.lud12Enabled !== false, lud21Enabled: c.lud21Enabled !== false } };
}

/**
 * Emulator addresses for a derivation scheme: `bcrt1q` + 38 hex-derived
 * characters of sha256(scheme/index). Not real BIP32 derivation (documented
 * simplification): the same scheme and index always give the same address.
 */
export function emulatedAddress(scheme: string, index: number): string {
	const alphabet = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
	const digest = createHash('sha256').update(`${scheme}/0/${index}`).digest();
	let out = 'bcrt1q';
	for (let i = 0; i < 38; i++) out += alphabet[digest[i % digest.length] % 32];
	return out;
}

/** GetPreviewResultData: `for (i = offset; i < count; i++)`: count is the end index. */
function preview(scheme: string, query: URLSearchParams): Json {
	const offset = Number(query.get('offset') ?? 0) || 0;
	const count = query.has('count') ? Number(query.get('count')) : 10;
	const addresses: Json[] = [];
	for (let i = offset; i < count; i++) addresses.push({ keyPath: `0/${i}`, index: i, address: emulatedAddress(scheme, i) });
	return { addresses };
}

interface LightningAddressRecord extends Json {
	storeId: string;
	username: string;
	currencyCode: string | null;
	min: string | null;
	max: string | null;
	invoiceMetadata: Json | null;
}

function addresses(emulator: BtcPayEmulator): Map<string, LightningAddressRecord> {
	return ((emulator.state.lightningAddresses as Map<string, LightningAddressRecord> | undefined) ??= new Map()) as Map<string, LightningAddressRecord>;
}

/** GreenfieldStoreLightningAddressesController.ToModel (decimals as strings, like every Greenfield decimal). */
const addressModel = (a: LightningAddressRecord): Json => ({ username: a.username, currencyCode: a.currencyCode, min: a.min, max: a.max, invoiceMetadata: a.invoiceMetadata });
const addressNotFound = () => notFound('lightning-address-not-found', 'The lightning address was not present.');
const decimalOrNull = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));

export function register(emulator: BtcPayEmulator): void {
	emulator.route('GET', '/api/v1/stores/{storeId}/payment-methods', (req) => {
		const { storeId } = req.params;
		const includeConfig = req.query.get('includeConfig') === 'true';
		// includeConfig needs CanModifyStoreSettings (CreateAPIPermissionError)
		if (includeConfig && !(req.apiKey && emulator.hasPermission(req.apiKey, 'btcpay.store.canmodifystoresettings', storeId))) return missingPermission('btcpay.store.canmodifystoresettings');
		const onlyEnabled = req.query.get('onlyEnabled') === 'true';
		const enabled = storePaymentMethods(emulator, storeId);
		const list = [...configs(emulator, storeId).entries()].filter(([id]) => !onlyEnabled || enabled.includes(id)).map(([id, config]) => model(emulator, storeId, id, config, includeConfig));
		return { status: 200, body: list };
	});

	emulator.route('GET', '/api/v1/stores/{storeId}/payment-methods/{paymentMethodId}', (req) => {
		const { storeId } = req.params;
		const id = bindId(req.params.paymentMethodId);
		const includeConfig = req.query.get('includeConfig') === 'true';
		if (includeConfig && !(req.apiKey && emulator.hasPermission(req.apiKey, 'btcpay.store.canmodifystoresettings', storeId))) return missingPermission('btcpay.store.canmodifystoresettings');
		const config = configs(emulator, storeId).get(id);
		return config ? { status: 200, body: model(emulator, storeId, id, config, includeConfig) } : paymentMethodNotFound();
	});

	emulator.route('PUT', '/api/v1/stores/{storeId}/payment-methods/{paymentMethodId}', (req) => {
		const { storeId } = req.params;
		const id = bindId(req.params.paymentMethodId);
		if (req.body === undefined || req.body === null) return validationError({ path: 'request', message: 'Missing body' });
		if (!HANDLERS.includes(id)) return paymentMethodNotFound();
		const body = req.body as Json;
		const store = configs(emulator, storeId);
		if (body.config !== undefined && body.config !== null) {
			const checked = id === 'BTC-LN' ? validateLightning(emulator, req, body.config) : id === 'BTC-CHAIN' ? validateOnChain(body.config) : validateLnurl(body.config);
			if (checked.error) return checked.error;
			store.set(id, checked.config as Json);
		}
		if (typeof body.enabled === 'boolean') setEnabled(emulator, storeId, id, body.enabled);
		// answers GetStorePaymentMethod(includeConfig: a config was sent); 404 when the method has no config
		const config = store.get(id);
		return config ? { status: 200, body: model(emulator, storeId, id, config, body.config !== undefined && body.config !== null) } : paymentMethodNotFound();
	});

	emulator.route('DELETE', '/api/v1/stores/{storeId}/payment-methods/{paymentMethodId}', (req) => {
		const { storeId } = req.params;
		const id = bindId(req.params.paymentMethodId);
		if (!HANDLERS.includes(id)) return paymentMethodNotFound();
		// no config: 200 all the same
		configs(emulator, storeId).delete(id);
		setEnabled(emulator, storeId, id, false);
		return { status: 200 };
	});

	emulator.route('GET', '/api/v1/stores/{storeId}/payment-methods/{paymentMethodId}/wallet/preview', (req) => {
		const id = bindId(req.params.paymentMethodId);
		if (!id.endsWith('-CHAIN') || !HANDLERS.includes(id)) return notFound('unknown-paymentMethodId', "This payment method id isn't set up in this BTCPay Server instance");
		const config = configs(emulator, req.params.storeId).get(id);
		if (!config) return notFound('paymentmethod-not-configured', 'The payment method is not configured');
		return { status: 200, body: preview(String(config.derivationScheme), req.query) };
	});

	emulator.route('POST', '/api/v1/stores/{storeId}/payment-methods/{paymentMethodId}/wallet/preview', (req) => {
		const id = bindId(req.params.paymentMethodId);
		const body = req.body as Json | undefined;
		if (!body) return validationError({ path: 'request', message: 'Missing body' });
		// the server reads UpdatePaymentMethodRequest: the scheme is in `config`
		if (body.config === undefined || body.config === null) return validationError({ path: 'Config', message: 'Missing config' });
		if (!id.endsWith('-CHAIN') || !HANDLERS.includes(id)) return notFound('unknown-paymentMethodId', "This payment method id isn't set up in this BTCPay Server instance");
		const checked = validateOnChain(body.config);
		if (checked.error) return checked.error;
		return { status: 200, body: preview(String((checked.config as Json).derivationScheme), req.query) };
	});

	emulator.route('GET', '/api/v1/stores/{storeId}/lightning-addresses', (req) => ({
		status: 200,
		body: [...addresses(emulator).values()].filter((a) => a.storeId === req.params.storeId).map(addressModel),
	}));

	emulator.route('GET', '/api/v1/stores/{storeId}/lightning-addresses/{username}', (req) => {
		// LightningAddressService.NormalizeUsername: lower-case
		const found = addresses(emulator).get(req.params.username.toLowerCase());
		return found && found.storeId === req.params.storeId ? { status: 200, body: addressModel(found) } : addressNotFound();
	});

	emulator.route('POST', '/api/v1/stores/{storeId}/lightning-addresses/{username}', (req) => {
		const body = (req.body ?? {}) as Json;
		const min = decimalOrNull(body.min);
		if (min !== null && !(Number(min) > 0)) return validationError({ path: 'Min', message: 'Minimum must be greater than 0 if provided.' });
		const username = req.params.username.toLowerCase();
		const existing = addresses(emulator).get(username);
		if (existing && existing.storeId !== req.params.storeId) return { status: 400, body: { code: 'username-already-used', message: 'The username is already in use by another store.' } };
		const record: LightningAddressRecord = {
			storeId: req.params.storeId,
			username,
			currencyCode: typeof body.currencyCode === 'string' ? body.currencyCode : null,
			min,
			max: decimalOrNull(body.max),
			invoiceMetadata: body.invoiceMetadata && typeof body.invoiceMetadata === 'object' ? (body.invoiceMetadata as Json) : null,
		};
		addresses(emulator).set(username, record);
		return { status: 200, body: addressModel(record) };
	});

	emulator.route('DELETE', '/api/v1/stores/{storeId}/lightning-addresses/{username}', (req) => {
		const username = req.params.username.toLowerCase();
		const existing = addresses(emulator).get(username);
		// LightningAddressService.Remove: none → true (200); another store's → false (404)
		if (!existing) return { status: 200 };
		if (existing.storeId !== req.params.storeId) return addressNotFound();
		addresses(emulator).delete(username);
		return { status: 200 };
	});
}
