/**
 * Exact money handling. Fiat and BTC amounts are decimal strings, sats and
 * msat are integers; nothing here goes through a binary float.
 */
import { InputError } from './errors';

/** ISO 4217 minor units for currencies that differ from the default of 2, plus crypto units. */
const MINOR_UNITS: Record<string, number> = {
	BTC: 8,
	LBTC: 8,
	SATS: 0,
	SAT: 0,
	BIF: 0,
	CLP: 0,
	DJF: 0,
	GNF: 0,
	ISK: 0,
	JPY: 0,
	KMF: 0,
	KRW: 0,
	PYG: 0,
	RWF: 0,
	UGX: 0,
	UYI: 0,
	VND: 0,
	VUV: 0,
	XAF: 0,
	XOF: 0,
	XPF: 0,
	BHD: 3,
	IQD: 3,
	JOD: 3,
	KWD: 3,
	LYD: 3,
	OMR: 3,
	TND: 3,
	CLF: 4,
	UYW: 4,
};

/** Number of decimals a currency allows; 2 for other 3-letter fiat codes, 8 for anything else. */
export function currencyDecimals(currency: string): number {
	const code = currency.trim().toUpperCase();
	if (code in MINOR_UNITS) return MINOR_UNITS[code];
	return /^[A-Z]{3}$/.test(code) ? 2 : 8;
}

const DECIMAL_RE = /^([+-])?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

interface Parts {
	negative: boolean;
	int: string;
	frac: string;
}

function splitDecimal(raw: string): Parts | undefined {
	const m = DECIMAL_RE.exec(raw.trim());
	if (!m) return undefined;
	let int = m[2] ?? '';
	let frac = m[3] ?? '';
	if (!int && !frac) return undefined;
	const exp = m[4] ? parseInt(m[4], 10) : 0;
	if (Math.abs(exp) > 40) return undefined;
	if (exp > 0) {
		frac = frac.padEnd(exp, '0');
		int += frac.slice(0, exp);
		frac = frac.slice(exp);
	} else if (exp < 0) {
		int = int.padStart(-exp, '0');
		frac = int.slice(int.length + exp) + frac;
		int = int.slice(0, int.length + exp);
	}
	int = int.replace(/^0+(?=\d)/, '') || '0';
	frac = frac.replace(/0+$/, '');
	return { negative: m[1] === '-', int, frac };
}

export interface DecimalOptions {
	/** Maximum number of digits after the point. */
	maxDecimals?: number;
	/** Allow 0 (default false: amounts must be positive). */
	allowZero?: boolean;
	/** Label for the currency in messages. */
	currency?: string;
}

/**
 * Validates an amount typed by a user (string or n8n number) and returns it as
 * a canonical decimal string: no exponent, no trailing zeros ("5.10" → "5.1").
 */
export function parseDecimalAmount(value: unknown, field: string, options: DecimalOptions = {}): string {
	if (value === undefined || value === null || value === '') throw new InputError(field, 'is required');
	if (typeof value === 'number' && !Number.isFinite(value)) throw new InputError(field, 'must be a finite number');
	if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') {
		throw new InputError(field, `must be a number or a decimal string, got ${typeof value}`);
	}
	const text = String(value).trim().replace(/_/g, '');
	const parts = splitDecimal(text);
	if (!parts) throw new InputError(field, `"${String(value)}" is not a number (use digits and an optional decimal point, e.g. 12.50)`);
	const isZero = /^0*$/.test(parts.int) && parts.frac === '';
	if (parts.negative && !isZero) throw new InputError(field, `must not be negative (got ${text})`);
	if (isZero && !options.allowZero) throw new InputError(field, 'must be greater than 0');
	if (options.maxDecimals !== undefined && parts.frac.length > options.maxDecimals) {
		const unit = options.currency ? `${options.currency} allows` : 'at most';
		throw new InputError(
			field,
			`${text} has ${parts.frac.length} decimals; ${unit} ${options.maxDecimals} decimal${options.maxDecimals === 1 ? '' : 's'}`,
		);
	}
	return parts.frac ? `${parts.int}.${parts.frac}` : parts.int;
}

/** Validates a fiat/BTC amount against the currency's decimals. */
export function parseCurrencyAmount(value: unknown, currency: string, field: string, allowZero = false): string {
	const code = currency.trim().toUpperCase();
	return parseDecimalAmount(value, field, { maxDecimals: currencyDecimals(code), currency: code, allowZero });
}

/** A whole, positive number of satoshis (or msat) within Number's safe range. */
export function parseSats(value: unknown, field: string, options: { allowZero?: boolean; unit?: string } = {}): number {
	const unit = options.unit ?? 'sats';
	const text = parseDecimalAmount(value, field, { allowZero: options.allowZero });
	if (text.includes('.')) throw new InputError(field, `must be a whole number of ${unit} (got ${text})`);
	const n = Number(text);
	if (!Number.isSafeInteger(n)) throw new InputError(field, `${text} ${unit} is too large`);
	return n;
}

