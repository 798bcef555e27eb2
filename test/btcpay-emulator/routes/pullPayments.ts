/**
 * Pull payments, payouts and invoice refunds. A refund creates a pull payment
 * from a settled invoice (amount per refund variant, minus the subtracted
 * percentage); payouts move AwaitingApproval → AwaitingPayment (approve, with
 * revision check) → Completed (mark paid), or Cancelled. Amounts are exact.
 * Source: BTCPayServer/Controllers/GreenField/GreenfieldPullPaymentController.cs,
 * GreenfieldInvoiceController.RefundInvoice, HostedServices/PullPaymentHostedService.cs,
 * whose PayoutEvents (Created on claim, Approved on approval, Updated on mark
 * paid and cancel) and InvoiceEvent.Refund become PayoutCreated / PayoutApproved /
 * PayoutUpdated / InvoiceRefund webhooks (Plugins/Webhooks/TriggerProviders/PayoutTriggerProvider.cs).
 * Store routes are served nested and on the flat 2.4 aliases.
 */
import { currencyDecimals, decimalPlaces, fromScaled, parseDecimalAmount, toScaled } from '../../../nodes/shared/amounts';
import { base58Id, notFound, validationError, type BtcPayEmulator, type EmulatorRequest, type EmulatorResponse, type Json } from '../server';
import { findStore, storeNotFound } from './stores';
import { RATES, invoicesOf, publishRefund, type InvoiceRecord } from './invoices';

export interface PullPaymentRecord {
	id: string;
	storeId: string;
	name: string;
	description: string;
	currency: string;
	amount: string;
	BOLT11Expiration: number;
	autoApproveClaims: boolean;
	archived: boolean;
	startsAt: number | null;
	expiresAt: number | null;
	payoutMethods: string[];
	createdTime: number;
}

export interface PayoutRecord {
	id: string;
	storeId: string;
	revision: number;
	pullPaymentId: string | null;
	date: number;
	destination: string;
	originalCurrency: string;
	originalAmount: string;
	payoutCurrency: string;
	payoutAmount: string | null;
	payoutMethodId: string;
	state: 'AwaitingApproval' | 'AwaitingPayment' | 'InProgress' | 'Completed' | 'Cancelled';
	metadata: Json;
}

export function pullPaymentsOf(emulator: BtcPayEmulator): Map<string, PullPaymentRecord> {
	return ((emulator.state.pullPayments as Map<string, PullPaymentRecord> | undefined) ??= new Map()) as Map<string, PullPaymentRecord>;
}

export function payoutsOf(emulator: BtcPayEmulator): Map<string, PayoutRecord> {
	return ((emulator.state.payouts as Map<string, PayoutRecord> | undefined) ??= new Map()) as Map<string, PayoutRecord>;
}

const PAYOUT_METHODS = ['BTC-CHAIN', 'BTC-LN'];

/** PayoutTriggerProvider.GetWebhookEvent: storeId, then payoutId, pullPaymentId, payoutState (JsonProperty Order). */
function publishPayout(emulator: BtcPayEmulator, type: 'PayoutCreated' | 'PayoutApproved' | 'PayoutUpdated', payout: PayoutRecord): void {
	emulator.publish({ type, storeId: payout.storeId, after: { payoutId: payout.id, pullPaymentId: payout.pullPaymentId, payoutState: payout.state } });
}
const ppNotFound = () => notFound('pullpayment-not-found', 'The pull payment was not found');
const payoutNotFound = () => notFound('payout-not-found', 'The payout was not found');
const badRequest = (code: string, message: string): EmulatorResponse => ({ status: 400, body: { code, message } });

export function toPullPaymentData(emulator: BtcPayEmulator, pp: PullPaymentRecord): Json {
	return {
		id: pp.id,
		name: pp.name,
		description: pp.description,
		currency: pp.currency,
		amount: fromScaled(toScaled(pp.amount, currencyDecimals(pp.currency)), currencyDecimals(pp.currency)),
		BOLT11Expiration: String(pp.BOLT11Expiration),
		autoApproveClaims: pp.autoApproveClaims,
		archived: pp.archived,
		viewLink: `${emulator.url}/pull-payments/${pp.id}`,
	};
}

