/**
 * The store's Lightning node through BTCPay (Greenfield v1
 * /stores/{storeId}/lightning/{cryptoCode}/...). Amounts on the wire are
 * millisatoshi strings; this client takes and adds whole sats for people.
 * Paying decodes the invoice first, enforces a max amount, and never pays an
 * invoice whose payment already succeeded or is in flight.
 */
import { z } from 'zod';
import type { HttpClient } from '../../shared/http';
import { InputError, SafetyError, ServiceError } from '../../shared/errors';
import { parseNodeUri, type NodeUri } from '../../shared/bitcoin';
import { parseDecimalAmount, parseSats, satsToMsatString } from '../../shared/amounts';
import { planPayment, type LightningNetwork, type PaymentPlan } from '../../shared/bolt11';
import { objectIdSchema, parseInput, seg, storeIdSchema } from './schemas';
import { isBlank, optionalField } from './paymentRequests';

const msat = z.union([z.string(), z.number()]).transform((v) => String(v));

export const LightningInvoiceSchema = z
	.object({
		id: z.string(),
		status: z.string(),
		BOLT11: z.string(),
		paidAt: z.number().nullish(),
		expiresAt: z.number().nullish(),
		amount: msat.nullish(),
		amountReceived: msat.nullish(),
		paymentHash: z.string().nullish(),
		preimage: z.string().nullish(),
		customRecords: z.record(z.unknown()).nullish(),
	})
	.passthrough();
export type LightningInvoice = z.output<typeof LightningInvoiceSchema>;

export const LightningPaymentSchema = z
	.object({
		id: z.string().nullish(),
		status: z.string(),
		BOLT11: z.string().nullish(),
		paymentHash: z.string().nullish(),
		preimage: z.string().nullish(),
		createdAt: z.number().nullish(),
		totalAmount: msat.nullish(),
		feeAmount: msat.nullish(),
	})
	.passthrough();
export type LightningPayment = z.output<typeof LightningPaymentSchema>;

export const LightningNodeInfoSchema = z
	.object({
		nodeURIs: z.array(z.string()).nullish(),
		blockHeight: z.number().nullish(),
		alias: z.string().nullish(),
		color: z.string().nullish(),
		version: z.string().nullish(),
		peersCount: z.number().nullish(),
		activeChannelsCount: z.number().nullish(),
		inactiveChannelsCount: z.number().nullish(),
		pendingChannelsCount: z.number().nullish(),
	})
	.passthrough();
export type LightningNodeInfo = z.output<typeof LightningNodeInfoSchema>;

const amountString = msat.nullish();
export const LightningBalanceSchema = z
	.object({
		onchain: z
			.object({ confirmed: amountString, unconfirmed: amountString, reserved: amountString })
			.passthrough()
			.nullish(),
		offchain: z
			.object({ opening: amountString, local: amountString, remote: amountString, closing: amountString })
			.passthrough()
			.nullish(),
	})
	.passthrough();
export type LightningBalance = z.output<typeof LightningBalanceSchema>;

/** GET …/channels (LightningChannelData: capacity and localBalance are msat strings). */
export const LightningChannelSchema = z
	.object({
		remoteNode: z.string(),
		isPublic: z.boolean().nullish(),
		isActive: z.boolean().nullish(),
		capacity: msat,
		localBalance: msat.nullish(),
		channelPoint: z.string().nullish(),
	})
	.passthrough();
export type LightningChannel = z.output<typeof LightningChannelSchema>;

export const LightningHistogramSchema = z
	.object({ type: z.string().nullish(), balance: z.union([z.string(), z.number()]).nullish(), series: z.array(z.union([z.string(), z.number()])).nullish(), labels: z.array(z.number()).nullish() })
	.passthrough();

export interface OpenChannelInput {
	/** Peer as `nodeId@host:port`. */
	nodeUri: string;
	amountSats: number | string;
	/** Required guard: the largest channel this call may open, sats. */
	maxAmountSats: number | string;
	/** Funding transaction fee rate, sat/vB (BTCPay requires one). */
	feeRate: number | string;
	/** Open even while the node has pending channels (which may be this one, from an earlier run). */
	allowWhilePending?: boolean;
}

export interface OpenChannelResult {
	/** opened: the node accepted; already_open: a channel to this peer with this capacity exists; pending_exists: nothing opened while channels are pending. */
	outcome: 'opened' | 'already_open' | 'pending_exists';
	opened: boolean;
	peer: string;
	nodeId: string;
	amountSats: number;
	feeRate: string;
	channel: LightningChannel | null;
	pendingChannelsCount?: number;
}

