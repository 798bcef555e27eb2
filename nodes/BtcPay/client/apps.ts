/**
 * Greenfield apps (Controllers/GreenField/GreenfieldAppsController.cs): Point of
 * Sale and Crowdfund create/get/update, any app get/delete/list, sales
 * statistics and top items. Every call needs btcpay.store.canmodifystoresettings
 * (the app's store), except GET /apps/pos|crowdfund/{id} (public data).
 *
 * BTCPay's PUT replaces the app's settings with the request (omitted
 * settings go back to their defaults, ToPointOfSaleSettings / ToCrowdfundSettings),
 * so `update` reads the app first and sends it back with the changes.
 */
import { z } from 'zod';
import type { HttpClient } from '../../shared/http';
import { InputError, ServiceError } from '../../shared/errors';
import { parseDecimalAmount } from '../../shared/amounts';
import { currencyCodeSchema, httpUrlSchema, objectIdSchema, parseInput, seg, unixSecondsInput } from './schemas';
import { parseStoreId } from './stores';

export const APP_TYPES = ['PointOfSale', 'Crowdfund'] as const;
export type AppType = (typeof APP_TYPES)[number];
const ROUTE: Record<AppType, string> = { PointOfSale: 'pos', Crowdfund: 'crowdfund' };

export const appSchema = z
	.object({
		id: z.string(),
		appName: z.string().nullish(),
		storeId: z.string().nullish(),
		created: z.number().nullish(),
		appType: z.string(),
		archived: z.boolean().nullish(),
	})
	.passthrough();
export type App = z.infer<typeof appSchema>;

export const salesStatsSchema = z
	.object({
		salesCount: z.number(),
		series: z.array(z.object({ date: z.number(), label: z.string().nullish(), salesCount: z.number() }).passthrough()),
	})
	.passthrough();
export type AppSalesStats = z.infer<typeof salesStatsSchema>;

export const topItemSchema = z
	.object({
		itemCode: z.string(),
		title: z.string().nullish(),
		salesCount: z.number(),
		total: z.union([z.string(), z.number()]).transform(String),
		totalFormatted: z.string().nullish(),
	})
	.passthrough();
export type AppTopItem = z.infer<typeof topItemSchema>;

const appName = z.string().trim().min(1, 'is required').max(50, 'must be at most 50 characters');
const stringList = z.array(z.string().trim().min(1, 'must not be empty')).min(1, 'must list at least one entry');

/** Settings of a Point of Sale app this client can set (PointOfSaleAppRequest). */
export const posSettingsSchema = z
	.object({
		appName,
		title: z.string().optional(),
		description: z.string().optional(),
		defaultView: z.enum(['Static', 'Cart', 'Light', 'Print']).optional(),
		currency: currencyCodeSchema.optional(),
		showItems: z.boolean().optional(),
		showCustomAmount: z.boolean().optional(),
		showDiscount: z.boolean().optional(),
		showSearch: z.boolean().optional(),
		showCategories: z.boolean().optional(),
		enableTips: z.boolean().optional(),
		customTipPercentages: z.array(z.number().int('must be whole percentages').min(0).max(100)).optional(),
		fixedAmountPayButtonText: z.string().optional(),
		customAmountPayButtonText: z.string().optional(),
		tipText: z.string().optional(),
		/** The item list as BTCPay's template JSON (an array of items). */
		template: z.string().optional(),
		notificationUrl: httpUrlSchema.optional(),
		redirectUrl: httpUrlSchema.optional(),
		redirectAutomatically: z.boolean().optional(),
		formId: z.string().optional(),
		htmlLang: z.string().optional(),
		archived: z.boolean().optional(),
	})
	.strict();
export type PosSettings = z.input<typeof posSettingsSchema>;

/** Settings of a Crowdfund app this client can set (CrowdfundAppRequest). */
export const crowdfundSettingsSchema = z
	.object({
		appName,
		title: z.string().optional(),
		description: z.string().trim().min(1, 'must not be empty').optional(),
		tagline: z.string().optional(),
		enabled: z.boolean().optional(),
		targetCurrency: currencyCodeSchema.optional(),
		/** Decimal string; sent as the JSON number BTCPay's model takes (a decimal, exact). */
		targetAmount: z.union([z.string(), z.number()]).optional(),
		enforceTargetAmount: z.boolean().optional(),
		startDate: unixSecondsInput.optional(),
		endDate: unixSecondsInput.optional(),
		mainImageUrl: httpUrlSchema.optional(),
		notificationUrl: httpUrlSchema.optional(),
		resetEvery: z.enum(['Never', 'Hour', 'Day', 'Month', 'Year']).optional(),
		resetEveryAmount: z.number().int('must be a whole number').min(1, 'must be at least 1').optional(),
		perksTemplate: z.string().optional(),
		displayPerksValue: z.boolean().optional(),
		displayPerksRanking: z.boolean().optional(),
		sortPerksByPopularity: z.boolean().optional(),
		soundsEnabled: z.boolean().optional(),
		animationsEnabled: z.boolean().optional(),
		sounds: stringList.optional(),
		animationColors: stringList.optional(),
		formId: z.string().optional(),
		htmlLang: z.string().optional(),
		archived: z.boolean().optional(),
	})
	.strict()
	.superRefine((v, ctx) => {
		if (v.startDate !== undefined && v.endDate !== undefined && v.endDate < v.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'must not be before the start date' });
		if (v.resetEvery && v.resetEvery !== 'Never' && v.startDate === undefined) ctx.addIssue({ code: 'custom', path: ['startDate'], message: 'is needed when the goal resets' });
	});