export function toPayoutData(payout: PayoutRecord): Json {
	return {
		id: payout.id,
		revision: payout.revision,
		pullPaymentId: payout.pullPaymentId ?? undefined,
		date: String(payout.date),
		destination: payout.destination,
		originalCurrency: payout.originalCurrency,
		originalAmount: payout.originalAmount,
		payoutCurrency: payout.payoutCurrency,
		payoutAmount: payout.payoutAmount,
		payoutMethodId: payout.payoutMethodId,
		state: payout.state,
		metadata: payout.metadata,
	};
}

/** amount (in `currency`) → BTC with 8 decimals, exact (rounded half-up). */
function toBtc(amount: string, currency: string): string {
	const price = RATES[currency] ?? '1';
	const a = toScaled(amount, 12);
	const p = toScaled(price, 12);
	const q = (a * 10n ** 9n) / p;
	return fromScaled((q + 5n) / 10n, 8);
}

/** amount × (100 − percentage) / 100, rounded down to `scale` decimals. */
function subtract(amount: string, percentage: string | undefined, scale: number): string {
	const a = toScaled(amount, scale);
	if (!percentage) return fromScaled(a, scale);
	const ps = decimalPlaces(percentage);
	const keep = 100n * 10n ** BigInt(ps) - toScaled(percentage, ps);
	return fromScaled((a * keep) / (100n * 10n ** BigInt(ps)), scale);
}

function paidBtc(invoice: InvoiceRecord): bigint {
	return Object.values(invoice.payments)
		.flat()
		.filter((p) => p.status !== 'Invalid')
		.reduce((s, p) => s + toScaled(p.value, 8), 0n);
}

function newPullPayment(emulator: BtcPayEmulator, fields: Omit<PullPaymentRecord, 'id' | 'createdTime' | 'archived'>): PullPaymentRecord {
	const pp: PullPaymentRecord = { id: base58Id(16), createdTime: emulator.now(), archived: false, ...fields };
	pullPaymentsOf(emulator).set(pp.id, pp);
	return pp;
}

function refund(emulator: BtcPayEmulator, req: EmulatorRequest): EmulatorResponse {
	if (req.params.storeId && !findStore(emulator, req.params.storeId)) return storeNotFound();
	const invoice = invoicesOf(emulator).get(req.params.invoiceId);
	if (!invoice || (req.params.storeId && invoice.storeId !== req.params.storeId)) return notFound('invoice-not-found', 'The invoice is not found');
	const store = findStore(emulator, invoice.storeId);
	const body = (req.body ?? {}) as Json;
	if (invoice.status !== 'Settled' && invoice.additionalStatus !== 'PaidPartial') {
		// The spec documents this route's 400 as a validation list.
		return { status: 400, body: [{ path: 'InvoiceId', message: 'Cannot refund this invoice: it is not settled' }] };
	}
	let percentage: string | undefined;
	if (body.subtractPercentage !== undefined && body.subtractPercentage !== null) {
		try {
			percentage = parseDecimalAmount(body.subtractPercentage as string, 'subtractPercentage', { allowZero: true });
		} catch {
			return validationError({ path: 'SubtractPercentage', message: 'Percentage must be a numeric value between 0 and 100' });
		}
		if (toScaled(percentage, 8) >= toScaled('100', 8)) return validationError({ path: 'SubtractPercentage', message: 'Percentage must be a numeric value between 0 and 100' });
	}
	const paid = paidBtc(invoice);
	let currency = 'BTC';
	let amount: string;
	switch (body.refundVariant) {
		case 'RateThen':
			amount = fromScaled(paid, 8);
			break;
		case 'CurrentRate':
			amount = toBtc(invoice.amount, invoice.currency);
			break;
		case 'Fiat':
			currency = invoice.currency;
			amount = invoice.amount;
			break;
		case 'OverpaidAmount': {
			const over = paid - toScaled(toBtc(invoice.amount, invoice.currency), 8);
			if (over <= 0n) return validationError({ path: 'RefundVariant', message: 'Invoice is not overpaid' });
			amount = fromScaled(over, 8);
			break;
		}
		case 'Custom': {
			if (typeof body.customCurrency !== 'string' || !RATES[body.customCurrency.toUpperCase()]) {
				return validationError({ path: 'CustomCurrency', message: 'Invalid currency' });
			}
			currency = body.customCurrency.toUpperCase();
			try {
				amount = parseDecimalAmount(body.customAmount as string, 'customAmount', { maxDecimals: currencyDecimals(currency) });
			} catch {
				return validationError({ path: 'CustomAmount', message: 'Amount must be greater than 0' });
			}
			break;
		}
		default:
			return validationError({ path: 'RefundVariant', message: 'Please select one of the refund variants' });
	}
	const scale = currencyDecimals(currency);
	amount = subtract(amount, percentage, scale);
	const methods = Array.isArray(body.payoutMethods) && body.payoutMethods.length ? (body.payoutMethods as string[]) : invoice.paymentMethods.filter((m) => (invoice.payments[m] ?? []).length);
	const pp = newPullPayment(emulator, {
		storeId: invoice.storeId,
		name: typeof body.name === 'string' && body.name ? body.name : `Refund ${invoice.id}`,
		description: typeof body.description === 'string' ? body.description : '',
		currency,
		amount,
		BOLT11Expiration: Number(store?.refundBOLT11Expiration ?? 30),
		autoApproveClaims: false,
		startsAt: null,
		expiresAt: null,
		payoutMethods: methods.length ? methods : PAYOUT_METHODS,
	});
	publishRefund(emulator, invoice, pp.id);
	return { status: 200, body: toPullPaymentData(emulator, pp) };
}

