/**
 * A Lightning wallet chosen by the user, for nodes that receive or pay on a wallet
 * they do not own (Cashu redeem/mint, L402 challenge/pay): the user picks an LNbits
 * wallet, an LND node or a BTCPay store's Lightning node, each with its own
 * credential, and the node calls the existing clients, with their guards: decoded
 * before paying, Max Amount, network and expiry checked before any request, and an
 * invoice the wallet already paid reported instead of paid again.
 *
 * Fees: LND takes `maxFeeSats` as its fee limit (default 1% of Max Amount, at least
 * 10 sats); BTCPay as its flat fee limit; LNbits applies its own fee reserve (the
 * server's setting), which a caller cannot lower.
 */
import type { IDisplayOptions, IExecuteFunctions, INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import { getBtcPayClient } from '../BtcPay/transport';
import { getLnbitsClient } from '../Lnbits/transport';
import { getLndClient } from '../Lnd/transport';
import { b64ToHex } from '../Lnd/client/simplify';
import { parseSats } from './amounts';
import { decodeBolt11, type LightningNetwork } from './bolt11';
import { InputError } from './errors';
import { isoFromUnixSeconds } from './time';
import { text } from './ui';

export type WalletKind = 'lnbits' | 'lnd' | 'btcpay';

const WALLET_PARAM = 'wallet';
const STORE_PARAM = 'walletStoreId';

const KIND_OPTIONS: Record<WalletKind, { name: string; credential: string; testedBy: string; receive: string; pay: string }> = {
	lnbits: { name: 'LNbits Wallet', credential: 'lnbitsApi', testedBy: 'lnbitsApiTest', receive: 'An invoice of the LNbits wallet of the LNbits credential', pay: 'Paid from the LNbits wallet (needs its admin key)' },
	lnd: { name: 'LND Node', credential: 'lndRestApi', testedBy: 'lndRestApiTest', receive: 'An invoice of the LND node of the LND credential', pay: 'Paid from the LND node of the LND credential' },
	btcpay: { name: 'BTCPay Store Lightning', credential: 'btcPayApi', testedBy: 'btcPayApiTest', receive: "An invoice of a BTCPay store's Lightning node", pay: "Paid from a BTCPay store's Lightning node" },
};

function withWallet(kinds: readonly WalletKind[], displayOptions: IDisplayOptions | undefined, paramName: string, kind: WalletKind): IDisplayOptions {
	const show = { ...(displayOptions?.show ?? {}) };
	if (kinds.length > 1) show[paramName] = [kind];
	return { ...(displayOptions ?? {}), show };
}

/**
 * The `wallet` dropdown (only when there is a choice) and, for BTCPay, the store
 * whose Lightning node is used (`walletStoreId`).
 */
export function walletProperties(opts: {
	kinds: readonly WalletKind[];
	displayOptions?: IDisplayOptions;
	purpose: 'receive' | 'pay';
	name?: string;
}): INodeProperties[] {
	const paramName = opts.name ?? WALLET_PARAM;
	const props: INodeProperties[] = [];
	if (opts.kinds.length > 1) {
		// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- the default is the first wallet the node offers, set below
		props.push({
			displayName: opts.purpose === 'receive' ? 'Receive On' : 'Pay From',
			name: paramName,
			type: 'options',
			noDataExpression: true,
			options: opts.kinds.map((k) => ({ name: KIND_OPTIONS[k].name, value: k, description: KIND_OPTIONS[k][opts.purpose] })),
			default: opts.kinds[0],
			description: opts.purpose === 'receive' ? 'Wallet that creates the invoice and receives the money' : 'Wallet the money leaves from',
			displayOptions: opts.displayOptions,
		});
	}
	if (opts.kinds.includes('btcpay')) {
		props.push({
			displayName: 'BTCPay Store ID',
			name: STORE_PARAM,
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 9CiNzKoANXxmk5ayZngSXrHTiVvvgCrwrpFQd4m2K776',
			description: "ID of the BTCPay store whose Lightning node is used (Settings > General in BTCPay, or the store's URL)",
			displayOptions: withWallet(opts.kinds, opts.displayOptions, paramName, 'btcpay'),
		});
	}
	return props;
}

/**
 * One required credential per wallet kind, each shown for its `wallet` value and tested by the
 * service's own test (a node using these spreads the three services' `credentialTest` methods).
 */
export function walletCredentials(kinds: readonly WalletKind[], paramName = WALLET_PARAM): INodeCredentialDescription[] {
	return kinds.map((k) =>
		kinds.length > 1
			? { name: KIND_OPTIONS[k].credential, required: true, testedBy: KIND_OPTIONS[k].testedBy, displayOptions: { show: { [paramName]: [k] } } }
			: { name: KIND_OPTIONS[k].credential, required: true, testedBy: KIND_OPTIONS[k].testedBy },
	);
}

/** The wallet kind chosen for an item (the only kind when the node offers one). */
export function getWalletKind(ctx: IExecuteFunctions, itemIndex: number, kinds: readonly WalletKind[] = ['lnbits', 'lnd', 'btcpay'], paramName = WALLET_PARAM): WalletKind {
	if (kinds.length === 1) return kinds[0];
	const raw = String(ctx.getNodeParameter(paramName, itemIndex, kinds[0]) ?? '');
	if (!(kinds as readonly string[]).includes(raw)) {
		throw new InputError(paramName === WALLET_PARAM ? 'Wallet' : paramName, `must be one of ${kinds.join(', ')} (got "${raw}")`);
	}
	return raw as WalletKind;
}

function storeIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const id = text(ctx, STORE_PARAM, itemIndex);
	if (!id) throw new InputError('BTCPay Store ID', 'is required to use a BTCPay store\'s Lightning node', 'BTCPay');
	return id;
}

