/**
 * Webhook verification and BOLT11 decoding: the functions the nodes run
 * against the bare library calls, measured in the same run (alternating
 * rounds). Target: wrappers within 1.5× of the bare cost.
 *  - BTCPay-Sig: verifyBtcPaySignature (BTCPay Trigger: header parsing, HMAC,
 *    constant-time compare) vs one bare HMAC-SHA256 of the body (@noble/hashes).
 *  - Whole delivery check (checkDelivery: size limit, signature, UTF-8 + JSON
 *    parse, event shape) vs bare HMAC + JSON.parse — for context, no target.
 *  - BOLT11: decodeBolt11 (nodes/shared/bolt11) vs light-bolt11-decoder's decode.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { decode } from 'light-bolt11-decoder';
import { signBtcPayPayload, verifyBtcPaySignature } from '../nodes/BtcPay/trigger/signing';
import { checkDelivery } from '../nodes/BtcPay/trigger/delivery';
import { decodeBolt11 } from '../nodes/shared/bolt11';
import { COFFEE } from '../test/fixtures/bolt11-spec';
import { compare, fmt } from './stats';

export const ROUNDS = 7;

function payload(size: number): Uint8Array {
	const invoice = { deliveryId: 'd1', webhookId: 'w1', type: 'InvoiceSettled', timestamp: 1_700_000_000, storeId: 's', invoiceId: 'i', metadata: { pad: '' } };
	const base = JSON.stringify(invoice, null, 2);
	invoice.metadata.pad = 'x'.repeat(Math.max(0, size - base.length));
	return utf8ToBytes(JSON.stringify(invoice, null, 2));
}

export interface VerifyRow {
	name: string;
	wrapper: number;
	bare: number;
	/** Wrapper cost / bare cost (bare ops per second / wrapper ops per second). */
	ratio: number;
	/** Whether the 1.5× target applies. */
	target: boolean;
}

export function runVerifyBench(): VerifyRow[] {
	const secret = 'bench-secret-0123456789';
	const key = utf8ToBytes(secret);
	const rows: VerifyRow[] = [];
	for (const size of [2 * 1024, 64 * 1024]) {
		const body = payload(size);
		const header = signBtcPayPayload(secret, body);
		// Time only the path that accepts a genuine delivery.
		if (!verifyBtcPaySignature(secret, body, header).valid) throw new Error('signature check rejected a valid signature');
		if (!checkDelivery({ rawBody: body, signatureHeader: header, secret }).ok) throw new Error('delivery check rejected a valid delivery');
		const sig = compare(
			() => verifyBtcPaySignature(secret, body, header),
			() => hmac(sha256, key, body),
			ROUNDS,
		);
		rows.push({ name: `BTCPay-Sig verify, ${size / 1024} KiB body`, wrapper: sig.a, bare: sig.b, ratio: sig.b / sig.a, target: true });
		const text = new TextDecoder();
		const whole = compare(
			() => checkDelivery({ rawBody: body, signatureHeader: header, secret }),
			() => {
				hmac(sha256, key, body);
				return JSON.parse(text.decode(body));
			},
			ROUNDS,
		);
		rows.push({ name: `Whole delivery check, ${size / 1024} KiB body`, wrapper: whole.a, bare: whole.b, ratio: whole.b / whole.a, target: false });
	}
	if (decodeBolt11(COFFEE).paymentHash !== decode(COFFEE).sections.find((s) => s.name === 'payment_hash')?.value) {
		throw new Error('decodeBolt11 and the bare decoder disagree on the payment hash');
	}
	const r = compare(
		() => decodeBolt11(COFFEE),
		() => decode(COFFEE),
		ROUNDS,
	);
	rows.push({ name: 'BOLT11 decode (spec coffee invoice)', wrapper: r.a, bare: r.b, ratio: r.b / r.a, target: true });
	return rows;
}

export function printVerify(rows: VerifyRow[]): void {
	console.log(`Wrapper cost vs bare library (ops/s, median of ${ROUNDS} alternating rounds)`);
	for (const row of rows) {
		console.log(
			`${row.name.padEnd(40)} wrapper ${fmt(row.wrapper).padStart(9)}/s  bare ${fmt(row.bare).padStart(9)}/s  wrapper costs ${fmt(row.ratio, 2)}× bare${row.target ? `  (target ≤ 1.50×: ${row.ratio <= 1.5 ? 'PASS' : 'MISS'})` : ''}`,
		);
	}
}

if (require.main === module) printVerify(runVerifyBench());
