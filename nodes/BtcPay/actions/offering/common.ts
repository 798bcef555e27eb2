/**
 * What the subscription resources (Offering, Plan, Subscriber, Plan Checkout,
 * Subscriber Portal) share: the offering and plan pickers (resource locators with
 * search, see methods/searchSubscriptions.ts), the customer field, JSON metadata
 * parameters and the simplified outputs.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyMode } from 'n8n-workflow';
import { formatMoney, formatMoneyFields } from '../../../shared/amounts';
import { InputError } from '../../../shared/errors';
import type { Offering, Plan, PlanCheckout, PortalSession, Subscriber } from '../../client/subscriptions';
import { parseJsonParameter, pick, show } from '../common';
import { text } from '../format';
import { isoFromUnixSeconds } from '../../../shared/time';

const OFFERING_ID = '^offering_[A-Za-z0-9]+$';
const PLAN_ID = '^plan_[A-Za-z0-9]+$';

function locator(name: string, displayName: string, searchListMethod: string, regex: string, placeholder: string, description: string, resource: string, operations?: string[]): INodeProperties {
	/* eslint-disable n8n-nodes-base/node-param-default-missing -- locator modes have no default */
	const modes: INodePropertyMode[] = [
		{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod, searchable: true } },
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder,
			validation: [{ type: 'regex', properties: { regex, errorMessage: `Not a valid BTCPay ${displayName.toLowerCase()} ID` } }],
		},
	];
	/* eslint-enable n8n-nodes-base/node-param-default-missing */
	return { displayName, name, type: 'resourceLocator', default: { mode: 'list', value: '' }, required: true, modes, description, displayOptions: show(resource, operations) };
}

/** Offering picker (the offerings of the chosen store). */
export function offeringLocatorProperty(resource: string, operations?: string[]): INodeProperties {
	return locator('offering', 'Offering', 'searchOfferings', OFFERING_ID, 'offering_DKWhZGB6PZsgTcPwpf', 'The subscription offering (a BTCPay Subscriptions app)', resource, operations);
}

/** Plan picker (the plans of the chosen offering). */
export function planLocatorProperty(resource: string, operations?: string[]): INodeProperties {
	return locator('plan', 'Plan', 'searchPlans', PLAN_ID, 'plan_KZMVyuQp3v2vFWnEUM', 'The plan of the offering', resource, operations);
}

/** The value of a resource locator (any mode) or a plain string, trimmed. */
export function locatorValue(ctx: IExecuteFunctions, name: string, i: number, label: string): string {
	const raw = ctx.getNodeParameter(name, i, '') as unknown;
	const value = raw && typeof raw === 'object' && 'value' in (raw as IDataObject) ? (raw as IDataObject).value : raw;
	const out = typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value);
	if (!out) throw new InputError(label, 'is required', 'BTCPay');
	return out;
}

export const getOfferingId = (ctx: IExecuteFunctions, i: number): string => locatorValue(ctx, 'offering', i, 'Offering');
export const getPlanId = (ctx: IExecuteFunctions, i: number): string => locatorValue(ctx, 'plan', i, 'Plan');

/** The Customer field: how BTCPay finds the subscriber. */
export function customerProperty(resource: string, operations: string[]): INodeProperties {
	return {
		displayName: 'Customer',
		name: 'customerSelector',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'customer@example.com',
		description: 'The subscriber: an e-mail address, a customer ID (cust_…), an external reference in brackets ([ref-42]) or Type:value',
		displayOptions: show(resource, operations),
	};
}

export const customer = (ctx: IExecuteFunctions, i: number): string => text(ctx, 'customerSelector', i);

/** A JSON object parameter (metadata), undefined when empty; errors name the field. */
export function jsonObject(value: unknown, field: string): IDataObject | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
	return parseJsonParameter(value, field, 'object') as IDataObject;
}

export function metadataProperty(displayName = 'Metadata', name = 'metadata', description = 'JSON object stored with it, for your own fields'): INodeProperties {
	return { displayName, name, type: 'json', default: '{}', description };
}

/** The simplified plan: name, status and price (with its currency's decimals) first, the ID last. */
export function simplifyPlan(p: Plan): IDataObject {
	const out = pick(p, ['name', 'status', 'price', 'currency', 'recurringType', 'trialDays', 'gracePeriodDays', 'renewable', 'optimisticActivation', 'memberCount', 'features', 'id']);
	return formatMoneyFields(out, p.currency, ['price']);
}

export function simplifyOffering(o: Offering): IDataObject {
	const out = pick(o, ['id', 'storeId', 'appId', 'appName', 'successRedirectUrl']);
	out.plans = (o.plans ?? []).map((p) => formatMoneyFields(pick(p, ['name', 'price', 'currency', 'recurringType', 'status', 'id']), p.currency, ['price']));
	out.features = (o.features ?? []).map((f) => f.id);
	return out;
}

/** The subscriber, flat for IF/Switch: phase, active flag, plan, customer, dates as ISO. */
export function simplifySubscriber(s: Subscriber): IDataObject {
	const identities = (s.customer.identities ?? {}) as IDataObject;
	const out: IDataObject = {
		customerId: s.customer.id,
		email: typeof identities.Email === 'string' ? identities.Email : null,
		externalId: s.customer.externalId ?? null,
		storeId: s.customer.storeId ?? s.offering?.storeId ?? null,
		offeringId: s.offering?.id ?? null,
		planId: s.plan.id,
		planName: s.plan.name ?? null,
		price: formatMoney(s.plan.price, s.plan.currency) as IDataObject[string],
		currency: s.plan.currency,
		phase: s.phase,
		isActive: s.isActive,
		isSuspended: s.isSuspended ?? false,
		suspensionReason: s.suspensionReason ?? null,
		autoRenew: s.autoRenew ?? null,
		periodEnd: isoFromUnixSeconds(s.periodEnd) ?? null,
		trialEnd: isoFromUnixSeconds(s.trialEnd) ?? null,
		gracePeriodEnd: isoFromUnixSeconds(s.gracePeriodEnd) ?? null,
		processingInvoiceId: s.processingInvoiceId ?? null,
		metadata: (s.metadata ?? {}) as IDataObject,
	};
	return out;
}

export function simplifyCheckout(c: PlanCheckout): IDataObject {
	return {
		id: c.id,
		url: c.url,
		invoiceId: c.invoiceId ?? null,
		planId: c.plan.id,
		planName: c.plan.name ?? null,
		price: formatMoney(c.plan.price, c.plan.currency) as IDataObject[string],
		currency: c.plan.currency,
		newSubscriber: c.newSubscriber ?? null,
		isTrial: c.isTrial ?? null,
		planStarted: c.planStarted ?? null,
		isExpired: c.isExpired ?? null,
		expiresAt: isoFromUnixSeconds(c.expiration) ?? null,
		redirectUrl: c.redirectUrl ?? null,
		creditPurchase: c.creditPurchase ?? null,
		customerId: c.subscriber?.customer.id ?? null,
		phase: c.subscriber?.phase ?? null,
		metadata: (c.metadata ?? {}) as IDataObject,
	};
}

export function simplifyPortal(p: PortalSession): IDataObject {
	return {
		id: p.id,
		url: p.url,
		expiresAt: isoFromUnixSeconds(p.expiration) ?? null,
		isExpired: p.isExpired ?? null,
		customerId: p.subscriber.customer.id,
		phase: p.subscriber.phase,
		isActive: p.subscriber.isActive,
	};
}