export type CrowdfundSettings = z.input<typeof crowdfundSettingsSchema>;

const LABELS: Record<string, string> = {
	appName: 'App Name',
	title: 'Title',
	description: 'Description',
	defaultView: 'Default View',
	currency: 'Currency',
	targetCurrency: 'Target Currency',
	targetAmount: 'Target Amount',
	startDate: 'Start Date',
	endDate: 'End Date',
	template: 'Items (Template)',
	perksTemplate: 'Perks (Template)',
	customTipPercentages: 'Custom Tip Percentages',
	notificationUrl: 'Notification URL',
	redirectUrl: 'Redirect URL',
	mainImageUrl: 'Main Image URL',
	resetEvery: 'Reset Every',
	resetEveryAmount: 'Reset Every Amount',
	sounds: 'Sounds',
	animationColors: 'Animation Colors',
};

function checkTemplate(template: string | undefined, field: string): void {
	if (template === undefined) return;
	let parsed: unknown;
	try {
		parsed = JSON.parse(template);
	} catch (error) {
		throw new InputError(field, `is not valid JSON (${(error as Error).message})`, 'BTCPay');
	}
	if (!Array.isArray(parsed)) throw new InputError(field, 'must be a JSON array of items ([{"id": "tea", "title": "Tea", "price": "2.50"}, …])', 'BTCPay');
	parsed.forEach((item, index) => {
		if (!item || typeof item !== 'object' || typeof (item as { id?: unknown }).id !== 'string' || !(item as { id: string }).id.trim()) {
			throw new InputError(`${field}[${index}]`, 'needs an "id"', 'BTCPay');
		}
	});
}

function toPosBody(settings: Partial<PosSettings>, partial: boolean): Record<string, unknown> {
	const parsed = parseInput(partial ? posSettingsSchema.partial() : posSettingsSchema, settings, LABELS) as Record<string, unknown>;
	checkTemplate(parsed.template as string | undefined, 'Items (Template)');
	return parsed;
}

function toCrowdfundBody(settings: Partial<CrowdfundSettings>, partial: boolean): Record<string, unknown> {
	const schema = partial ? crowdfundSettingsSchema.innerType().partial() : crowdfundSettingsSchema;
	const parsed = parseInput(schema, settings, LABELS) as Record<string, unknown>;
	if (parsed.targetAmount !== undefined) {
		// BTCPay's model takes a JSON number (C# decimal): sent only when the number is exactly the decimal typed
		const exact = parseDecimalAmount(parsed.targetAmount, 'Target Amount', { allowZero: true });
		const n = Number(exact);
		if (String(n) !== exact) throw new InputError('Target Amount', `${exact} has more digits than BTCPay can take exactly`, 'BTCPay');
		parsed.targetAmount = n;
	}
	checkTemplate(parsed.perksTemplate as string | undefined, 'Perks (Template)');
	return parsed;
}

/** Validates an app ID (InputError naming `field`). */
export function parseAppId(value: unknown, field = 'App'): string {
	return parseInput(z.object({ appId: objectIdSchema('app ID') }), { appId: value }, { appId: field }).appId;
}

/** Fields of a read app that are not settings (never sent back on update). */
const READ_ONLY = ['id', 'storeId', 'created', 'appType', 'items', 'perks'];

export class AppsApi {
	constructor(private readonly http: HttpClient) {}

	/**
	 * BTCPay authorizes /apps/{appId} routes by the app's store
	 * (Hosting/BTCPayServerServices.cs registers `appId` for
	 * Security/BuiltInPermissionScopeProvider.cs), so an app that does not exist
	 * is 403 `missing-permission`, like a key without the permission. The public
	 * reads (`GET /apps/pos|crowdfund/{id}`, authentication only) tell them
	 * apart: 404 there for both types means the app does not exist.
	 */
	private async explainForbidden<T>(appId: string, call: () => Promise<T>): Promise<T> {
		try {
			return await call();
		} catch (error) {
			if (!(error instanceof ServiceError) || error.kind !== 'permission' || error.status !== 403) throw error;
			for (const route of Object.values(ROUTE)) {
				const exists = await this.http
					.request('GET', `/api/v1/apps/${route}${seg(appId)}`, { retry: false })
					.then(() => true)
					.catch((e: unknown) => (e instanceof ServiceError && e.status === 404 ? false : undefined));
				if (exists !== false) throw error;
			}
			throw new ServiceError(`The app "${appId}" was not found in BTCPay (403 Forbidden)`, {
				kind: 'not_found',
				service: 'BTCPay',
				status: 403,
				code: 'object-unreachable',
				hint: 'Check the app ID (pick the app from the list): BTCPay answers 403 Forbidden for an app ID that does not exist.',
			});
		}
	}

