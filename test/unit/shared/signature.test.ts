import { createHmac } from 'node:crypto';
import { hmacSha256Hex, verifyHmacSignature } from '../../../nodes/shared/signature';

const secret = 'whsec-Example-Secret';
const body = Buffer.from('{\n  "type": "InvoiceSettled",\n  "invoiceId": "abc"\n}');
const good = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('HMAC signatures', () => {
	it('matches node:crypto', () => {
		expect(`sha256=${hmacSha256Hex(secret, body)}`).toBe(good);
	});

	it('accepts a correct signature (any hex case)', () => {
		expect(verifyHmacSignature(secret, body, good)).toEqual({ valid: true });
		expect(verifyHmacSignature(secret, body, good.toUpperCase().replace('SHA256=', 'sha256='))).toEqual({ valid: true });
	});

	it.each([
		[undefined, 'missing'],
		['', 'missing'],
		['sha1=abc', 'malformed'],
		['sha256=xyz', 'malformed'],
		[good.slice(0, -2), 'malformed'],
	])('rejects header %p as %p', (header, reason) => {
		expect(verifyHmacSignature(secret, body, header)).toEqual({ valid: false, reason });
	});

	it('rejects a wrong secret, a one-byte change and re-serialised JSON', () => {
		expect(verifyHmacSignature('other', body, good)).toEqual({ valid: false, reason: 'mismatch' });
		const altered = Buffer.from(body);
		altered[altered.length - 2] ^= 1;
		expect(verifyHmacSignature(secret, altered, good)).toEqual({ valid: false, reason: 'mismatch' });
		const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
		expect(verifyHmacSignature(secret, reserialised, good)).toEqual({ valid: false, reason: 'mismatch' });
	});
});
