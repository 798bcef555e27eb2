/**
 * Builds the item a delivery emits: the event's own fields at the top level,
 * nested objects (like `payment`) flattened into camelCase keys (`paymentValue`)
 * so IF and Switch nodes can test them directly, `metadata` kept as sent, plus
 * `isTest`, `confirmed` and the server's view of the invoice when confirmed.
 */
import type { InvoiceView } from './confirm';

export interface OutputOptions {
	isTest: boolean;
	/** The server's invoice when "Confirm with API" checked it. */
	invoice?: InvoiceView;
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
		if (!prefix && keep.has(key)) {
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
	const added: Json = { isTest: options.isTest, confirmed: options.invoice !== undefined };
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
	if (!options.simplify) return { ...event, ...added };

	const flat = flattenObject(event, KEEP_NESTED);
	const metadata = event.metadata;
	if (isPlainObject(metadata) && typeof metadata.orderId === 'string' && !('orderId' in flat)) {
		flat.orderId = metadata.orderId;
	}
	return { ...flat, ...added };
}
