/** Invoices area: create, look up and list invoices. */
import type { z } from 'zod';
import { InputError } from '../../shared/errors';
import { collectPages, indexOffsetPage, normalizePaymentHash, type ListOptions, type Page } from './connection';
import { LndNodeApi } from './node';
import { addInvoiceSchema, invoiceSchema, listInvoicesSchema, type AddInvoiceResponse, type Invoice } from './schemas';

export class LndInvoicesApi extends LndNodeApi {
	async createInvoice(input: { amountSats: number; memo?: string; expirySeconds?: number; private?: boolean }): Promise<AddInvoiceResponse> {
		if (!Number.isSafeInteger(input.amountSats) || input.amountSats < 0) {
			throw new InputError('Amount (Sats)', 'must be a whole number of sats, 0 or more', 'LND');
		}
		if (input.expirySeconds !== undefined && (!Number.isSafeInteger(input.expirySeconds) || input.expirySeconds <= 0)) {
			throw new InputError('Expiry (Seconds)', 'must be a whole number of seconds greater than 0', 'LND');
		}
		const memo = input.memo ?? '';
		if (Buffer.byteLength(memo, 'utf8') > 639) throw new InputError('Memo', 'is longer than 639 bytes (BOLT11 limit)', 'LND');
		const body: Record<string, unknown> = { value: String(input.amountSats), memo };
		if (input.expirySeconds !== undefined) body.expiry = String(input.expirySeconds);
		if (input.private) body.private = true;
		return (await this.http.request('POST', '/v1/invoices', { json: body, schema: addInvoiceSchema })) as AddInvoiceResponse;
	}

	async lookupInvoice(paymentHash: string): Promise<Invoice> {
		const hash = normalizePaymentHash(paymentHash);
		return this.get(`/v1/invoice/${hash}`, invoiceSchema, undefined, `Invoice ${hash}`);
	}

	/** One page of invoices; `timeoutMs` bounds this one call without retries (the trigger's stream check). */
	async listInvoicesPage(input: { indexOffset?: string; max: number; reversed?: boolean; pendingOnly?: boolean; timeoutMs?: number }): Promise<Page<Invoice>> {
		const query = {
			index_offset: input.indexOffset ?? '0',
			num_max_invoices: input.max,
			reversed: input.reversed ?? false,
			pending_only: input.pendingOnly ? true : undefined,
		};
		const res =
			input.timeoutMs === undefined
				? await this.get('/v1/invoices', listInvoicesSchema, query)
				: ((await this.http.request('GET', '/v1/invoices', { schema: listInvoicesSchema, query, timeoutMs: input.timeoutMs, retry: false })) as z.output<typeof listInvoicesSchema>);
		return indexOffsetPage(res.invoices, res);
	}

	async listInvoices(options: ListOptions & { pendingOnly?: boolean } = {}): Promise<Invoice[]> {
		return collectPages((indexOffset, max) => this.listInvoicesPage({ indexOffset, max, reversed: options.reversed, pendingOnly: options.pendingOnly }), options);
	}
}
