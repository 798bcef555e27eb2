/**
 * Stores: list, create, get, update, delete (BTCPayServer/Controllers/GreenField/GreenfieldStoresController.cs).
 * An unknown store never reaches these handlers: the authorization answers 403
 * first (server.ts dispatch, BuiltInPermissionHandler.cs).
 */
import { base58Id, validationError, type BtcPayEmulator, type EmulatorResponse, type Json } from '../server';

export interface StoreRecord extends Json {
	id: string;
	name: string;
	website: string | null;
	defaultCurrency: string;
	invoiceExpiration: number;
	monitoringExpiration: number;
	displayExpirationTimer: number;
	refundBOLT11Expiration: number;
	speedPolicy: string;
	defaultLang: string;
	paymentTolerance: number;
	anyoneCanCreateInvoice: boolean;
	archived: boolean;
	lightningAmountInSatoshi: boolean;
	lightningPrivateRouteHints: boolean;
	onChainWithLnInvoiceFallback: boolean;
	redirectAutomatically: boolean;
	showRecommendedFee: boolean;
	recommendedFeeBlockTarget: number;
	payJoinEnabled: boolean;
	lazyPaymentMethods: boolean;
	networkFeeMode: string;
}

/**
 * Payment methods enabled in each store (in BTCPay: the store's payment method
 * configs, GET /api/v1/stores/{storeId}/payment-methods). By default a store has
 * on-chain and a Lightning node, and LNURL is enabled by default with a
 * Lightning node (BTCPayServer/Payments/LNURLPay/LNURLPayPaymentHandler.cs), so
 * an invoice gets BTC-CHAIN, BTC-LN and BTC-LNURL. Tests change it with
 * setStorePaymentMethods.
 */
export const DEFAULT_STORE_PAYMENT_METHODS = ['BTC-CHAIN', 'BTC-LN', 'BTC-LNURL'];

export function storePaymentMethods(emulator: BtcPayEmulator, storeId: string): string[] {
	const map = ((emulator.state.storePaymentMethods as Map<string, string[]> | undefined) ??= new Map()) as Map<string, string[]>;
	return map.get(storeId) ?? DEFAULT_STORE_PAYMENT_METHODS;
}

/** Test setup: the payment methods a store has enabled (e.g. ['BTC-CHAIN'] for on-chain only). */
export function setStorePaymentMethods(emulator: BtcPayEmulator, storeId: string, methods: string[]): void {
	const map = ((emulator.state.storePaymentMethods as Map<string, string[]> | undefined) ??= new Map()) as Map<string, string[]>;
	map.set(storeId, [...methods]);
}

const SETTABLE = [
	'name',
	'website',
	'defaultCurrency',
	'invoiceExpiration',
	'monitoringExpiration',
	'displayExpirationTimer',
	'refundBOLT11Expiration',
	'speedPolicy',
	'defaultLang',
	'paymentTolerance',
	'anyoneCanCreateInvoice',
	'archived',
	'lightningAmountInSatoshi',
	'lightningPrivateRouteHints',
	'onChainWithLnInvoiceFallback',
	'redirectAutomatically',
	'showRecommendedFee',
	'recommendedFeeBlockTarget',
	'payJoinEnabled',
	'lazyPaymentMethods',
	'networkFeeMode',
];

export function storesOf(emulator: BtcPayEmulator): Map<string, StoreRecord> {
	return ((emulator.state.stores as Map<string, StoreRecord> | undefined) ??= new Map()) as Map<string, StoreRecord>;
}

/** The store, or undefined. */
export function findStore(emulator: BtcPayEmulator, storeId: string): StoreRecord | undefined {
	return storesOf(emulator).get(storeId);
}

/**
 * Defensive answer for a handler that finds no store. Unreachable through HTTP:
 * authorization already answered 403 (BuiltInPermissionHandler.cs: no store →
 * Fail); v2.4.1 has no `store-not-found` code.
 */
export const storeNotFound = (): EmulatorResponse => ({
	status: 403,
	body: {
		code: 'missing-permission',
		message: 'Insufficient API Permissions. Please use an API key with permission "btcpay.store.canviewstoresettings". You can create an API key in your account\'s settings / Api Keys.',
		missingPermission: 'btcpay.store.canviewstoresettings',
	},
});

