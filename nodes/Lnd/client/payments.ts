/** Payments area: decode, list and track payments; pay an invoice at most once. */
import type { HttpMethod } from '../../shared/http';
import { InputError, ServiceError, SafetyError } from '../../shared/errors';
import { planPayment, type PaymentPlan } from '../../shared/bolt11';
import { collectPages, indexOffsetPage, normalizePaymentHash, type ListOptions, type Page } from './connection';
import { lndErrorBody, mapLndError, paymentFailedError } from './errors';
import { LndInvoicesApi } from './invoices';
import { listPaymentsSchema, payReqSchema, paymentSchema, type Payment } from './schemas';
import { readJsonLines } from './stream';

export interface PayOptions {
	paymentRequest: string;
	maxAmountSats: number;
	/** Only for "any amount" invoices. */
	amountSats?: number;
	feeLimitSats: number;
	timeoutSeconds: number;
	/** Extra wait for the final result after LND's own timeout (default 30 s). */
	graceMs?: number;
	/** Check the invoice network against the node's (default true). */
	checkNetwork?: boolean;
	now?: number;
}

export interface PayResult {
	/** succeeded | pending (still in flight: do not pay again) */
	state: 'succeeded' | 'pending';
	/** True when the invoice had already been paid (or was in flight) before this call: nothing new was sent. */
	alreadyPaid: boolean;
	payment: Payment;
	plan: PaymentPlan;
}

function isFinal(status: string): boolean {
	return status === 'SUCCEEDED' || status === 'FAILED';
}

export class LndPaymentsApi extends LndInvoicesApi {
	async listPaymentsPage(input: { indexOffset?: string; max: number; reversed?: boolean; includeIncomplete?: boolean }): Promise<Page<Payment>> {
		const res = await this.get('/v1/payments', listPaymentsSchema, {
			index_offset: input.indexOffset ?? '0',
			max_payments: input.max,
			reversed: input.reversed ?? false,
			include_incomplete: input.includeIncomplete ?? true,
		});
		return indexOffsetPage(res.payments, res);
	}

	async listPayments(options: ListOptions & { includeIncomplete?: boolean } = {}): Promise<Payment[]> {
		return collectPages(
			(indexOffset, max) => this.listPaymentsPage({ indexOffset, max, reversed: options.reversed, includeIncomplete: options.includeIncomplete }),
			options,
		);
	}

	async decodePayReq(paymentRequest: string) {
		const payReq = String(paymentRequest ?? '').trim().replace(/^lightning:/i, '');
		if (!payReq) throw new InputError('Payment Request', 'is required', 'LND');
		if (!/^ln[a-z0-9]+$/i.test(payReq)) throw new InputError('Payment Request', 'is not a BOLT11 invoice (it should start with lnbc, lntb or lnbcrt)', 'LND');
		return this.get(`/v1/payreq/${encodeURIComponent(payReq.toLowerCase())}`, payReqSchema);
	}

	/**
	 * The current state of the outgoing payment for a hash, or null when this
	 * node never tried to pay it. Uses TrackPaymentV2 and closes the stream after
	 * the first update (it stays open while a payment is in flight).
	 */
	async trackPayment(paymentHash: string): Promise<Payment | null> {
		const hash = normalizePaymentHash(paymentHash);
		// `bytes` path parameter: LND decodes base64 with padding; the URL-safe alphabet avoids '/' and '+' in the path.
		const path = `/v2/router/track/${trackSegment(hash)}`;
		let response: Response;
		try {
			response = await this.http.open('GET', path, { resource: `Payment ${hash}` });
		} catch (error) {
			if (error instanceof ServiceError && error.kind === 'not_found') return null;
			throw error;
		}
		const { lines } = await readJsonLines(response.body, { until: () => true });
		const first = lines[0];
		if (!first) throw this.protocolError('GET', path, 'the payment stream ended without an update');
		if ('error' in first) {
			const error = this.streamError(first.error, response.status, 'GET', path, `Payment ${hash}`);
			if (error.kind === 'not_found') return null;
			throw error;
		}
		return this.http.validate(first.result, paymentSchema, 'GET', path) as Payment;
	}

