/**
 * Invoices: create, list (filters, skip/take), get, archive, unarchive, mark
 * status, payment methods. Served on the store-nested paths and on the flat
 * 2.4 aliases. Amounts are exact decimal strings (nodes/shared/amounts).
 */
import { currencyDecimals, fromScaled, parseDecimalAmount, toScaled } from '../../../nodes/shared/amounts';
import { base58Id, notFound, validationError, type BtcPayEmulator, type EmulatorRequest, type EmulatorResponse, type Json } from '../server';
import { findStore, storeNotFound } from './stores';

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
}

export function invoicesOf(emulator: BtcPayEmulator): Map<string, InvoiceRecord> {
	return ((emulator.state.invoices as Map<string, InvoiceRecord> | undefined) ??= new Map()) as Map<string, InvoiceRecord>;
}

const invoiceNotFound = () => notFound('invoice-not-found', 'The invoice is not found');

function refreshExpiry(emulator: BtcPayEmulator, invoice: InvoiceRecord): void {
	if (invoice.status === 'New' && emulator.now() >= invoice.expirationTime) {
		invoice.status = 'Expired';
		const paid = paidAmount(invoice);
		if (paid !== '0' && toScaled(paid, 8) > 0n) invoice.additionalStatus = 'PaidPartial';
	}
}

function available(status: string): string[] {
	switch (status) {
		case 'New':
		case 'Processing':
		case 'Expired':
			return ['Settled', 'Invalid'];
		case 'Settled':
			return ['Invalid'];
		case 'Invalid':
			return ['Settled'];
		default:
			return [];
	}
}

function rate(invoice: InvoiceRecord): string {
	return RATES[invoice.currency] ?? '1';
}

/** Amount paid, in the invoice currency (exact, currency decimals). */
function paidAmount(invoice: InvoiceRecord): string {
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
	return invoice.type === 'TopUp' ? '0.00000000' : toBtc(invoice.amount, rate(invoice));
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
		availableStatusesForManualMarking: available(invoice.status),
		archived: invoice.archived,
		metadata: invoice.metadata,
		checkout: invoice.checkout,
		receipt: { enabled: null, showQR: null, showPayments: null },
	};
}

function paymentMethodData(invoice: InvoiceRecord, id: string, includePayments = true): Json {
	const due = btcDue(invoice);
	const payments = invoice.payments[id] ?? [];
	const paidHere = payments.filter((p) => p.status !== 'Invalid').reduce((s, p) => s + toScaled(p.value, 8), 0n);
	const totalPaid = Object.values(invoice.payments)
		.flat()
		.filter((p) => p.status !== 'Invalid')
		.reduce((s, p) => s + toScaled(p.value, 8), 0n);
	const lightning = id.endsWith('-LN') || id.endsWith('-LNURL');
	const destination = lightning ? `lnbcrt${invoice.id.toLowerCase()}` : `bcrt1q${invoice.id.toLowerCase().slice(0, 30)}`;
	return {
		paymentMethodId: id,
		currency: 'BTC',
		destination,
		paymentLink: lightning ? `lightning:${destination}` : `bitcoin:${destination}?amount=${due}`,
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

/** Test hook: records a payment on an invoice and updates its status like BTCPay does. */
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
		destination: String(paymentMethodData(invoice, method).destination),
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
	const store = findStore(emulator, req.params.storeId);
	if (!store) return storeNotFound();
	const body = (req.body ?? {}) as Json;
	const errors: Array<{ path: string; message: string }> = [];
	const currency = typeof body.currency === 'string' && body.currency ? body.currency.toUpperCase() : store.defaultCurrency;
	if (!RATES[currency]) errors.push({ path: 'currency', message: `Currency ${currency} is not supported` });
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
			errors.push({ path: 'amount', message: 'The amount should be 0 or more.' });
		}
	}
	const checkout = (body.checkout ?? {}) as Json;
	const minutes = checkout.expirationMinutes;
	if (minutes !== undefined && minutes !== null && (typeof minutes !== 'number' || minutes < 1 || minutes > 34_560)) {
		errors.push({ path: 'checkout.expirationMinutes', message: 'Expiration time must be between 1 minute and 24 days' });
	}
	if (checkout.speedPolicy != null && !['HighSpeed', 'MediumSpeed', 'LowMediumSpeed', 'LowSpeed'].includes(String(checkout.speedPolicy))) {
		errors.push({ path: 'checkout.speedPolicy', message: 'The value is not a valid speed policy' });
	}
	const methods = Array.isArray(checkout.paymentMethods) && checkout.paymentMethods.length ? (checkout.paymentMethods as string[]) : ['BTC-CHAIN', 'BTC-LN'];
	for (const m of methods) {
		if (!['BTC-CHAIN', 'BTC-LN', 'BTC-LNURL', 'BTC', 'BTC-LightningNetwork'].includes(m)) errors.push({ path: 'checkout.paymentMethods', message: `Invalid payment method ${m}` });
	}
	if (errors.length) return validationError(...errors);
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
	};
	invoicesOf(emulator).set(invoice.id, invoice);
	return { status: 200, body: toInvoiceData(emulator, invoice) };
}

