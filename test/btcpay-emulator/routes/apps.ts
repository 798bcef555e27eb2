/**
 * Apps (BTCPayServer/Controllers/GreenField/GreenfieldAppsController.cs, Services/Apps/AppService.cs,
 * Plugins/PointOfSale/PointOfSalePlugin.cs): Point of Sale and Crowdfund create/get/update,
 * get/delete/list any app, sales statistics and top items.
 *
 * `/api/v1/apps/{appId}` routes are authorized by the app's store (Hosting/BTCPayServerServices.cs
 * registers `appId` with BuiltInPermissionScopeProvider): an unknown app is 403 there, while the
 * public reads `GET /apps/pos|crowdfund/{appId}` (authentication only) answer 404 `app-not-found`.
 */
import { base58Id, notFound, validationError, type BtcPayEmulator, type EmulatorResponse, type Json } from '../server';
import { createStoreInvoice, invoicesOf } from './invoices';
import { findStore, storesOf } from './stores';
import { fromScaled, toScaled } from '../../../nodes/shared/amounts';

export interface AppRecord {
	id: string;
	storeId: string;
	appName: string;
	appType: 'PointOfSale' | 'Crowdfund';
	created: number;
	archived: boolean;
	/** The settings as BTCPay stores them (the model's fields, items/perks as the parsed list). */
	settings: Json;
}

export function appsOf(emulator: BtcPayEmulator): Map<string, AppRecord> {
	return ((emulator.state.apps as Map<string, AppRecord> | undefined) ??= new Map()) as Map<string, AppRecord>;
}

const appNotFound = (): EmulatorResponse => notFound('app-not-found', 'The app with specified ID was not found');

/** Currencies the emulator knows (CurrencyNameTable has many more; these are the emulator's). */
const CURRENCIES = ['USD', 'EUR', 'GBP', 'CHF', 'JPY', 'KWD', 'BTC', 'SATS', 'CAD', 'AUD'];

type Problems = Array<{ path: string; message: string }>;

/** ValidateAppRequest: AppName missing or over 50 characters. */
function validateName(body: Json, problems: Problems): void {
	const name = body.appName;
	if (typeof name !== 'string' || name === '') problems.push({ path: 'AppName', message: 'App name is missing' });
	else if (name.length > 50) problems.push({ path: 'AppName', message: 'App name can only be between 1 and 50 characters' });
}

/** AppService.Parse: the template is a JSON array of items with an id; anything else throws. */
function parseTemplate(template: unknown, path: string, problems: Problems, prefix = ''): Json[] | undefined {
	if (template === undefined || template === null) return undefined;
	try {
		const parsed = JSON.parse(String(template)) as unknown;
		if (!Array.isArray(parsed) || parsed.some((i) => !i || typeof i !== 'object' || typeof (i as Json).id !== 'string')) throw new Error('Invalid template');
		return parsed.map((i: Json) => ({
			id: i.id,
			title: i.title ?? i.id,
			description: i.description ?? null,
			image: i.image ?? null,
			price: i.price === undefined || i.price === null ? null : String(i.price),
			priceType: i.priceType ?? (i.price === undefined || i.price === null ? 'Topup' : 'Fixed'),
			buyButtonText: i.buyButtonText ?? null,
			inventory: typeof i.inventory === 'number' ? i.inventory : null,
			disabled: i.disabled === true,
		}));
	} catch (error) {
		problems.push({ path, message: `${prefix}${(error as Error).message}` });
		return undefined;
	}
}

/** ToPointOfSaleSettings: every setting from the request, defaults for the omitted ones. */
function posSettings(body: Json, problems: Problems): Json {
	if (body.currency != null && !CURRENCIES.includes(String(body.currency).toUpperCase())) problems.push({ path: 'Currency', message: 'Invalid currency' });
	const items = parseTemplate(body.template, 'Template', problems);
	const views = ['Static', 'Cart', 'Light', 'Print'];
	return {
		title: body.title ?? body.appName,
		description: body.description ?? null,
		defaultView: views.find((v) => v.toLowerCase() === String(body.defaultView ?? '').toLowerCase()) ?? 'Static',
		showItems: body.showItems ?? false,
		showCustomAmount: body.showCustomAmount ?? false,
		showDiscount: body.showDiscount ?? false,
		showSearch: body.showSearch ?? false,
		showCategories: body.showCategories ?? false,
		enableTips: body.enableTips ?? false,
		currency: body.currency,
		fixedAmountPayButtonText: body.fixedAmountPayButtonText ?? 'Buy for {0}',
		customAmountPayButtonText: body.customAmountPayButtonText ?? 'Pay',
		tipText: body.tipText ?? 'Do you want to leave a tip?',
		customTipPercentages: body.customTipPercentages ?? null,
		formId: body.formId ?? null,
		notificationUrl: body.notificationUrl ?? null,
		redirectUrl: body.redirectUrl ?? null,
		htmlLang: body.htmlLang ?? null,
		htmlMetaTags: body.htmlMetaTags ?? null,
		redirectAutomatically: body.redirectAutomatically ?? null,
		items: items ?? [],
	};
}

