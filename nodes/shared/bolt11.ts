/**
 * BOLT11 decoding (light-bolt11-decoder) and the pre-payment guard shared by
 * every node that pays a Lightning invoice (LNbits, BTCPay store Lightning, LND).
 */
import { decode } from 'light-bolt11-decoder';
import { InputError, SafetyError } from './errors';

export type LightningNetwork = 'mainnet' | 'testnet' | 'signet' | 'regtest' | 'simnet';

const NETWORK_BY_PREFIX: Record<string, LightningNetwork> = {
	bc: 'mainnet',
	tb: 'testnet',
	tbs: 'signet',
	bcrt: 'regtest',
	sb: 'simnet',
};

export interface DecodedInvoice {
	paymentRequest: string;
	network: LightningNetwork;
	/** Amount in msat as a decimal string, or null for an "any amount" invoice. */
	amountMsat: string | null;
	/** Whole sats (msat / 1000, rounded down), or null for an "any amount" invoice. */
	amountSats: number | null;
	paymentHash: string;
	description: string | null;
	descriptionHash: string | null;
	payee: string | null;
	paymentSecret: string | null;
	/** Unix seconds. */
	timestamp: number;
	/** Seconds after `timestamp` (BOLT11 default 3600). */
	expiry: number;
	/** Unix seconds. */
	expiresAt: number;
	minFinalCltvExpiry: number | null;
}

/** Strips `lightning:` URIs and whitespace; BOLT11 is case-insensitive. */
export function normalizeBolt11(raw: string): string {
	return String(raw ?? '')
		.trim()
		.replace(/^lightning:/i, '')
		.toLowerCase();
}

export function decodeBolt11(raw: string, field = 'Invoice'): DecodedInvoice {
	const paymentRequest = normalizeBolt11(raw);
	if (!paymentRequest) throw new InputError(field, 'is required (a BOLT11 invoice starting with lnbc, lntb, lntbs or lnbcrt)');
	if (!/^ln[a-z0-9]+1[02-9ac-hj-np-z]+$/.test(paymentRequest)) {
		throw new InputError(field, 'is not a BOLT11 Lightning invoice (it should start with lnbc, lntb, lntbs or lnbcrt)');
	}
	let decoded: ReturnType<typeof decode>;
	try {
		decoded = decode(paymentRequest);
	} catch (error) {
		throw new InputError(field, `is not a valid BOLT11 invoice (${(error as Error).message})`);
	}
	const section = <T = unknown>(name: string): T | undefined =>
		(decoded.sections.find((s) => s.name === name) as { value?: T } | undefined)?.value;
	const coin = decoded.sections.find((s) => s.name === 'coin_network') as { letters: string } | undefined;
	const network = NETWORK_BY_PREFIX[coin?.letters ?? ''];
	if (!network) throw new InputError(field, `uses an unknown network prefix "${coin?.letters ?? '?'}"`);
	const amount = section<string>('amount');
	const timestamp = section<number>('timestamp') ?? 0;
	const expiry = decoded.expiry ?? section<number>('expiry') ?? 3600;
	const paymentHash = section<string>('payment_hash');
	if (!paymentHash) throw new InputError(field, 'has no payment hash');
	const amountMsat = amount === undefined || amount === null ? null : String(amount);
	return {
		paymentRequest,
		network,
		amountMsat,
		amountSats: amountMsat === null ? null : Number(BigInt(amountMsat) / 1000n),
		paymentHash,
		description: section<string>('description') ?? null,
		descriptionHash: section<string>('description_hash') ?? null,
		payee: section<string>('payee') ?? null,
		paymentSecret: section<string>('payment_secret') ?? null,
		timestamp,
		expiry,
		expiresAt: timestamp + expiry,
		minFinalCltvExpiry: section<number>('min_final_cltv_expiry') ?? null,
	};
}

export interface PaymentGuardOptions {
	/** Largest amount the node may pay, in sats. Required: there is no unlimited default. */
	maxAmountSats: number;
	/** Amount to pay for an "any amount" invoice, in sats. */
	amountSats?: number;
	/** Network the paying wallet/node is on, when known. */
	expectedNetwork?: LightningNetwork;
	/** Current time in unix seconds (tests). */
	now?: number;
	/** Refuse invoices that expire within this many seconds (default 10). */
	minSecondsLeft?: number;
	service: string;
	field?: string;
}

export interface PaymentPlan {
	invoice: DecodedInvoice;
	/** What will leave the wallet before fees, in msat (string) and whole sats. */
	amountMsat: string;
	amountSats: number;
	/** True when the amount came from the node's Amount parameter (zero-amount invoice). */
	amountFromParameter: boolean;
}

/**
 * Decode-first guard: refuses expired invoices, wrong-network invoices,
 * zero-amount invoices without an amount, and anything above the max amount.
 */
export function planPayment(raw: string, options: PaymentGuardOptions): PaymentPlan {
	const field = options.field ?? 'Invoice';
	const { service } = options;
	const invoice = decodeBolt11(raw, field);
	const now = options.now ?? Math.floor(Date.now() / 1000);
	if (!Number.isSafeInteger(options.maxAmountSats) || options.maxAmountSats <= 0) {
		throw new InputError('Max Amount (Sats)', 'must be a whole number of sats greater than 0');
	}
	if (options.expectedNetwork && invoice.network !== options.expectedNetwork) {
		throw new SafetyError(
			field,
			`${field} is for ${invoice.network} but the ${service} wallet is on ${options.expectedNetwork}; refusing to pay`,
			service,
		);
	}
	const secondsLeft = invoice.expiresAt - now;
	if (secondsLeft <= (options.minSecondsLeft ?? 10)) {
		const when = new Date(invoice.expiresAt * 1000).toISOString();
		throw new SafetyError(
			field,
			secondsLeft <= 0
				? `${field} expired at ${when}; ask the payee for a new invoice`
				: `${field} expires in ${secondsLeft} s (at ${when}); too late to pay safely, ask for a new invoice`,
			service,
		);
	}
	let amountMsat: string;
	let amountFromParameter = false;
	if (invoice.amountMsat === null) {
		if (options.amountSats === undefined) {
			throw new SafetyError(field, `${field} has no amount; set the Amount (Sats) parameter to pay it`, service);
		}
		amountMsat = (BigInt(options.amountSats) * 1000n).toString();
		amountFromParameter = true;
	} else {
		amountMsat = invoice.amountMsat;
	}
	const amountSatsCeil = Number((BigInt(amountMsat) + 999n) / 1000n);
	if (amountSatsCeil > options.maxAmountSats) {
		throw new SafetyError(
			'Max Amount (Sats)',
			`${field} asks for ${amountSatsCeil} sats, above the node's Max Amount of ${options.maxAmountSats} sats; not paid`,
			service,
		);
	}
	return { invoice, amountMsat, amountSats: amountSatsCeil, amountFromParameter };
}
