/** Shared nock setup and API shapes (copied from real LNbits 1.6.2 answers, see FINDINGS.md). */
export const BASE = 'https://lnbits.test';
export const INVOICE_KEY = 'inv0ice0key0aaaaaaaaaaaaaaaaaaaa';
export const ADMIN_KEY = 'adm1n0key0bbbbbbbbbbbbbbbbbbbbbb';
export const WALLET_ID = 'c0ffee00c0ffee00c0ffee00c0ffee00';

export const creds = { url: BASE, invoiceKey: INVOICE_KEY, adminKey: ADMIN_KEY };
export const invoiceOnly = { url: BASE, invoiceKey: INVOICE_KEY };

/** A payment as LNbits' REST API returns it. */
export function apiPayment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	const hash = (overrides.payment_hash as string) ?? '1'.repeat(64);
	return {
		checking_id: hash,
		payment_hash: hash,
		wallet_id: WALLET_ID,
		amount: 100000,
		fee: 0,
		bolt11: 'lnbc1u1p4sx06j',
		payment_request: 'lnbc1u1p4sx06j',
		fiat_provider: null,
		status: 'pending',
		memo: 'x',
		expiry: '2026-11-22T20:19:23',
		webhook: null,
		webhook_status: null,
		preimage: '2'.repeat(64),
		tag: null,
		extension: null,
		time: '2026-11-22T19:19:23.634842+00:00',
		created_at: '2026-11-22T19:19:23.634847+00:00',
		updated_at: '2026-11-22T19:19:23.634849+00:00',
		labels: [],
		extra: { wallet_fiat_currency: 'USD', wallet_fiat_amount: 0.1, wallet_fiat_rate: 1000, wallet_btc_rate: 100000 },
		external_id: null,
		...overrides,
	};
}
