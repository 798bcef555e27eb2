/**
 * Zod pieces shared by several Greenfield resources, and the input parser that
 * turns zod issues into InputErrors naming the field (nothing is sent then).
 */
import { z } from 'zod';
import { InputError } from '../../shared/errors';

/** Unix timestamp in seconds (Greenfield uses seconds everywhere). */
export const unixTimestamp = z.number();

/** Currency code (ISO 4217, or crypto such as BTC, SATS) in upper case: invoices, payment requests, stores, apps, pull payments, subscriptions. */
export const currencyCodeSchema = z
	.string({ invalid_type_error: 'must be a currency code' })
	.trim()
	.regex(/^[A-Za-z]{3,5}$/, 'must be a currency code such as USD, EUR, BTC or SATS')
	.transform((v) => v.toUpperCase());

/** Greenfield decimal amounts: strings in responses ("5.00"); numbers tolerated. */
export const decimalString = z.union([z.string(), z.number()]).transform((v) => String(v));

/** Store IDs are base58 strings (44 characters on current servers). */
export const STORE_ID_RE = /^[A-Za-z0-9]{6,80}$/;
/** Invoice, payment request, payout... IDs: letters, digits, `_` and `-` (test deliveries use `__test__`). */
export const OBJECT_ID_RE = /^[A-Za-z0-9_-]{1,128}$/;

const STORE_ID_SCHEMA = z
	.string({ required_error: 'is required', invalid_type_error: 'must be a text ID' })
	.trim()
	.min(1, 'is required')
	.regex(STORE_ID_RE, 'is not a BTCPay store ID (expected letters and digits only, e.g. 9CiNzKoANXxmk5ayZngSXrHTiVvvgCrwrpFQd4m2K776)');

/** Zod schemas are immutable: they are built once and shared by every call. */
export function storeIdSchema() {
	return STORE_ID_SCHEMA;
}

/** `{ storeId }`, the input of every store-scoped call. */
export const storeIdInputSchema = z.object({ storeId: STORE_ID_SCHEMA });

const objectIdSchemas = new Map<string, z.ZodString>();

export function objectIdSchema(what = 'ID') {
	let schema = objectIdSchemas.get(what);
	if (!schema) {
		schema = z
			.string({ required_error: 'is required', invalid_type_error: `must be a text ${what}` })
			.trim()
			.min(1, 'is required')
			.regex(OBJECT_ID_RE, `is not a valid ${what} (letters, digits, "_" and "-" only)`);
		objectIdSchemas.set(what, schema);
	}
	return schema;
}

/** Accepts a Date, an ISO date string, or unix seconds, and returns unix seconds. */
export const unixSecondsInput = z
	.union([z.number(), z.string(), z.date()])
	.transform((value, ctx) => {
		if (typeof value === 'number') {
			if (!Number.isFinite(value) || value < 0) {
				ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a date or a positive unix timestamp' });
				return z.NEVER;
			}
			// Milliseconds are a common mistake: 13 digits.
			return value > 1e11 ? Math.floor(value / 1000) : Math.floor(value);
		}
		if (typeof value === 'string' && /^\d+$/.test(value.trim())) {
			const n = Number(value.trim());
			return n > 1e11 ? Math.floor(n / 1000) : n;
		}
		const date = value instanceof Date ? value : new Date(value);
		const ms = date.getTime();
		if (Number.isNaN(ms)) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${String(value)}" is not a date (use ISO 8601, e.g. 2025-01-31T00:00:00Z)` });
			return z.NEVER;
		}
		return Math.floor(ms / 1000);
	});

export const httpUrlSchema = z
	.string()
	.trim()
	.refine((v) => {
		try {
			const u = new URL(v);
			return u.protocol === 'https:' || u.protocol === 'http:';
		} catch {
			return false;
		}
	}, 'must be an absolute http(s) URL');

export const speedPolicySchema = z.enum(['HighSpeed', 'MediumSpeed', 'LowMediumSpeed', 'LowSpeed']);
export type SpeedPolicy = z.infer<typeof speedPolicySchema>;

/** Error entries of a Greenfield 422 answer. */
export const validationProblemsSchema = z.array(z.object({ path: z.string().optional(), message: z.string() }));

/**
 * Validates input with a zod schema. On failure throws an InputError whose
 * field is the human label of the first failing path (labels map the client's
 * property names to the names people see, e.g. `amount` → `Amount`).
 */
export function parseInput<S extends z.ZodTypeAny>(
	schema: S,
	value: unknown,
	labels: Record<string, string> = {},
	service = 'BTCPay',
): z.output<S> {
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	const issues = result.error.issues;
	const first = issues[0];
	const path = first.path.map(String);
	const field = labelFor(path, labels);
	let message = first.message;
	if (first.code === z.ZodIssueCode.invalid_enum_value) {
		message = `"${String(first.received)}" is not one of ${first.options.map(String).join(', ')}`;
	} else if (first.code === z.ZodIssueCode.invalid_type && first.received === 'undefined') {
		message = 'is required';
	} else if (first.code === z.ZodIssueCode.unrecognized_keys) {
		message = `unknown field(s) ${first.keys.join(', ')}`;
	}
	const error = new InputError(field, message, service);
	for (const other of issues.slice(1, 5)) error.details.push(`${labelFor(other.path.map(String), labels)}: ${other.message}`);
	throw error;
}

function labelFor(rawPath: string[], labels: Record<string, string>): string {
	// List positions are not part of the field name (`status.0` → `Status`).
	const path = rawPath.filter((p) => !/^\d+$/.test(p));
	for (let i = path.length; i > 0; i--) {
		const key = path.slice(0, i).join('.');
		if (labels[key]) return [labels[key], ...path.slice(i)].join('.');
	}
	return path.join('.') || 'input';
}

/** `/segment` with the ID URL-encoded. */
export function seg(id: string): string {
	return `/${encodeURIComponent(id)}`;
}
