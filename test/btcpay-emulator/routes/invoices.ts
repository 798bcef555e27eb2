/**
 * Invoices: create, list (filters, skip/take), get, archive, unarchive, mark
 * status, payment methods (BTCPayServer/Controllers/GreenField/GreenfieldInvoiceController.cs,
 * BTCPayServer/Services/Invoices/InvoiceRepository.cs). Served on the
 * store-nested paths and on the flat 2.4 aliases. Amounts are exact decimal
 * strings (nodes/shared/amounts).
 *
 * State changes publish webhook events like BTCPay: creation (InvoiceCreated,
 * UIInvoiceController → InvoiceEvent.Created), payments (simulatePayment /
 * confirmPayment: PaymentService.AddPayment / UpdatePayments, the Lightning
 * and NBXplorer listeners), the invoice watcher's status changes
 * (BTCPayServer/HostedServices/InvoiceWatcher.cs UpdateInvoice, run by
 * emulator.tick()) and manual marking (InvoiceRepository.MarkInvoiceStatus);
 * events → payloads as BTCPayServer/Plugins/Webhooks/TriggerProviders/InvoiceTriggerProvider.cs.
 */
import { createHash, randomBytes } from 'node:crypto';
import { currencyDecimals, fromScaled, parseDecimalAmount, toScaled } from '../../../nodes/shared/amounts';
import { base58Id, notFound, validationError, type BtcPayEmulator, type EmulatorRequest, type EmulatorResponse, type Json } from '../server';
import { findStore, storeNotFound, storePaymentMethods } from './stores';

export const INVOICE_STATUSES = ['New', 'Processing', 'Expired', 'Invalid', 'Settled'];

/** Price of 1 BTC in each currency the emulator knows. */
export const RATES: Record<string, string> = {
	USD: '100000',
	EUR: '90000',
	GBP: '80000',
	CHF: '88000',
	JPY: '15000000',
	KWD: '30000',
	BTC: '1',
	SATS: '100000000',
};

export interface InvoicePaymentRecord {
	id: string;
	receivedDate: number;
	value: string;
	fee: string;
	status: 'Invalid' | 'Processing' | 'Settled';
	destination: string;
}

export interface InvoiceRecord {
	id: string;
	/** Terms stored for textSearch (InvoiceRepository.CreateInvoiceAsync / AddToTextSearch). */
	searchTerms?: string[];
	/** BTC-LNURL: the BOLT11 once the customer scanned the LNURL (null before: the prompt's destination is null). */
	lnurlDestination?: string | null;
	/** TopUp: BTC value fixed by the first payment (InvoiceWatcher sets Price from it). */
	topUpBtc?: string;
	/** Emulator-only: the watcher leaves this invoice alone until this wall-clock ms (simulatePayment statusDelayMs). */
	watcherHeldUntil?: number;
	storeId: string;
	amount: string;
	currency: string;
	type: 'Standard' | 'TopUp';
	createdTime: number;
	expirationTime: number;
	monitoringExpiration: number;
	status: string;
	additionalStatus: string;
	archived: boolean;
	metadata: Json;
	checkout: Json;
	additionalSearchTerms: string[];
	paymentMethods: string[];
	payments: Record<string, InvoicePaymentRecord[]>;
	/** Order of creation (list is newest first). */
	seq: number;
	/** Internal tags (InvoiceEntity.InternalTags), e.g. `SUBS#<checkoutId>` for a plan checkout invoice; never in the API. */
	internalTags?: string[];
}

export function invoicesOf(emulator: BtcPayEmulator): Map<string, InvoiceRecord> {
	return ((emulator.state.invoices as Map<string, InvoiceRecord> | undefined) ??= new Map()) as Map<string, InvoiceRecord>;
}

const invoiceNotFound = () => notFound('invoice-not-found', 'The invoice was not found');

/** Lazy expiry for reads (the watcher in tick() normally got there first and published the events). */
function refreshExpiry(emulator: BtcPayEmulator, invoice: InvoiceRecord): void {
	if (invoice.status === 'New' && emulator.now() >= invoice.expirationTime && !held(invoice)) runWatcher(emulator, invoice);
}

function held(invoice: InvoiceRecord): boolean {
	return invoice.watcherHeldUntil !== undefined && invoice.watcherHeldUntil > Date.now();
}

/** InvoiceEntity.cs InvoiceState.CanMarkComplete / CanMarkInvalid. */
function canMarkComplete(invoice: InvoiceRecord): boolean {
	return ['New', 'Processing', 'Expired', 'Invalid'].includes(invoice.status) || (invoice.status !== 'Settled' && invoice.additionalStatus === 'Marked');
}
function canMarkInvalid(invoice: InvoiceRecord): boolean {
	return ['New', 'Processing', 'Expired'].includes(invoice.status) || (invoice.status !== 'Invalid' && invoice.additionalStatus === 'Marked');
}

