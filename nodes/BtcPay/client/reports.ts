/**
 * Revenue report over a store's settled invoices. Pages through the invoice
 * list (skip/take) and folds each page into per-currency running totals, so
 * memory stays bounded by one page whatever the number of invoices.
 * Money is exact: totals are decimal strings summed with sumDecimals, averages
 * and shares come from divideDecimal; nothing goes through a float.
 */
import { z } from 'zod';
import type { HttpClient } from '../../shared/http';
import { InputError } from '../../shared/errors';
import { currencyDecimals, decimalPlaces, divideDecimal, fromScaled, sumDecimals, toScaled } from '../../shared/amounts';
import { BoundedSet } from '../../shared/dedupe';
import { mapLimit } from '../../shared/concurrency';
import { parseInput, storeIdInputSchema, unixSecondsInput } from './schemas';
import { InvoicesApi, invoicePaymentMethodSchema, type Invoice } from './invoices';
import { optionalField } from './paymentRequests';

export type PaymentChannel = 'onchain' | 'lightning' | 'other' | 'unattributed';
export const PAYMENT_CHANNELS: readonly PaymentChannel[] = ['onchain', 'lightning', 'other', 'unattributed'];

/**
 * On-chain vs Lightning from a payment method ID: `BTC-CHAIN` (legacy `BTC`)
 * is on-chain; `BTC-LN`, `BTC-LNURL` (legacy `BTC-LightningNetwork`,
 * `BTC_LightningLike`, `BTC-LNURLPAY`) are Lightning; anything else (other
 * coins, tokens) is "other".
 */
export function classifyPaymentMethod(paymentMethodId: string): Exclude<PaymentChannel, 'unattributed'> {
	const id = paymentMethodId.trim().toUpperCase();
	if (!id.startsWith('BTC')) return 'other';
	if (/^BTC([-_](LN|LNURL|LNURLPAY|LIGHTNINGNETWORK|LIGHTNINGLIKE))$/.test(id)) return 'lightning';
	if (id === 'BTC' || id === 'BTC-CHAIN' || id === 'BTC_CHAIN' || id === 'BTC-ONCHAIN') return 'onchain';
	return 'other';
}

/** What the aggregator reads from an invoice (a Greenfield invoice with its payment methods). */
export interface ReportInvoice {
	id: string;
	status: string;
	currency: string;
	amount: string;
	createdTime?: number;
	paymentMethods?: ReadonlyArray<{
		paymentMethodId: string;
		currency?: string | null;
		rate?: string;
		paymentMethodPaid?: string;
		payments?: ReadonlyArray<{ value: string; status?: string }>;
	}>;
}

/** Exact product of two decimal strings. */
export function multiplyDecimals(a: string, b: string): string {
	const da = decimalPlaces(a);
	const db = decimalPlaces(b);
	return fromScaled(toScaled(a, da) * toScaled(b, db), da + db, true);
}

function isPositive(decimal: string | undefined): decimal is string {
	if (decimal === undefined || decimal === '') return false;
	try {
		return toScaled(decimal, decimalPlaces(decimal)) > 0n;
	} catch {
		return false;
	}
}

/** How much of the invoice each method paid, in the invoice currency (weights for the split). */
function channelWeights(invoice: ReportInvoice): Map<Exclude<PaymentChannel, 'unattributed'>, string> {
	const weights = new Map<Exclude<PaymentChannel, 'unattributed'>, string>();
	for (const pm of invoice.paymentMethods ?? []) {
		let paid = pm.paymentMethodPaid;
		if (!isPositive(paid) && pm.payments?.length) {
			const counted = pm.payments.filter((p) => !p.status || /^(settled|processing|confirmed|complete)$/i.test(p.status)).map((p) => p.value);
			paid = counted.length ? sumDecimals(counted) : undefined;
		}
		if (!isPositive(paid)) continue;
		const sameCurrency = !pm.currency || pm.currency.toUpperCase() === invoice.currency.toUpperCase();
		const rate = isPositive(pm.rate) ? pm.rate : sameCurrency ? '1' : undefined;
		if (!rate) continue;
		const channel = classifyPaymentMethod(pm.paymentMethodId);
		const value = multiplyDecimals(paid, rate);
		const before = weights.get(channel);
		weights.set(channel, before === undefined ? value : sumDecimals([before, value]));
	}
	return weights;
}