/** Services/Apps/CrowdfundSettings.cs defaults (the sound list shortened to its first two). */
const DEFAULT_COLORS = ['#FF6138', '#FFBE53', '#2980B9', '#282741'];
const DEFAULT_SOUNDS = [
	'https://github.com/ClaudiuHKS/AdvancedQuakeSounds/tree/master/sound/AQS/dominating.wav',
	'https://github.com/ClaudiuHKS/AdvancedQuakeSounds/tree/master/sound/AQS/doublekill.wav',
];

/** ValidateCrowdfundAppRequest + ToCrowdfundSettings. */
function crowdfundSettings(body: Json, problems: Problems): Json {
	if (body.description != null && String(body.description).trim() === '') problems.push({ path: 'Description', message: 'Description cannot be empty' });
	if (body.targetCurrency != null && !CURRENCIES.includes(String(body.targetCurrency).toUpperCase())) problems.push({ path: 'TargetCurrency', message: 'Invalid currency' });
	const perks = parseTemplate(body.perksTemplate, 'PerksTemplate', problems, 'Invalid template: ');
	const resetEvery = typeof body.resetEvery === 'string' ? body.resetEvery : 'Never';
	if (resetEvery !== 'Never') {
		if (body.startDate == null) problems.push({ path: 'StartDate', message: 'A start date is needed when the goal resets every X amount of time' });
		if (typeof body.resetEveryAmount === 'number' && body.resetEveryAmount <= 0) problems.push({ path: 'ResetEveryAmount', message: 'You must reset the goal at a minimum of 1' });
	}
	const list = (v: unknown, path: string, message: string): string[] | undefined => {
		if (v === undefined || v === null) return undefined;
		const arr = Array.isArray(v) ? v.map((s) => String(s).trim()) : [];
		if (!arr.length || arr.every((s) => !s)) {
			problems.push({ path, message });
			return undefined;
		}
		return arr;
	};
	const sounds = list(body.sounds, 'Sounds', 'Sounds must be a non-empty array of non-empty strings');
	const colors = list(body.animationColors, 'AnimationColors', 'Animation colors must be a non-empty array of non-empty strings');
	if (typeof body.startDate === 'number' && typeof body.endDate === 'number' && body.startDate > body.endDate) problems.push({ path: 'EndDate', message: 'End date cannot be before start date' });
	return {
		title: typeof body.title === 'string' ? body.title.trim() : body.appName,
		description: typeof body.description === 'string' ? body.description.trim() : null,
		enabled: body.enabled ?? true,
		enforceTargetAmount: body.enforceTargetAmount ?? false,
		startDate: body.startDate ?? null,
		endDate: body.endDate ?? null,
		targetCurrency: body.targetCurrency ?? null,
		targetAmount: body.targetAmount ?? null,
		mainImageUrl: body.mainImageUrl ?? null,
		notificationUrl: body.notificationUrl ?? null,
		tagline: body.tagline ?? null,
		disqusEnabled: false,
		disqusShortname: null,
		soundsEnabled: body.soundsEnabled ?? sounds !== undefined,
		animationsEnabled: body.animationsEnabled ?? colors !== undefined,
		resetEveryAmount: body.resetEveryAmount ?? 1,
		resetEvery,
		displayPerksValue: body.displayPerksValue ?? false,
		displayPerksRanking: body.displayPerksRanking ?? false,
		sortPerksByPopularity: body.sortPerksByPopularity ?? false,
		sounds: sounds ?? DEFAULT_SOUNDS,
		animationColors: colors ?? DEFAULT_COLORS,
		htmlLang: body.htmlLang ?? null,
		htmlMetaTags: body.htmlMetaTags ?? null,
		formId: body.formId ?? null,
		perks: perks ?? [],
	};
}

/** ToModel: the base data of any app. */
const baseModel = (app: AppRecord): Json => ({ id: app.id, appName: app.appName, storeId: app.storeId, created: app.created, appType: app.appType, archived: app.archived });
const fullModel = (app: AppRecord): Json => ({ ...baseModel(app), ...app.settings });