export const LIGHTNING_LABELS = {
	storeId: 'Store',
	cryptoCode: 'Crypto Code',
	amountSats: 'Amount (Sats)',
	description: 'Description',
	descriptionHashOnly: 'Description Hash Only',
	expirySeconds: 'Expiry (Seconds)',
	privateRouteHints: 'Private Route Hints',
	invoiceId: 'Invoice ID',
	paymentHash: 'Payment Hash',
	invoice: 'Invoice',
	maxAmountSats: 'Max Amount (Sats)',
	maxFeePercent: 'Max Fee Percent',
	maxFeeFlatSats: 'Max Fee (Sats)',
	sendTimeoutSeconds: 'Send Timeout (Seconds)',
	nodeUri: 'Peer Node URI',
	channelAmountSats: 'Channel Amount (Sats)',
	feeRate: 'Fee Rate (Sat/vB)',
} as const;
const L = LIGHTNING_LABELS;


/** msat string → whole sats (rounded down), or null. */
export function msatToWholeSats(value: string | null | undefined): number | null {
	if (value === null || value === undefined || value === '' || !/^\d+$/.test(value.trim())) return null;
	return Number(BigInt(value.trim()) / 1000n);
}

export interface CreateLightningInvoiceInput {
	amountSats: number | string;
	description?: string;
	descriptionHashOnly?: boolean;
	/** Seconds until the invoice expires; blank = DEFAULT_LIGHTNING_INVOICE_EXPIRY_SECONDS. */
	expirySeconds?: number | string;
	privateRouteHints?: boolean;
}

/**
 * BTCPay's `expiry` is a non-nullable TimeSpan: a request without it is refused with
 * 422 "Expiry should be more than 0" (GreenfieldStoreLightningNodeApiController ->
 * GreenfieldLightningNodeApiController.CreateInvoice), so the client always sends one.
 */
export const DEFAULT_LIGHTNING_INVOICE_EXPIRY_SECONDS = 3600;

const CreateInvoiceSchema = z
	.object({
		amountSats: z.unknown(),
		description: optionalField(z.string().trim().max(5000, 'must be at most 5000 characters')),
		descriptionHashOnly: z.boolean().optional(),
		expirySeconds: z.unknown(),
		privateRouteHints: z.boolean().optional(),
	})
	.transform((v) => {
		const body: Record<string, unknown> = { amount: satsToMsatString(parseSats(v.amountSats, L.amountSats)) };
		if (v.description) body.description = v.description;
		if (v.descriptionHashOnly) body.descriptionHashOnly = true;
		body.expiry = isBlank(v.expirySeconds)
			? DEFAULT_LIGHTNING_INVOICE_EXPIRY_SECONDS
			: parseSats(v.expirySeconds, L.expirySeconds, { unit: 'seconds' });
		if (v.privateRouteHints) body.privateRouteHints = true;
		return body;
	});

export interface PayLightningInput {
	/** BOLT11 invoice (a `lightning:` prefix is accepted). */
	invoice: string;
	/** Required guard: the largest amount this call may pay, in sats (fees not included). */
	maxAmountSats: number | string;
	/** Amount for an invoice without an amount, in sats. */
	amountSats?: number | string;
	/** Fee limit as a percentage of the amount, e.g. "0.5". */
	maxFeePercent?: number | string;
	/** Fee limit in sats. */
	maxFeeFlatSats?: number | string;
	sendTimeoutSeconds?: number | string;
	/** Refuse invoices for another network, when known. */
	expectedNetwork?: LightningNetwork;
	/** Current unix time (tests). */
	now?: number;
}

export type PayOutcome = 'paid' | 'pending' | 'already_paid' | 'already_pending';

export interface PayLightningResult {
	/** paid: settled now; pending: accepted (202), not final yet; already_*: an earlier run's payment, nothing sent now. */
	outcome: PayOutcome;
	paid: boolean;
	pending: boolean;
	status: string;
	paymentHash: string;
	amountSats: number;
	amountMsat: string;
	feeMsat: string | null;
	feeSats: number | null;
	totalAmountMsat: string | null;
	preimage: string | null;
	BOLT11: string;
	paymentId: string | null;
	createdAt: number | null;
	/** HTTP status of the pay call (200 or 202); null when no payment was sent. */
	httpStatus: number | null;
	description: string | null;
	payee: string | null;
}

