/**
 * The store's on-chain wallet (Greenfield v1
 * /stores/{storeId}/payment-methods/{paymentMethodId}/wallet/…, BTCPay's
 * Plugins/Wallets/Controllers/GreenfieldStoreOnChainWalletsController.cs).
 * Amounts are BTC decimal strings, fee rates sat/vB.
 *
 * Sending is guarded (see `send`): Max Amount, addresses checked against the
 * wallet's own network, an explicit fee rate or block target, and a reference
 * written as a label on the transaction so that a rerun finds it and sends nothing.
 */
import { z } from 'zod';
import type { HttpClient } from '../../shared/http';
import { InputError, SafetyError, ServiceError } from '../../shared/errors';
import { fromScaled, parseDecimalAmount, toScaled } from '../../shared/amounts';
import { checkBitcoinAddress, decodeBitcoinAddress, networkOfAddress, type BitcoinNetwork } from '../../shared/bitcoin';
import { decimalString, parseInput, seg, storeIdSchema } from './schemas';
import { isBlank } from './paymentRequests';

const labelsSchema = z.union([z.record(z.unknown()), z.array(z.unknown())]).nullish();
const count = z.union([z.number(), z.string()]).nullish();

export const WalletOverviewSchema = z
	.object({ balance: decimalString, unconfirmedBalance: decimalString.optional(), confirmedBalance: decimalString.optional() })
	.passthrough();
export type WalletOverview = z.output<typeof WalletOverviewSchema>;

export const HistogramSchema = z
	.object({ type: z.string().nullish(), balance: decimalString.nullish(), series: z.array(decimalString).nullish(), labels: z.array(z.number()).nullish() })
	.passthrough();
export type Histogram = z.output<typeof HistogramSchema>;

export const WalletTransactionSchema = z
	.object({
		transactionHash: z.string().nullish(),
		comment: z.string().nullish(),
		amount: decimalString,
		blockHash: z.string().nullish(),
		blockHeight: count,
		confirmations: count,
		timestamp: z.number().nullish(),
		status: z.string().nullish(),
		labels: labelsSchema,
	})
	.passthrough();
export type WalletTransaction = z.output<typeof WalletTransactionSchema>;

export const UtxoSchema = z
	.object({
		outpoint: z.string(),
		amount: decimalString,
		address: z.string().nullish(),
		comment: z.string().nullish(),
		link: z.string().nullish(),
		timestamp: z.number().nullish(),
		keyPath: z.string().nullish(),
		confirmations: count,
		labels: labelsSchema,
	})
	.passthrough();
export type Utxo = z.output<typeof UtxoSchema>;

const AddressSchema = z.object({ address: z.string(), keyPath: z.string().nullish(), paymentLink: z.string().nullish() }).passthrough();
export type ReceiveAddress = z.output<typeof AddressSchema>;
const FeeRateSchema = z.object({ feeRate: z.union([z.number(), z.string()]) }).passthrough();
const PreviewSchema = z.object({ addresses: z.array(z.object({ address: z.string(), keyPath: z.string().nullish() }).passthrough()) }).passthrough();
const PsbtSchema = z.object({ psbt: z.string() }).passthrough();

export const WALLET_LABELS = {
	storeId: 'Store',
	paymentMethodId: 'Payment Method',
	transactionId: 'Transaction ID',
	blockTarget: 'Block Target',
	feeRate: 'Fee Rate (Sat/vB)',
	maxAmount: 'Max Amount (BTC)',
	reference: 'Reference',
	destinations: 'Destinations',
	comment: 'Comment',
	labels: 'Labels',
	limit: 'Limit',
} as const;
const L = WALLET_LABELS;

/** Label prefix of transactions sent by this node: `n8n:<reference>` (BTCPay keeps labels up to 50 characters). */
export const REFERENCE_LABEL_PREFIX = 'n8n:';
const MAX_LABEL = 50;

