import { createHmac } from 'node:crypto';
import { checkDelivery, saveSeen, storedSeen } from '../../../nodes/BtcPay/trigger/delivery';
import { DeliveryMemory } from '../../../nodes/shared/delivery-memory';
import { signBtcPayPayload } from '../../../nodes/BtcPay/trigger/signing';
import { body, invoiceEvent, SECRET, signed } from './fixtures';

describe('signBtcPayPayload', () => {
	it('matches an independent HMAC-SHA256 (node:crypto) over the same bytes', () => {
		const raw = body(invoiceEvent('InvoiceSettled'));
		const expected = createHmac('sha256', Buffer.from(SECRET, 'utf8')).update(raw).digest('hex');
		expect(signBtcPayPayload(SECRET, raw)).toBe(`sha256=${expected}`);
	});
});

describe('checkDelivery', () => {
	it('accepts a correctly signed pretty-printed delivery and keys it by originalDeliveryId', () => {
		const event = invoiceEvent('InvoiceSettled', { originalDeliveryId: 'First1' });
		const result = checkDelivery({ ...signed(event), secret: SECRET });
		expect(result).toMatchObject({ ok: true, dedupeKey: 'First1' });
		if (result.ok) expect(result.event.invoiceId).toBe(event.invoiceId);
	});

	it('falls back to deliveryId when originalDeliveryId is absent', () => {
		const event = invoiceEvent('InvoiceCreated');
		delete event.originalDeliveryId;
		const result = checkDelivery({ ...signed(event), secret: SECRET });
		expect(result.ok && result.dedupeKey).toBe(event.deliveryId);
	});

	it('401 when the BTCPay-Sig header is missing', () => {
		const result = checkDelivery({ rawBody: body(invoiceEvent('InvoiceSettled')), signatureHeader: undefined, secret: SECRET });
		expect(result).toMatchObject({ ok: false, status: 401, reason: 'signature_missing' });
	});

	it('401 for a bad prefix or a digest that is not 64 hex characters', () => {
		const { rawBody, signatureHeader } = signed(invoiceEvent('InvoiceSettled'));
		const hex = signatureHeader.slice('sha256='.length);
		for (const header of [`sha1=${hex}`, hex, `sha256=${hex.slice(2)}`, `sha256=${hex.slice(0, -1)}z`]) {
			expect(checkDelivery({ rawBody, signatureHeader: header, secret: SECRET })).toMatchObject({
				ok: false,
				status: 401,
				reason: 'signature_malformed',
			});
		}
	});

	it('accepts an upper-case digest and surrounding spaces (same HMAC)', () => {
		const { rawBody, signatureHeader } = signed(invoiceEvent('InvoiceSettled'));
		const upper = ` sha256=${signatureHeader.slice(7).toUpperCase()} `;
		expect(checkDelivery({ rawBody, signatureHeader: upper, secret: SECRET }).ok).toBe(true);
	});

	it('401 when signed with another secret', () => {
		const event = invoiceEvent('InvoiceSettled');
		const result = checkDelivery({ ...signed(event, 'another-secret-value'), secret: SECRET });
		expect(result).toMatchObject({ ok: false, status: 401, reason: 'signature_mismatch' });
	});

	it('401 when one byte of the body is altered after signing', () => {
		const { rawBody, signatureHeader } = signed(invoiceEvent('InvoiceSettled', { metadata: { orderId: 'A100' } }));
		const altered = Buffer.from(rawBody);
		const at = altered.indexOf('A100') + 3;
		altered[at] = '1'.charCodeAt(0); // A100 -> A101
		expect(altered.equals(rawBody)).toBe(false);
		expect(checkDelivery({ rawBody: altered, signatureHeader, secret: SECRET })).toMatchObject({
			ok: false,
			status: 401,
			reason: 'signature_mismatch',
		});
	});

	it('401 when the body is re-serialized JSON (same data, other bytes)', () => {
		const event = invoiceEvent('InvoiceSettled');
		const { signatureHeader } = signed(event);
		const compact = Buffer.from(JSON.stringify(event), 'utf8');
		expect(checkDelivery({ rawBody: compact, signatureHeader, secret: SECRET })).toMatchObject({
			ok: false,
			status: 401,
			reason: 'signature_mismatch',
		});
	});

	it('400 for an oversized body before any signature work', () => {
		const event = invoiceEvent('InvoiceSettled', { metadata: { blob: 'x'.repeat(5000) } });
		const result = checkDelivery({ ...signed(event), secret: SECRET, maxBodyBytes: 4096 });
		expect(result).toMatchObject({ ok: false, status: 400, reason: 'body_too_large' });
		// the same delivery passes with a larger limit
		expect(checkDelivery({ ...signed(event), secret: SECRET, maxBodyBytes: 8192 }).ok).toBe(true);
	});

	it('400 for a correctly signed body that is not JSON, not an object, or not an event', () => {
		for (const text of ['not json {', '[1,2]', 'null', '{"type":"InvoiceSettled"}', '{"deliveryId":"d1"}']) {
			const raw = Buffer.from(text, 'utf8');
			const result = checkDelivery({ rawBody: raw, signatureHeader: signBtcPayPayload(SECRET, raw), secret: SECRET });
			expect(result).toMatchObject({ ok: false, status: 400 });
		}
	});

	it('400 for a signed body that is not valid UTF-8', () => {
		const raw = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
		const result = checkDelivery({ rawBody: raw, signatureHeader: signBtcPayPayload(SECRET, raw), secret: SECRET });
		expect(result).toMatchObject({ ok: false, status: 400, reason: 'not_json' });
	});

	it('treats a missing body as empty (then the signature decides)', () => {
		expect(checkDelivery({ rawBody: undefined, signatureHeader: 'sha256=' + '0'.repeat(64), secret: SECRET })).toMatchObject({
			ok: false,
			status: 401,
		});
	});

	it('keeps unknown event types and unknown fields', () => {
		const event = invoiceEvent('InvoiceSomethingNew', { brandNewField: { a: 1 } });
		const result = checkDelivery({ ...signed(event), secret: SECRET });
		expect(result.ok && result.event.type).toBe('InvoiceSomethingNew');
		expect(result.ok && (result.event as Record<string, unknown>).brandNewField).toEqual({ a: 1 });
	});
});

describe('redelivery memory in static data', () => {
	it('round-trips through static data and stays bounded, oldest forgotten first', () => {
		const staticData: Record<string, unknown> = {};
		const seen = new DeliveryMemory(3, storedSeen(staticData));
		for (const key of ['a', 'b', 'c', 'd']) {
			expect(seen.claim(key)).toBe(true);
			seen.settle(key);
		}
		expect(saveSeen(staticData, seen)).toBe(true);
		expect(staticData.seenDeliveries).toEqual(['b', 'c', 'd']);
		const again = new DeliveryMemory(3, storedSeen(staticData));
		expect(again.has('a')).toBe(false);
		expect(again.has('d')).toBe(true);
		expect(saveSeen(staticData, again)).toBe(false);
	});

	it('does not persist claims that are still pending or were released', () => {
		const staticData: Record<string, unknown> = {};
		const seen = new DeliveryMemory(10);
		seen.claim('pending');
		seen.claim('failed');
		seen.release('failed');
		expect(saveSeen(staticData, seen)).toBe(false);
		expect(staticData).toEqual({});
	});

	it('ignores garbage in static data', () => {
		expect(storedSeen({ seenDeliveries: [1, 'ok', null] })).toEqual(['ok']);
		expect(storedSeen({ seenDeliveries: 'oops' })).toEqual([]);
	});
});