export interface WalletInvoice {
	wallet: WalletKind;
	bolt11: string;
	paymentHash: string;
	amountSats: number;
	/** ISO 8601 UTC, when the wallet says. */
	expiresAt: string | null;
}

/** Creates an invoice to receive `amountSats` on the chosen wallet. */
export async function createWalletInvoice(
	ctx: IExecuteFunctions,
	itemIndex: number,
	input: { amountSats: number; memo?: string; expirySeconds?: number; kinds?: readonly WalletKind[] },
): Promise<WalletInvoice> {
	const amountSats = parseSats(input.amountSats, 'Amount (Sats)');
	const kind = getWalletKind(ctx, itemIndex, input.kinds);
	if (kind === 'lnbits') {
		const client = await getLnbitsClient(ctx);
		const inv = await client.createInvoice({ amount: amountSats, unit: 'sat', memo: input.memo, expiry: input.expirySeconds });
		if (!inv.bolt11) throw new InputError('Invoice', 'LNbits answered without a BOLT11 invoice', 'LNbits');
		return { wallet: kind, bolt11: inv.bolt11, paymentHash: inv.paymentHash, amountSats, expiresAt: inv.expiry };
	}
	if (kind === 'lnd') {
		const client = await getLndClient(ctx);
		const res = await client.createInvoice({ amountSats, memo: input.memo, expirySeconds: input.expirySeconds });
		const decoded = decodeBolt11(res.payment_request, 'Invoice');
		return { wallet: kind, bolt11: res.payment_request, paymentHash: b64ToHex(res.r_hash), amountSats, expiresAt: isoFromUnixSeconds(decoded.expiresAt) ?? null };
	}
	const storeId = storeIdOf(ctx, itemIndex);
	const client = await getBtcPayClient(ctx);
	const inv = await client.lightning.createInvoice(storeId, { amountSats, description: input.memo, expirySeconds: input.expirySeconds });
	const paymentHash = inv.paymentHash ?? decodeBolt11(inv.BOLT11, 'Invoice').paymentHash;
	return { wallet: kind, bolt11: inv.BOLT11, paymentHash, amountSats, expiresAt: isoFromUnixSeconds(inv.expiresAt) ?? null };
}

export interface WalletInvoiceState {
	settled: boolean;
	/** Hex, when the wallet reveals it. */
	preimage: string | null;
	/** Amount received, when the wallet says. */
	amountSats: number | null;
}

/** Whether the chosen wallet's invoice for `paymentHash` is settled. */
export async function getWalletInvoiceState(
	ctx: IExecuteFunctions,
	itemIndex: number,
	paymentHash: string,
	kinds?: readonly WalletKind[],
): Promise<WalletInvoiceState> {
	const hash = String(paymentHash ?? '').trim().toLowerCase();
	if (!/^[0-9a-f]{64}$/.test(hash)) throw new InputError('Payment Hash', 'must be 64 hexadecimal characters');
	const kind = getWalletKind(ctx, itemIndex, kinds);
	if (kind === 'lnbits') {
		const client = await getLnbitsClient(ctx);
		const found = await client.findPayment(hash);
		const d = found?.details;
		if (!found || !d || d.direction !== 'incoming') return { settled: false, preimage: null, amountSats: null };
		const settled = d.status === 'success';
		return { settled, preimage: settled ? (found.preimage ?? d.preimage ?? null) : null, amountSats: settled ? d.amountSats : null };
	}
	if (kind === 'lnd') {
		const client = await getLndClient(ctx);
		const inv = await client.lookupInvoice(hash);
		const settled = inv.state === 'SETTLED' || inv.settled === true;
		const paid = inv.amt_paid_sat === undefined ? null : Number(inv.amt_paid_sat);
		return { settled, preimage: settled && inv.r_preimage ? b64ToHex(inv.r_preimage) : null, amountSats: settled ? paid : null };
	}
	const storeId = storeIdOf(ctx, itemIndex);
	const client = await getBtcPayClient(ctx);
	// BTCPay's Lightning connectors use the payment hash as the invoice ID (LND, CLN, LNbits connectors).
	const inv = await client.lightning.getInvoice(storeId, hash);
	const settled = inv.status === 'Paid';
	const received = inv.amountReceived ? Number(BigInt(inv.amountReceived) / 1000n) : null;
	return { settled, preimage: settled ? (inv.preimage ?? null) : null, amountSats: settled ? received : null };
}

