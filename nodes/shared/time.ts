/** Timestamps as the services send them, turned into what the nodes output. */

/**
 * Unix seconds (a number, or a string of digits as BTCPay and LND send some of them) → ISO 8601 UTC;
 * undefined for anything else (absent, null, not a number), and for 0 or less when `positiveOnly`
 * (a service that writes 0 for "no date", such as LND).
 */
export function isoFromUnixSeconds(value: unknown, { positiveOnly = false }: { positiveOnly?: boolean } = {}): string | undefined {
	const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n) || (positiveOnly && n <= 0)) return undefined;
	return new Date(n * 1000).toISOString();
}
