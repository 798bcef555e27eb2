/** BTCPay-like deliveries: pretty-printed JSON bodies signed with a real HMAC. */
import { signBtcPayPayload } from '../../../nodes/BtcPay/trigger/signing';

export const SECRET = 'whsec-3b8f0a2c9d4e41f7';
export const STORE = 'StoreA1';

let counter = 0;

export function invoiceEvent(type: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
	counter += 1;
	const deliveryId = `Deliv${counter}x`;
	return {
		deliveryId,
		webhookId: 'Hook1',
		originalDeliveryId: deliveryId,
		isRedelivery: false,
		type,
		timestamp: 1763870000 + counter,
		storeId: STORE,
		invoiceId: `Inv${counter}`,
		metadata: { orderId: `order-${counter}`, itemDesc: 'Socks' },
		...extra,
	};
}

/** Pretty-printed like BTCPay does, so a re-serialized body differs byte-wise. */
export function body(event: unknown): Buffer {
	return Buffer.from(JSON.stringify(event, null, 2), 'utf8');
}

export function signed(event: unknown, secret = SECRET): { rawBody: Buffer; signatureHeader: string } {
	const raw = body(event);
	return { rawBody: raw, signatureHeader: signBtcPayPayload(secret, raw) };
}
