/**
 * LNURL answers as LNbits relays them from `POST /api/v1/lnurlscan` (the LUD-06
 * pay request, LUD-03 withdraw request and LUD-04 login shapes), normalized.
 */
import { z } from 'zod';
import { InputError, ServiceError, SafetyError } from '../../shared/errors';
import { parseSats } from '../../shared/amounts';
import { LnbitsPaymentsApi } from './payments';
import { normalizePayment, rawPaymentSchema, type LnbitsPayment } from './paymentRecord';

export const lnurlScanSchema = z
	.object({
		tag: z.string().optional(),
		status: z.string().optional(),
		reason: z.string().optional(),
		callback: z.string().optional(),
		k1: z.string().optional(),
		minSendable: z.number().optional(),
		maxSendable: z.number().optional(),
		metadata: z.string().optional(),
		commentAllowed: z.number().optional(),
		minWithdrawable: z.number().optional(),
		maxWithdrawable: z.number().optional(),
		defaultDescription: z.string().optional(),
	})
	.passthrough();

export type RawLnurlScan = z.infer<typeof lnurlScanSchema>;

export type LnurlKind = 'pay' | 'withdraw' | 'login' | 'unknown';

export interface LnurlInfo {
	kind: LnurlKind;
	tag: string | null;
	/** Host name of the LNURL service (from its callback). */
	domain: string | null;
	callback: string | null;
	/** Pay: what the service accepts, in msat and whole sats (min rounded up, max down). */
	minSendableMsat?: number;
	maxSendableMsat?: number;
	minSendableSats?: number;
	maxSendableSats?: number;
	/** Pay: the text/plain description from the metadata. */
	description?: string | null;
	/** Pay: longest comment accepted (0 = none). */
	commentAllowed?: number;
	/** Withdraw: what the service will pay out. */
	minWithdrawableMsat?: number;
	maxWithdrawableMsat?: number;
	minWithdrawableSats?: number;
	maxWithdrawableSats?: number;
	defaultDescription?: string | null;
	/** The answer as LNbits relayed it (needed to pay or withdraw). */
	raw: RawLnurlScan;
}

function metadataText(metadata: string | undefined): string | null {
	if (!metadata) return null;
	try {
		const entries = JSON.parse(metadata) as unknown;
		if (Array.isArray(entries)) {
			const text = entries.find((e) => Array.isArray(e) && e[0] === 'text/plain');
			if (text && typeof text[1] === 'string') return text[1];
		}
	} catch {
		/* not JSON */
	}
	return null;
}

function hostOf(url: string | undefined): string | null {
	if (!url) return null;
	try {
		return new URL(url).host;
	} catch {
		return null;
	}
}

/**
 * An LNURL amount range as the scan reports it: `<word>` is 'Sendable' (pay) or
 * 'Withdrawable'; min defaults to 1000 msat, max to min; whole sats inside the
 * range (min rounded up, max down).
 */
function msatRange(word: 'Sendable' | 'Withdrawable', min: number | undefined, max: number | undefined): Record<string, number> {
	const minMsat = Math.trunc(min ?? 1000);
	const maxMsat = Math.trunc(max ?? minMsat);
	return {
		[`min${word}Msat`]: minMsat,
		[`max${word}Msat`]: maxMsat,
		[`min${word}Sats`]: Math.ceil(minMsat / 1000),
		[`max${word}Sats`]: Math.floor(maxMsat / 1000),
	};
}

export function normalizeLnurlScan(raw: RawLnurlScan): LnurlInfo {
	const tag = raw.tag ?? null;
	const kind: LnurlKind =
		tag === 'payRequest' ? 'pay' : tag === 'withdrawRequest' ? 'withdraw' : tag === 'login' ? 'login' : 'unknown';
	const info: LnurlInfo = { kind, tag, domain: hostOf(raw.callback), callback: raw.callback ?? null, raw };
	if (kind === 'pay') {
		Object.assign(info, msatRange('Sendable', raw.minSendable, raw.maxSendable), {
			description: metadataText(raw.metadata),
			commentAllowed: Math.trunc(raw.commentAllowed ?? 0),
		});
	}
	if (kind === 'withdraw') {
		Object.assign(info, msatRange('Withdrawable', raw.minWithdrawable, raw.maxWithdrawable), { defaultDescription: raw.defaultDescription ?? null });
	}
	return info;
}

const LN_ADDRESS_RE = /^[a-z0-9._+-]+@[a-z0-9.-]+\.[a-z]{2,}(:\d+)?$/i;
const LNURL_RE = /^lnurl1[02-9ac-hj-np-z]+$/i;

/**
 * Accepts an LNURL (bech32, optionally `lightning:`), a Lightning address
 * (name@domain) or an lnurlp:// / lnurlw:// URL; returns it as LNbits expects.
 */
