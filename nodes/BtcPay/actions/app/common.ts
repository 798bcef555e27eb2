/** What the app operations share: the resource value, the app picker, the settings fields and the simplified app. */
import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyMode } from 'n8n-workflow';
import { InputError } from '../../../shared/errors';
import { appTypeLabel, parseAppId, type App } from '../../client/apps';
import { pageUrlRegex, parseList, pick, show } from '../common';
import { present } from '../format';
import { isoFromUnixSeconds } from '../../../shared/time';

export const R = 'app';

export const APP_URL_REGEX = pageUrlRegex('apps', '[A-Za-z0-9_-]+');

/** App picker: list with search (every app the key reaches), by ID, or by the app's BTCPay URL. */
export function appLocatorProperty(operations: string[]): INodeProperties {
	/* eslint-disable n8n-nodes-base/node-param-default-missing -- locator modes have no default */
	const modes: INodePropertyMode[] = [
		{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchApps', searchable: true } },
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '3ZHuRiGmAbgbAgHEnSLZPX3j5cqf',
			validation: [{ type: 'regex', properties: { regex: '^[A-Za-z0-9_-]{1,128}$', errorMessage: 'Not a valid BTCPay app ID' } }],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://btcpay.example.com/apps/3ZHuRiGmAbgbAgHEnSLZPX3j5cqf/pos',
			validation: [{ type: 'regex', properties: { regex: APP_URL_REGEX, errorMessage: 'Not a BTCPay app URL (…/apps/<app ID>/…)' } }],
			extractValue: { type: 'regex', regex: APP_URL_REGEX },
		},
	];
	/* eslint-enable n8n-nodes-base/node-param-default-missing */
	return { displayName: 'App', name: 'app', type: 'resourceLocator', default: { mode: 'list', value: '' }, required: true, modes, description: 'The Point of Sale or Crowdfund app', displayOptions: show(R, operations) };
}

/** The app ID of item `i` from the locator (any mode) or a plain string. */
export function getAppId(ctx: IExecuteFunctions, i: number): string {
	const raw = ctx.getNodeParameter('app', i, '') as unknown;
	let value = raw && typeof raw === 'object' && 'value' in (raw as IDataObject) ? (raw as IDataObject).value : raw;
	if (typeof value === 'string') {
		const fromUrl = new RegExp(APP_URL_REGEX).exec(value.trim());
		if (fromUrl) value = fromUrl[1];
	}
	return parseAppId(typeof value === 'string' ? value.trim() : value, 'App');
}

/** Settings both app types have. */
const sharedFields: INodeProperties[] = [
	{ displayName: 'Archived', name: 'archived', type: 'boolean', default: false, description: 'Whether the app is archived (hidden from the app list)' },
	{ displayName: 'Description', name: 'description', type: 'string', typeOptions: { rows: 3 }, default: '', description: 'Shown on the app page (HTML allowed)' },
	{ displayName: 'Form ID', name: 'formId', type: 'string', default: '', description: 'BTCPay form that asks the buyer for data' },
	{ displayName: 'HTML Lang', name: 'htmlLang', type: 'string', default: '', placeholder: 'en', description: 'Language of the page, for search engines' },
	{ displayName: 'Notification URL', name: 'notificationUrl', type: 'string', default: '', description: 'URL BTCPay POSTs to when an invoice of the app is paid and confirmed' },
	{ displayName: 'Title', name: 'title', type: 'string', default: '', description: 'Title shown on the app page' },
];

/** Point of Sale settings (PointOfSaleAppRequest). */
export const posFields: INodeProperties[] = [
	{ displayName: 'Currency', name: 'currency', type: 'string', default: '', placeholder: 'USD', description: "Currency of the prices; empty: the store's default currency" },
	{ displayName: 'Custom Amount Pay Button Text', name: 'customAmountPayButtonText', type: 'string', default: '', placeholder: 'Pay' },
	{ displayName: 'Custom Tip Percentages', name: 'customTipPercentages', type: 'string', default: '', placeholder: '15,18,20', description: 'Tip choices in %, comma-separated' },
	{
		displayName: 'Default View',
		name: 'defaultView',
		type: 'options',
		default: 'Static',
		options: [
			{ name: 'Cart', value: 'Cart' },
			{ name: 'Keypad (Light)', value: 'Light' },
			{ name: 'Print Display', value: 'Print' },
			{ name: 'Product List (Static)', value: 'Static' },
		],
	},
	{ displayName: 'Enable Tips', name: 'enableTips', type: 'boolean', default: false, description: 'Whether buyers may add a tip' },
	{ displayName: 'Fixed Amount Pay Button Text', name: 'fixedAmountPayButtonText', type: 'string', default: '', placeholder: 'Buy for {0}' },
	{
		displayName: 'Items (JSON)',
		name: 'template',
		type: 'json',
		default: '[]',
		description: 'The products: a JSON array of items, each with an ID, a title, a price (decimal string) and optionally an inventory',
	},
	{ displayName: 'Redirect Automatically', name: 'redirectAutomatically', type: 'boolean', default: false, description: 'Whether the buyer is sent to the Redirect URL at once after paying' },
	{ displayName: 'Redirect URL', name: 'redirectUrl', type: 'string', default: '', description: 'Where the buyer goes after paying' },
	{ displayName: 'Show Categories', name: 'showCategories', type: 'boolean', default: true },
	{ displayName: 'Show Custom Amount', name: 'showCustomAmount', type: 'boolean', default: false, description: 'Whether buyers may enter their own amount' },
	{ displayName: 'Show Discount', name: 'showDiscount', type: 'boolean', default: false },
	{ displayName: 'Show Items', name: 'showItems', type: 'boolean', default: false, description: 'Whether the keypad view shows the item list' },
	{ displayName: 'Show Search', name: 'showSearch', type: 'boolean', default: true },
	{ displayName: 'Tip Text', name: 'tipText', type: 'string', default: '', placeholder: 'Do you want to leave a tip?' },
];

