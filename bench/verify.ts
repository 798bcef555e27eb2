/**
 * Webhook verification and BOLT11 decoding: the package's wrappers against the
 * bare library calls, measured in the same run. Target: wrappers within 1.5×.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { decode } from 'light-bolt11-decoder';
import { hmacSha256Hex, verifyHmacSignature } from '../nodes/shared/signature';
import { decodeBolt11 } from '../nodes/shared/bolt11';
import { COFFEE } from '../test/fixtures/bolt11-spec';
import { compare, fmt } from './stats';

function payload(size: number): Uint8Array {
	const invoice = { deliveryId: 'd1', webhookId: 'w1', type: 'InvoiceSettled', storeId: 's', invoiceId: 'i', metadata: { pad: '' } };
	const base = JSON.stringify(invoice, null, 2);
	invoice.metadata.pad = 'x'.repeat(Math.max(0, size - base.length));
	return utf8ToBytes(JSON.stringify(invoice, null, 2));
}

export function runVerifyBench(): Array<{ name: string; wrapper: number; bare: number; ratio: number }> {
	const secret = 'bench-secret-0123456789';
	const key = utf8ToBytes(secret);
	const rows: Array<{ name: string; wrapper: number; bare: number; ratio: number }> = [];
	for (const size of [2 * 1024, 64 * 1024]) {
		const body = payload(size);
		const header = `sha256=${hmacSha256Hex(secret, body)}`;
		const r = compare(
			() => verifyHmacSignature(secret, body, header),
			() => hmac(sha256, key, body),
		);
		rows.push({ name: `BTCPay-Sig verify, ${size / 1024} KiB body`, wrapper: r.a, bare: r.b, ratio: r.b / r.a });
	}
	const r = compare(
		() => decodeBolt11(COFFEE),
		() => decode(COFFEE),
	);
	rows.push({ name: 'BOLT11 decode (spec coffee invoice)', wrapper: r.a, bare: r.b, ratio: r.b / r.a });
	return rows;
}

export function printVerify(rows: ReturnType<typeof runVerifyBench>): void {
	console.log('Wrapper cost vs bare library (ops/s, median of 5 alternating rounds)');
	for (const row of rows) {
		console.log(
			`${row.name.padEnd(40)} wrapper ${fmt(row.wrapper).padStart(9)}/s  bare ${fmt(row.bare).padStart(9)}/s  wrapper costs ${fmt(row.ratio, 2)}× bare  (target ≤ 1.50×: ${row.ratio <= 1.5 ? 'PASS' : 'MISS'})`,
		);
	}
}

if (require.main === module) printVerify(runVerifyBench());
