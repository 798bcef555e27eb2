/**
 * The client of one Cashu mint (NUT-00…NUT-08 over HTTP), built on
 * @cashu/cashu-ts for the cryptography (blinding, unblinding, DLEQ, token
 * encoding) with every request going through the shared HttpClient (timeouts,
 * error mapping, retries with backoff only where the mint's operation is
 * idempotent: GET requests and POST /v1/checkstate; swap, melt and mint are
 * sent once). No n8n imports.
 */
import type { Mint, MintKeyset, Proof, RequestOptions, Wallet } from '@cashu/cashu-ts';
import { z } from 'zod';
import { HttpClient, type HttpMethod } from '../../shared/http';
import { ServiceError } from '../../shared/errors';
import { cashuErrorMapper, SERVICE, withoutSecrets } from './errors';
import { cashuLib } from './lib';
import { normalizeMintUrl, type TokenInfo } from './token';

export interface CashuClientOptions {
	mintUrl: string;
	/** Per-request timeout, ms (default 30 000; a melt waits for the Lightning payment). */
	timeoutMs?: number;
	/** Retries of idempotent requests (default 2). */
	retries?: number;
	retryDelayMs?: number;
	fetch?: typeof fetch;
}

/** POST endpoints whose repetition changes nothing on the mint (NUT-07 check state). */
const IDEMPOTENT_POSTS = new Set(['/v1/checkstate']);

const contactSchema = z.union([
	z.object({ method: z.string(), info: z.string() }).passthrough(),
	z.array(z.string()),
]);

export const infoSchema = z
	.object({
		name: z.string().nullish(),
		pubkey: z.string().nullish(),
		version: z.string().nullish(),
		description: z.string().nullish(),
		description_long: z.string().nullish(),
		contact: z.array(contactSchema).nullish(),
		motd: z.string().nullish(),
		icon_url: z.string().nullish(),
		time: z.number().nullish(),
		nuts: z.record(z.string(), z.unknown()).default({}),
	})
	.passthrough();

export type RawMintInfo = z.infer<typeof infoSchema>;

export interface MintInfoSummary {
	name: string | null;
	version: string | null;
	pubkey: string | null;
	description: string | null;
	descriptionLong: string | null;
	motd: string | null;
	iconUrl: string | null;
	contact: Array<{ method: string; info: string }>;
	/** NUT numbers the mint announces and does not mark disabled/unsupported, ascending. */
	supportedNuts: number[];
	nuts: Record<string, unknown>;
}

const keysetsSchema = z.object({
	keysets: z.array(
		z
			.object({
				id: z.string(),
				unit: z.string(),
				active: z.boolean(),
				input_fee_ppk: z.number().int().nonnegative().nullish(),
				final_expiry: z.number().nullish(),
			})
			.passthrough(),
	),
});

export interface KeysetSummary {
	id: string;
	unit: string;
	active: boolean;
	/** Fee per input, in parts per thousand of the unit (NUT-02). */
	inputFeePpk: number;
	finalExpiry: number | null;
}

export type ProofStateValue = 'UNSPENT' | 'PENDING' | 'SPENT';

export interface TokenStateSummary {
	/** UNSPENT when every proof is, SPENT when every proof is, else MIXED / PENDING. */
	state: ProofStateValue | 'MIXED';
	proofs: Array<{ amount: number; state: ProofStateValue }>;
	unspent: { count: number; amount: number };
	pending: { count: number; amount: number };
	spent: { count: number; amount: number };
}

export interface MeltQuote {
	quote: string;
	amount: number;
	feeReserve: number;
	state: 'UNPAID' | 'PENDING' | 'PAID';
	expiry: number | null;
	preimage: string | null;
	request: string | null;
}

export interface MintQuote {
	quote: string;
	request: string;
	amount: number;
	state: 'UNPAID' | 'PAID' | 'ISSUED';
	expiry: number | null;
}

export interface MeltResult {
	quote: MeltQuote;
	/** Returned fee reserve (NUT-08), as proofs; empty when nothing came back. */
	change: Proof[];
}

function num(a: unknown): number {
	if (a === null || a === undefined) return 0;
	if (typeof a === 'number') return a;
	if (typeof a === 'bigint') return Number(a);
	if (typeof a === 'object' && typeof (a as { toNumber?: unknown }).toNumber === 'function') return (a as { toNumber(): number }).toNumber();
	return Number(a);
}

function toMeltQuote(q: Record<string, unknown>): MeltQuote {
	return {
		quote: String(q.quote),
		amount: num(q.amount),
		feeReserve: num(q.fee_reserve),
		state: (q.state as MeltQuote['state']) ?? (q.paid ? 'PAID' : 'UNPAID'),
		expiry: typeof q.expiry === 'number' ? q.expiry : null,
		preimage: typeof q.payment_preimage === 'string' && q.payment_preimage ? q.payment_preimage : null,
		request: typeof q.request === 'string' ? q.request : null,
	};
}