/** GreenfieldInvoiceController.ToModel: AvailableStatusesForManualMarking. */
function available(invoice: InvoiceRecord): string[] {
	const out: string[] = [];
	if (canMarkComplete(invoice)) out.push('Settled');
	if (canMarkInvalid(invoice)) out.push('Invalid');
	return out;
}

function rate(invoice: InvoiceRecord): string {
	return RATES[invoice.currency] ?? '1';
}

/** Amount paid, in the invoice currency (exact, currency decimals). */
export function paidAmount(invoice: InvoiceRecord): string {
	const btc = Object.values(invoice.payments)
		.flat()
		.filter((p) => p.status !== 'Invalid')
		.reduce((sum, p) => sum + toScaled(p.value, 8), 0n);
	const scale = currencyDecimals(invoice.currency);
	// btc (8 decimals) * rate → currency
	const rateScaled = toScaled(rate(invoice), 8);
	const product = (btc * rateScaled) / 10n ** BigInt(16 - scale);
	return fromScaled(product, scale);
}

function btcDue(invoice: InvoiceRecord): string {
	if (invoice.type === 'TopUp') return invoice.topUpBtc ?? '0.00000000';
	return toBtc(invoice.amount, rate(invoice));
}

/** InvoiceEntity.IsUnsetTopUp: a top-up invoice whose price no payment has fixed yet. */
function isUnsetTopUp(invoice: InvoiceRecord): boolean {
	return invoice.type === 'TopUp' && invoice.topUpBtc === undefined;
}

function accountedBtc(invoice: InvoiceRecord, statuses: Array<InvoicePaymentRecord['status']> = ['Processing', 'Settled']): bigint {
	return Object.values(invoice.payments)
		.flat()
		.filter((p) => statuses.includes(p.status))
		.reduce((sum, p) => sum + toScaled(p.value, 8), 0n);
}

function toBtc(amount: string, price: string): string {
	// amount / price rounded to 8 decimals, exact.
	const a = toScaled(amount, 12);
	const p = toScaled(price, 12);
	if (p === 0n) return '0.00000000';
	const q = (a * 10n ** 9n) / p; // 9 decimals
	return fromScaled((q + 5n) / 10n, 8);
}

export function toInvoiceData(emulator: BtcPayEmulator, invoice: InvoiceRecord): Json {
	refreshExpiry(emulator, invoice);
	return {
		id: invoice.id,
		storeId: invoice.storeId,
		amount: invoice.amount,
		paidAmount: paidAmount(invoice),
		currency: invoice.currency,
		type: invoice.type,
		checkoutLink: `${emulator.url}/i/${invoice.id}`,
		createdTime: invoice.createdTime,
		expirationTime: invoice.expirationTime,
		monitoringExpiration: invoice.monitoringExpiration,
		status: invoice.status,
		additionalStatus: invoice.additionalStatus,
		availableStatusesForManualMarking: available(invoice),
		archived: invoice.archived,
		metadata: invoice.metadata,
		checkout: invoice.checkout,
		receipt: { enabled: null, showQR: null, showPayments: null },
	};
}

function destinationOf(invoice: InvoiceRecord, id: string): string | null {
	if (id.endsWith('-LNURL')) return invoice.lnurlDestination ?? null;
	if (id.endsWith('-LN') || id.endsWith('-LightningNetwork')) return `lnbcrt${invoice.id.toLowerCase()}`;
	return `bcrt1q${invoice.id.toLowerCase().slice(0, 30)}`;
}

/** GreenfieldInvoiceController.ToPaymentMethodModels. */
function paymentMethodData(invoice: InvoiceRecord, id: string, includePayments = true): Json {
	const due = btcDue(invoice);
	const payments = invoice.payments[id] ?? [];
	const paidHere = payments.filter((p) => p.status !== 'Invalid').reduce((s, p) => s + toScaled(p.value, 8), 0n);
	const totalPaid = accountedBtc(invoice);
	const lnurl = id.endsWith('-LNURL');
	const lightning = lnurl || id.endsWith('-LN');
	const destination = destinationOf(invoice, id);
	// BTC-LNURL (Payments/LNURLPay/LNURLPayPaymentHandler.cs): Currency "BTC", activated, but no
	// Destination until the customer scans the LNURL (the BOLT11 is made then); the payment link is
	// the LNURL of the invoice (LNURLPayPaymentLinkExtension.cs), not a BOLT11.
	const lnurlLink = `lightning:LNURL1${createHash('sha256').update(invoice.id).digest('hex').toUpperCase().slice(0, 40)}`;
	return {
		paymentMethodId: id,
		currency: 'BTC',
		destination,
		paymentLink: lnurl ? lnurlLink : lightning ? `lightning:${destination}` : `bitcoin:${destination}?amount=${due}`,
		rate: rate(invoice),
		paymentMethodPaid: fromScaled(paidHere, 8),
		totalPaid: fromScaled(totalPaid, 8),
		due: fromScaled(toScaled(due, 8) - totalPaid, 8),
		amount: due,
		paymentMethodFee: '0.00000000',
		payments: includePayments ? payments : [],
		activated: true,
		additionalData: {},
	};
}