/** Sum of the non-cancelled payouts of a pull payment, in its currency. */
function claimed(emulator: BtcPayEmulator, pp: PullPaymentRecord): bigint {
	const scale = currencyDecimals(pp.currency);
	return [...payoutsOf(emulator).values()]
		.filter((p) => p.pullPaymentId === pp.id && p.state !== 'Cancelled')
		.reduce((s, p) => s + toScaled(p.originalAmount, scale), 0n);
}

function approvedAmount(payout: PayoutRecord): string {
	return payout.originalCurrency === 'BTC' ? fromScaled(toScaled(payout.originalAmount, 8), 8) : toBtc(payout.originalAmount, payout.originalCurrency);
}

interface PayoutBody {
	destination?: unknown;
	amount?: unknown;
	payoutMethodId?: unknown;
	pullPaymentId?: unknown;
	approved?: unknown;
	metadata?: unknown;
}

function createPayout(emulator: BtcPayEmulator, storeId: string, pp: PullPaymentRecord | undefined, body: PayoutBody): EmulatorResponse {
	const errors: Array<{ path: string; message: string }> = [];
	const method = typeof body.payoutMethodId === 'string' ? body.payoutMethodId : '';
	const allowed = pp ? pp.payoutMethods : PAYOUT_METHODS;
	if (!allowed.includes(method)) errors.push({ path: 'PayoutMethodId', message: 'Invalid payout method' });
	const destination = typeof body.destination === 'string' ? body.destination.trim() : '';
	if (!destination) errors.push({ path: 'Destination', message: 'Destination is required' });
	const currency = pp?.currency ?? 'BTC';
	let amount: string | undefined;
	if (body.amount !== undefined && body.amount !== null) {
		try {
			amount = parseDecimalAmount(body.amount as string, 'amount', { maxDecimals: currencyDecimals(currency) });
		} catch {
			errors.push({ path: 'Amount', message: 'Amount should be more than 0' });
		}
	} else if (!pp) {
		errors.push({ path: 'Amount', message: 'Amount is required' });
	}
	if (errors.length) return validationError(...errors);
	if (pp) {
		if (pp.archived) return badRequest('archived', 'You cannot claim an archived pull payment');
		if (pp.expiresAt !== null && pp.expiresAt <= emulator.now()) return badRequest('expired', 'This pull payment is expired');
		if (pp.startsAt !== null && pp.startsAt > emulator.now()) return badRequest('not-started', 'This pull payment has not started yet');
		const scale = currencyDecimals(pp.currency);
		const remaining = toScaled(pp.amount, scale) - claimed(emulator, pp);
		const wanted = amount === undefined ? remaining : toScaled(amount, scale);
		if (wanted <= 0n || wanted > remaining) return badRequest('overdraft', 'The payout amount overdraft the pull payment\'s limit');
		amount = fromScaled(wanted, scale);
		const duplicate = [...payoutsOf(emulator).values()].some((p) => p.pullPaymentId === pp.id && p.destination === destination && p.state !== 'Cancelled' && p.state !== 'Completed');
		if (duplicate) return badRequest('duplicate-destination', 'This destination is already claimed by another payout');
	}
	const approved = body.approved === true || pp?.autoApproveClaims === true;
	const payout: PayoutRecord = {
		id: base58Id(16),
		storeId,
		revision: 0,
		pullPaymentId: pp?.id ?? null,
		date: emulator.now(),
		destination,
		originalCurrency: currency,
		originalAmount: amount as string,
		payoutCurrency: 'BTC',
		payoutAmount: null,
		payoutMethodId: method,
		state: approved ? 'AwaitingPayment' : 'AwaitingApproval',
		metadata: (body.metadata as Json | undefined) ?? {},
	};
	// PullPaymentHostedService.HandleCreatePayout: Created is published in AwaitingApproval, then a
	// pre-approved claim goes through HandleApproval (Approved).
	payout.state = 'AwaitingApproval';
	payoutsOf(emulator).set(payout.id, payout);
	publishPayout(emulator, 'PayoutCreated', payout);
	if (approved) {
		payout.state = 'AwaitingPayment';
		payout.payoutAmount = approvedAmount(payout);
		publishPayout(emulator, 'PayoutApproved', payout);
	}
	return { status: 200, body: toPayoutData(payout) };
}