const baseSchema = z.object({
	storeId: storeIdSchema(),
	paymentMethodId: z
		.string()
		.trim()
		.regex(/^[A-Za-z0-9]{2,10}(-CHAIN)?$/i, 'must be an on-chain payment method such as BTC-CHAIN')
		.transform((v) => (/-CHAIN$/i.test(v) ? v.toUpperCase() : `${v.toUpperCase()}-CHAIN`)),
});

const txIdSchema = z.string().trim().toLowerCase().regex(/^[0-9a-f]{64}$/, 'must be a transaction ID (64 hexadecimal characters)');

export interface ListTransactionsQuery {
	/** Confirmed / Unconfirmed (BTCPay's TransactionStatus). */
	status?: Array<'Confirmed' | 'Unconfirmed'>;
	/** Exact label text. */
	label?: string;
	skip?: number;
	limit?: number;
}

export interface SendDestination {
	address: string;
	/** BTC decimal. */
	amount: string | number;
	subtractFees?: boolean;
}

export interface SendInput {
	destinations: SendDestination[];
	/** Required guard: the most this call may send in total, BTC decimal (fees not included). */
	maxAmount: string | number;
	/** sat/vB; exactly one of feeRate / blockTarget. */
	feeRate?: string | number;
	/** Confirmation target in blocks: BTCPay's fee estimate for it is read and sent as the fee rate. */
	blockTarget?: number;
	/** Stable reference of this payment (e.g. the workflow item's ID); written as the label `n8n:<reference>`. */
	reference: string;
	comment?: string;
	/** Refuse before any request when the wallet is known to be on this network (the wallet's own network is checked anyway). */
	expectedNetwork?: BitcoinNetwork;
	excludeUnconfirmed?: boolean;
	rbf?: boolean;
}

export interface SendPlan {
	destinations: Array<{ address: string; amount: string; subtractFromAmount: boolean }>;
	/** Exact sum of the destination amounts, 8 decimals. */
	total: string;
	maxAmount: string;
	label: string;
	feeRate?: string;
	blockTarget?: number;
}

export type SendOutcome = 'sent' | 'already_sent';

export interface SendResult {
	outcome: SendOutcome;
	sent: boolean;
	transactionHash: string | null;
	total: string;
	feeRate: string;
	network: BitcoinNetwork;
	label: string;
	transaction: WalletTransaction;
}

export interface PreviewResult {
	/** Nothing was signed or broadcast: BTCPay built an unsigned PSBT. */
	preview: true;
	psbt: string;
	total: string;
	maxAmount: string;
	feeRate: string;
	network: BitcoinNetwork;
	label: string;
	destinations: SendPlan['destinations'];
	/** Whether a transaction with this reference already exists (a Send would not send). */
	alreadySent: boolean;
	existingTransactionHash: string | null;
}