/** AppService._paidStatuses: Settled and Processing invoices tagged `APP#<appId>` (GetAppInternalTag). */
function paidInvoicesOf(emulator: BtcPayEmulator, app: AppRecord, since?: number) {
	return [...invoicesOf(emulator).values()].filter(
		(inv) => inv.internalTags?.includes(`APP#${app.id}`) && ['Settled', 'Processing'].includes(inv.status) && (since === undefined || inv.createdTime >= since),
	);
}

const dayStart = (unix: number) => Math.floor(unix / 86_400) * 86_400;
const label = (unix: number) => new Date(unix * 1000).toLocaleDateString('en-US', { month: 'short', day: '2-digit', timeZone: 'UTC' });

/**
 * GetSalesStatswithPOSItems: one sale per invoice (the emulator's invoices carry
 * an itemCode, no cart posData), grouped by UTC day, the last numberOfDays days
 * filled with zeros, oldest first.
 */
function salesStats(emulator: BtcPayEmulator, app: AppRecord, days: number): Json {
	const now = emulator.now();
	const counts = new Map<number, number>();
	for (const inv of paidInvoicesOf(emulator, app, now - days * 86_400)) counts.set(dayStart(inv.createdTime), (counts.get(dayStart(inv.createdTime)) ?? 0) + 1);
	for (let i = 0; i < days; i++) if (!counts.has(dayStart(now - i * 86_400))) counts.set(dayStart(now - i * 86_400), 0);
	const series = [...counts.entries()].sort(([a], [b]) => a - b).map(([date, salesCount]) => ({ date, label: label(date), salesCount }));
	return { salesCount: series.reduce((s, e) => s + e.salesCount, 0), series };
}

/**
 * PointOfSalePlugin.GetItemStats: invoices in the app currency with an itemCode,
 * grouped by item (title from the app's items), total = sum of the prices,
 * most sold first. TotalFormatted is "<total> <currency>" here (DisplayFormatter
 * formats with the currency's symbol and decimals).
 */
function itemStats(emulator: BtcPayEmulator, app: AppRecord): Json[] {
	const currency = String(app.settings.currency ?? app.settings.targetCurrency ?? '').toUpperCase();
	const groups = new Map<string, { count: number; total: bigint }>();
	for (const inv of paidInvoicesOf(emulator, app)) {
		const code = inv.metadata.itemCode;
		if (typeof code !== 'string' || !code || inv.currency.toUpperCase() !== currency) continue;
		const g = groups.get(code) ?? { count: 0, total: 0n };
		g.count++;
		g.total += toScaled(inv.amount, 8);
		groups.set(code, g);
	}
	const items = ((app.settings.items ?? app.settings.perks ?? []) as Json[]).map((i) => [i.id, i.title] as const);
	return [...groups.entries()]
		.map(([itemCode, g]) => {
			const total = fromScaled(g.total, 8, true);
			return { itemCode, title: new Map(items).get(itemCode) ?? itemCode, salesCount: g.count, total, totalFormatted: `${total} ${currency}` };
		})
		.sort((a, b) => b.salesCount - a.salesCount);
}

/**
 * Emulator-only test hook: an invoice of the app for one item, as the POS page
 * creates it (internal tag APP#<appId>, metadata itemCode); pay it with payInvoice.
 */
export function createAppInvoice(emulator: BtcPayEmulator, appId: string, itemCode: string, price: string): string {
	const app = appsOf(emulator).get(appId);
	if (!app) throw new Error(`no app ${appId}`);
	const currency = String(app.settings.currency ?? app.settings.targetCurrency ?? findStore(emulator, app.storeId)?.defaultCurrency ?? 'USD');
	const response = createStoreInvoice(emulator, app.storeId, { amount: price, currency, metadata: { itemCode } }, [`APP#${app.id}`]);
	if (response.status !== 200) throw new Error(`invoice not created: ${JSON.stringify(response.body)}`);
	return String((response.body as Json).id);
}