/**
 * Splits `amount` (decimal string, `scale` decimals) over the channels in
 * proportion to their weights. Exact: shares are rounded down and the largest
 * channel takes the remainder, so the parts always add up to the amount.
 */
export function splitAmount(amount: string, scale: number, weights: Map<PaymentChannel, string>): Map<PaymentChannel, string> {
	const out = new Map<PaymentChannel, string>();
	const entries = [...weights.entries()];
	if (entries.length === 0) {
		out.set('unattributed', fromScaled(toScaled(amount, scale), scale));
		return out;
	}
	if (entries.length === 1) {
		out.set(entries[0][0], fromScaled(toScaled(amount, scale), scale));
		return out;
	}
	const wScale = Math.max(...entries.map(([, w]) => decimalPlaces(w)));
	const scaled = entries.map(([channel, w]) => [channel, toScaled(w, wScale)] as const);
	const totalWeight = scaled.reduce((sum, [, w]) => sum + w, 0n);
	const total = toScaled(amount, scale);
	let largest = 0;
	for (let i = 1; i < scaled.length; i++) if (scaled[i][1] > scaled[largest][1]) largest = i;
	let assigned = 0n;
	const shares = scaled.map(([, w], i) => {
		if (i === largest) return 0n;
		const share = (total * w) / totalWeight;
		assigned += share;
		return share;
	});
	shares[largest] = total - assigned;
	scaled.forEach(([channel], i) => out.set(channel, fromScaled(shares[i], scale)));
	return out;
}

interface Bucket {
	invoiceCount: number;
	total: string;
}

interface CurrencyAccumulator {
	currency: string;
	scale: number;
	invoiceCount: number;
	total: string;
	mixedPaymentInvoices: number;
	channels: Map<PaymentChannel, Bucket>;
}

export interface ChannelSummary {
	invoiceCount: number;
	total: string;
	sharePercent: string | null;
}

export interface CurrencySummary {
	currency: string;
	invoiceCount: number;
	total: string;
	average: string;
	onchain: ChannelSummary;
	lightning: ChannelSummary;
	other: ChannelSummary;
	unattributed: ChannelSummary;
	/** Invoices paid partly on-chain and partly over Lightning (or another method). */
	mixedPaymentInvoices: number;
	/** Lightning part of the total, in percent with 2 decimals (null when the total is 0). */
	lightningSharePercent: string | null;
	/** Invoices with a Lightning payment, in percent of the invoice count. */
	lightningInvoiceSharePercent: string | null;
}

export interface AggregatorStats {
	invoicesSeen: number;
	invoicesCounted: number;
	duplicatesSkipped: number;
	notSettledSkipped: number;
	outOfPeriodSkipped: number;
}

/** Percentage part/whole with 2 decimals (both decimal strings), or null when whole is 0. */
export function percentOf(part: string, whole: string): string | null {
	const scale = Math.max(decimalPlaces(part), decimalPlaces(whole));
	const w = toScaled(whole, scale);
	if (w === 0n) return null;
	return divideDecimal((toScaled(part, scale) * 100n).toString(), w, 2);
}

/**
 * Folds settled invoices into per-currency totals. Holds one accumulator per
 * currency plus a bounded set of recent IDs (pages can overlap when invoices
 * are created while paging).
 */
export class RevenueAggregator {
	private readonly currencies = new Map<string, CurrencyAccumulator>();
	private readonly seen: BoundedSet;
	readonly stats: AggregatorStats = { invoicesSeen: 0, invoicesCounted: 0, duplicatesSkipped: 0, notSettledSkipped: 0, outOfPeriodSkipped: 0 };