const PaySchema = z.object({
	invoice: z.string({ required_error: 'is required' }),
	maxAmountSats: z.unknown(),
	amountSats: z.unknown(),
	maxFeePercent: z.unknown(),
	maxFeeFlatSats: z.unknown(),
	sendTimeoutSeconds: z.unknown(),
	expectedNetwork: z.enum(['mainnet', 'testnet', 'signet', 'regtest', 'simnet']).optional(),
	now: z.number().optional(),
});

const baseSchema = z.object({
	storeId: storeIdSchema(),
	cryptoCode: z
		.string()
		.trim()
		.regex(/^[A-Za-z]{2,10}$/, 'must be a crypto code such as BTC')
		.transform((v) => v.toUpperCase()),
});

export class LightningApi {
	/** Pay calls in flight in this client, by node path and payment hash (items of one run). */
	private readonly paying = new Map<string, Promise<PayLightningResult>>();

	constructor(private readonly http: HttpClient) {}

	private base(storeId: string, cryptoCode = 'BTC'): string {
		const v = parseInput(baseSchema, { storeId, cryptoCode: cryptoCode || 'BTC' }, L);
		return `/api/v1/stores${seg(v.storeId)}/lightning${seg(v.cryptoCode)}`;
	}

	/** Adds a plain-language explanation to 503 (node unreachable) answers. */
	private async call<T>(fn: () => Promise<T>): Promise<T> {
		try {
			return await fn();
		} catch (error) {
			if (error instanceof ServiceError && error.status === 503) {
				throw new ServiceError(`The store's Lightning node is not reachable from BTCPay (503)`, {
					kind: 'server',
					service: 'BTCPay',
					status: 503,
					code: error.code,
					hint: 'Check the Lightning node connection in the store settings (Lightning > Settings) and that the node is running.',
				});
			}
			throw error;
		}
	}

	async getInfo(storeId: string, cryptoCode?: string): Promise<LightningNodeInfo> {
		const path = `${this.base(storeId, cryptoCode)}/info`;
		return this.call(() => this.http.request('GET', path, { schema: LightningNodeInfoSchema, resource: "The store's Lightning node" }));
	}

	async getBalance(storeId: string, cryptoCode?: string): Promise<LightningBalance> {
		const path = `${this.base(storeId, cryptoCode)}/balance`;
		return this.call(() => this.http.request('GET', path, { schema: LightningBalanceSchema, resource: "The store's Lightning node" }));
	}

	/** Creates a Lightning invoice on the store's node; the amount is given in sats and sent as msat. */
	async createInvoice(
		storeId: string,
		input: CreateLightningInvoiceInput,
		cryptoCode?: string,
	): Promise<LightningInvoice & { amountSats: number | null }> {
		const path = `${this.base(storeId, cryptoCode)}/invoices`;
		const body = parseInput(CreateInvoiceSchema, input, L);
		const invoice = await this.call(() =>
			this.http.request('POST', path, { json: body, schema: LightningInvoiceSchema, resource: "The store's Lightning node" }),
		);
		return { ...invoice, amountSats: msatToWholeSats(invoice.amount) };
	}

	async getInvoice(storeId: string, invoiceId: string, cryptoCode?: string): Promise<LightningInvoice & { amountSats: number | null }> {
		const base = this.base(storeId, cryptoCode);
		const id = parseInput(z.object({ invoiceId: objectIdSchema('Lightning invoice ID') }), { invoiceId }, L).invoiceId;
		const path = `${base}/invoices${seg(id)}`;
		const invoice = await this.call(() =>
			this.http.request('GET', path, { schema: LightningInvoiceSchema, resource: `Lightning invoice "${id}"` }),
		);
		return { ...invoice, amountSats: msatToWholeSats(invoice.amount) };
	}

	async getPayment(storeId: string, paymentHash: string, cryptoCode?: string): Promise<LightningPayment> {
		const base = this.base(storeId, cryptoCode);
		const hash = parsePaymentHash(paymentHash);
		const path = `${base}/payments/${hash}`;
		return this.call(() =>
			this.http.request('GET', path, { schema: LightningPaymentSchema, resource: `Lightning payment "${hash}"` }),
		);
	}