/** Validates everything that needs no request: amounts, max, fee choice, reference, address encodings. */
export function planSend(input: SendInput): SendPlan {
	const reference = typeof input.reference === 'string' ? input.reference.trim() : '';
	if (!reference) throw new InputError(L.reference, 'is required: a stable ID of this payment (e.g. an order ID), written on the transaction so a rerun does not send again', 'BTCPay');
	const label = `${REFERENCE_LABEL_PREFIX}${reference}`;
	if (label.length > MAX_LABEL) throw new InputError(L.reference, `must be at most ${MAX_LABEL - REFERENCE_LABEL_PREFIX.length} characters (BTCPay keeps labels up to ${MAX_LABEL})`, 'BTCPay');
	if (isBlank(input.maxAmount)) throw new InputError(L.maxAmount, 'is required: the most this node may send (there is no unlimited default)', 'BTCPay');
	const maxAmount = parseDecimalAmount(input.maxAmount, L.maxAmount, { maxDecimals: 8, currency: 'BTC' });
	if (!Array.isArray(input.destinations) || input.destinations.length === 0) throw new InputError(L.destinations, 'needs at least one address and amount', 'BTCPay');
	let subtracting = 0;
	const destinations = input.destinations.map((d, index) => {
		const field = `${L.destinations}[${index}]`;
		const address = decodeBitcoinAddress(d?.address, `${field}.Address`, 'BTCPay').address;
		const amount = parseDecimalAmount(d?.amount, `${field}.Amount (BTC)`, { maxDecimals: 8, currency: 'BTC' });
		if (d.subtractFees) subtracting++;
		return { address, amount: fromScaled(toScaled(amount, 8), 8), subtractFromAmount: Boolean(d.subtractFees) };
	});
	if (subtracting > 1) throw new InputError(L.destinations, 'fees can be subtracted from one destination only', 'BTCPay');
	const total = destinations.reduce((sum, d) => sum + toScaled(d.amount, 8), 0n);
	if (total > toScaled(maxAmount, 8)) {
		throw new SafetyError(L.maxAmount, `The total ${fromScaled(total, 8)} BTC is above Max Amount ${fromScaled(toScaled(maxAmount, 8), 8)} BTC: nothing was sent`, 'BTCPay');
	}
	const hasRate = !isBlank(input.feeRate);
	const hasTarget = !isBlank(input.blockTarget);
	if (hasRate === hasTarget) throw new InputError(L.feeRate, 'give either a fee rate (sat/vB) or a block target, not both and not neither', 'BTCPay');
	const plan: SendPlan = { destinations, total: fromScaled(total, 8), maxAmount: fromScaled(toScaled(maxAmount, 8), 8), label };
	if (hasRate) {
		plan.feeRate = parseDecimalAmount(input.feeRate, L.feeRate, { maxDecimals: 3 });
		if (toScaled(plan.feeRate, 3) > 10_000_000n) throw new SafetyError(L.feeRate, `A fee rate of ${plan.feeRate} sat/vB is far above any real fee: nothing was sent`, 'BTCPay');
	} else {
		const target = Number(input.blockTarget);
		if (!Number.isInteger(target) || target < 1 || target > 1008) throw new InputError(L.blockTarget, 'must be a whole number of blocks between 1 and 1008', 'BTCPay');
		plan.blockTarget = target;
	}
	if (input.expectedNetwork) {
		input.destinations.forEach((d, index) => checkBitcoinAddress(d.address, input.expectedNetwork as BitcoinNetwork, `${L.destinations}[${index}].Address`, 'BTCPay'));
	}
	return plan;
}

export class WalletApi {
	/** Sends in flight in this client, by wallet and label (items of one run with the same reference). */
	private readonly sending = new Map<string, Promise<SendResult>>();

	constructor(private readonly http: HttpClient) {}

	base(storeId: string, paymentMethodId = 'BTC-CHAIN'): string {
		const v = parseInput(baseSchema, { storeId, paymentMethodId: paymentMethodId || 'BTC-CHAIN' }, L);
		return `/api/v1/stores${seg(v.storeId)}/payment-methods${seg(v.paymentMethodId)}/wallet`;
	}

	/** 503 `not-available` (no wallet set up, or the node syncing) explained. */
	private async call<T>(fn: () => Promise<T>): Promise<T> {
		try {
			return await fn();
		} catch (error) {
			if (error instanceof ServiceError && error.status === 503) {
				throw new ServiceError(`The store's on-chain wallet is not available in BTCPay (503${error.code ? ` ${error.code}` : ''})`, {
					kind: 'server',
					service: 'BTCPay',
					status: 503,
					code: error.code,
					hint: 'Set up the on-chain wallet of the store (Wallets > Bitcoin), and check that BTCPay is synced. Sending also needs a hot wallet.',
				});
			}
			throw error;
		}
	}

	private get<S extends z.ZodTypeAny>(path: string, schema: S, query?: Record<string, string | number | boolean | string[] | undefined>): Promise<z.output<S>> {
		return this.call(() => this.http.request('GET', path, { schema, query, resource: "The store's on-chain wallet" }));
	}

	async overview(storeId: string, paymentMethodId?: string): Promise<WalletOverview> {
		return this.get(this.base(storeId, paymentMethodId), WalletOverviewSchema);
	}