/** Crowdfund settings (CrowdfundAppRequest). */
export const crowdfundFields: INodeProperties[] = [
	// eslint-disable-next-line n8n-nodes-base/node-param-color-type-unused -- a list of colours, not one colour
	{ displayName: 'Animation Colors', name: 'animationColors', type: 'string', default: '', placeholder: '#FF0000,#00FF00', description: 'Comma-separated colours of the contribution animation' },
	{ displayName: 'Animations Enabled', name: 'animationsEnabled', type: 'boolean', default: false },
	{ displayName: 'Display Perks Ranking', name: 'displayPerksRanking', type: 'boolean', default: false },
	{ displayName: 'Display Perks Value', name: 'displayPerksValue', type: 'boolean', default: false },
	{ displayName: 'Enabled (Public)', name: 'enabled', type: 'boolean', default: false, description: 'Whether everyone can see the crowdfund' },
	{ displayName: 'End Date', name: 'endDate', type: 'dateTime', default: '' },
	{ displayName: 'Enforce Target Amount', name: 'enforceTargetAmount', type: 'boolean', default: false, description: 'Whether contributions stop at the target' },
	{ displayName: 'Main Image URL', name: 'mainImageUrl', type: 'string', default: '' },
	{ displayName: 'Perks (JSON)', name: 'perksTemplate', type: 'json', default: '[]', description: 'The perks: a JSON array of perks, each with an ID, a title and a price (decimal string)' },
	{
		displayName: 'Reset Every',
		name: 'resetEvery',
		type: 'options',
		default: 'Never',
		options: [
			{ name: 'Day', value: 'Day' },
			{ name: 'Hour', value: 'Hour' },
			{ name: 'Month', value: 'Month' },
			{ name: 'Never', value: 'Never' },
			{ name: 'Year', value: 'Year' },
		],
		description: 'How often the goal starts again (needs a Start Date)',
	},
	{ displayName: 'Reset Every Amount', name: 'resetEveryAmount', type: 'number', default: 1, typeOptions: { minValue: 1 } },
	{ displayName: 'Sort Perks By Popularity', name: 'sortPerksByPopularity', type: 'boolean', default: true },
	{ displayName: 'Sounds', name: 'sounds', type: 'string', default: '', description: 'Comma-separated sound URLs played on a contribution' },
	{ displayName: 'Sounds Enabled', name: 'soundsEnabled', type: 'boolean', default: false },
	{ displayName: 'Start Date', name: 'startDate', type: 'dateTime', default: '' },
	{ displayName: 'Tagline', name: 'tagline', type: 'string', default: '' },
	{ displayName: 'Target Amount', name: 'targetAmount', type: 'string', default: '', placeholder: '1000', description: 'The goal, decimal' },
	{ displayName: 'Target Currency', name: 'targetCurrency', type: 'string', default: '', placeholder: 'USD', description: "Empty: the store's default currency" },
];

/** Every settings field, each once (Update: the app's type decides which apply). */
export const allSettingsFields: INodeProperties[] = [...sharedFields, ...posFields, ...crowdfundFields.filter((f) => !posFields.some((p) => p.name === f.name))].sort((a, b) =>
	a.displayName.localeCompare(b.displayName),
);
export const posSettingsFields = [...sharedFields, ...posFields].sort((a, b) => a.displayName.localeCompare(b.displayName));
export const crowdfundSettingsFields = [...sharedFields, ...crowdfundFields].sort((a, b) => a.displayName.localeCompare(b.displayName));

const POS_ONLY = new Set(posFields.map((f) => f.name));
const CROWDFUND_ONLY = new Set(crowdfundFields.map((f) => f.name));
const DISPLAY = new Map(allSettingsFields.map((f) => [f.name, f.displayName]));

/** A settings collection → client settings of `type`; a field of the other type is refused, naming it. */
export function toSettings(type: string, fields: IDataObject): IDataObject {
	const f = present(fields);
	const foreign = type === 'PointOfSale' ? CROWDFUND_ONLY : POS_ONLY;
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(f)) {
		if (foreign.has(key)) throw new InputError(DISPLAY.get(key) ?? key, `does not apply to a ${appTypeLabel(type)} app`, 'BTCPay');
		if (key === 'template' || key === 'perksTemplate') out[key] = typeof value === 'string' ? value : JSON.stringify(value);
		else if (key === 'customTipPercentages') {
			out[key] = (parseList(value) ?? []).map((p, index) => {
				const n = Number(p);
				if (!Number.isInteger(n)) throw new InputError(`Custom Tip Percentages[${index}]`, `"${p}" is not a whole percentage`, 'BTCPay');
				return n;
			});
		} else if (key === 'sounds' || key === 'animationColors') out[key] = parseList(value) ?? [];
		else out[key] = value;
	}
	return out;
}

export function simplifyApp(app: App): IDataObject {
	const out = pick(app, ['id', 'appName', 'appType', 'storeId', 'archived', 'title', 'currency', 'targetCurrency', 'targetAmount', 'enabled']);
	const created = isoFromUnixSeconds(app.created);
	if (created) out.createdAt = created;
	const items = (app as IDataObject).items ?? (app as IDataObject).perks;
	if (Array.isArray(items)) out.itemCount = items.length;
	return out;
}