	/** The payment for `paymentHash`, or null when the node knows none (404). */
	async findPayment(storeId: string, paymentHash: string, cryptoCode?: string): Promise<LightningPayment | null> {
		try {
			return await this.getPayment(storeId, paymentHash, cryptoCode);
		} catch (error) {
			if (error instanceof ServiceError && error.status === 404 && error.code !== 'store-not-found') return null;
			throw error;
		}
	}

	/**
	 * Pays a BOLT11 invoice from the store's node.
	 * 1. decodes it and applies the guard (expiry, network, amount ≤ max);
	 * 2. asks BTCPay for an existing payment with the same hash: complete or
	 *    pending → reports it and sends nothing (a rerun never pays twice);
	 * 3. pays once (POST is never retried): 200 → paid, 202 → pending.
	 * If the pay call times out or the connection drops, the payment is looked
	 * up again so an in-flight payment is reported instead of an error.
	 */
	async payInvoice(storeId: string, input: PayLightningInput, cryptoCode?: string): Promise<PayLightningResult> {
		const base = this.base(storeId, cryptoCode);
		const v = parseInput(PaySchema, input, L);
		const maxAmountSats = parseSats(v.maxAmountSats, L.maxAmountSats);
		const amountSats = isBlank(v.amountSats) ? undefined : parseSats(v.amountSats, L.amountSats);
		const maxFeePercent = isBlank(v.maxFeePercent)
			? undefined
			: parseDecimalAmount(v.maxFeePercent, L.maxFeePercent, { allowZero: true, maxDecimals: 4 });
		if (maxFeePercent !== undefined && Number(maxFeePercent) > 100) {
			throw new InputError(L.maxFeePercent, `must be between 0 and 100 (got ${maxFeePercent})`, 'BTCPay');
		}
		const maxFeeFlat = isBlank(v.maxFeeFlatSats) ? undefined : parseSats(v.maxFeeFlatSats, L.maxFeeFlatSats, { allowZero: true });
		const sendTimeout = isBlank(v.sendTimeoutSeconds)
			? undefined
			: parseSats(v.sendTimeoutSeconds, L.sendTimeoutSeconds, { unit: 'seconds' });

		const plan = planPayment(v.invoice, {
			maxAmountSats,
			amountSats,
			expectedNetwork: v.expectedNetwork,
			now: v.now,
			service: 'BTCPay',
			field: L.invoice,
		});
		const hash = plan.invoice.paymentHash;

		// Two items of one run paying the same invoice: the second waits for the first and reports it.
		const key = `${base}|${hash}`;
		const earlier = this.paying.get(key);
		if (earlier) {
			const first = await earlier.catch(() => undefined);
			if (first) return { ...first, outcome: first.paid ? 'already_paid' : 'already_pending', httpStatus: null };
		}
		const attempt = this.payOnce(storeId, base, plan, { maxFeePercent, maxFeeFlat, sendTimeout }, cryptoCode);
		this.paying.set(key, attempt);
		try {
			return await attempt;
		} finally {
			if (this.paying.get(key) === attempt) this.paying.delete(key);
		}
	}

	private async payOnce(
		storeId: string,
		base: string,
		plan: PaymentPlan,
		limits: { maxFeePercent?: string; maxFeeFlat?: number; sendTimeout?: number },
		cryptoCode?: string,
	): Promise<PayLightningResult> {
		const hash = plan.invoice.paymentHash;
		const { maxFeePercent, maxFeeFlat, sendTimeout } = limits;
		const existing = await this.findPayment(storeId, hash, cryptoCode);
		if (existing && isComplete(existing.status)) return result(plan, existing, 'already_paid', null);
		if (existing && isPending(existing.status)) return result(plan, existing, 'already_pending', null);

		const body: Record<string, unknown> = { BOLT11: plan.invoice.paymentRequest };
		if (plan.amountFromParameter) body.amount = plan.amountMsat;
		if (maxFeePercent !== undefined) body.maxFeePercent = maxFeePercent;
		if (maxFeeFlat !== undefined) body.maxFeeFlat = String(maxFeeFlat);
		if (sendTimeout !== undefined) body.sendTimeout = sendTimeout;

		const path = `${base}/invoices/pay`;
		let raw;
		try {
			raw = await this.call(() =>
				this.http.send('POST', path, { json: body, retry: false, resource: "The store's Lightning node" }),
			);
		} catch (error) {
			if (error instanceof ServiceError && (error.kind === 'timeout' || error.kind === 'network')) {
				const after = await this.findPayment(storeId, hash, cryptoCode).catch(() => null);
				if (after && isComplete(after.status)) return result(plan, after, 'paid', null);
				if (after && isPending(after.status)) return result(plan, after, 'pending', null);
				throw new ServiceError(`${error.message}; the payment state is unknown`, {
					kind: error.kind,
					service: 'BTCPay',
					hint: `Before paying again, run "Get Payment" with payment hash ${hash} to see whether it went through.`,
				});
			}
			throw error;
		}
		const payment = this.http.validate(raw.body, LightningPaymentSchema, 'POST', path) as LightningPayment;
		if (raw.status === 202 || isPending(payment.status)) return result(plan, payment, 'pending', raw.status);
		if (isFailed(payment.status)) {
			throw new ServiceError(`The Lightning payment failed (status ${payment.status})`, {
				kind: 'business',
				service: 'BTCPay',
				status: raw.status,
				hint: 'Nothing was paid. Check the node liquidity and the fee limit, then try again.',
			});
		}
		return result(plan, payment, 'paid', raw.status);
	}