/** Scaled-integer representation of a canonical decimal string. */
export function toScaled(decimal: string, scale: number): bigint {
	const parts = splitDecimal(decimal);
	if (!parts) throw new RangeError(`not a decimal: ${decimal}`);
	if (parts.frac.length > scale) throw new RangeError(`${decimal} has more than ${scale} decimals`);
	const digits = BigInt(parts.int + parts.frac.padEnd(scale, '0'));
	return parts.negative ? -digits : digits;
}

/** Formats a scaled integer as a decimal string with exactly `scale` decimals. */
export function fromScaled(value: bigint, scale: number, trim = false): string {
	const negative = value < 0n;
	const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
	const int = digits.slice(0, digits.length - scale);
	let frac = scale > 0 ? digits.slice(digits.length - scale) : '';
	if (trim) frac = frac.replace(/0+$/, '');
	return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** Number of decimals of a decimal string (after canonicalisation). */
export function decimalPlaces(decimal: string): number {
	const parts = splitDecimal(decimal);
	return parts ? parts.frac.length : 0;
}

/** Exact sum of decimal strings, formatted with `scale` decimals (default: the largest scale seen). */
export function sumDecimals(values: readonly string[], scale?: number): string {
	const s = scale ?? values.reduce((max, v) => Math.max(max, decimalPlaces(v)), 0);
	let total = 0n;
	for (const v of values) total += toScaled(v, s);
	return fromScaled(total, s);
}

/** Exact decimal division rounded half-up to `scale` decimals (for averages and shares). */
export function divideDecimal(numerator: string, divisor: bigint | number, scale: number): string {
	const d = BigInt(divisor);
	if (d === 0n) throw new RangeError('division by zero');
	const inScale = decimalPlaces(numerator);
	const n = toScaled(numerator, inScale) * 10n ** BigInt(scale + 1);
	const q = n / (d * 10n ** BigInt(inScale));
	const rounded = q >= 0n ? (q + 5n) / 10n : (q - 5n) / 10n;
	return fromScaled(rounded, scale);
}

/** Exact BTC decimal string → integer sats. Refuses sub-satoshi precision. */
export function btcToSats(btc: string): number {
	const n = toScaled(parseDecimalAmount(btc, 'amount', { allowZero: true, maxDecimals: 8, currency: 'BTC' }), 8);
	return Number(n);
}

/** Integer sats → BTC decimal string with 8 decimals. */
export function satsToBtc(sats: number | bigint): string {
	return fromScaled(BigInt(sats), 8);
}

/** Integer sats → msat as a decimal string (BTCPay's Lightning amounts). */
export function satsToMsatString(sats: number | bigint): string {
	return (BigInt(sats) * 1000n).toString();
}

/**
 * msat (number or decimal string) → whole sats and the remainder. Lightning
 * invoices may carry sub-satoshi msat amounts; callers decide how to show them.
 */
export function msatToSats(msat: number | string | bigint): { sats: number; remainderMsat: number } {
	const m = BigInt(typeof msat === 'string' ? msat.trim() : msat);
	const sats = m / 1000n;
	return { sats: Number(sats), remainderMsat: Number(m % 1000n) };
}

/**
 * A money amount for output, as a decimal string with its currency's decimals:
 * "12.5" USD → "12.50", "1" BTC → "1.00000000", "1500" JPY → "1500". Extra
 * decimals (a BTC amount with sub-satoshi precision, a rate) are kept, never
 * rounded. Numbers are read through their shortest text form (what a JSON
 * parser made of the server's digits), never through arithmetic. A value that
 * is not a decimal, or a currency that is not a string, is returned unchanged.
 */
export function formatMoney(value: unknown, currency: unknown): unknown {
	if (typeof currency !== 'string' || !currency.trim()) return value;
	if (typeof value !== 'string' && typeof value !== 'number') return value;
	if (typeof value === 'number' && !Number.isFinite(value)) return value;
	const parts = splitDecimal(String(value));
	if (!parts) return value;
	const decimals = Math.max(currencyDecimals(currency), parts.frac.length);
	const frac = parts.frac.padEnd(decimals, '0');
	const isZero = /^0*$/.test(parts.int) && /^0*$/.test(frac);
	return `${parts.negative && !isZero ? '-' : ''}${parts.int}${decimals ? `.${frac}` : ''}`;
}

/** Formats `keys` of `out` (in place) as money in `currency` (see formatMoney); returns `out`. */
export function formatMoneyFields<T extends Record<string, unknown>>(out: T, currency: unknown, keys: readonly string[]): T {
	const record = out as Record<string, unknown>;
	for (const key of keys) if (record[key] !== undefined && record[key] !== null) record[key] = formatMoney(record[key], currency);
	return out;
}