function defaults(name: string): StoreRecord {
	return {
		id: base58Id(32),
		name,
		website: null,
		defaultCurrency: 'USD',
		invoiceExpiration: 900,
		monitoringExpiration: 86400,
		displayExpirationTimer: 300,
		refundBOLT11Expiration: 30,
		speedPolicy: 'MediumSpeed',
		defaultLang: 'en',
		paymentTolerance: 0,
		anyoneCanCreateInvoice: false,
		archived: false,
		lightningAmountInSatoshi: false,
		lightningPrivateRouteHints: false,
		onChainWithLnInvoiceFallback: false,
		redirectAutomatically: false,
		showRecommendedFee: true,
		recommendedFeeBlockTarget: 1,
		payJoinEnabled: false,
		lazyPaymentMethods: false,
		networkFeeMode: 'Never',
	};
}

/** Applies a Greenfield store body (PUT semantics: omitted settings go back to defaults). */
function apply(target: StoreRecord, body: Json): ReturnType<typeof validationError> | undefined {
	const errors: Array<{ path: string; message: string }> = [];
	// GreenfieldStoresController.Validate: paths are the C# property names (PascalCase).
	if (typeof body.name !== 'string' || !body.name.trim()) errors.push({ path: 'Name', message: 'Name is missing' });
	else if (body.name.length > 50) errors.push({ path: 'Name', message: 'Name can only be between 1 and 50 characters' });
	if (body.website != null && (typeof body.website !== 'string' || !/^https?:\/\//.test(body.website))) errors.push({ path: 'Website', message: 'Website is not a valid url' });
	const exp = body.invoiceExpiration;
	if (exp !== undefined && (typeof exp !== 'number' || exp < 60 || exp > 2_073_600)) errors.push({ path: 'InvoiceExpiration', message: 'InvoiceExpiration can only be between 1 and 34560 mins' });
	if (errors.length) return validationError(...errors);
	const fresh = defaults(String(body.name));
	for (const key of SETTABLE) {
		(target as Json)[key] = body[key] !== undefined ? body[key] : (fresh as Json)[key];
	}
	if (typeof target.defaultCurrency === 'string') target.defaultCurrency = target.defaultCurrency.toUpperCase();
	return undefined;
}

/** Creates a store directly in emulator state (test setup). */
export function seedStore(emulator: BtcPayEmulator, settings: Partial<StoreRecord> & { name: string }, options: { paymentMethods?: string[] } = {}): StoreRecord {
	const store = { ...defaults(settings.name), ...settings } as StoreRecord;
	storesOf(emulator).set(store.id, store);
	if (options.paymentMethods) setStorePaymentMethods(emulator, store.id, options.paymentMethods);
	return store;
}

export function register(emulator: BtcPayEmulator): void {
	emulator.setStoreExists((storeId) => storesOf(emulator).has(storeId));
	emulator.route('GET', '/api/v1/stores', (req) => {
		const scope = req.apiKey ? emulator.storeScope(req.apiKey, 'btcpay.store.canviewstoresettings') : new Set<string>();
		const list = [...storesOf(emulator).values()].filter((s) => !scope || scope.has(s.id));
		return { status: 200, body: list };
	});

	emulator.route(
		'POST',
		'/api/v1/stores',
		(req) => {
			const body = (req.body ?? {}) as Json;
			const store = defaults(String(body.name ?? ''));
			const invalid = apply(store, body);
			if (invalid) return invalid;
			storesOf(emulator).set(store.id, store);
			return { status: 200, body: store };
		},
		{ unscoped: true },
	);

	emulator.route('GET', '/api/v1/stores/{storeId}', (req) => {
		const store = findStore(emulator, req.params.storeId);
		return store ? { status: 200, body: store } : storeNotFound();
	});

	emulator.route('PUT', '/api/v1/stores/{storeId}', (req) => {
		const store = findStore(emulator, req.params.storeId);
		if (!store) return storeNotFound();
		const copy = { ...store };
		const invalid = apply(copy, (req.body ?? {}) as Json);
		if (invalid) return invalid;
		Object.assign(store, copy);
		return { status: 200, body: store };
	});

	emulator.route('DELETE', '/api/v1/stores/{storeId}', (req) => {
		if (!storesOf(emulator).delete(req.params.storeId)) return storeNotFound();
		return { status: 200 };
	});
}