function toMintQuote(q: Record<string, unknown>): MintQuote {
	return {
		quote: String(q.quote),
		request: String(q.request ?? ''),
		amount: num(q.amount),
		state: (q.state as MintQuote['state']) ?? 'UNPAID',
		expiry: typeof q.expiry === 'number' ? q.expiry : null,
	};
}

/** Every string of a token that is money: the encoded token and each proof's secret and signature. */
export function tokenSecrets(token: string, proofs: readonly Proof[] = []): string[] {
	return [token, ...proofs.flatMap((p) => [p.secret, p.C])];
}

export class CashuMintClient {
	readonly mintUrl: string;
	readonly http: HttpClient;
	private readonly cashuMint: Mint;
	private walletPromise?: Promise<Wallet>;
	private readonly unit: string;

	constructor(options: CashuClientOptions, unit = 'sat') {
		this.mintUrl = normalizeMintUrl(options.mintUrl);
		this.unit = unit;
		this.http = new HttpClient({
			service: SERVICE,
			baseUrl: this.mintUrl,
			headers: {},
			secrets: [],
			mapError: cashuErrorMapper,
			timeoutMs: options.timeoutMs ?? 30_000,
			retries: options.retries ?? 2,
			retryDelayMs: options.retryDelayMs ?? 500,
			...(options.fetch ? { fetch: options.fetch } : {}),
		});
		const { Mint: MintClass } = cashuLib();
		this.cashuMint = new MintClass(this.mintUrl, { customRequest: this.request as never });
	}

	/** cashu-ts' request function: every mint call of the library goes through the shared HttpClient. */
	private readonly request = async (args: RequestOptions): Promise<unknown> => {
		const { JSONInt } = cashuLib();
		const url = new URL(args.endpoint);
		const basePath = new URL(this.mintUrl).pathname.replace(/\/+$/, '');
		const path = url.pathname.slice(basePath.length) + url.search;
		const method = ((args.method as string | undefined) ?? 'GET').toUpperCase() as HttpMethod;
		const body = args.requestBody ? JSONInt.stringify(args.requestBody) : undefined;
		const raw = await this.http.send(method, path, {
			...(body !== undefined ? { body, headers: { 'Content-Type': 'application/json' } } : {}),
			...(method === 'POST' ? { retry: IDEMPOTENT_POSTS.has(path) } : {}),
		});
		return raw.body;
	};

	/** NUT-06 mint info. */
	async getInfo(): Promise<MintInfoSummary> {
		const info = await this.http.request('GET', '/v1/info', { schema: infoSchema });
		return summarizeInfo(info);
	}

	/** NUT-02 keysets (every unit, active and inactive). */
	async getKeysets(): Promise<KeysetSummary[]> {
		const { keysets } = await this.http.request('GET', '/v1/keysets', { schema: keysetsSchema });
		return keysets.map((k) => ({
			id: k.id,
			unit: k.unit,
			active: k.active,
			inputFeePpk: k.input_fee_ppk ?? 0,
			finalExpiry: k.final_expiry ?? null,
		}));
	}

	/** The cashu-ts wallet of this mint and unit, with keysets and keys loaded once. */
	wallet(): Promise<Wallet> {
		return (this.walletPromise ??= (async () => {
			const { Wallet: WalletClass } = cashuLib();
			const wallet = new WalletClass(this.cashuMint, { unit: this.unit });
			await wallet.loadMint();
			return wallet;
		})().catch((error) => {
			this.walletPromise = undefined;
			throw withoutSecrets(error, []);
		}));
	}

	/** The token's proofs, complete (V4 tokens may carry short keyset IDs the mint's keysets resolve). */
	async proofsOf(token: string): Promise<Proof[]> {
		const wallet = await this.wallet();
		try {
			return wallet.decodeToken(token).proofs;
		} catch (error) {
			throw withoutSecrets(
				new ServiceError(`The token could not be read with this mint's keysets: ${(error as Error).message}`, {
					kind: 'input',
					service: SERVICE,
					field: 'Token',
					hint: 'The token may belong to another mint or unit.',
				}),
				[token],
			);
		}
	}

	/** NUT-07: the state of every proof of the token, and a summary. */
	async checkState(token: string): Promise<TokenStateSummary> {
		const proofs = await this.proofsOf(token);
		return this.guard(token, proofs, async () => {
			const wallet = await this.wallet();
			const states = await wallet.checkProofsStates(proofs);
			return summarizeStates(proofs, states.map((s) => s.state as ProofStateValue));
		});
	}

	/** The fee (in the unit) the mint charges for spending these proofs (NUT-02 input_fee_ppk). */
	async inputFee(proofs: Proof[]): Promise<number> {
		return this.guard('', proofs, async () => num((await this.wallet()).getFeesForProofs(proofs)));
	}

	/** NUT-05 melt quote for a BOLT11 invoice. Creating one moves no money. */
	async createMeltQuote(bolt11: string): Promise<MeltQuote> {
		return this.guard('', [], async () => {
			const wallet = await this.wallet();
			return toMeltQuote((await wallet.createMeltQuoteBolt11(bolt11)) as unknown as Record<string, unknown>);
		});
	}