export interface WalletPayment {
	wallet: WalletKind;
	paymentHash: string;
	status: 'success' | 'pending' | 'failed';
	preimage: string | null;
	amountSats: number;
	feeSats: number | null;
	/** True when the wallet had already paid (or was paying) this invoice: nothing was sent this time. */
	alreadyPaid: boolean;
}

/**
 * Pays `bolt11` from the chosen wallet through that client's guarded pay. Before any
 * request here: the invoice is decoded, and expired, wrong-network and over-Max-Amount
 * invoices are refused; each client then looks the payment hash up and reports an
 * earlier payment instead of paying twice.
 */
export async function payFromWallet(
	ctx: IExecuteFunctions,
	itemIndex: number,
	input: { bolt11: string; maxAmountSats: number; maxFeeSats?: number; network?: LightningNetwork; kinds?: readonly WalletKind[]; now?: number },
): Promise<WalletPayment> {
	const maxAmountSats = parseSats(input.maxAmountSats, 'Max Amount (Sats)');
	const decoded = decodeBolt11(input.bolt11, 'Invoice');
	const kind = getWalletKind(ctx, itemIndex, input.kinds);
	const feeCap = input.maxFeeSats === undefined ? undefined : parseSats(input.maxFeeSats, 'Max Fee (Sats)', { allowZero: true });
	if (kind === 'lnbits') {
		const client = await getLnbitsClient(ctx);
		const res = await client.payInvoice({ bolt11: decoded.paymentRequest, maxAmountSats, expectedNetwork: input.network, now: input.now });
		const p = res.payment;
		const status = p.status === 'success' ? 'success' : p.status === 'failed' ? 'failed' : 'pending';
		return {
			wallet: kind,
			paymentHash: p.paymentHash,
			status,
			preimage: status === 'success' ? p.preimage : null,
			amountSats: p.amountSats,
			feeSats: Math.ceil(p.feeMsat / 1000),
			alreadyPaid: res.alreadyPaid,
		};
	}
	if (kind === 'lnd') {
		const client = await getLndClient(ctx);
		const res = await client.payInvoice({
			paymentRequest: decoded.paymentRequest,
			maxAmountSats,
			feeLimitSats: feeCap ?? Math.max(10, Math.ceil(maxAmountSats / 100)),
			timeoutSeconds: 60,
			// LND knows its own network: the client asks it (GetInfo) and refuses other networks.
			checkNetwork: true,
			now: input.now,
		});
		const p = res.payment;
		const preimage = p.payment_preimage ? b64OrHex(p.payment_preimage) : null;
		return {
			wallet: kind,
			paymentHash: decoded.paymentHash,
			status: res.state === 'succeeded' ? 'success' : 'pending',
			preimage: res.state === 'succeeded' && preimage && !/^0+$/.test(preimage) ? preimage : null,
			amountSats: p.value_sat === undefined ? (decoded.amountSats ?? 0) : Number(p.value_sat),
			feeSats: p.fee_sat === undefined ? null : Number(p.fee_sat),
			alreadyPaid: res.alreadyPaid,
		};
	}
	const storeId = storeIdOf(ctx, itemIndex);
	const client = await getBtcPayClient(ctx);
	const res = await client.lightning.payInvoice(storeId, {
		invoice: decoded.paymentRequest,
		maxAmountSats,
		maxFeeFlatSats: feeCap,
		expectedNetwork: input.network,
		now: input.now,
	});
	return {
		wallet: kind,
		paymentHash: res.paymentHash,
		status: res.paid ? 'success' : res.pending ? 'pending' : 'failed',
		preimage: res.paid ? res.preimage : null,
		amountSats: res.amountSats,
		feeSats: res.feeSats,
		alreadyPaid: res.outcome === 'already_paid' || res.outcome === 'already_pending',
	};
}

/** LND REST gives bytes as base64; some fields arrive as hex already. */
function b64OrHex(value: string): string {
	return /^[0-9a-f]{64}$/i.test(value) ? value.toLowerCase() : b64ToHex(value);
}