	/**
	 * Pays a BOLT11 invoice at most once: decode-first guard (expiry, network,
	 * max amount), then a look-up of any earlier payment for the same hash,
	 * then SendPaymentV2. A payment still in flight when the wait ends is
	 * returned as pending, never retried.
	 */
	async payInvoice(options: PayOptions): Promise<PayResult> {
		if (!Number.isSafeInteger(options.feeLimitSats) || options.feeLimitSats < 0) {
			throw new InputError('Fee Limit (Sats)', 'must be a whole number of sats, 0 or more', 'LND');
		}
		if (!Number.isSafeInteger(options.timeoutSeconds) || options.timeoutSeconds <= 0) {
			throw new InputError('Timeout (Seconds)', 'must be a whole number of seconds greater than 0', 'LND');
		}
		// Local decode and guard first: nothing is sent for a bad, expired or too large invoice.
		planPayment(options.paymentRequest, {
			maxAmountSats: options.maxAmountSats,
			amountSats: options.amountSats,
			now: options.now,
			service: 'LND',
			field: 'Payment Request',
		});
		const expectedNetwork = options.checkNetwork === false ? undefined : await this.network();
		const plan = planPayment(options.paymentRequest, {
			maxAmountSats: options.maxAmountSats,
			amountSats: options.amountSats,
			expectedNetwork,
			now: options.now,
			service: 'LND',
			field: 'Payment Request',
		});
		const hash = plan.invoice.paymentHash;

		const existing = await this.trackPayment(hash);
		if (existing && existing.status !== 'FAILED') {
			if (existing.status === 'SUCCEEDED') return { state: 'succeeded', alreadyPaid: true, payment: existing, plan };
			return { state: 'pending', alreadyPaid: true, payment: existing, plan };
		}

		const body: Record<string, unknown> = {
			payment_request: plan.invoice.paymentRequest,
			timeout_seconds: options.timeoutSeconds,
			fee_limit_sat: String(options.feeLimitSats),
			no_inflight_updates: false,
		};
		if (plan.amountFromParameter) body.amt = String(plan.amountSats);
		const waitMs = options.timeoutSeconds * 1000 + (options.graceMs ?? 30_000);
		const path = '/v2/router/send';

		let response: Response;
		try {
			response = await this.http.open('POST', path, { json: body, timeoutMs: waitMs, retry: false });
		} catch (error) {
			return this.afterSendFailure(error, hash, plan);
		}
		let result;
		try {
			result = await readJsonLines(response.body, {
				deadlineMs: waitMs,
				until: (r) => isFinal(String((r as { status?: unknown })?.status ?? '')),
			});
		} catch (error) {
			return this.afterSendFailure(error, hash, plan);
		}
		const payments: Payment[] = [];
		for (const line of result.lines) {
			if ('error' in line) {
				return this.afterSendFailure(this.streamError(line.error, response.status, 'POST', path), hash, plan);
			}
			payments.push(this.http.validate(line.result, paymentSchema, 'POST', path) as Payment);
		}
		const last = payments[payments.length - 1];
		if (!last) {
			// The stream closed without any update: ask LND what happened rather than guess.
			return this.afterSendFailure(this.protocolError('POST', path, 'the payment stream ended without an update'), hash, plan);
		}
		if (last.status === 'SUCCEEDED') return { state: 'succeeded', alreadyPaid: false, payment: last, plan };
		if (last.status === 'FAILED') throw paymentFailedError(last.failure_reason, hash);
		return { state: 'pending', alreadyPaid: false, payment: last, plan };
	}

	/** When sending failed or the answer was lost, the payment may still exist: look before reporting. */
	private async afterSendFailure(error: unknown, hash: string, plan: PaymentPlan): Promise<PayResult> {
		const service = error instanceof ServiceError ? error : undefined;
		const uncertain = !service || ['timeout', 'network', 'server', 'protocol'].includes(service.kind) || service.code === 'ALREADY_PAID' || service.code === 'IN_FLIGHT';
		if (!uncertain || service instanceof SafetyError || service?.kind === 'input') throw error;
		let payment: Payment | null;
		try {
			payment = await this.trackPayment(hash);
		} catch {
			throw new ServiceError(
				`${service?.message ?? 'The payment request failed'}; LND could not be asked whether the payment went out. Check the payment ${hash} on the node before paying again`,
				{ kind: service?.kind ?? 'network', service: 'LND', status: service?.status, code: service?.code },
			);
		}
		if (!payment) throw error;
		const alreadyPaid = service?.code === 'ALREADY_PAID' || service?.code === 'IN_FLIGHT';
		if (payment.status === 'SUCCEEDED') return { state: 'succeeded', alreadyPaid, payment, plan };
		if (payment.status === 'FAILED') throw paymentFailedError(payment.failure_reason, hash);
		return { state: 'pending', alreadyPaid, payment, plan };
	}

	private streamError(raw: unknown, status: number, method: HttpMethod, path: string, resource?: string): ServiceError {
		const body = lndErrorBody({ error: raw });
		const httpCode = typeof (raw as { http_code?: unknown })?.http_code === 'number' ? (raw as { http_code: number }).http_code : undefined;
		const effectiveStatus = status >= 400 ? status : httpCode ?? grpcToHttp(body.code);
		const mapped =
			mapLndError({ service: 'LND', status: effectiveStatus, body, method, path, resource }) ??
			new ServiceError(`LND error: ${body.message ?? 'unknown'}`, { kind: 'server', service: 'LND' });
		return this.http.redactError(mapped);
	}

	private protocolError(method: HttpMethod, path: string, what: string): ServiceError {
		return new ServiceError(`LND answered ${method} ${path.split('?')[0]} but ${what}`, { kind: 'protocol', service: 'LND' });
	}
}

/** A 32-byte hash as LND's REST gateway reads a `bytes` path parameter: padded URL-safe base64. */
export function trackSegment(hashHex: string): string {
	return Buffer.from(hashHex, 'hex').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** gRPC status → HTTP status, as grpc-gateway maps them. */
function grpcToHttp(code: number | undefined): number {
	switch (code) {
		case 3:
		case 9:
		case 11:
			return 400;
		case 5:
			return 404;
		case 6:
		case 10:
			return 409;
		case 7:
			return 403;
		case 16:
			return 401;
		case 8:
			return 429;
		case 12:
			return 501;
		case 14:
			return 503;
		case 4:
			return 504;
		default:
			return 500;
	}
}