	async checkMeltQuote(quoteId: string): Promise<MeltQuote> {
		return this.guard('', [], async () => {
			const wallet = await this.wallet();
			return toMeltQuote((await wallet.checkMeltQuoteBolt11(quoteId)) as unknown as Record<string, unknown>);
		});
	}

	/** NUT-05 melt: spends the proofs to pay the quote's invoice. Sent once, never retried. */
	async melt(quoteId: string, token: string, proofs: Proof[]): Promise<MeltResult> {
		return this.guard(token, proofs, async () => {
			const wallet = await this.wallet();
			const quote = await wallet.checkMeltQuoteBolt11(quoteId);
			const res = await wallet.meltProofsBolt11(quote, proofs);
			return { quote: toMeltQuote(res.quote as unknown as Record<string, unknown>), change: res.change };
		});
	}

	/** NUT-03 swap: the token's proofs for fresh ones (the old token is spent). Sent once, never retried. */
	async swap(token: string, proofs: Proof[]): Promise<Proof[]> {
		return this.guard(token, proofs, async () => {
			const wallet = await this.wallet();
			return wallet.receive(proofs);
		});
	}

	/** NUT-04 mint quote: an invoice that, once paid, lets the wallet mint `amount`. */
	async createMintQuote(amount: number, description?: string): Promise<MintQuote> {
		return this.guard('', [], async () => {
			const wallet = await this.wallet();
			return toMintQuote((await wallet.createMintQuoteBolt11(amount, description)) as unknown as Record<string, unknown>);
		});
	}

	async checkMintQuote(quoteId: string): Promise<MintQuote> {
		return this.guard('', [], async () => {
			const wallet = await this.wallet();
			return toMintQuote((await wallet.checkMintQuoteBolt11(quoteId)) as unknown as Record<string, unknown>);
		});
	}

	/** NUT-04 mint: the proofs of a paid quote. Sent once, never retried. */
	async mintProofs(amount: number, quoteId: string): Promise<Proof[]> {
		return this.guard('', [], async () => {
			const wallet = await this.wallet();
			return wallet.mintProofsBolt11(amount, quoteId);
		});
	}

	/** Encodes proofs of this mint as a V4 (cashuB…) token. */
	encode(proofs: Proof[], memo?: string): string {
		const { getEncodedToken } = cashuLib();
		return getEncodedToken({ mint: this.mintUrl, proofs, unit: this.unit, ...(memo ? { memo } : {}) });
	}

	/**
	 * Runs `fn`; whatever it throws has the token's secrets removed, and an error of
	 * the library (a mint answer it refuses, e.g. a quote for another amount than its
	 * invoice) becomes a protocol error.
	 */
	private async guard<T>(token: string, proofs: Proof[], fn: () => Promise<T>): Promise<T> {
		try {
			return await fn();
		} catch (error) {
			throw withoutSecrets(error, tokenSecrets(token, proofs));
		}
	}
}

export function summarizeInfo(info: RawMintInfo): MintInfoSummary {
	const supported: number[] = [];
	for (const [key, value] of Object.entries(info.nuts ?? {})) {
		const n = Number(key);
		if (!Number.isInteger(n)) continue;
		const v = (value ?? {}) as { disabled?: unknown; supported?: unknown };
		if (v.disabled === true || v.supported === false) continue;
		supported.push(n);
	}
	supported.sort((a, b) => a - b);
	const contact = (info.contact ?? []).map((c) =>
		Array.isArray(c) ? { method: String(c[0] ?? ''), info: String(c[1] ?? '') } : { method: c.method, info: c.info },
	);
	return {
		name: info.name ?? null,
		version: info.version ?? null,
		pubkey: info.pubkey ?? null,
		description: info.description ?? null,
		descriptionLong: info.description_long ?? null,
		motd: info.motd ?? null,
		iconUrl: info.icon_url ?? null,
		contact,
		supportedNuts: supported,
		nuts: info.nuts ?? {},
	};
}

export function summarizeStates(proofs: ReadonlyArray<{ amount: unknown }>, states: ProofStateValue[]): TokenStateSummary {
	const list = proofs.map((p, i) => ({ amount: num(p.amount), state: states[i] ?? 'UNSPENT' }));
	const tally = (s: ProofStateValue) => {
		const of = list.filter((p) => p.state === s);
		return { count: of.length, amount: of.reduce((sum, p) => sum + p.amount, 0) };
	};
	const unspent = tally('UNSPENT');
	const pending = tally('PENDING');
	const spent = tally('SPENT');
	const state: TokenStateSummary['state'] =
		unspent.count === list.length ? 'UNSPENT' : spent.count === list.length ? 'SPENT' : pending.count > 0 ? 'PENDING' : 'MIXED';
	return { state, proofs: list, unspent, pending, spent };
}

export type { Proof, MintKeyset, TokenInfo };
