/**
 * Connects the payment stream and the webhook mode to the LNbits client: the
 * wallet's WebSocket URL, confirmation by hash, listing settled payments for
 * catch-up, and the wallet balance.
 */
import type { LnbitsClient } from '../client';
import type { PaymentStreamOptions } from './stream';
import type { TriggerPayment } from './types';

/** ws(s)://host[/path]/api/v1/ws/<key> for an LNbits base URL (http → ws, https → wss). */
export function websocketUrl(baseUrl: string, key: string): string {
	const url = new URL(baseUrl);
	url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
	const path = url.pathname.replace(/\/+$/, '');
	return `${url.protocol}//${url.host}${path}/api/v1/ws/${encodeURIComponent(key)}`;
}

export const CATCH_UP_PAGE_SIZE = 100;
/** Upper bound of one catch-up (pages × page size payments). */
export const CATCH_UP_MAX_PAGES = 50;

/** Every settled payment of the wallet created at or after `since` (unix s), newest first. */
export async function listSettledSince(
	client: Pick<LnbitsClient, 'listPaymentsPage'>,
	since: number,
	pageSize = CATCH_UP_PAGE_SIZE,
	maxPages = CATCH_UP_MAX_PAGES,
): Promise<TriggerPayment[]> {
	const out: TriggerPayment[] = [];
	const seen = new Set<string>();
	for (let page = 0; page < maxPages; page++) {
		const { data, total } = await client.listPaymentsPage({
			status: 'success',
			since: Math.max(0, Math.floor(since)),
			limit: pageSize,
			offset: page * pageSize,
		});
		for (const p of data) {
			// A payment settling between two pages shifts the offsets: skip repeats.
			if (seen.has(p.paymentHash)) continue;
			seen.add(p.paymentHash);
			out.push(p);
		}
		if (data.length < pageSize || (page + 1) * pageSize >= total) break;
	}
	return out;
}

/** The REST side of a PaymentStream backed by an LnbitsClient. */
export function streamSource(
	client: Pick<LnbitsClient, 'getPayment' | 'getWallet' | 'listPaymentsPage'>,
): Pick<PaymentStreamOptions, 'confirm' | 'listSince' | 'balance'> {
	return {
		confirm: (hash) => client.getPayment(hash),
		listSince: (since) => listSettledSince(client, since),
		balance: async () => {
			const w = await client.getWallet();
			return { balanceMsat: w.balanceMsat, balanceSats: w.balanceSats };
		},
	};
}
