/**
 * Payment requests: create, list, get, update (PUT replaces), archive, pay.
 * Pay creates a real invoice in the invoices state (routes/invoices.ts), so
 * paying that invoice (payInvoice hook) moves the request to Completed.
 * Served on the store-nested paths and on the flat 2.4 aliases.
 * Source: BTCPayServer/Controllers/GreenField/GreenfieldPaymentRequestsController.cs,
 * Services/PaymentRequests/PaymentRequestRepository.cs (Created / Updated on save,
 * Archived on archive, StatusChanged and then Completed on a status change) and
 * PaymentRequest/PaymentRequestService.cs (status from the invoices), sent as
 * Plugins/Webhooks/TriggerProviders/PaymentRequestTriggerProvider.cs does.
 */
import { currencyDecimals, fromScaled, parseDecimalAmount, toScaled } from '../../../nodes/shared/amounts';
import { base58Id, notFound, validationError, type BtcPayEmulator, type EmulatorRequest, type EmulatorResponse, type Json } from '../server';
import { findStore, storeNotFound, storePaymentMethods } from './stores';
import { RATES, invoicesOf, publishCreated, toInvoiceData, type InvoiceRecord } from './invoices';

export interface PaymentRequestRecord {
	id: string;
	storeId: string;
	amount: string;
	currency: string;
	title: string;
	email: string | null;
	description: string | null;
	expiryDate: number | null;
	referenceId: string | null;
	allowCustomPaymentAmounts: boolean;
	formId: string | null;
	formResponse: Json | null;
	createdTime: number;
	archived: boolean;
	/** The status last stored (PaymentRequestData.Status), for StatusChanged events. */
	storedStatus?: string;
}

/** PaymentRequestTriggerProvider.GetWebhookEvent: storeId, paymentRequestId, status. */
function publishPr(emulator: BtcPayEmulator, type: string, pr: PaymentRequestRecord): void {
	emulator.publish({ type, storeId: pr.storeId, after: { paymentRequestId: pr.id, status: status(emulator, pr) } });
}

/** PaymentRequestService.UpdatePaymentRequestStateIfNeeded → PaymentRequestRepository.UpdatePaymentRequestStatus. */
function updateStatus(emulator: BtcPayEmulator, pr: PaymentRequestRecord): void {
	const current = status(emulator, pr);
	if (pr.storedStatus === undefined || pr.storedStatus === current) {
		pr.storedStatus = current;
		return;
	}
	pr.storedStatus = current;
	publishPr(emulator, 'PaymentRequestStatusChanged', pr);
	if (current === 'Completed') publishPr(emulator, 'PaymentRequestCompleted', pr);
}

export function paymentRequestsOf(emulator: BtcPayEmulator): Map<string, PaymentRequestRecord> {
	return ((emulator.state.paymentRequests as Map<string, PaymentRequestRecord> | undefined) ??= new Map()) as Map<string, PaymentRequestRecord>;
}

const prNotFound = () => notFound('payment-request-not-found', 'The payment request was not found');

/** Invoices created for the payment request. */
export function invoicesOfRequest(emulator: BtcPayEmulator, pr: PaymentRequestRecord): InvoiceRecord[] {
	return [...invoicesOf(emulator).values()].filter((i) => i.metadata.paymentRequestId === pr.id);
}

/** Amount already settled (or processing, when `processing`) through the request's invoices, in its currency. */
function paidThrough(emulator: BtcPayEmulator, pr: PaymentRequestRecord, statuses: string[]): bigint {
	const scale = currencyDecimals(pr.currency);
	return invoicesOfRequest(emulator, pr)
		.map((i) => toInvoiceData(emulator, i))
		.filter((i) => statuses.includes(String(i.status)))
		.reduce((sum, i) => sum + toScaled(String(i.amount), scale), 0n);
}

function status(emulator: BtcPayEmulator, pr: PaymentRequestRecord): string {
	const scale = currencyDecimals(pr.currency);
	const amount = toScaled(pr.amount, scale);
	if (paidThrough(emulator, pr, ['Settled']) >= amount) return 'Completed';
	if (paidThrough(emulator, pr, ['Settled', 'Processing']) >= amount) return 'Processing';
	if (pr.expiryDate !== null && pr.expiryDate <= emulator.now()) return 'Expired';
	return 'Pending';
}

function due(emulator: BtcPayEmulator, pr: PaymentRequestRecord): string {
	const scale = currencyDecimals(pr.currency);
	const rest = toScaled(pr.amount, scale) - paidThrough(emulator, pr, ['Settled', 'Processing']);
	return fromScaled(rest > 0n ? rest : 0n, scale);
}

