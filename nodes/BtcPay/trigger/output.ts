/**
 * Builds the item a delivery emits: the event's own fields at the top level,
 * nested objects (like `payment`, or a subscription event's `subscriber`) flattened
 * into camelCase keys (`paymentValue`, `subscriberCustomerId`) so IF and Switch
 * nodes can test them directly, `metadata` objects kept as sent, plus `confirmed`
 * and the server's view of the invoice (and of the payment) when BTCPay was asked.
 * Subscription events also get the fields a workflow branches on at the top level
 * (`customerId`, `customerEmail`, `planId`, `phase`, `isActive`, `periodEnd`...),
 * their amounts as exact decimal strings read from the raw body (BTCPay v2.4.1
 * writes them as JSON numbers), and the server's view of the subscriber
 * (`confirmedPhase`, `confirmedIsActive`...) when it was read back.
 *
 * There is no `isTest` field any more: BTCPay v2.3.0 removed test deliveries, and
 * an id containing `__test__` proves nothing about who sent it.
 */
import { currencyDecimals, formatMoney } from '../../shared/amounts';
import { isoFromUnixSeconds } from '../../shared/time';
import type { InvoiceView, PaymentView, SubscriberView } from './confirm';

export interface OutputOptions {
	/** BTCPay agrees with what the event claims (see confirm.ts). */
	confirmed: boolean;
	/** The server's invoice when "Confirm with API" read it. */
	invoice?: InvoiceView;
	/** The server's record of the event's payment, when it was looked up. */
	payment?: PaymentView;
	/** The server's subscriber when "Confirm with API" read it (subscription events). */
	subscriber?: SubscriberView;
	/** false: the event exactly as received, plus the added fields. */
	simplify: boolean;
	/** The delivery's body as text: top-level JSON numbers (`amount`, `total`) are taken from it digit for digit. */
	raw?: string;
	/** The BTCPay base URL (from the credential): the checkout link of an unconfirmed invoice event is built on it. */
	serverUrl?: string;
}

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function joinKey(prefix: string, key: string): string {
	return prefix ? `${prefix}${key.charAt(0).toUpperCase()}${key.slice(1)}` : key;
}

/** Flattens nested objects into camelCase keys; keeps `keep` keys as they are. Never overwrites. */
export function flattenObject(source: Json, keep: ReadonlySet<string> = new Set(), prefix = '', out: Json = {}): Json {
	if (!prefix) {
		// Top-level scalar fields win over flattened names, whatever their order.
		for (const [key, value] of Object.entries(source)) {
			if (!isPlainObject(value) || keep.has(key) || Object.keys(value).length === 0) out[key] = value;
		}
	}
	for (const [key, value] of Object.entries(source)) {
		const name = joinKey(prefix, key);
		if (keep.has(key) && isPlainObject(value)) {
			if (!(name in out)) out[name] = value;
		} else if (isPlainObject(value) && Object.keys(value).length > 0) {
			flattenObject(value, keep, name, out);
		} else if (!(name in out)) {
			out[name] = value;
		}
	}
	return out;
}

const KEEP_NESTED = new Set(['metadata']);

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * The source text of the top-level members of a JSON object whose value is a
 * number, by key (`{"amount": 9.90}` -> amount: "9.90"). Nested values are skipped.
 * The text must be valid JSON (it was parsed before).
 */
export function topLevelNumberTexts(raw: string): Map<string, string> {
	const out = new Map<string, string>();
	let depth = 0;
	let i = 0;
	let key: string | undefined;
	let expectKey = false;
	while (i < raw.length) {
		const c = raw[i];
		if (c === '"') {
			let j = i + 1;
			while (j < raw.length && raw[j] !== '"') j += raw[j] === '\\' ? 2 : 1;
			const str = raw.slice(i, j + 1);
			if (depth === 1 && expectKey) {
				key = JSON.parse(str) as string;
				expectKey = false;
			}
			i = j + 1;
			continue;
		}
		if (c === '{' || c === '[') {
			depth += 1;
			if (depth === 1) expectKey = true;
			key = undefined;
		} else if (c === '}' || c === ']') {
			depth -= 1;
		} else if (c === ',') {
			if (depth === 1) expectKey = true;
			key = undefined;
		} else if (depth === 1 && key !== undefined && (c === '-' || (c >= '0' && c <= '9'))) {
			NUMBER_RE.lastIndex = i;
			const m = NUMBER_RE.exec(raw);
			if (m) {
				out.set(key, m[0]);
				key = undefined;
				i += m[0].length;
				continue;
			}
		}
		i += 1;
	}
	return out;
}

/**
 * A JSON number's text as a plain decimal string, exactly (no float): exponents
 * shifted out, and padded with zeros to `decimals` places when given (never cut:
 * more digits than the currency has are kept as sent).
 */