	/** Balance history; type Week (default), Month or Year. */
	async histogram(storeId: string, type?: string, paymentMethodId?: string): Promise<Histogram> {
		return this.get(`${this.base(storeId, paymentMethodId)}/histogram`, HistogramSchema, { type: type || undefined });
	}

	/** BTCPay's fee estimate in sat/vB for a block target (the store's default target when none). */
	async feeRate(storeId: string, blockTarget?: number, paymentMethodId?: string): Promise<{ feeRate: string; blockTarget: number | null }> {
		if (blockTarget !== undefined && (!Number.isInteger(blockTarget) || blockTarget < 1)) throw new InputError(L.blockTarget, 'must be a whole number of blocks, 1 or more', 'BTCPay');
		const data = await this.get(`${this.base(storeId, paymentMethodId)}/feerate`, FeeRateSchema, { blockTarget });
		return { feeRate: String(data.feeRate), blockTarget: blockTarget ?? null };
	}

	/** The current receive address; `forceGenerate` reserves a new one. */
	async receiveAddress(storeId: string, forceGenerate = false, paymentMethodId?: string): Promise<ReceiveAddress> {
		return this.get(`${this.base(storeId, paymentMethodId)}/address`, AddressSchema, { forceGenerate: forceGenerate || undefined });
	}

	/** Gives the reserved receive address back; 400 `no-reserved-address` when there is none. */
	async unreserveAddress(storeId: string, paymentMethodId?: string): Promise<void> {
		await this.call(() => this.http.request('DELETE', `${this.base(storeId, paymentMethodId)}/address`, { resource: "The store's on-chain wallet" }));
	}

	async listTransactions(storeId: string, query: ListTransactionsQuery = {}, paymentMethodId?: string): Promise<WalletTransaction[]> {
		const q = parseInput(
			z.object({
				status: z.array(z.enum(['Confirmed', 'Unconfirmed'])).optional(),
				label: z.string().trim().max(MAX_LABEL, `must be at most ${MAX_LABEL} characters`).optional(),
				skip: z.number().int().min(0).optional(),
				limit: z.number().int().min(1, 'must be 1 or more').optional(),
			}),
			query,
			{ status: 'Status', label: 'Label', skip: 'Skip', limit: L.limit },
		);
		return this.get(`${this.base(storeId, paymentMethodId)}/transactions`, z.array(WalletTransactionSchema), {
			statusFilter: q.status?.length ? q.status : undefined,
			labelFilter: q.label || undefined,
			skip: q.skip,
			limit: q.limit,
		});
	}

	async getTransaction(storeId: string, transactionId: string, paymentMethodId?: string): Promise<WalletTransaction> {
		const id = parseInput(z.object({ transactionId: txIdSchema }), { transactionId }, L).transactionId;
		return this.call(() =>
			this.http.request('GET', `${this.base(storeId, paymentMethodId)}/transactions/${id}`, { schema: WalletTransactionSchema, resource: `Transaction "${id}"` }),
		);
	}

	/** Sets the comment and/or adds labels (BTCPay adds labels, it never removes them here). */
	async updateTransaction(storeId: string, transactionId: string, changes: { comment?: string; labels?: string[] }, paymentMethodId?: string): Promise<WalletTransaction> {
		const id = parseInput(z.object({ transactionId: txIdSchema }), { transactionId }, L).transactionId;
		const body = parseInput(
			z
				.object({
					comment: z.string().max(200, 'must be at most 200 characters (BTCPay keeps 200)').optional(),
					labels: z.array(z.string().trim().min(1).max(MAX_LABEL, `each label must be at most ${MAX_LABEL} characters`)).optional(),
				})
				.refine((v) => v.comment !== undefined || (v.labels?.length ?? 0) > 0, { message: 'give a comment or at least one label', path: ['comment'] }),
			changes,
			L,
		);
		// PATCH sets a comment and adds labels: repeating it gives the same result, so it may be retried.
		return this.call(() =>
			this.http.request('PATCH', `${this.base(storeId, paymentMethodId)}/transactions/${id}`, {
				json: body,
				schema: WalletTransactionSchema,
				resource: `Transaction "${id}"`,
				retry: true,
			}),
		);
	}