export function toPaymentRequestData(emulator: BtcPayEmulator, pr: PaymentRequestRecord): Json {
	return {
		id: pr.id,
		storeId: pr.storeId,
		status: status(emulator, pr),
		createdTime: pr.createdTime,
		amount: pr.amount,
		title: pr.title,
		currency: pr.currency,
		email: pr.email,
		description: pr.description,
		expiryDate: pr.expiryDate,
		referenceId: pr.referenceId,
		allowCustomPaymentAmounts: pr.allowCustomPaymentAmounts,
		formId: pr.formId,
		formResponse: pr.formResponse,
	};
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

/** Validates a PaymentRequestBaseData body into record fields (422 list like BTCPay). */
function fieldsFrom(_emulator: BtcPayEmulator, storeCurrency: string, body: Json): Omit<PaymentRequestRecord, 'id' | 'storeId' | 'createdTime' | 'archived'> | EmulatorResponse {
	const errors: Array<{ path: string; message: string }> = [];
	const currency = (str(body.currency) ?? storeCurrency).toUpperCase();
	if (!RATES[currency]) errors.push({ path: 'Currency', message: 'Invalid currency' });
	let amount = '0';
	try {
		amount = parseDecimalAmount(body.amount as string, 'amount');
	} catch {
		errors.push({ path: 'Amount', message: 'Please provide an amount greater than 0' });
	}
	if (!str(body.title)) errors.push({ path: 'Title', message: 'Title is required' });
	const expiryDate = typeof body.expiryDate === 'number' ? body.expiryDate : null;
	// GreenfieldPaymentRequestsController.CreateOrUpdatePaymentRequest checks only Amount, Currency and
	// Title: a past expiryDate is accepted (the request is then Expired), an email is not validated.
	if (errors.length) return validationError(...errors);
	return {
		amount,
		currency,
		title: String(body.title),
		email: str(body.email),
		description: str(body.description),
		expiryDate,
		referenceId: str(body.referenceId),
		allowCustomPaymentAmounts: body.allowCustomPaymentAmounts === true,
		formId: str(body.formId),
		formResponse: (body.formResponse as Json | undefined) ?? null,
	};
}

const isResponse = (v: unknown): v is EmulatorResponse => typeof (v as EmulatorResponse).status === 'number' && !('title' in (v as Json));

function resolve(emulator: BtcPayEmulator, req: EmulatorRequest): PaymentRequestRecord | EmulatorResponse {
	if (req.params.storeId && !findStore(emulator, req.params.storeId)) return storeNotFound();
	const pr = paymentRequestsOf(emulator).get(req.params.paymentRequestId);
	if (!pr || (req.params.storeId && pr.storeId !== req.params.storeId)) return prNotFound();
	return pr;
}

/** Creates the invoice for a payment request (the store's invoice settings apply). */
function createInvoiceFor(emulator: BtcPayEmulator, pr: PaymentRequestRecord, amount: string): InvoiceRecord {
	const store = findStore(emulator, pr.storeId);
	const methods = storePaymentMethods(emulator, pr.storeId);
	const now = emulator.now();
	const expirationMinutes = Math.floor((store?.invoiceExpiration ?? 900) / 60);
	const seq = ((emulator.state.invoiceSeq as number | undefined) ?? 0) + 1;
	emulator.state.invoiceSeq = seq;
	const invoice: InvoiceRecord = {
		id: base58Id(16),
		storeId: pr.storeId,
		amount,
		currency: pr.currency,
		type: 'Standard',
		createdTime: now,
		expirationTime: now + expirationMinutes * 60,
		monitoringExpiration: now + expirationMinutes * 60 + (store?.monitoringExpiration ?? 86400),
		status: 'New',
		additionalStatus: 'None',
		archived: false,
		metadata: { paymentRequestId: pr.id, itemDesc: pr.title, ...(pr.email ? { buyerEmail: pr.email } : {}) },
		checkout: {
			speedPolicy: store?.speedPolicy ?? 'MediumSpeed',
			paymentMethods: methods,
			defaultPaymentMethod: null,
			lazyPaymentMethods: false,
			expirationMinutes,
			monitoringMinutes: Math.floor((store?.monitoringExpiration ?? 86400) / 60),
			paymentTolerance: store?.paymentTolerance ?? 0,
			redirectURL: null,
			redirectAutomatically: false,
			defaultLanguage: null,
		},
		// UIInvoiceController.CreatePaymentRequestInvoice: AdditionalSearchTerms = [ReferenceId].
		additionalSearchTerms: pr.referenceId ? [pr.referenceId] : [],
		paymentMethods: methods,
		payments: {},
		seq,
	};
	invoicesOf(emulator).set(invoice.id, invoice);
	publishCreated(emulator, invoice);
	return invoice;
}

function pay(emulator: BtcPayEmulator, pr: PaymentRequestRecord, body: Json): EmulatorResponse {
	if (pr.archived) return { status: 400, body: { code: 'archived', message: 'You cannot pay an archived payment request' } };
	const current = status(emulator, pr);
	if (current === 'Completed' || current === 'Processing') return { status: 400, body: { code: 'already-paid', message: 'This payment request is already paid' } };
	if (current === 'Expired') return { status: 400, body: { code: 'expired', message: 'This payment request is expired' } };
	const rest = due(emulator, pr);
	let amount = rest;
	if (body.amount !== undefined && body.amount !== null) {
		if (!pr.allowCustomPaymentAmounts) return validationError({ path: 'Amount', message: "This payment request doesn't allow custom payment amount" });
		try {
			amount = parseDecimalAmount(body.amount as string, 'amount', { maxDecimals: currencyDecimals(pr.currency) });
		} catch {
			return validationError({ path: 'Amount', message: 'The amount should be more than 0' });
		}
		if (toScaled(amount, 8) > toScaled(rest, 8)) amount = rest;
	}
	if (body.allowPendingInvoiceReuse === true) {
		const pending = invoicesOfRequest(emulator, pr)
			.map((i) => ({ i, data: toInvoiceData(emulator, i) }))
			.find(({ data }) => data.status === 'New');
		if (pending) return { status: 200, body: pending.data };
	}
	return { status: 200, body: toInvoiceData(emulator, createInvoiceFor(emulator, pr, amount)) };
}

export function register(emulator: BtcPayEmulator): void {
	emulator.registerOwner('paymentRequestId', (id) => paymentRequestsOf(emulator).get(id)?.storeId);
	// Invoice changes of a request's invoices update its status; expiry is time-driven.
	emulator.subscribe((event) => {
		const invoiceId = event.after?.invoiceId;
		if (typeof invoiceId !== 'string') return;
		const prId = invoicesOf(emulator).get(invoiceId)?.metadata.paymentRequestId;
		const pr = typeof prId === 'string' ? paymentRequestsOf(emulator).get(prId) : undefined;
		if (pr) updateStatus(emulator, pr);
	});
	emulator.addWatcher(() => {
		for (const pr of paymentRequestsOf(emulator).values()) updateStatus(emulator, pr);
	});
	const both = (method: string, suffix: string, handler: (req: EmulatorRequest) => EmulatorResponse) => {
		emulator.route(method, `/api/v1/stores/{storeId}/payment-requests/{paymentRequestId}${suffix}`, handler);
		emulator.route(method, `/api/v1/payment-requests/{paymentRequestId}${suffix}`, handler);
	};

	emulator.route('POST', '/api/v1/stores/{storeId}/payment-requests', (req) => {
		const store = findStore(emulator, req.params.storeId);
		if (!store) return storeNotFound();
		const fields = fieldsFrom(emulator, store.defaultCurrency, (req.body ?? {}) as Json);
		if (isResponse(fields)) return fields;
		const pr: PaymentRequestRecord = { id: base58Id(16), storeId: store.id, createdTime: emulator.now(), archived: false, ...fields };
		paymentRequestsOf(emulator).set(pr.id, pr);
		pr.storedStatus = status(emulator, pr);
		publishPr(emulator, 'PaymentRequestCreated', pr);
		return { status: 200, body: toPaymentRequestData(emulator, pr) };
	});
	emulator.route('GET', '/api/v1/stores/{storeId}/payment-requests', (req) => {
		if (!findStore(emulator, req.params.storeId)) return storeNotFound();
		const list = [...paymentRequestsOf(emulator).values()].filter((p) => p.storeId === req.params.storeId && !p.archived);
		return { status: 200, body: list.map((p) => toPaymentRequestData(emulator, p)) };
	});
	both('GET', '', (req) => {
		const pr = resolve(emulator, req);
		return 'title' in pr ? { status: 200, body: toPaymentRequestData(emulator, pr) } : pr;
	});
	both('PUT', '', (req) => {
		const pr = resolve(emulator, req);
		if (!('title' in pr)) return pr;
		const store = findStore(emulator, pr.storeId);
		const fields = fieldsFrom(emulator, store?.defaultCurrency ?? 'USD', (req.body ?? {}) as Json);
		if (isResponse(fields)) return fields;
		Object.assign(pr, fields);
		publishPr(emulator, 'PaymentRequestUpdated', pr);
		updateStatus(emulator, pr);
		return { status: 200, body: toPaymentRequestData(emulator, pr) };
	});
	both('DELETE', '', (req) => {
		const pr = resolve(emulator, req);
		if (!('title' in pr)) return pr;
		// PaymentRequestRepository.ArchivePaymentRequest: the event only when it becomes archived.
		if (!pr.archived) {
			pr.archived = true;
			publishPr(emulator, 'PaymentRequestArchived', pr);
		}
		return { status: 200 };
	});
	both('POST', '/pay', (req) => {
		const pr = resolve(emulator, req);
		if (!('title' in pr)) return pr;
		return pay(emulator, pr, (req.body ?? {}) as Json);
	});
}