function listInvoices(emulator: BtcPayEmulator, req: EmulatorRequest): EmulatorResponse {
	if (!findStore(emulator, req.params.storeId)) return storeNotFound();
	const q = req.query;
	// Unknown statuses are dropped; when none is left no status filter applies (real behaviour).
	const statuses = q.getAll('status').filter((s) => INVOICE_STATUSES.includes(s));
	const orderIds = q.getAll('orderId');
	const text = q.get('textSearch')?.toLowerCase();
	const start = q.get('startDate') ? Number(q.get('startDate')) : undefined;
	const end = q.get('endDate') ? Number(q.get('endDate')) : undefined;
	const skip = Number(q.get('skip') ?? 0) || 0;
	const take = q.get('take') !== null ? Number(q.get('take')) : undefined;
	let list = [...invoicesOf(emulator).values()].filter((i) => i.storeId === req.params.storeId);
	list.forEach((i) => refreshExpiry(emulator, i));
	if (statuses.length) list = list.filter((i) => statuses.includes(i.status));
	if (orderIds.length) list = list.filter((i) => orderIds.includes(String(i.metadata.orderId ?? '')));
	if (text) {
		list = list.filter((i) =>
			[i.id, JSON.stringify(i.metadata), ...i.additionalSearchTerms].some((v) => v.toLowerCase().includes(text)),
		);
	}
	if (start !== undefined) list = list.filter((i) => i.createdTime >= start);
	if (end !== undefined) list = list.filter((i) => i.createdTime <= end);
	list.sort((a, b) => b.createdTime - a.createdTime || b.seq - a.seq);
	list = list.slice(skip, take === undefined ? undefined : skip + take);
	const withMethods = q.get('includePaymentMethods') === 'true';
	return { status: 200, body: list.map((i) => (withMethods ? { ...toInvoiceData(emulator, i), paymentMethods: i.paymentMethods.map((m) => paymentMethodData(i, m)) } : toInvoiceData(emulator, i))) };
}

/** Resolves the invoice of a nested or flat path (404 answers when absent or in another store). */
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
	const storeOf = (req: EmulatorRequest) => invoicesOf(emulator).get(req.params.invoiceId)?.storeId;
	const both = (method: string, suffix: string, handler: (req: EmulatorRequest) => EmulatorResponse) => {
		emulator.route(method, `/api/v1/stores/{storeId}/invoices/{invoiceId}${suffix}`, handler);
		emulator.route(method, `/api/v1/invoices/{invoiceId}${suffix}`, handler, { storeOf });
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
		found.archived = false;
		return { status: 200, body: toInvoiceData(emulator, found) };
	});
	both('POST', '/status', (req) => {
		const found = resolve(emulator, req);
		if (isResponse(found)) return found;
		refreshExpiry(emulator, found);
		const status = (req.body as Json | undefined)?.status;
		if (status !== 'Settled' && status !== 'Invalid') return validationError({ path: 'status', message: 'Status can only be marked to Settled or Invalid' });
		if (!available(found.status).includes(status)) {
			return validationError({ path: 'status', message: `Invoice in status ${found.status} cannot be marked as ${status}` });
		}
		found.status = status;
		found.additionalStatus = 'Marked';
		return { status: 200, body: toInvoiceData(emulator, found) };
	});
	both('GET', '/payment-methods', (req) => {
		const found = resolve(emulator, req);
		if (isResponse(found)) return found;
		if (req.query.get('includeSensitive') === 'true' && req.apiKey && !emulator.hasPermission(req.apiKey, 'btcpay.store.canmodifystoresettings', found.storeId)) {
			return { status: 403, body: { code: 'missing-permission', message: 'includeSensitive requires canmodifystoresettings', missingPermission: 'btcpay.store.canmodifystoresettings' } };
		}
		return { status: 200, body: found.paymentMethods.map((m) => paymentMethodData(found, m)) };
	});
}