	async listUtxos(storeId: string, paymentMethodId?: string): Promise<Utxo[]> {
		return this.get(`${this.base(storeId, paymentMethodId)}/utxos`, z.array(UtxoSchema));
	}

	/**
	 * The network of the store's wallet, read from its first deposit address
	 * (`GET …/wallet/preview?count=1`: GreenfieldStoreOnChainPaymentMethodsController.GetOnChainPaymentMethodPreview
	 * derives it without reserving anything, unlike `…/wallet/address`).
	 */
	async network(storeId: string, paymentMethodId?: string): Promise<BitcoinNetwork> {
		const preview = await this.get(`${this.base(storeId, paymentMethodId)}/preview`, PreviewSchema, { offset: 0, count: 1 });
		const address = preview.addresses[0]?.address;
		if (!address) throw new ServiceError("BTCPay returned no address for the store's wallet, so its network is unknown: nothing was sent", { kind: 'business', service: 'BTCPay' });
		return networkOfAddress(address);
	}

	/** The transaction this node sent earlier with `label`, if any (outgoing: negative amount). */
	async findByLabel(storeId: string, label: string, paymentMethodId?: string): Promise<WalletTransaction | undefined> {
		const found = await this.listTransactions(storeId, { label }, paymentMethodId);
		return found.find((tx) => tx.amount.trim().startsWith('-')) ?? found[0];
	}

	/** Checks the addresses against the wallet network, resolves the fee rate and looks for an earlier send. */
	private async prepare(storeId: string, input: SendInput, paymentMethodId?: string) {
		const plan = planSend(input);
		const network = await this.network(storeId, paymentMethodId);
		input.destinations.forEach((d, index) => checkBitcoinAddress(d.address, network, `${L.destinations}[${index}].Address`, 'BTCPay'));
		const feeRate = plan.feeRate ?? (await this.feeRate(storeId, plan.blockTarget, paymentMethodId)).feeRate;
		const existing = await this.findByLabel(storeId, plan.label, paymentMethodId);
		const body: Record<string, unknown> = {
			destinations: plan.destinations.map((d) => ({ destination: d.address, amount: d.amount, subtractFromAmount: d.subtractFromAmount })),
			// The spec spells it `feerate`; Newtonsoft matches property names case-insensitively (FeeRate).
			feerate: Number(feeRate),
			proceedWithPayjoin: false,
		};
		if (input.excludeUnconfirmed) body.excludeUnconfirmed = true;
		if (input.rbf !== undefined) body.rbf = input.rbf;
		return { plan, network, feeRate, existing, body };
	}

	/**
	 * Previews a send: all of Send's checks, then BTCPay builds the transaction
	 * as an unsigned PSBT (`signWithSeed: false, proceedWithBroadcast: false`:
	 * CreateOnChainTransaction returns before signing), so BTCPay's own checks
	 * (balance, fee rate, addresses) run and nothing is signed or broadcast.
	 */
	async preview(storeId: string, input: SendInput, paymentMethodId?: string): Promise<PreviewResult> {
		const { plan, network, feeRate, existing, body } = await this.prepare(storeId, input, paymentMethodId);
		const path = `${this.base(storeId, paymentMethodId)}/transactions`;
		const psbt = await this.call(() =>
			this.http.request('POST', path, { json: { ...body, signWithSeed: false, proceedWithBroadcast: false }, schema: PsbtSchema, resource: "The store's on-chain wallet", retry: false }),
		);
		return {
			preview: true,
			psbt: psbt.psbt,
			total: plan.total,
			maxAmount: plan.maxAmount,
			feeRate,
			network,
			label: plan.label,
			destinations: plan.destinations,
			alreadySent: Boolean(existing),
			existingTransactionHash: existing?.transactionHash ?? null,
		};
	}