/** DateTimeOffset.ToString(CultureInfo.InvariantCulture), as the invoice time is stored for search: `12/01/2026 09:05:03 +00:00`. */
function invariantDate(unixSeconds: number): string {
	const d = new Date(unixSeconds * 1000);
	const two = (n: number) => String(n).padStart(2, '0');
	return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +00:00`;
}

/** InvoiceRepository.CreateInvoiceAsync: the search terms stored for an invoice at creation. */
function creationSearchTerms(invoice: InvoiceRecord): string[] {
	const terms: Array<string | null | undefined> = [];
	for (const m of invoice.paymentMethods) {
		terms.push(destinationOf(invoice, m)); // prompt.Destination when not null (LNURL: null)
		terms.push(btcDue(invoice)); // prompt.Calculate().TotalDue.ToString() of activated prompts
	}
	terms.push(invoice.id, invariantDate(invoice.createdTime));
	if (!isUnsetTopUp(invoice)) terms.push(invoice.amount);
	terms.push(invoice.metadata.orderId as string | undefined, invoice.storeId, invoice.metadata.buyerEmail as string | undefined);
	terms.push(...invoice.additionalSearchTerms);
	// AddToTextSearch: blank terms dropped, duplicates once, each truncated to 512 characters.
	return [...new Set(terms.filter((t): t is string => typeof t === 'string' && t.trim() !== '').map((t) => t.slice(0, 512)))];
}

function addSearchTerms(invoice: InvoiceRecord, ...terms: string[]): void {
	const list = (invoice.searchTerms ??= []);
	for (const t of terms) if (t.trim() && !list.includes(t)) list.push(t.slice(0, 512));
}

/** Publishes an invoice webhook event (InvoiceTriggerProvider.GetWebhookEvent): own fields first, then storeId, invoiceId, metadata. */
function publishInvoiceEvent(emulator: BtcPayEmulator, invoice: InvoiceRecord, type: string, own: Json = {}): void {
	emulator.publish({ type, storeId: invoice.storeId, before: own, after: { invoiceId: invoice.id, metadata: invoice.metadata } });
}

interface PendingEvent {
	type: string;
	own: () => Json;
}

/**
 * One pass of InvoiceWatcher.UpdateInvoice (HostedServices/InvoiceWatcher.cs), in BTC (8 decimals):
 * expiry, paid in full (Processing), paid late, partial, over/under payment, settlement
 * once confirmed payments cover the minimum due, invalid after the monitoring deadline.
 */
function watcherPass(emulator: BtcPayEmulator, invoice: InvoiceRecord): PendingEvent[] {
	const events: PendingEvent[] = [];
	const now = emulator.now();
	const tolerance = BigInt(Math.round(Number(invoice.checkout.paymentTolerance ?? 0) * 100));
	const amounts = () => {
		const price = toScaled(btcDue(invoice), 8);
		const paid = accountedBtc(invoice);
		const netDue = price - paid;
		const minimumNetDue = (price * (10_000n - tolerance)) / 10_000n - paid;
		return { netDue, minimumNetDue, underPaid: minimumNetDue > 0n, overPaid: netDue < 0n };
	};
	const overPaidNow = () => ({ overPaid: invoice.additionalStatus === 'PaidOver' });
	if (invoice.status === 'New' && invoice.expirationTime <= now) {
		invoice.status = 'Expired';
		const partiallyPaid = invoice.additionalStatus === 'PaidPartial';
		events.push({ type: 'InvoiceExpired', own: () => ({ partiallyPaid }) });
		if (partiallyPaid) events.push({ type: 'InvoiceExpiredPaidPartial', own: () => ({}) });
	}
	const hasPayment = accountedBtc(invoice) > 0n || Object.values(invoice.payments).flat().some((p) => p.status !== 'Invalid');
	if (invoice.status === 'New' || invoice.status === 'Expired') {
		const isPaid = isUnsetTopUp(invoice) ? hasPayment : !amounts().underPaid;
		if (isPaid) {
			if (invoice.status === 'New') {
				events.push({ type: 'InvoiceProcessing', own: overPaidNow });
				invoice.status = 'Processing';
				if (isUnsetTopUp(invoice)) {
					invoice.additionalStatus = 'None';
					const first = Object.values(invoice.payments).flat().find((p) => p.status !== 'Invalid');
					invoice.topUpBtc = first?.value ?? '0.00000000';
					invoice.amount = paidAmount(invoice);
				} else {
					invoice.additionalStatus = amounts().overPaid ? 'PaidOver' : 'None';
				}
			} else if (invoice.status === 'Expired' && invoice.additionalStatus !== 'PaidLate') {
				invoice.additionalStatus = 'PaidLate';
				events.push({ type: 'InvoicePaidAfterExpiration', own: () => ({}) });
			}
		}
		if (hasPayment && amounts().underPaid && invoice.additionalStatus !== 'PaidPartial') invoice.additionalStatus = 'PaidPartial';
	}
	if (invoice.status === 'Processing') {
		const a = amounts();
		if (!a.underPaid && !a.overPaid && invoice.additionalStatus === 'PaidOver') invoice.additionalStatus = 'None';
		if (a.overPaid && invoice.additionalStatus !== 'PaidOver') invoice.additionalStatus = 'PaidOver';
		if (a.underPaid) {
			invoice.status = 'New';
			invoice.additionalStatus = hasPayment ? 'PaidPartial' : 'None';
		}
	}
	if (invoice.status === 'Processing') {
		const unconfirmed = accountedBtc(invoice, ['Processing']);
		const minimumDue = amounts().minimumNetDue + unconfirmed;
		if (invoice.monitoringExpiration < now && minimumDue > 0n) {
			events.push({ type: 'InvoiceInvalid', own: () => ({ manuallyMarked: false }) }); // FailedToConfirm
			invoice.status = 'Invalid';
		} else if (minimumDue <= 0n) {
			invoice.status = 'Settled';
			events.push({ type: 'InvoiceSettled', own: () => ({ manuallyMarked: false, ...overPaidNow() }) }); // Confirmed
		}
	}
	return events;
}

/** InvoiceWatcher.StartLoop: up to 6 passes while a pass produced events; then the events are published. */
function runWatcher(emulator: BtcPayEmulator, invoice: InvoiceRecord): void {
	for (let loop = 0; loop < 6; loop++) {
		const events = watcherPass(emulator, invoice);
		// The webhook provider reads the invoice when it builds the payload, after the pass (overPaid, metadata).
		for (const e of events) publishInvoiceEvent(emulator, invoice, e.type, e.own());
		if (!events.length) break;
	}
}

export interface SimulatedPaymentOptions {
	/** BTC-CHAIN, BTC-LN or BTC-LNURL (default: the invoice's first payment method). */
	paymentMethodId?: string;
	/** BTC value (decimal string, default: what is still due, or the full due amount when nothing is). */
	value?: string;
	/**
	 * Payment status: Lightning payments are recorded Settled (LightningListener), on-chain
	 * ones Processing until confirmPayment (default per method).
	 */
	status?: 'Processing' | 'Settled';
	/**
	 * Emulator-only: the invoice watcher recomputes the status only after this many
	 * wall-clock ms (default 0: at once). BTCPay's watcher runs asynchronously after
	 * the payment events, so a receiver reading the invoice on InvoiceReceivedPayment
	 * can still see New/None while the payment is already in payments[]; this makes
	 * that window visible to tests.
	 */
	statusDelayMs?: number;
}

/**
 * Emulator-only test hook (a customer pays): adds the payment to the invoice's payment
 * method `payments[]`, then publishes what BTCPay publishes, in its order:
 * InvoicePaymentSettled first when the payment is already settled (PaymentService.AddPayment,
 * Lightning), InvoiceReceivedPayment (listener, afterExpiration when the invoice is
 * Expired/Invalid), then the watcher's InvoiceProcessing / InvoiceSettled /
 * InvoicePaidAfterExpiration. A BTC-LNURL payment first "scans" the LNURL (destination set).
 */
export function simulatePayment(emulator: BtcPayEmulator, invoiceId: string, options: SimulatedPaymentOptions = {}): { invoice: InvoiceRecord; payment: InvoicePaymentRecord } {
	emulator.tick();
	const invoice = invoicesOf(emulator).get(invoiceId);
	if (!invoice) throw new Error(`no invoice ${invoiceId}`);
	const method = options.paymentMethodId ?? invoice.paymentMethods[0];
	if (!invoice.paymentMethods.includes(method)) throw new Error(`invoice ${invoiceId} has no payment method ${method}`);
	const lightning = method.endsWith('-LN') || method.endsWith('-LNURL');
	const remaining = toScaled(btcDue(invoice), 8) - accountedBtc(invoice);
	const value = options.value !== undefined ? fromScaled(toScaled(options.value, 8), 8) : fromScaled(remaining > 0n ? remaining : toScaled(btcDue(invoice), 8), 8);
	if (method.endsWith('-LNURL') && !invoice.lnurlDestination) {
		invoice.lnurlDestination = `lnbcrt${invoice.id.toLowerCase()}lnurl`;
		addSearchTerms(invoice, invoice.lnurlDestination);
	}
	const payment: InvoicePaymentRecord = {
		id: lightning ? randomBytes(32).toString('hex') : `${randomBytes(32).toString('hex')}-0`,
		receivedDate: emulator.now(),
		value,
		fee: '0.00000000',
		status: options.status ?? (lightning ? 'Settled' : 'Processing'),
		destination: String(destinationOf(invoice, method)),
	};
	(invoice.payments[method] ??= []).push(payment);
	if (lightning) addSearchTerms(invoice, payment.destination); // LightningListener: AddPayment(..., [BOLT11])
	const own = () => ({ afterExpiration: invoice.status === 'Expired' || invoice.status === 'Invalid', paymentMethodId: method, payment: { ...payment } });
	if (payment.status === 'Settled') publishInvoiceEvent(emulator, invoice, 'InvoicePaymentSettled', own());
	publishInvoiceEvent(emulator, invoice, 'InvoiceReceivedPayment', own());
	if (options.statusDelayMs && options.statusDelayMs > 0) {
		invoice.watcherHeldUntil = Date.now() + options.statusDelayMs;
		setTimeout(() => {
			invoice.watcherHeldUntil = undefined;
			runWatcher(emulator, invoice);
		}, options.statusDelayMs).unref();
	} else runWatcher(emulator, invoice);
	return { invoice, payment };
}

/**
 * Emulator-only test hook (the chain confirms, or drops, an on-chain payment):
 * PaymentService.UpdatePayments publishes InvoicePaymentSettled when a payment becomes
 * Settled; the watcher then settles the invoice (InvoiceSettled), or, for a payment
 * that became Invalid (double spend), moves it back.
 */
export function confirmPayment(emulator: BtcPayEmulator, invoiceId: string, paymentId: string, status: 'Settled' | 'Invalid' = 'Settled'): InvoicePaymentRecord {
	emulator.tick();
	const invoice = invoicesOf(emulator).get(invoiceId);
	if (!invoice) throw new Error(`no invoice ${invoiceId}`);
	for (const [method, payments] of Object.entries(invoice.payments)) {
		const payment = payments.find((p) => p.id === paymentId);
		if (!payment) continue;
		const wasSettled = payment.status === 'Settled';
		payment.status = status;
		if (!wasSettled && status === 'Settled') {
			publishInvoiceEvent(emulator, invoice, 'InvoicePaymentSettled', {
				afterExpiration: invoice.status === 'Expired' || invoice.status === 'Invalid',
				paymentMethodId: method,
				payment: { ...payment },
			});
		}
		runWatcher(emulator, invoice);
		return payment;
	}
	throw new Error(`no payment ${paymentId} on invoice ${invoiceId}`);
}

/** Emits an InvoiceRefund event (PullPaymentHostedService.CreateRefundPullPayment). */
export function publishRefund(emulator: BtcPayEmulator, invoice: InvoiceRecord, pullPaymentId: string): void {
	publishInvoiceEvent(emulator, invoice, 'InvoiceRefund', { pullPaymentId });
}

/** Publishes InvoiceCreated for an invoice just stored (also used by payment requests). */
export function publishCreated(emulator: BtcPayEmulator, invoice: InvoiceRecord): void {
	invoice.searchTerms = creationSearchTerms(invoice);
	publishInvoiceEvent(emulator, invoice, 'InvoiceCreated');
}

/**
 * Emulator-only, state-only test hook: records a payment and sets the invoice's
 * status at once WITHOUT publishing any webhook event (for tests that then send
 * hand-built deliveries with sendWebhookEvent). Use simulatePayment for the
 * server's behaviour (events, watcher).
 */
export function payInvoice(
	emulator: BtcPayEmulator,
	invoiceId: string,
	options: { paymentMethodId?: string; btc?: string; status?: 'Processing' | 'Settled' } = {},
): InvoiceRecord {
	const invoice = invoicesOf(emulator).get(invoiceId);
	if (!invoice) throw new Error(`no invoice ${invoiceId}`);
	const method = options.paymentMethodId ?? invoice.paymentMethods[0];
	const value = options.btc ?? btcDue(invoice);
	(invoice.payments[method] ??= []).push({
		id: base58Id(16),
		receivedDate: emulator.now(),
		value: fromScaled(toScaled(value, 8), 8),
		fee: '0.00000000',
		status: options.status ?? 'Settled',
		destination: String(destinationOf(invoice, method)),
	});
	const total = Object.values(invoice.payments).flat().reduce((s, p) => s + toScaled(p.value, 8), 0n);
	const due = toScaled(btcDue(invoice), 8);
	if (invoice.type === 'TopUp' || total >= due) {
		invoice.status = options.status === 'Processing' ? 'Processing' : 'Settled';
		invoice.additionalStatus = total > due && invoice.type !== 'TopUp' ? 'PaidOver' : 'None';
	} else {
		invoice.additionalStatus = 'PaidPartial';
	}
	return invoice;
}

function createInvoice(emulator: BtcPayEmulator, req: EmulatorRequest): EmulatorResponse {
	return createStoreInvoice(emulator, req.params.storeId, (req.body ?? {}) as Json);
}

/**
 * UIInvoiceController.CreateInvoiceCoreRaw as the Greenfield route and BTCPay's own services use it
 * (plan checkouts pass internal tags: SubscriptionHostedService.CreateInvoiceForCheckout).
 */
export function createStoreInvoice(emulator: BtcPayEmulator, storeId: string, body: Json, internalTags: string[] = []): EmulatorResponse {
	const store = findStore(emulator, storeId);
	if (!store) return storeNotFound();
	const errors: Array<{ path: string; message: string }> = [];
	const currency = typeof body.currency === 'string' && body.currency ? body.currency.toUpperCase() : store.defaultCurrency;
	let amount = '0';
	let type: InvoiceRecord['type'] = 'TopUp';
	if (body.amount !== undefined && body.amount !== null) {
		try {
			amount = parseDecimalAmount(body.amount, 'amount', { allowZero: true });
			type = 'Standard';
			const decimals = currencyDecimals(currency);
			if (amount.includes('.') && amount.split('.')[1].length > decimals) {
				const [i, f] = amount.split('.');
				amount = f.slice(0, decimals) ? `${i}.${f.slice(0, decimals)}` : i;
			}
		} catch {
			errors.push({ path: 'Amount', message: 'The amount should be 0 or more.' });
		}
	}
	const checkout = (body.checkout ?? {}) as Json;
	const minutes = checkout.expirationMinutes;
	// GreenfieldInvoiceController.CreateInvoice: AddModelError(r => r.Checkout.Expiration, ...) gives the
	// C# property path (PascalCase), as for Checkout.PaymentMethods[i] and Checkout.PaymentTolerance.
	if (minutes !== undefined && minutes !== null && (typeof minutes !== 'number' || minutes * 60 < 30)) {
		errors.push({ path: 'Checkout.Expiration', message: 'Expiration time must be at least 30 seconds' });
	}
	const tolerance = checkout.paymentTolerance;
	if (tolerance !== undefined && tolerance !== null && (typeof tolerance !== 'number' || tolerance < 0 || tolerance > 100)) {
		errors.push({ path: 'Checkout.PaymentTolerance', message: 'PaymentTolerance can only be between 0 and 100 percent' });
	}
	// An unknown enum value fails JSON model binding; its ModelState key is the JSON path (not PascalCase).
	if (checkout.speedPolicy != null && !['HighSpeed', 'MediumSpeed', 'LowMediumSpeed', 'LowSpeed'].includes(String(checkout.speedPolicy))) {
		errors.push({ path: 'checkout.speedPolicy', message: 'The value is not a valid speed policy' });
	}
	const enabled = storePaymentMethods(emulator, store.id);
	const requested = Array.isArray(checkout.paymentMethods) && checkout.paymentMethods.length ? (checkout.paymentMethods as unknown[]) : undefined;
	requested?.forEach((m, i) => {
		if (typeof m !== 'string' || !['BTC-CHAIN', 'BTC-LN', 'BTC-LNURL', 'BTC', 'BTC-LightningNetwork'].includes(m)) {
			errors.push({ path: `Checkout.PaymentMethods[${i}]`, message: 'Invalid PaymentMethodId' });
		}
	});
	if (errors.length) return validationError(...errors);
	// Legacy ids are parsed to the current ones (PaymentMethodId.TryParse); only the store's enabled
	// methods are created (an invoice gets the store's methods when none are requested).
	const legacy: Record<string, string> = { BTC: 'BTC-CHAIN', 'BTC-LightningNetwork': 'BTC-LN' };
	const methods = (requested ? [...new Set((requested as string[]).map((m) => legacy[m] ?? m))] : enabled).filter((m) => enabled.includes(m));
	// No rate for the currency, or no usable payment method: BitpayHttpException → CreateAPIError(null, message), 400 with code null.
	if (!RATES[currency]) return { status: 400, body: { code: null, message: `Currency ${currency} is not supported (no rate)` } };
	if (!methods.length) return { status: 400, body: { code: null, message: 'No payment method available for this store' } };
	const now = emulator.now();
	const expirationMinutes = typeof minutes === 'number' ? minutes : Math.floor(store.invoiceExpiration / 60);
	const seq = ((emulator.state.invoiceSeq as number | undefined) ?? 0) + 1;
	emulator.state.invoiceSeq = seq;
	const invoice: InvoiceRecord = {
		id: base58Id(16),
		storeId: store.id,
		amount,
		currency,
		type,
		createdTime: now,
		expirationTime: now + expirationMinutes * 60,
		monitoringExpiration: now + expirationMinutes * 60 + store.monitoringExpiration,
		status: 'New',
		additionalStatus: 'None',
		archived: false,
		metadata: (body.metadata as Json) ?? {},
		checkout: {
			speedPolicy: (checkout.speedPolicy as string) ?? store.speedPolicy,
			paymentMethods: methods,
			defaultPaymentMethod: (checkout.defaultPaymentMethod as string) ?? null,
			lazyPaymentMethods: false,
			expirationMinutes,
			monitoringMinutes: Math.floor(store.monitoringExpiration / 60),
			paymentTolerance: (checkout.paymentTolerance as number) ?? store.paymentTolerance,
			redirectURL: (checkout.redirectURL as string) ?? null,
			redirectAutomatically: (checkout.redirectAutomatically as boolean) ?? store.redirectAutomatically,
			defaultLanguage: (checkout.defaultLanguage as string) ?? null,
		},
		additionalSearchTerms: Array.isArray(body.additionalSearchTerms) ? (body.additionalSearchTerms as string[]) : [],
		paymentMethods: methods,
		payments: {},
		seq,
		internalTags,
	};
	invoicesOf(emulator).set(invoice.id, invoice);
	publishCreated(emulator, invoice);
	return { status: 200, body: toInvoiceData(emulator, invoice) };
}

function listInvoices(emulator: BtcPayEmulator, req: EmulatorRequest): EmulatorResponse {
	if (!findStore(emulator, req.params.storeId)) return storeNotFound();
	const q = req.query;
	// Unknown statuses are dropped; when none is left no status filter applies (real behaviour).
	const statuses = q.getAll('status').filter((s) => INVOICE_STATUSES.includes(s));
	const orderIds = q.getAll('orderId');
	const text = q.get('textSearch');
	const start = q.get('startDate') ? Number(q.get('startDate')) : undefined;
	const end = q.get('endDate') ? Number(q.get('endDate')) : undefined;
	const skip = Number(q.get('skip') ?? 0) || 0;
	const take = q.get('take') !== null ? Number(q.get('take')) : undefined;
	let list = [...invoicesOf(emulator).values()].filter((i) => i.storeId === req.params.storeId);
	list.forEach((i) => refreshExpiry(emulator, i));
	// includeArchived defaults to false in GreenfieldInvoiceController.GetInvoices.
	if (q.get('includeArchived') !== 'true') list = list.filter((i) => !i.archived);
	if (statuses.length) list = list.filter((i) => statuses.includes(i.status));
	if (orderIds.length) list = list.filter((i) => orderIds.includes(String(i.metadata.orderId ?? '')));
	// InvoiceRepository.GetInvoices: InvoiceSearchData.Any(data => data.Value.StartsWith(text)), the
	// text truncated to 512: a case-sensitive prefix match over the stored search terms only.
	if (text) {
		const prefix = text.slice(0, 512);
		list = list.filter((i) => (i.searchTerms ?? creationSearchTerms(i)).some((v) => v.startsWith(prefix)));
	}
	if (start !== undefined) list = list.filter((i) => i.createdTime >= start);
	if (end !== undefined) list = list.filter((i) => i.createdTime <= end);
	list.sort((a, b) => b.createdTime - a.createdTime || b.seq - a.seq);
	list = list.slice(skip, take === undefined ? undefined : skip + take);
	const withMethods = q.get('includePaymentMethods') === 'true';
	return { status: 200, body: list.map((i) => (withMethods ? { ...toInvoiceData(emulator, i), paymentMethods: i.paymentMethods.map((m) => paymentMethodData(i, m)) } : toInvoiceData(emulator, i))) };
}

/**
 * Resolves the invoice of a nested or flat path. An unknown id or another store's invoice
 * was already answered 403 by the authorization (server.ts, BuiltInPermissionScopeProvider.cs);
 * the 404 remains for the action's own check (GetInvoiceDataOrNull).
 */
function resolve(emulator: BtcPayEmulator, req: EmulatorRequest): InvoiceRecord | EmulatorResponse {
	if (req.params.storeId && !findStore(emulator, req.params.storeId)) return storeNotFound();
	const invoice = invoicesOf(emulator).get(req.params.invoiceId);
	if (!invoice || (req.params.storeId && invoice.storeId !== req.params.storeId)) return invoiceNotFound();
	return invoice;
}

function isResponse(v: InvoiceRecord | EmulatorResponse): v is EmulatorResponse {
	return typeof (v as EmulatorResponse).status === 'number' && !('storeId' in v);
}

export function register(emulator: BtcPayEmulator): void {
	emulator.registerOwner('invoiceId', (id) => invoicesOf(emulator).get(id)?.storeId);
	emulator.addWatcher(() => {
		for (const invoice of invoicesOf(emulator).values()) {
			if ((invoice.status === 'New' || invoice.status === 'Processing') && !held(invoice)) runWatcher(emulator, invoice);
		}
	});
	const both = (method: string, suffix: string, handler: (req: EmulatorRequest) => EmulatorResponse) => {
		emulator.route(method, `/api/v1/stores/{storeId}/invoices/{invoiceId}${suffix}`, handler);
		emulator.route(method, `/api/v1/invoices/{invoiceId}${suffix}`, handler);
	};

	emulator.route('POST', '/api/v1/stores/{storeId}/invoices', (req) => createInvoice(emulator, req));
	emulator.route('GET', '/api/v1/stores/{storeId}/invoices', (req) => listInvoices(emulator, req));

	both('GET', '', (req) => {
		const found = resolve(emulator, req);
		return isResponse(found) ? found : { status: 200, body: toInvoiceData(emulator, found) };
	});
	both('DELETE', '', (req) => {
		const found = resolve(emulator, req);
		if (isResponse(found)) return found;
		found.archived = true;
		return { status: 200 };
	});
	both('POST', '/unarchive', (req) => {
		const found = resolve(emulator, req);
		if (isResponse(found)) return found;
		// GreenfieldInvoiceController.UnarchiveInvoice
		if (!found.archived) return { status: 400, body: { code: 'already-unarchived', message: 'Invoice is already unarchived' } };
		found.archived = false;
		return { status: 200, body: toInvoiceData(emulator, found) };
	});
	both('POST', '/status', (req) => {
		const found = resolve(emulator, req);
		if (isResponse(found)) return found;
		refreshExpiry(emulator, found);
		// GreenfieldInvoiceController.MarkInvoiceStatus + InvoiceRepository.MarkInvoiceStatus: Settled needs
		// CanMarkComplete, Invalid needs CanMarkInvalid (a Settled invoice only when it was marked by hand);
		// anything else is the same 422. The event is MarkedCompleted (InvoiceSettled, manuallyMarked) or
		// MarkedInvalid (InvoiceInvalid, manuallyMarked).
		const status = (req.body as Json | undefined)?.status;
		const allowed = status === 'Settled' ? canMarkComplete(found) : status === 'Invalid' ? canMarkInvalid(found) : false;
		if (!allowed) return validationError({ path: 'Status', message: 'Status can only be marked to invalid or settled within certain conditions.' });
		found.status = String(status);
		found.additionalStatus = 'Marked';
		if (status === 'Settled') publishInvoiceEvent(emulator, found, 'InvoiceSettled', { manuallyMarked: true, overPaid: false });
		else publishInvoiceEvent(emulator, found, 'InvoiceInvalid', { manuallyMarked: true });
		return { status: 200, body: toInvoiceData(emulator, found) };
	});
	both('GET', '/payment-methods', (req) => {
		const found = resolve(emulator, req);
		if (isResponse(found)) return found;
		if (req.query.get('includeSensitive') === 'true' && req.apiKey && !emulator.hasPermission(req.apiKey, 'btcpay.store.canmodifystoresettings', found.storeId)) {
			return {
				status: 403,
				body: {
					code: 'missing-permission',
					message: 'Insufficient API Permissions. Please use an API key with permission "btcpay.store.canmodifystoresettings". You can create an API key in your account\'s settings / Api Keys.',
					missingPermission: 'btcpay.store.canmodifystoresettings',
				},
			};
		}
		return { status: 200, body: found.paymentMethods.map((m) => paymentMethodData(found, m)) };
	});
}