export function parseLnurlInput(value: unknown, field = 'LNURL or Lightning Address'): string {
	let text = String(value ?? '').trim();
	if (!text) throw new InputError(field, 'is required (an LNURL starting with lnurl1 or a Lightning address like name@example.com)');
	text = text.replace(/^lightning:/i, '');
	if (LNURL_RE.test(text)) return text.toUpperCase();
	if (LN_ADDRESS_RE.test(text)) return text.toLowerCase();
	if (/^(lnurl[pwc]|keyauth|https?):\/\//i.test(text)) return text;
	throw new InputError(field, `"${text.slice(0, 60)}" is neither an LNURL (lnurl1...) nor a Lightning address (name@domain)`);
}

export interface LnurlPayInput {
	lnurl: string;
	amountSats: unknown;
	maxAmountSats: number;
	comment?: string;
}

export interface LnurlWithdrawInput {
	lnurl: string;
	/** Sats to withdraw; default the most the service allows. */
	amountSats?: unknown;
	memo?: string;
}

/** LNURL area: scan, pay (LNURL-pay and Lightning addresses) and withdraw, through LNbits. */
export class LnbitsLnurlApi extends LnbitsPaymentsApi {

	/** What an LNURL or Lightning address is and its limits (LNbits fetches it). */
	async scanLnurl(lnurl: string, field = 'LNURL or Lightning Address'): Promise<LnurlInfo> {
		const code = parseLnurlInput(lnurl, field);
		const raw = await this.invoiceHttp.request('POST', '/api/v1/lnurlscan', {
			json: { lnurl: code },
			schema: lnurlScanSchema,
			retry: true,
		});
		if (raw.status?.toUpperCase() === 'ERROR') {
			throw new ServiceError(`The LNURL service answered with an error: ${raw.reason ?? 'no reason given'}`, {
				kind: 'business',
				service: 'LNbits',
				field,
			});
		}
		return normalizeLnurlScan(raw);
	}


	/**
	 * Pays an LNURL-pay link or Lightning address: scans it, checks the amount
	 * against the service's min/max and the required max amount, then lets LNbits
	 * fetch the invoice and pay it.
	 */
	async payLnurl(input: LnurlPayInput): Promise<{ payment: LnbitsPayment; lnurl: LnurlInfo }> {
		const http = this.admin('pay an LNURL or Lightning address');
		const field = 'LNURL or Lightning Address';
		const amountSats = parseSats(input.amountSats, 'Amount (Sats)');
		if (!Number.isSafeInteger(input.maxAmountSats) || input.maxAmountSats <= 0) {
			throw new InputError('Max Amount (Sats)', 'must be a whole number of sats greater than 0');
		}
		if (amountSats > input.maxAmountSats) {
			throw new SafetyError('Max Amount (Sats)', `Amount of ${amountSats} sats is above the node's Max Amount of ${input.maxAmountSats} sats; not paid`, 'LNbits');
		}
		const info = await this.scanLnurl(input.lnurl, field);
		if (info.kind !== 'pay') {
			throw new InputError(field, `is an LNURL-${info.tag ?? 'unknown'} link, not a pay link (LNURL-pay or Lightning address)`, 'LNbits');
		}
		const amountMsat = amountSats * 1000;
		if (amountMsat < info.minSendableMsat! || amountMsat > info.maxSendableMsat!) {
			throw new InputError(
				'Amount (Sats)',
				`${amountSats} sats is outside what ${info.domain ?? 'the service'} accepts (${info.minSendableSats} to ${info.maxSendableSats} sats)`,
				'LNbits',
			);
		}
		const comment = input.comment?.trim();
		if (comment && comment.length > (info.commentAllowed ?? 0)) {
			throw new InputError(
				'Comment',
				info.commentAllowed ? `is longer than the ${info.commentAllowed} characters ${info.domain ?? 'the service'} accepts` : `is not accepted by ${info.domain ?? 'the service'}`,
				'LNbits',
			);
		}
		const raw = await http.request('POST', '/api/v1/payments/lnurl', {
			// `lnurl` beside the scanned `res`: LNbits stores the link with it (without, it falls
			// back to the metadata's identifier, which fails for hosts without a domain name).
			json: { res: info.raw, lnurl: parseLnurlInput(input.lnurl, field), amount: amountMsat, unit: 'sat', ...(comment ? { comment } : {}) },
			schema: rawPaymentSchema,
			retry: false,
		});
		return { payment: normalizePayment(raw), lnurl: info };
	}


	/**
	 * LNURL-withdraw into this wallet: scans the link, checks the amount against
	 * its limits, creates an invoice with the withdraw request so LNbits sends it
	 * to the service. The invoice is pending until the service pays it.
	 */
	async withdrawLnurl(input: LnurlWithdrawInput): Promise<{ invoice: LnbitsPayment; lnurl: LnurlInfo; accepted: boolean; error: string | null }> {
		const field = 'LNURL';
		const info = await this.scanLnurl(input.lnurl, field);
		if (info.kind !== 'withdraw') {
			throw new InputError(field, `is an LNURL-${info.tag ?? 'unknown'} link, not a withdraw link`, 'LNbits');
		}
		const hasAmount = !(input.amountSats === undefined || input.amountSats === null || input.amountSats === '' || input.amountSats === 0);
		const amountSats = hasAmount ? parseSats(input.amountSats, 'Amount (Sats)') : info.maxWithdrawableSats!;
		if (amountSats * 1000 < info.minWithdrawableMsat! || amountSats * 1000 > info.maxWithdrawableMsat! || amountSats <= 0) {
			throw new InputError(
				'Amount (Sats)',
				`${amountSats} sats is outside what ${info.domain ?? 'the service'} pays out (${info.minWithdrawableSats} to ${info.maxWithdrawableSats} sats)`,
				'LNbits',
			);
		}
		const memo = input.memo?.trim() || info.defaultDescription || 'LNURL withdraw';
		const raw = await this.invoiceHttp.request('POST', '/api/v1/payments', {
			json: { out: false, unit: 'sat', amount: amountSats, memo, lnurl_withdraw: info.raw },
			schema: rawPaymentSchema,
		});
		const invoice = normalizePayment(raw);
		const response = invoice.extra.lnurl_response;
		const accepted = response === true;
		return { invoice, lnurl: info, accepted, error: accepted ? null : typeof response === 'string' ? response : null };
	}
}