export function register(emulator: BtcPayEmulator): void {
	emulator.registerOwner('appId', (id) => appsOf(emulator).get(id)?.storeId);

	const create = (type: AppRecord['appType']) => (req: { params: Record<string, string>; body: unknown }) => {
		const store = findStore(emulator, req.params.storeId);
		const body = { ...((req.body ?? {}) as Json) };
		// "we must have a non-null currency": the store's default when omitted
		if (type === 'PointOfSale') body.currency ??= store?.defaultCurrency;
		else body.targetCurrency ??= store?.defaultCurrency;
		const problems: Problems = [];
		validateName(body, problems);
		const settings = type === 'PointOfSale' ? posSettings(body, problems) : crowdfundSettings(body, problems);
		if (problems.length) return validationError(...problems);
		const app: AppRecord = { id: base58Id(16).slice(0, 28), storeId: req.params.storeId, appName: String(body.appName), appType: type, created: emulator.now(), archived: body.archived === true, settings };
		appsOf(emulator).set(app.id, app);
		return { status: 200, body: fullModel(app) };
	};
	emulator.route('POST', '/api/v1/stores/{storeId}/apps/pos', create('PointOfSale'));
	emulator.route('POST', '/api/v1/stores/{storeId}/apps/crowdfund', create('Crowdfund'));

	const update = (type: AppRecord['appType']) => (req: { params: Record<string, string>; body: unknown }) => {
		const app = appsOf(emulator).get(req.params.appId);
		if (!app || app.appType !== type) return appNotFound();
		const body = { ...((req.body ?? {}) as Json) };
		const problems: Problems = [];
		if (type === 'PointOfSale') body.currency ??= app.settings.currency;
		// the name is validated only when given; the settings are replaced by the request's
		if (body.appName !== undefined && body.appName !== null && body.appName !== '') validateName(body, problems);
		const settings = type === 'PointOfSale' ? posSettings({ ...body, appName: body.appName || app.appName }, problems) : crowdfundSettings({ ...body, appName: body.appName || app.appName }, problems);
		if (problems.length) return validationError(...problems);
		if (typeof body.appName === 'string' && body.appName) app.appName = body.appName;
		if (typeof body.archived === 'boolean') app.archived = body.archived;
		app.settings = settings;
		return { status: 200, body: fullModel(app) };
	};
	emulator.route('PUT', '/api/v1/apps/pos/{appId}', update('PointOfSale'));
	emulator.route('PUT', '/api/v1/apps/crowdfund/{appId}', update('Crowdfund'));

	const getTyped = (type: AppRecord['appType']) => (req: { params: Record<string, string> }) => {
		const app = appsOf(emulator).get(req.params.appId);
		return app && app.appType === type ? { status: 200, body: fullModel(app) } : appNotFound();
	};
	emulator.route('GET', '/api/v1/apps/pos/{appId}', getTyped('PointOfSale'));
	emulator.route('GET', '/api/v1/apps/crowdfund/{appId}', getTyped('Crowdfund'));

	emulator.route('GET', '/api/v1/apps/{appId}', (req) => {
		const app = appsOf(emulator).get(req.params.appId);
		return app ? { status: 200, body: baseModel(app) } : appNotFound();
	});

	emulator.route('DELETE', '/api/v1/apps/{appId}', (req) => (appsOf(emulator).delete(req.params.appId) ? { status: 200 } : appNotFound()));

	// GetAllApps(userId, includeArchived: true): the apps of the stores the key's user can modify
	emulator.route('GET', '/api/v1/apps', (req) => {
		const scope = req.apiKey ? emulator.storeScope(req.apiKey, 'btcpay.store.canmodifystoresettings') : new Set<string>();
		const stores = storesOf(emulator);
		return { status: 200, body: [...appsOf(emulator).values()].filter((a) => stores.has(a.storeId) && (!scope || scope.has(a.storeId))).map(baseModel) };
	});

	emulator.route('GET', '/api/v1/stores/{storeId}/apps', (req) => ({
		status: 200,
		body: [...appsOf(emulator).values()].filter((a) => a.storeId === req.params.storeId).map(baseModel),
	}));

	emulator.route('GET', '/api/v1/apps/{appId}/sales', (req) => {
		const app = appsOf(emulator).get(req.params.appId);
		if (!app) return appNotFound();
		const days = req.query.has('numberOfDays') ? Number(req.query.get('numberOfDays')) : 7;
		return { status: 200, body: salesStats(emulator, app, days) };
	});

	emulator.route('GET', '/api/v1/apps/{appId}/top-items', (req) => {
		const app = appsOf(emulator).get(req.params.appId);
		if (!app) return appNotFound();
		const stats = itemStats(emulator, app);
		let offset = req.query.has('offset') ? Number(req.query.get('offset')) : 0;
		const count = req.query.has('count') ? Number(req.query.get('count')) : 10;
		if (stats.length < offset) offset = stats.length;
		return { status: 200, body: stats.slice(offset, offset + Math.min(count, stats.length - offset)) };
	});
}