	async createPointOfSale(storeId: string, settings: PosSettings): Promise<App> {
		const id = parseStoreId(storeId);
		return this.http.request('POST', `/api/v1/stores${seg(id)}/apps/pos`, { json: toPosBody(settings, false), schema: appSchema });
	}

	async createCrowdfund(storeId: string, settings: CrowdfundSettings): Promise<App> {
		const id = parseStoreId(storeId);
		return this.http.request('POST', `/api/v1/stores${seg(id)}/apps/crowdfund`, { json: toCrowdfundBody(settings, false), schema: appSchema });
	}

	/** Any app by ID (its base data: name, type, store). */
	async get(appId: string): Promise<App> {
		const id = parseAppId(appId);
		return this.explainForbidden(id, () => this.http.request('GET', `/api/v1/apps${seg(id)}`, { schema: appSchema, resource: `The app "${id}"` }));
	}

	/** An app with all its settings (Point of Sale items or Crowdfund perks included). */
	async getDetails(appId: string, type?: AppType): Promise<App> {
		const id = parseAppId(appId);
		const appType = type ?? toAppType((await this.get(id)).appType);
		return this.http.request('GET', `/api/v1/apps/${ROUTE[appType]}${seg(id)}`, { schema: appSchema, resource: `The ${appTypeLabel(appType)} app "${id}"` });
	}

	/** Changes the given settings and keeps the others (read, merge, PUT). */
	async update(appId: string, changes: Partial<PosSettings> | Partial<CrowdfundSettings>): Promise<App> {
		const id = parseAppId(appId);
		const base = await this.get(id);
		const type = toAppType(base.appType);
		const parsed = type === 'PointOfSale' ? toPosBody(changes as Partial<PosSettings>, true) : toCrowdfundBody(changes as Partial<CrowdfundSettings>, true);
		if (!Object.keys(parsed).length) throw new InputError('Update Fields', 'choose at least one field to change', 'BTCPay');
		const current = (await this.getDetails(id, type)) as Record<string, unknown>;
		const body: Record<string, unknown> = {};
		for (const [key, value] of Object.entries(current)) if (!READ_ONLY.includes(key) && value !== null) body[key] = value;
		// the items/perks come back parsed; BTCPay takes them as the template JSON
		if (type === 'PointOfSale' && Array.isArray(current.items)) body.template = JSON.stringify(current.items);
		if (type === 'Crowdfund' && Array.isArray(current.perks)) body.perksTemplate = JSON.stringify(current.perks);
		Object.assign(body, parsed);
		return this.http.request('PUT', `/api/v1/apps/${ROUTE[type]}${seg(id)}`, { json: body, schema: appSchema, resource: `The app "${id}"` });
	}

	async delete(appId: string): Promise<void> {
		const id = parseAppId(appId);
		await this.explainForbidden(id, () => this.http.request('DELETE', `/api/v1/apps${seg(id)}`, { resource: `The app "${id}"` }));
	}

	/** Apps of one store, or (no store) of every store the key's user can reach; archived ones included. */
	async list(storeId?: string): Promise<App[]> {
		if (storeId === undefined) return this.http.request('GET', '/api/v1/apps', { schema: z.array(appSchema) });
		const id = parseStoreId(storeId);
		return this.http.request('GET', `/api/v1/stores${seg(id)}/apps`, { schema: z.array(appSchema) });
	}

	/** Sales per day over the last `numberOfDays` days (BTCPay default 7). */
	async sales(appId: string, numberOfDays?: number): Promise<AppSalesStats> {
		const id = parseAppId(appId);
		if (numberOfDays !== undefined && (!Number.isInteger(numberOfDays) || numberOfDays < 1 || numberOfDays > 3650)) throw new InputError('Number of Days', 'must be a whole number from 1 to 3650', 'BTCPay');
		return this.explainForbidden(id, () => this.http.request('GET', `/api/v1/apps${seg(id)}/sales`, { query: { numberOfDays }, schema: salesStatsSchema, resource: `The app "${id}"` }));
	}

	/** Best-selling items, most sold first. */
	async topItems(appId: string, options: { offset?: number; count?: number } = {}): Promise<AppTopItem[]> {
		const id = parseAppId(appId);
		for (const [field, v] of [['Offset', options.offset], ['Count', options.count]] as const) {
			if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new InputError(field, 'must be a whole number, 0 or more', 'BTCPay');
		}
		return this.explainForbidden(id, () =>
			this.http.request('GET', `/api/v1/apps${seg(id)}/top-items`, { query: { offset: options.offset, count: options.count }, schema: z.array(topItemSchema), resource: `The app "${id}"` }),
		);
	}
}

export function toAppType(appType: string): AppType {
	if (appType === 'PointOfSale' || appType === 'Crowdfund') return appType;
	throw new InputError('App', `is a ${appType} app; only Point of Sale and Crowdfund apps can be read or changed here`, 'BTCPay');
}

export function appTypeLabel(type: string): string {
	return type === 'PointOfSale' ? 'Point of Sale' : type;
}
