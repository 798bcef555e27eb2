/**
 * Response shapes of the LND REST proxy (lnrpc / routerrpc JSON). 64-bit
 * integers arrive as strings, `bytes` fields as base64; unknown fields pass
 * through so the raw output keeps everything LND sent.
 */
import { z } from 'zod';

/** int64/uint64 in JSON: a decimal string (grpc-gateway) or a number. */
export const int64 = z.union([z.string().regex(/^-?\d+$/), z.number().int()]).transform((v) => String(v));
const opt64 = int64.optional();

/** A repeated field: grpc-gateway leaves it out when it is empty. */
const repeated = <T extends z.ZodTypeAny>(entry: T) => z.array(entry).nullish().transform((v): Array<z.output<T>> => v ?? []);

/** Index-offset paging of a list answer (lnrpc ListInvoiceResponse, ListPaymentsResponse). */
const indexOffsets = { first_index_offset: opt64, last_index_offset: opt64 };

export const getInfoSchema = z
	.object({
		identity_pubkey: z.string(),
		alias: z.string().optional(),
		version: z.string().optional(),
		block_height: z.number().optional(),
		synced_to_chain: z.boolean().optional(),
		synced_to_graph: z.boolean().optional(),
		num_active_channels: z.number().optional(),
		num_peers: z.number().optional(),
		chains: z.array(z.object({ chain: z.string(), network: z.string() }).passthrough()).optional(),
	})
	.passthrough();
export type GetInfo = z.output<typeof getInfoSchema>;

const amount = z.object({ sat: opt64, msat: opt64 }).passthrough();

export const channelBalanceSchema = z
	.object({
		balance: opt64,
		pending_open_balance: opt64,
		local_balance: amount.optional(),
		remote_balance: amount.optional(),
		unsettled_local_balance: amount.optional(),
		unsettled_remote_balance: amount.optional(),
		pending_open_local_balance: amount.optional(),
		pending_open_remote_balance: amount.optional(),
	})
	.passthrough();
export type ChannelBalance = z.output<typeof channelBalanceSchema>;

export const walletBalanceSchema = z
	.object({
		total_balance: opt64,
		confirmed_balance: opt64,
		unconfirmed_balance: opt64,
		locked_balance: opt64,
		reserved_balance_anchor_chan: opt64,
	})
	.passthrough();
export type WalletBalance = z.output<typeof walletBalanceSchema>;

export const addInvoiceSchema = z
	.object({
		r_hash: z.string(),
		payment_request: z.string(),
		add_index: opt64,
		payment_addr: z.string().optional(),
	})
	.passthrough();
export type AddInvoiceResponse = z.output<typeof addInvoiceSchema>;

export const invoiceSchema = z
	.object({
		memo: z.string().optional(),
		r_preimage: z.string().optional(),
		r_hash: z.string(),
		value: opt64,
		value_msat: opt64,
		settled: z.boolean().optional(),
		creation_date: opt64,
		settle_date: opt64,
		payment_request: z.string().optional(),
		expiry: opt64,
		add_index: opt64,
		settle_index: opt64,
		amt_paid_sat: opt64,
		amt_paid_msat: opt64,
		state: z.string().optional(),
		is_keysend: z.boolean().optional(),
	})
	.passthrough();
export type Invoice = z.output<typeof invoiceSchema>;

export const listInvoicesSchema = z.object({ invoices: repeated(invoiceSchema), ...indexOffsets }).passthrough();

export const paymentSchema = z
	.object({
		payment_hash: z.string(),
		value_sat: opt64,
		value_msat: opt64,
		payment_preimage: z.string().optional(),
		payment_request: z.string().optional(),
		status: z.string(),
		fee_sat: opt64,
		fee_msat: opt64,
		creation_time_ns: opt64,
		payment_index: opt64,
		failure_reason: z.string().optional(),
	})
	.passthrough();
export type Payment = z.output<typeof paymentSchema>;

export const listPaymentsSchema = z.object({ payments: repeated(paymentSchema), ...indexOffsets, total_num_payments: opt64 }).passthrough();

export const payReqSchema = z
	.object({
		destination: z.string(),
		payment_hash: z.string(),
		num_satoshis: opt64,
		num_msat: opt64,
		timestamp: opt64,
		expiry: opt64,
		description: z.string().optional(),
		description_hash: z.string().optional(),
		cltv_expiry: opt64,
	})
	.passthrough();
export type PayReq = z.output<typeof payReqSchema>;