	constructor(private readonly options: { start?: number; end?: number; dedupeWindow?: number } = {}) {
		this.seen = new BoundedSet(options.dedupeWindow ?? 2000);
	}

	/** Adds one invoice; returns whether it was counted. */
	add(invoice: ReportInvoice): boolean {
		this.stats.invoicesSeen++;
		if (!this.seen.add(invoice.id)) {
			this.stats.duplicatesSkipped++;
			return false;
		}
		if (invoice.status !== 'Settled') {
			this.stats.notSettledSkipped++;
			return false;
		}
		const { start, end } = this.options;
		if (invoice.createdTime !== undefined && ((start !== undefined && invoice.createdTime < start) || (end !== undefined && invoice.createdTime >= end))) {
			this.stats.outOfPeriodSkipped++;
			return false;
		}
		const currency = invoice.currency.toUpperCase();
		let acc = this.currencies.get(currency);
		if (!acc) {
			acc = { currency, scale: currencyDecimals(currency), invoiceCount: 0, total: '0', mixedPaymentInvoices: 0, channels: new Map() };
			this.currencies.set(currency, acc);
		}
		const scale = Math.max(acc.scale, decimalPlaces(invoice.amount));
		acc.scale = scale;
		acc.invoiceCount++;
		acc.total = sumDecimals([acc.total, invoice.amount]);
		const weights = channelWeights(invoice);
		if (weights.size > 1) acc.mixedPaymentInvoices++;
		for (const [channel, share] of splitAmount(invoice.amount, scale, weights)) {
			const bucket = acc.channels.get(channel) ?? { invoiceCount: 0, total: '0' };
			bucket.invoiceCount++;
			bucket.total = sumDecimals([bucket.total, share]);
			acc.channels.set(channel, bucket);
		}
		this.stats.invoicesCounted++;
		return true;
	}

	/** Per-currency summaries, largest invoice count first. */
	summary(): CurrencySummary[] {
		const out: CurrencySummary[] = [];
		for (const acc of this.currencies.values()) {
			const fmt = (d: string) => fromScaled(toScaled(d, acc.scale), acc.scale);
			const total = fmt(acc.total);
			const channel = (name: PaymentChannel): ChannelSummary => {
				const b = acc.channels.get(name);
				const t = fmt(b?.total ?? '0');
				return { invoiceCount: b?.invoiceCount ?? 0, total: t, sharePercent: percentOf(t, total) };
			};
			const lightning = channel('lightning');
			out.push({
				currency: acc.currency,
				invoiceCount: acc.invoiceCount,
				total,
				average: divideDecimal(total, acc.invoiceCount, acc.scale),
				onchain: channel('onchain'),
				lightning,
				other: channel('other'),
				unattributed: channel('unattributed'),
				mixedPaymentInvoices: acc.mixedPaymentInvoices,
				lightningSharePercent: lightning.sharePercent,
				lightningInvoiceSharePercent: percentOf(String(lightning.invoiceCount), String(acc.invoiceCount)),
			});
		}
		return out.sort((a, b) => b.invoiceCount - a.invoiceCount || a.currency.localeCompare(b.currency));
	}
}

