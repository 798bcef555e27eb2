/** Stores: list, create, get, update, delete. */
import { base58Id, notFound, validationError, type BtcPayEmulator, type Json } from '../server';

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
	/** Emulator-only: payment methods enabled in the store (not part of StoreData). */
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

export const storeNotFound = () => notFound('store-not-found', 'Store not found');

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
	if (typeof body.name !== 'string' || !body.name.trim()) errors.push({ path: 'name', message: 'Name is missing' });
	else if (body.name.length > 50) errors.push({ path: 'name', message: 'Name can only contain 50 characters' });
	if (body.website != null && (typeof body.website !== 'string' || !/^https?:\/\//.test(body.website))) errors.push({ path: 'website', message: 'Website is not a valid url' });
	const exp = body.invoiceExpiration;
	if (exp !== undefined && (typeof exp !== 'number' || exp < 60 || exp > 2_073_600)) errors.push({ path: 'invoiceExpiration', message: 'InvoiceExpiration can only be between 1 and 34560 mins' });
	if (errors.length) return validationError(...errors);
	const fresh = defaults(String(body.name));
	for (const key of SETTABLE) {
		(target as Json)[key] = body[key] !== undefined ? body[key] : (fresh as Json)[key];
	}
	if (typeof target.defaultCurrency === 'string') target.defaultCurrency = target.defaultCurrency.toUpperCase();
	return undefined;
}

/** Creates a store directly in emulator state (test setup). */
export function seedStore(emulator: BtcPayEmulator, settings: Partial<StoreRecord> & { name: string }): StoreRecord {
	const store = { ...defaults(settings.name), ...settings } as StoreRecord;
	storesOf(emulator).set(store.id, store);
	return store;
}

export function register(emulator: BtcPayEmulator): void {
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