	/** Node ID, host and port of each URI the node announces (from `…/info`). */
	async getNodeUris(storeId: string, cryptoCode?: string): Promise<{ nodeURIs: string[]; nodes: NodeUri[]; alias: string | null }> {
		const info = await this.getInfo(storeId, cryptoCode);
		const nodeURIs = info.nodeURIs ?? [];
		const nodes: NodeUri[] = [];
		for (const uri of nodeURIs) {
			try {
				nodes.push(parseNodeUri(uri, 'node URI', 'BTCPay'));
			} catch {
				// an onion or unusual address is still listed in nodeURIs
			}
		}
		return { nodeURIs, nodes, alias: info.alias ?? null };
	}

	/** Connects the node to a peer (`nodeId@host:port`); 400 `could-not-connect` when it cannot. */
	async connect(storeId: string, nodeUri: string, cryptoCode?: string): Promise<NodeUri> {
		const base = this.base(storeId, cryptoCode);
		const peer = parseNodeUri(nodeUri, L.nodeUri, 'BTCPay');
		await this.call(() => this.http.request('POST', `${base}/connect`, { json: { nodeURI: peer.uri }, resource: "The store's Lightning node", retry: false }));
		return peer;
	}

	async listChannels(storeId: string, cryptoCode?: string): Promise<LightningChannel[]> {
		const path = `${this.base(storeId, cryptoCode)}/channels`;
		return this.call(() => this.http.request('GET', path, { schema: z.array(LightningChannelSchema), resource: "The store's Lightning node" }));
	}

	/**
	 * Opens a channel, at most once for the same peer and amount.
	 * BTCPay's open-channel call has no idempotency key and answers only 200 with
	 * no body (GreenfieldLightningNodeApiController.OpenChannel), and its channel
	 * list shows open channels only, not pending ones (`ListChannels`). So before
	 * opening: an open channel to that peer with that capacity is reported
	 * (`already_open`); while the node has pending channels (`…/info`
	 * pendingChannelsCount), which may be this very channel from an earlier run,
	 * nothing is opened unless `allowWhilePending` says so.
	 */
	async openChannel(storeId: string, input: OpenChannelInput, cryptoCode?: string): Promise<OpenChannelResult> {
		const base = this.base(storeId, cryptoCode);
		const peer = parseNodeUri(input.nodeUri, L.nodeUri, 'BTCPay');
		if (isBlank(input.maxAmountSats)) throw new InputError(L.maxAmountSats, 'is required: the largest channel this node may open (there is no unlimited default)', 'BTCPay');
		const maxAmountSats = parseSats(input.maxAmountSats, L.maxAmountSats);
		const amountSats = parseSats(input.amountSats, L.channelAmountSats);
		if (amountSats > maxAmountSats) {
			throw new SafetyError(L.channelAmountSats, `The channel amount ${amountSats} sats is above Max Amount ${maxAmountSats} sats: nothing was opened`, 'BTCPay');
		}
		const feeRate = parseDecimalAmount(input.feeRate, L.feeRate, { maxDecimals: 3 });
		const capacityMsat = satsToMsatString(amountSats);
		const matching = (await this.listChannels(storeId, cryptoCode)).find((c) => c.remoteNode.toLowerCase() === peer.nodeId && c.capacity === capacityMsat);
		if (matching) return { outcome: 'already_open', opened: false, peer: peer.uri, nodeId: peer.nodeId, amountSats, feeRate, channel: matching };
		if (!input.allowWhilePending) {
			const info = await this.getInfo(storeId, cryptoCode);
			if ((info.pendingChannelsCount ?? 0) > 0) {
				return { outcome: 'pending_exists', opened: false, peer: peer.uri, nodeId: peer.nodeId, amountSats, feeRate, channel: null, pendingChannelsCount: info.pendingChannelsCount ?? 0 };
			}
		}
		await this.call(() =>
			this.http.request('POST', `${base}/channels`, {
				json: { nodeURI: peer.uri, channelAmount: String(amountSats), feeRate: Number(feeRate) },
				resource: "The store's Lightning node",
				retry: false,
			}),
		);
		return { outcome: 'opened', opened: true, peer: peer.uri, nodeId: peer.nodeId, amountSats, feeRate, channel: null };
	}

