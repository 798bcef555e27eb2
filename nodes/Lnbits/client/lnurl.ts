/**
 * LNURL answers as LNbits relays them from `POST /api/v1/lnurlscan` (the LUD-06
 * pay request, LUD-03 withdraw request and LUD-04 login shapes), normalized.
 */
import { z } from 'zod';
import { InputError } from '../../shared/errors';

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

export function normalizeLnurlScan(raw: RawLnurlScan): LnurlInfo {
	const tag = raw.tag ?? null;
	const kind: LnurlKind =
		tag === 'payRequest' ? 'pay' : tag === 'withdrawRequest' ? 'withdraw' : tag === 'login' ? 'login' : 'unknown';
	const info: LnurlInfo = { kind, tag, domain: hostOf(raw.callback), callback: raw.callback ?? null, raw };
	if (kind === 'pay') {
		const min = Math.trunc(raw.minSendable ?? 1000);
		const max = Math.trunc(raw.maxSendable ?? min);
		Object.assign(info, {
			minSendableMsat: min,
			maxSendableMsat: max,
			minSendableSats: Math.ceil(min / 1000),
			maxSendableSats: Math.floor(max / 1000),
			description: metadataText(raw.metadata),
			commentAllowed: Math.trunc(raw.commentAllowed ?? 0),
		});
	}
	if (kind === 'withdraw') {
		const min = Math.trunc(raw.minWithdrawable ?? 1000);
		const max = Math.trunc(raw.maxWithdrawable ?? min);
		Object.assign(info, {
			minWithdrawableMsat: min,
			maxWithdrawableMsat: max,
			minWithdrawableSats: Math.ceil(min / 1000),
			maxWithdrawableSats: Math.floor(max / 1000),
			defaultDescription: raw.defaultDescription ?? null,
		});
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
