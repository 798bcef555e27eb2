/** Raw LNbits REST calls for tests and benches (no client code involved), and a B → A payment. */
import type { LnbitsWallet } from '../lnbits-server/server';

export async function lnbitsCall(baseUrl: string, method: string, path: string, key: string, body?: unknown): Promise<any> {
	const res = await fetch(baseUrl + path, {
		method,
		headers: { 'x-api-key': key, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
	return JSON.parse(text);
}

/** Creates an invoice on `to` and pays it from `from` (internal settlement); returns its payment hash. */
export async function payBetween(baseUrl: string, from: LnbitsWallet, to: LnbitsWallet, sats: number, memo: string): Promise<string> {
	const invoice = await lnbitsCall(baseUrl, 'POST', '/api/v1/payments', to.invoiceKey, { out: false, amount: sats, memo });
	const paid = await lnbitsCall(baseUrl, 'POST', '/api/v1/payments', from.adminKey, { out: true, bolt11: invoice.bolt11 });
	if (paid.status !== 'success') throw new Error(`payment of ${sats} sat is ${paid.status}`);
	return invoice.payment_hash;
}