export const REPORT_PERIODS = ['day', 'week', 'month', 'custom'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

export const REPORT_LABELS: Record<string, string> = {
	storeId: 'Store',
	period: 'Period',
	date: 'Date',
	previous: 'Previous Period',
	from: 'From',
	to: 'To',
	timezone: 'Time Zone',
	pageSize: 'Page Size',
	concurrency: 'Concurrency',
};

const periodSchema = z
	.object({
		period: z.enum(REPORT_PERIODS),
		/** Any moment inside the period (day/week/month); default now. */
		date: optionalField(unixSecondsInput),
		/** Shift one period back (yesterday, last week, last month). */
		previous: z.boolean().optional(),
		from: optionalField(unixSecondsInput),
		to: optionalField(unixSecondsInput),
		/** IANA time zone the days start in (default UTC). */
		timezone: optionalField(z.string().trim()),
	})
	.strict();
export type PeriodInput = z.input<typeof periodSchema>;

export interface ResolvedPeriod {
	period: ReportPeriod;
	/** Unix seconds, inclusive. */
	start: number;
	/** Unix seconds, exclusive. */
	end: number;
	timezone: string;
}

function zoneFormatter(timezone: string): Intl.DateTimeFormat {
	try {
		return new Intl.DateTimeFormat('en-US', {
			timeZone: timezone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
		});
	} catch {
		throw new InputError(REPORT_LABELS.timezone, `"${timezone}" is not a time zone (use a name such as Europe/Berlin or UTC)`, 'BTCPay');
	}
}

/** Wall-clock parts of `ms` in the formatter's zone, as if they were UTC (ms). */
function wallClock(fmt: Intl.DateTimeFormat, ms: number): number {
	const parts = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
	return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour) % 24, Number(parts.minute), Number(parts.second));
}

/** The instant (ms) of local midnight of y-m-d in the zone (month/day may overflow, as in Date.UTC). */
function zonedMidnight(fmt: Intl.DateTimeFormat, y: number, m: number, d: number): number {
	const guess = Date.UTC(y, m, d);
	const first = guess - (wallClock(fmt, guess) - guess);
	return guess - (wallClock(fmt, first) - first);
}

/**
 * The [start, end) range of a report period: a calendar day, an ISO week
 * (Monday to Monday) or a calendar month in the given time zone (default
 * UTC; daylight saving changes are followed), or a custom range.
 */
export function resolvePeriod(input: PeriodInput, nowSeconds = Math.floor(Date.now() / 1000)): ResolvedPeriod {
	const v = parseInput(periodSchema, input, REPORT_LABELS);
	const timezone = v.timezone ?? 'UTC';
	const fmt = zoneFormatter(timezone);
	if (v.period === 'custom') {
		if (v.from === undefined) throw new InputError(REPORT_LABELS.from, 'is required for a custom period', 'BTCPay');
		if (v.to === undefined) throw new InputError(REPORT_LABELS.to, 'is required for a custom period', 'BTCPay');
		if (v.to <= v.from) throw new InputError(REPORT_LABELS.to, 'must be after From', 'BTCPay');
		return { period: 'custom', start: v.from, end: v.to, timezone };
	}
	const local = new Date(wallClock(fmt, (v.date ?? nowSeconds) * 1000));
	const y = local.getUTCFullYear();
	const m = local.getUTCMonth();
	const d = local.getUTCDate();
	const back = v.previous ? 1 : 0;
	let start: number;
	let end: number;
	if (v.period === 'day') {
		start = zonedMidnight(fmt, y, m, d - back);
		end = zonedMidnight(fmt, y, m, d - back + 1);
	} else if (v.period === 'week') {
		const sinceMonday = (local.getUTCDay() + 6) % 7;
		start = zonedMidnight(fmt, y, m, d - sinceMonday - 7 * back);
		end = zonedMidnight(fmt, y, m, d - sinceMonday - 7 * back + 7);
	} else {
		start = zonedMidnight(fmt, y, m - back, 1);
		end = zonedMidnight(fmt, y, m - back + 1, 1);
	}
	return { period: v.period, start: Math.floor(start / 1000), end: Math.floor(end / 1000), timezone };
}

export interface RevenueReportOptions extends PeriodInput {
	/** Invoices per page (take), 1..1000; default 100. */
	pageSize?: number;
	/** Parallel payment-method lookups for servers whose list omits them; default 4. */
	concurrency?: number;
	/** Current time in unix seconds (tests). */
	now?: number;
}