	/**
	 * Sends from the store's hot wallet, at most once per reference.
	 *
	 * BTCPay's create-transaction call has no idempotency key, but a wallet
	 * transaction can carry labels (PATCH …/transactions/{id}) and the list can
	 * be filtered by an exact label (`labelFilter`,
	 * GreenfieldStoreOnChainWalletsController.ShowOnChainWalletTransactions). So:
	 * 1. every check that needs no request (Max Amount, amounts, fee choice, address encodings);
	 * 2. the wallet's network (from its own address) against every destination;
	 * 3. a transaction labelled `n8n:<reference>` already exists → reported, nothing sent;
	 * 4. one POST (never retried), then the label and comment are written on the new transaction
	 *    (PATCH, retried). If that fails the error says the money left and names the transaction.
	 * The window left is a crash between 4's POST and PATCH; items of one run with the same
	 * reference wait for each other.
	 */
	async send(storeId: string, input: SendInput, paymentMethodId?: string): Promise<SendResult> {
		const plan = planSend(input);
		const key = `${this.base(storeId, paymentMethodId)}|${plan.label}`;
		const earlier = this.sending.get(key);
		if (earlier) {
			const first = await earlier.catch(() => undefined);
			if (first) return { ...first, outcome: 'already_sent', sent: false };
		}
		const attempt = this.sendOnce(storeId, input, paymentMethodId);
		this.sending.set(key, attempt);
		try {
			return await attempt;
		} finally {
			if (this.sending.get(key) === attempt) this.sending.delete(key);
		}
	}

	private async sendOnce(storeId: string, input: SendInput, paymentMethodId?: string): Promise<SendResult> {
		const { plan, network, feeRate, existing, body } = await this.prepare(storeId, input, paymentMethodId);
		if (existing) {
			return { outcome: 'already_sent', sent: false, transactionHash: existing.transactionHash ?? null, total: plan.total, feeRate, network, label: plan.label, transaction: existing };
		}
		const path = `${this.base(storeId, paymentMethodId)}/transactions`;
		let raw;
		try {
			raw = await this.call(() => this.http.send('POST', path, { json: { ...body, signWithSeed: true, proceedWithBroadcast: true }, retry: false, resource: "The store's on-chain wallet" }));
		} catch (error) {
			if (error instanceof ServiceError && (error.kind === 'timeout' || error.kind === 'network')) {
				const after = await this.findByLabel(storeId, plan.label, paymentMethodId).catch(() => undefined);
				if (after) return { outcome: 'sent', sent: true, transactionHash: after.transactionHash ?? null, total: plan.total, feeRate, network, label: plan.label, transaction: after };
				throw new ServiceError(`${error.message}; whether the transaction went out is unknown`, {
					kind: error.kind,
					service: 'BTCPay',
					hint: `Before sending again, look at the wallet's latest transactions in BTCPay; label the one for this payment "${plan.label}" if it went out, so a rerun skips it.`,
				});
			}
			throw error;
		}
		const tx = this.http.validate(raw.body, WalletTransactionSchema, 'POST', path) as WalletTransaction;
		const hash = tx.transactionHash ?? null;
		let labelled = tx;
		if (hash) {
			try {
				labelled = await this.updateTransaction(storeId, hash, { labels: [plan.label], ...(input.comment ? { comment: input.comment.slice(0, 200) } : {}) }, paymentMethodId);
			} catch (error) {
				throw new ServiceError(`The transaction ${hash} was sent, but labelling it "${plan.label}" failed: ${(error as Error).message}`, {
					kind: 'business',
					service: 'BTCPay',
					hint: `Do not rerun this item before adding the label "${plan.label}" to transaction ${hash} in BTCPay (Wallet > Transactions): without it a rerun would send again.`,
				});
			}
		}
		return { outcome: 'sent', sent: true, transactionHash: hash, total: plan.total, feeRate, network, label: plan.label, transaction: labelled };
	}
}
