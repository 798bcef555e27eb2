/** Shared values for the LND unit tests (fake macaroon, LND-shaped JSON). */
import { COFFEE, SPEC_PAYMENT_HASH, SPEC_TIMESTAMP } from '../../fixtures/bolt11-spec';

export const BASE = 'https://lnd.test:8080';
/** A v2-binary-shaped macaroon (starts with 0x02); only its format matters here. */
export const MACAROON_HEX = '0201036c6e6402f801030a10' + 'ab'.repeat(40) + '1201301a160a0761646472657373120472656164120577726974651a130a04696e666f';
export const MACAROON_B64 = Buffer.from(MACAROON_HEX, 'hex').toString('base64');
export const HASH_HEX = SPEC_PAYMENT_HASH;
export const HASH_B64 = Buffer.from(HASH_HEX, 'hex').toString('base64');
/** How LND's REST gateway wants the hash in /v2/router/track/{hash}: padded URL-safe base64. */
export const HASH_B64URL = 'AAECAwQFBgcICQABAgMEBQYHCAkAAQIDBAUGBwgJAQI=';
export const NOW = SPEC_TIMESTAMP + 5;
export { COFFEE };

export const INFO = {
	identity_pubkey: '03' + '11'.repeat(32),
	alias: 'mynode',
	version: '0.19.2-beta commit=v0.19.2-beta',
	block_height: 900000,
	synced_to_chain: true,
	synced_to_graph: true,
	num_active_channels: 3,
	num_peers: 5,
	testnet: false,
	chains: [{ chain: 'bitcoin', network: 'mainnet' }],
	uris: ['03' + '11'.repeat(32) + '@1.2.3.4:9735'],
};

export function lndInvoice(overrides: Record<string, unknown> = {}) {
	return {
		memo: 'coffee',
		r_preimage: Buffer.from('22'.repeat(32), 'hex').toString('base64'),
		r_hash: HASH_B64,
		value: '1000',
		value_msat: '1000000',
		settled: false,
		creation_date: '1700000000',
		settle_date: '0',
		payment_request: 'lnbc10u1ptest',
		expiry: '3600',
		add_index: '7',
		settle_index: '0',
		amt_paid_sat: '0',
		amt_paid_msat: '0',
		state: 'OPEN',
		is_keysend: false,
		...overrides,
	};
}

export function lndPayment(status: string, overrides: Record<string, unknown> = {}) {
	return {
		payment_hash: HASH_HEX,
		value: '250000',
		creation_date: '1700000000',
		fee: '0',
		payment_preimage: status === 'SUCCEEDED' ? '33'.repeat(32) : '0'.repeat(64),
		value_sat: '250000',
		value_msat: '250000000',
		payment_request: COFFEE,
		status,
		fee_sat: status === 'SUCCEEDED' ? '3' : '0',
		fee_msat: status === 'SUCCEEDED' ? '3210' : '0',
		creation_time_ns: '1700000000123456789',
		htlcs: [],
		payment_index: '42',
		failure_reason: 'FAILURE_REASON_NONE',
		...overrides,
	};
}

/** LND's streamed JSON: one `{"result": ...}` per line. */
export function streamBody(...results: unknown[]): string {
	return results.map((r) => JSON.stringify({ result: r })).join('\n') + '\n';
}