export interface RevenueReport {
	storeId: string;
	period: ReportPeriod;
	timezone: string;
	from: string;
	to: string;
	start: number;
	end: number;
	invoiceCount: number;
	currencies: CurrencySummary[];
	pagesFetched: number;
	invoicesScanned: number;
	paymentMethodLookups: number;
	duplicatesSkipped: number;
	/** Most invoices held in memory at once (one page). */
	maxInvoicesInMemory: number;
}

const optionsSchema = z
	.object({
		pageSize: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').optional(),
		concurrency: z.number().int('must be a whole number').min(1, 'must be at least 1').max(16, 'must be at most 16').optional(),
	})
	.strict();

const MAX_PAGES = 1_000_000;

export class ReportsApi {
	private readonly invoices: InvoicesApi;

	constructor(http: HttpClient) {
		this.invoices = new InvoicesApi(http);
	}

	/**
	 * Revenue of a store's settled invoices created in the period, per
	 * currency and payment channel (on-chain / Lightning).
	 */
	async revenue(storeId: string, options: RevenueReportOptions): Promise<RevenueReport> {
		const store = parseInput(storeIdInputSchema, { storeId }, REPORT_LABELS).storeId;
		const { pageSize: ps, concurrency: cc, now, ...periodInput } = options;
		const { pageSize = 100, concurrency = 4 } = parseInput(optionsSchema, { pageSize: ps, concurrency: cc }, REPORT_LABELS);
		const range = resolvePeriod(periodInput, now);
		const aggregator = new RevenueAggregator({ start: range.start, end: range.end, dedupeWindow: Math.max(1000, pageSize * 4) });
		let pages = 0;
		let lookups = 0;
		let maxInMemory = 0;
		for (let skip = 0; pages < MAX_PAGES; skip += pageSize) {
			const page = await this.invoices.list(store, {
				status: ['Settled'],
				startDate: range.start,
				endDate: range.end - 1,
				skip,
				take: pageSize,
				includePaymentMethods: true,
				// Archiving hides an invoice from lists, it does not undo its revenue.
				includeArchived: true,
			});
			pages++;
			maxInMemory = Math.max(maxInMemory, page.length);
			const missing = page.filter((inv) => inv.status === 'Settled' && !Array.isArray((inv as { paymentMethods?: unknown }).paymentMethods));
			const fetched = new Map<string, ReportInvoice['paymentMethods']>();
			if (missing.length) {
				lookups += missing.length;
				const results = await mapLimit(missing, concurrency, (inv) =>
					this.invoices.paymentMethods(store, inv.id, { onlyAccountedPayments: true }),
				);
				results.forEach((r, i) => {
					if (!r.ok) throw r.error;
					fetched.set(missing[i].id, r.value);
				});
			}
			for (const inv of page) aggregator.add(toReportInvoice(inv, fetched.get(inv.id)));
			if (page.length < pageSize) break;
		}
		return {
			storeId: store,
			period: range.period,
			timezone: range.timezone,
			from: new Date(range.start * 1000).toISOString(),
			to: new Date(range.end * 1000).toISOString(),
			start: range.start,
			end: range.end,
			invoiceCount: aggregator.stats.invoicesCounted,
			currencies: aggregator.summary(),
			pagesFetched: pages,
			invoicesScanned: aggregator.stats.invoicesSeen,
			paymentMethodLookups: lookups,
			duplicatesSkipped: aggregator.stats.duplicatesSkipped,
			maxInvoicesInMemory: maxInMemory,
		};
	}
}

const embeddedMethods = z.array(invoicePaymentMethodSchema);

function toReportInvoice(invoice: Invoice, fetched: ReportInvoice['paymentMethods'] | undefined): ReportInvoice {
	const embedded = (invoice as { paymentMethods?: unknown }).paymentMethods;
	const parsed = fetched ?? (embedded === undefined ? undefined : embeddedMethods.safeParse(embedded).data);
	return {
		id: invoice.id,
		status: invoice.status,
		currency: invoice.currency,
		amount: invoice.amount,
		createdTime: invoice.createdTime,
		paymentMethods: parsed,
	};
}