function resolvePayout(emulator: BtcPayEmulator, req: EmulatorRequest): PayoutRecord | EmulatorResponse {
	if (req.params.storeId && !findStore(emulator, req.params.storeId)) return storeNotFound();
	const payout = payoutsOf(emulator).get(req.params.payoutId);
	if (!payout || (req.params.storeId && payout.storeId !== req.params.storeId)) return payoutNotFound();
	return payout;
}

const isPayout = (v: PayoutRecord | EmulatorResponse): v is PayoutRecord => 'destination' in v;

export function register(emulator: BtcPayEmulator): void {
	emulator.registerOwner('pullPaymentId', (id) => pullPaymentsOf(emulator).get(id)?.storeId);
	emulator.registerOwner('payoutId', (id) => payoutsOf(emulator).get(id)?.storeId);

	// Refund (pull payment from an invoice)
	emulator.route('POST', '/api/v1/stores/{storeId}/invoices/{invoiceId}/refund', (req) => refund(emulator, req));
	emulator.route('POST', '/api/v1/invoices/{invoiceId}/refund', (req) => refund(emulator, req));

	// Pull payments
	emulator.route('POST', '/api/v1/stores/{storeId}/pull-payments', (req) => {
		const store = findStore(emulator, req.params.storeId);
		if (!store) return storeNotFound();
		const body = (req.body ?? {}) as Json;
		const errors: Array<{ path: string; message: string }> = [];
		const currency = typeof body.currency === 'string' ? body.currency.toUpperCase() : '';
		if (!RATES[currency]) errors.push({ path: 'Currency', message: 'Invalid currency' });
		let amount = '0';
		try {
			amount = parseDecimalAmount(body.amount as string, 'amount', { maxDecimals: currencyDecimals(currency || 'BTC') });
		} catch {
			errors.push({ path: 'Amount', message: 'The amount should more than 0.' });
		}
		const methods = Array.isArray(body.payoutMethods) ? (body.payoutMethods as string[]) : PAYOUT_METHODS;
		// GreenfieldPullPaymentController.CreatePullPayment: AddModelError(r => r.PayoutMethods[i], ...).
		methods.forEach((m, i) => {
			if (!PAYOUT_METHODS.includes(m)) errors.push({ path: `PayoutMethods[${i}]`, message: 'Invalid or unsupported payment method' });
		});
		if (typeof body.name === 'string' && body.name.length > 50) errors.push({ path: 'Name', message: 'The name should be maximum 50 characters.' });
		const startsAt = typeof body.startsAt === 'number' ? body.startsAt : null;
		const expiresAt = typeof body.expiresAt === 'number' ? body.expiresAt : null;
		if (startsAt !== null && expiresAt !== null && expiresAt <= startsAt) errors.push({ path: 'ExpiresAt', message: 'expiresAt should be higher than startAt' });
		const bolt11Days = body.BOLT11Expiration === undefined || body.BOLT11Expiration === null ? 30 : Number(body.BOLT11Expiration);
		if (!Number.isInteger(bolt11Days) || bolt11Days < 0) errors.push({ path: 'BOLT11Expiration', message: 'The BOLT11 expiration should be positive' });
		if (errors.length) return validationError(...errors);
		const pp = newPullPayment(emulator, {
			storeId: store.id,
			name: typeof body.name === 'string' ? body.name : '',
			description: typeof body.description === 'string' ? body.description : '',
			currency,
			amount,
			BOLT11Expiration: bolt11Days,
			autoApproveClaims: body.autoApproveClaims === true,
			startsAt,
			expiresAt,
			payoutMethods: methods,
		});
		return { status: 200, body: toPullPaymentData(emulator, pp) };
	});
	emulator.route('GET', '/api/v1/stores/{storeId}/pull-payments', (req) => {
		if (!findStore(emulator, req.params.storeId)) return storeNotFound();
		const includeArchived = req.query.get('includeArchived') === 'true';
		const list = [...pullPaymentsOf(emulator).values()].filter((p) => p.storeId === req.params.storeId && (includeArchived || !p.archived));
		return { status: 200, body: list.map((p) => toPullPaymentData(emulator, p)) };
	});
	emulator.route('GET', '/api/v1/pull-payments/{pullPaymentId}', (req) => {
		const pp = pullPaymentsOf(emulator).get(req.params.pullPaymentId);
		return pp ? { status: 200, body: toPullPaymentData(emulator, pp) } : ppNotFound();
	});
	const archive = (req: EmulatorRequest): EmulatorResponse => {
		if (req.params.storeId && !findStore(emulator, req.params.storeId)) return storeNotFound();
		const pp = pullPaymentsOf(emulator).get(req.params.pullPaymentId);
		if (!pp || (req.params.storeId && pp.storeId !== req.params.storeId)) return ppNotFound();
		pp.archived = true;
		for (const p of payoutsOf(emulator).values()) {
			if (p.pullPaymentId === pp.id && p.state === 'AwaitingApproval') {
				p.state = 'Cancelled';
				publishPayout(emulator, 'PayoutUpdated', p);
			}
		}
		return { status: 200 };
	};
	// BTCPay's canmanagepullpayments includes archiving (the spec names the narrower canarchivepullpayments).
	const manage = ['btcpay.store.canmanagepullpayments'];
	emulator.route('DELETE', '/api/v1/stores/{storeId}/pull-payments/{pullPaymentId}', archive, { permissions: manage });
	emulator.route('DELETE', '/api/v1/pull-payments/{pullPaymentId}', archive, { permissions: manage });

	// Payouts of a pull payment (public)
	emulator.route('GET', '/api/v1/pull-payments/{pullPaymentId}/payouts', (req) => {
		const pp = pullPaymentsOf(emulator).get(req.params.pullPaymentId);
		if (!pp) return ppNotFound();
		const includeCancelled = req.query.get('includeCancelled') === 'true';
		const list = [...payoutsOf(emulator).values()].filter((p) => p.pullPaymentId === pp.id && (includeCancelled || p.state !== 'Cancelled'));
		return { status: 200, body: list.map(toPayoutData) };
	});
	emulator.route('POST', '/api/v1/pull-payments/{pullPaymentId}/payouts', (req) => {
		const pp = pullPaymentsOf(emulator).get(req.params.pullPaymentId);
		if (!pp) return ppNotFound();
		return createPayout(emulator, pp.storeId, pp, (req.body ?? {}) as PayoutBody);
	});
	emulator.route('GET', '/api/v1/pull-payments/{pullPaymentId}/payouts/{payoutId}', (req) => {
		const payout = payoutsOf(emulator).get(req.params.payoutId);
		return payout && payout.pullPaymentId === req.params.pullPaymentId ? { status: 200, body: toPayoutData(payout) } : payoutNotFound();
	});

	// Store payouts
	emulator.route('POST', '/api/v1/stores/{storeId}/payouts', (req) => {
		const store = findStore(emulator, req.params.storeId);
		if (!store) return storeNotFound();
		const body = (req.body ?? {}) as PayoutBody;
		let pp: PullPaymentRecord | undefined;
		if (typeof body.pullPaymentId === 'string' && body.pullPaymentId) {
			pp = pullPaymentsOf(emulator).get(body.pullPaymentId);
			if (!pp || pp.storeId !== store.id) return ppNotFound();
		}
		return createPayout(emulator, store.id, pp, body);
	});
	emulator.route('GET', '/api/v1/stores/{storeId}/payouts', (req) => {
		if (!findStore(emulator, req.params.storeId)) return storeNotFound();
		const includeCancelled = req.query.get('includeCancelled') === 'true';
		const list = [...payoutsOf(emulator).values()].filter((p) => p.storeId === req.params.storeId && (includeCancelled || p.state !== 'Cancelled'));
		return { status: 200, body: list.map(toPayoutData) };
	});
	const both = (method: string, suffix: string, handler: (req: EmulatorRequest) => EmulatorResponse) => {
		emulator.route(method, `/api/v1/stores/{storeId}/payouts/{payoutId}${suffix}`, handler);
		emulator.route(method, `/api/v1/payouts/{payoutId}${suffix}`, handler);
	};
	both('GET', '', (req) => {
		const payout = resolvePayout(emulator, req);
		return isPayout(payout) ? { status: 200, body: toPayoutData(payout) } : payout;
	});
	both('POST', '', (req) => {
		const payout = resolvePayout(emulator, req);
		if (!isPayout(payout)) return payout;
		const body = (req.body ?? {}) as Json;
		if (typeof body.revision !== 'number') return validationError({ path: 'Revision', message: 'The `revision` property is required' });
		if (body.revision !== payout.revision) return badRequest('old-revision', 'The payout revision does not match the current revision');
		if (payout.state !== 'AwaitingApproval') return badRequest('invalid-state', `The payout is not awaiting approval (state ${payout.state})`);
		payout.state = 'AwaitingPayment';
		payout.payoutAmount = approvedAmount(payout);
		publishPayout(emulator, 'PayoutApproved', payout);
		return { status: 200, body: toPayoutData(payout) };
	});
	both('DELETE', '', (req) => {
		const payout = resolvePayout(emulator, req);
		if (!isPayout(payout)) return payout;
		if (payout.state === 'Completed') return badRequest('invalid-state', 'A completed payout cannot be cancelled');
		payout.state = 'Cancelled';
		payout.revision++;
		publishPayout(emulator, 'PayoutUpdated', payout);
		return { status: 200 };
	});
	both('POST', '/mark-paid', (req) => {
		const payout = resolvePayout(emulator, req);
		if (!isPayout(payout)) return payout;
		if (payout.state !== 'AwaitingPayment' && payout.state !== 'InProgress') {
			return badRequest('invalid-state', `Only a payout awaiting payment can be marked paid (state ${payout.state})`);
		}
		payout.state = 'Completed';
		payout.revision++;
		publishPayout(emulator, 'PayoutUpdated', payout);
		return { status: 200 };
	});
}