export function jsonNumberToDecimal(text: string, decimals?: number): string | undefined {
	const m = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
	if (!m) return undefined;
	let digits = m[2] + (m[3] ?? '');
	let point = m[2].length + Number(m[4] ?? 0);
	if (point < 0) {
		digits = '0'.repeat(-point) + digits;
		point = 0;
	}
	if (point > digits.length) digits = digits.padEnd(point, '0');
	const int = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
	let frac = digits.slice(point);
	if (m[4] !== undefined) frac = frac.replace(/0+$/, '');
	if (decimals !== undefined && frac.length < decimals) frac = frac.padEnd(decimals, '0');
	const negative = m[1] === '-' && /[1-9]/.test(int + frac);
	return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** Money fields of subscription events (WebhookSubscriptionEvent.cs: C# decimals, written as JSON numbers). */
const SUBSCRIPTION_AMOUNTS = ['amount', 'total'] as const;

function obj(value: unknown): Json {
	return isPlainObject(value) ? value : {};
}

function setIfAbsent(target: Json, key: string, value: unknown): void {
	if (value !== undefined && !(key in target)) target[key] = value;
}

/**
 * The fields a subscription workflow branches on, at the top level: who (customer),
 * what (offering, plan), the state (phase, active, period end) as the event's
 * `subscriber` shows it, and the amounts as exact decimal strings.
 */
function subscriptionFields(event: Json, flat: Json, raw: string | undefined): void {
	const sub = obj(event.subscriber);
	const customer = obj(sub.customer);
	const plan = obj(sub.plan);
	const identities = obj(customer.identities);
	const numbers = raw ? topLevelNumberTexts(raw) : new Map<string, string>();
	const currency = typeof event.currency === 'string' && event.currency ? event.currency : undefined;
	for (const key of SUBSCRIPTION_AMOUNTS) {
		const value = event[key];
		if (typeof value !== 'number' && typeof value !== 'string') continue;
		const source = numbers.get(key) ?? String(value);
		const exact = jsonNumberToDecimal(source, currency ? currencyDecimals(currency) : undefined);
		if (exact !== undefined) flat[key] = exact;
	}
	setIfAbsent(flat, 'customerId', customer.id);
	setIfAbsent(flat, 'customerEmail', identities.Email ?? null);
	setIfAbsent(flat, 'customerExternalId', customer.externalId ?? null);
	setIfAbsent(flat, 'offeringId', obj(sub.offering).id);
	setIfAbsent(flat, 'planId', plan.id);
	setIfAbsent(flat, 'planName', plan.name);
	setIfAbsent(flat, 'planPrice', plan.price === undefined ? undefined : formatMoney(plan.price, plan.currency));
	setIfAbsent(flat, 'planCurrency', plan.currency);
	setIfAbsent(flat, 'phase', sub.phase);
	setIfAbsent(flat, 'isActive', sub.isActive);
	setIfAbsent(flat, 'periodEnd', sub.periodEnd ?? null);
	setIfAbsent(flat, 'trialEnd', sub.trialEnd ?? null);
	setIfAbsent(flat, 'gracePeriodEnd', sub.gracePeriodEnd ?? null);
}

/**
 * The invoice's checkout page: the server's `checkoutLink` when it was read back, else
 * `<server>/i/<invoiceId>`, the route BTCPay serves it on (UIInvoiceController.UI.cs `[HttpGet("i/{invoiceId}")]`).
 */
function checkoutLinkOf(event: Json, options: OutputOptions): string | undefined {
	if (options.invoice?.checkoutLink) return options.invoice.checkoutLink;
	const invoiceId = typeof event.invoiceId === 'string' ? event.invoiceId : undefined;
	return invoiceId && options.serverUrl ? `${options.serverUrl.replace(/\/+$/, '')}/i/${encodeURIComponent(invoiceId)}` : undefined;
}

/** What a workflow reads first, in this order, ahead of the rest of the event. */
const LEADING_KEYS = ['type', 'invoiceId', 'checkoutLink', 'invoiceStatus', 'invoiceAmount', 'invoiceCurrency', 'orderId', 'eventTime'];

export function toOutputItem(event: Json, options: OutputOptions): Json {
	const added: Json = { confirmed: options.confirmed };
	const eventTime = isoFromUnixSeconds(event.timestamp, { positiveOnly: true });
	if (eventTime) added.eventTime = eventTime;
	const checkoutLink = checkoutLinkOf(event, options);
	if (checkoutLink && !('checkoutLink' in event)) added.checkoutLink = checkoutLink;
	if (options.invoice) {
		const inv = options.invoice;
		Object.assign(added, {
			invoiceStatus: inv.status,
			invoiceAdditionalStatus: inv.additionalStatus ?? null,
			invoiceAmount: formatMoney(inv.amount, inv.currency),
			invoiceCurrency: inv.currency,
			invoiceMetadata: inv.metadata ?? {},
		});
	}
	if (options.payment) {
		Object.assign(added, {
			confirmedPaymentId: options.payment.id,
			confirmedPaymentStatus: options.payment.status,
			confirmedPaymentValue: options.payment.value,
		});
	}
	if (options.subscriber) {
		const sub = options.subscriber;
		Object.assign(added, {
			confirmedPhase: sub.phase,
			confirmedIsActive: sub.isActive,
			confirmedIsSuspended: sub.isSuspended ?? false,
			confirmedPlanId: sub.plan.id,
			confirmedPeriodEnd: sub.periodEnd ?? null,
			confirmedGracePeriodEnd: sub.gracePeriodEnd ?? null,
			confirmedSubscriberMetadata: sub.metadata ?? {},
		});
	}
	if (!options.simplify) return { ...event, ...added };

	const flat = flattenObject(event, KEEP_NESTED);
	if (isPlainObject(event.subscriber)) subscriptionFields(event, flat, options.raw);
	const metadata = event.metadata;
	if (isPlainObject(metadata) && typeof metadata.orderId === 'string' && !('orderId' in flat)) {
		flat.orderId = metadata.orderId;
	}
	const all: Json = { ...flat, ...added };
	const out: Json = {};
	for (const key of LEADING_KEYS) if (key in all) out[key] = all[key];
	return Object.assign(out, all);
}