	/** A new on-chain address of the Lightning node (to fund channels). */
	async getDepositAddress(storeId: string, cryptoCode?: string): Promise<string> {
		const path = `${this.base(storeId, cryptoCode)}/address`;
		return this.call(() => this.http.request('POST', path, { schema: z.string(), resource: "The store's Lightning node", retry: false }));
	}

	async getHistogram(storeId: string, cryptoCode?: string): Promise<z.output<typeof LightningHistogramSchema>> {
		const path = `${this.base(storeId, cryptoCode)}/histogram`;
		return this.call(() => this.http.request('GET', path, { schema: LightningHistogramSchema, resource: "The store's Lightning node" }));
	}

	async listInvoices(storeId: string, query: { pendingOnly?: boolean; offsetIndex?: number } = {}, cryptoCode?: string): Promise<Array<LightningInvoice & { amountSats: number | null }>> {
		const path = `${this.base(storeId, cryptoCode)}/invoices`;
		const list = await this.call(() =>
			this.http.request('GET', path, { schema: z.array(LightningInvoiceSchema), query: { pendingOnly: query.pendingOnly || undefined, offsetIndex: query.offsetIndex || undefined }, resource: "The store's Lightning node" }),
		);
		return list.map((invoice) => ({ ...invoice, amountSats: msatToWholeSats(invoice.amount) }));
	}

	async listPayments(storeId: string, query: { includePending?: boolean; offsetIndex?: number } = {}, cryptoCode?: string): Promise<LightningPayment[]> {
		const path = `${this.base(storeId, cryptoCode)}/payments`;
		return this.call(() =>
			this.http.request('GET', path, { schema: z.array(LightningPaymentSchema), query: { includePending: query.includePending || undefined, offsetIndex: query.offsetIndex || undefined }, resource: "The store's Lightning node" }),
		);
	}
}


export function parsePaymentHash(value: unknown): string {
	const hash = typeof value === 'string' ? value.trim().toLowerCase() : '';
	if (!hash) throw new InputError(L.paymentHash, 'is required', 'BTCPay');
	if (!/^[0-9a-f]{64}$/.test(hash)) throw new InputError(L.paymentHash, 'must be 64 hexadecimal characters', 'BTCPay');
	return hash;
}

const isComplete = (s: string) => /^(complete|completed|succeeded|success|paid)$/i.test(s);
const isPending = (s: string) => /^(pending|inflight|in_flight)$/i.test(s);
const isFailed = (s: string) => /^(failed|failure)$/i.test(s);

function result(plan: PaymentPlan, payment: LightningPayment, outcome: PayOutcome, httpStatus: number | null): PayLightningResult {
	const fee = payment.feeAmount ?? null;
	const paid = outcome === 'paid' || outcome === 'already_paid';
	return {
		outcome,
		paid,
		pending: !paid,
		status: payment.status,
		paymentHash: payment.paymentHash ?? plan.invoice.paymentHash,
		amountSats: plan.amountSats,
		amountMsat: plan.amountMsat,
		feeMsat: fee,
		feeSats: fee === null || !/^\d+$/.test(fee) ? null : Number((BigInt(fee) + 999n) / 1000n),
		totalAmountMsat: payment.totalAmount ?? null,
		preimage: payment.preimage ?? null,
		BOLT11: plan.invoice.paymentRequest,
		paymentId: payment.id ?? null,
		createdAt: payment.createdAt ?? null,
		httpStatus,
		description: plan.invoice.description,
		payee: plan.invoice.payee,
	};
}
