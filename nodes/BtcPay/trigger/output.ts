/**
 * Builds the item a delivery emits: the event's own fields at the top level,
 * nested objects (like `payment`, or a subscription event's `subscriber`) flattened
 * into camelCase keys (`paymentValue`, `subscriberCustomerId`) so IF and Switch
 * nodes can test them directly, `metadata` objects kept as sent, plus `confirmed`
 * and the server's view of the invoice (and of the payment) when BTCPay was asked.
 *
 * There is no `isTest` field any more: BTCPay v2.3.0 removed test deliveries, and
 * an id containing `__test__` proves nothing about who sent it.
 */
import type { InvoiceView, PaymentView } from './confirm';

export interface OutputOptions {
	/** BTCPay agrees with what the event claims (see confirm.ts). */
	confirmed: boolean;
	/** The server's invoice when "Confirm with API" read it. */
	invoice?: InvoiceView;
	/** The server's record of the event's payment, when it was looked up. */
	payment?: PaymentView;
	/** false: the event exactly as received, plus the added fields. */
	simplify: boolean;
}

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function joinKey(prefix: string, key: string): string {
	return prefix ? `${prefix}${key.charAt(0).toUpperCase()}${key.slice(1)}` : key;
}

/** Flattens nested objects into camelCase keys; keeps `keep` keys as they are. Never overwrites. */
export function flattenObject(source: Json, keep: ReadonlySet<string> = new Set(), prefix = '', out: Json = {}): Json {
	if (!prefix) {
		// Top-level scalar fields win over flattened names, whatever their order.
		for (const [key, value] of Object.entries(source)) {
			if (!isPlainObject(value) || keep.has(key) || Object.keys(value).length === 0) out[key] = value;
		}
	}
	for (const [key, value] of Object.entries(source)) {
		const name = joinKey(prefix, key);
		if (keep.has(key) && isPlainObject(value)) {
			if (!(name in out)) out[name] = value;
		} else if (isPlainObject(value) && Object.keys(value).length > 0) {
			flattenObject(value, keep, name, out);
		} else if (!(name in out)) {
			out[name] = value;
		}
	}
	return out;
}

const KEEP_NESTED = new Set(['metadata']);

export function toOutputItem(event: Json, options: OutputOptions): Json {
	const added: Json = { confirmed: options.confirmed };
	if (options.invoice) {
		const inv = options.invoice;
		Object.assign(added, {
			invoiceStatus: inv.status,
			invoiceAdditionalStatus: inv.additionalStatus ?? null,
			invoiceAmount: inv.amount,
			invoiceCurrency: inv.currency,
			invoiceMetadata: inv.metadata ?? {},
		});
	}
	if (options.payment) {
		Object.assign(added, {
			confirmedPaymentId: options.payment.id,
			confirmedPaymentStatus: options.payment.status,
			confirmedPaymentValue: options.payment.value,
		});
	}
	if (!options.simplify) return { ...event, ...added };

	const flat = flattenObject(event, KEEP_NESTED);
	const metadata = event.metadata;
	if (isPlainObject(metadata) && typeof metadata.orderId === 'string' && !('orderId' in flat)) {
		flat.orderId = metadata.orderId;
	}
	return { ...flat, ...added };
}
