/**
 * First-party caveats of an L402 macaroon, written and judged the way Aperture does
 * (aperture/lsat/caveat.go, service.go): `condition=value`, spaces around both trimmed;
 *   services=<name>:<tier>[,<name>:<tier>…]   the services the token is good for
 *   <service>_valid_until=<unix seconds>       expiry (Aperture's timeout caveat)
 *   <service>_capabilities=<a>[,<b>…]          what the token may do at that service
 * and lsat-js's `expiration=<unix milliseconds>`. This node adds
 *   <service>_path=<path>                      the URL path (and the paths under it) the token is for
 * and custom `name=value` caveats, satisfied only when the verifier expects that value.
 * Every caveat must hold (a macaroon's caveats are a conjunction: a holder can add caveats to
 * restrict a token, never remove one); a caveat the verifier does not understand fails, and one
 * namespaced for another service is not this verifier's to judge (Aperture skips those too).
 * No n8n imports.
 */

export const SERVICE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const CUSTOM_NAME_RE = /^[A-Za-z][A-Za-z0-9._-]*$/;
const SUFFIXES = ['_valid_until', '_capabilities', '_path'] as const;

export interface ChallengeCaveats {
	service: string;
	/** Unix seconds. */
	validUntil: number;
	path?: string;
	capabilities?: readonly string[];
	custom?: ReadonlyArray<{ name: string; value: string }>;
	tier?: number;
}

/** The caveats a challenge's macaroon carries; throws (naming the field) on a value that cannot be written. */
export function buildCaveats(c: ChallengeCaveats): string[] {
	if (!SERVICE_NAME_RE.test(c.service)) throw new Error(`Service Name "${c.service}": letters, digits, ".", "_" and "-" only`);
	if (!Number.isSafeInteger(c.validUntil) || c.validUntil <= 0) throw new Error('the expiry must be a unix time in seconds');
	const out = [`services=${c.service}:${c.tier ?? 0}`, `${c.service}_valid_until=${c.validUntil}`];
	if (c.path) {
		if (!c.path.startsWith('/') || /[\s=]/.test(c.path)) throw new Error(`Path "${c.path}": must start with "/" and hold no spaces or "="`);
		out.push(`${c.service}_path=${c.path}`);
	}
	if (c.capabilities && c.capabilities.length > 0) {
		for (const cap of c.capabilities) {
			if (!CUSTOM_NAME_RE.test(cap)) throw new Error(`Capability "${cap}": letters, digits, ".", "_" and "-" only`);
		}
		out.push(`${c.service}_capabilities=${c.capabilities.join(',')}`);
	}
	for (const [index, { name, value }] of (c.custom ?? []).entries()) {
		const where = `Custom Caveat ${index + 1}`;
		if (!CUSTOM_NAME_RE.test(name)) throw new Error(`${where}: name "${name}" must start with a letter; letters, digits, ".", "_" and "-" only`);
		if (isReservedName(name)) throw new Error(`${where}: "${name}" is a reserved caveat name (services, expiration, <service>_valid_until/_capabilities/_path)`);
		if (/[\r\n]/.test(value) || value.trim() !== value || value === '') throw new Error(`${where}: the value must be non-empty, on one line, without leading or trailing spaces`);
		out.push(`${name}=${value}`);
	}
	return out;
}

function isReservedName(name: string): boolean {
	return name === 'services' || name === 'expiration' || SUFFIXES.some((s) => name.endsWith(s));
}

export interface VerifyContext {
	/** This verifier's service name. */
	service: string;
	/** Unix milliseconds. */
	now: number;
	/** The request's URL path, when known. */
	path?: string;
	/** A capability the request needs, when any. */
	capability?: string;
	/** Values custom caveats must equal. */
	expected?: Readonly<Record<string, string>>;
}

export type CaveatFailure = 'malformed_caveat' | 'wrong_service' | 'expired' | 'wrong_path' | 'missing_capability' | 'custom_caveat';

export interface CaveatResult {
	caveat: string;
	condition: string;
	value: string;
	/** satisfied, failed, or skipped (namespaced for another service). */
	outcome: 'satisfied' | 'failed' | 'skipped';
	reason?: CaveatFailure;
	message?: string;
}

export function splitCaveat(caveat: string): { condition: string; value: string } | null {
	const eq = caveat.indexOf('=');
	if (eq <= 0) return null;
	const condition = caveat.slice(0, eq).trim();
	const value = caveat.slice(eq + 1).trim();
	return condition ? { condition, value } : null;
}

const ok = (caveat: string, condition: string, value: string): CaveatResult => ({ caveat, condition, value, outcome: 'satisfied' });
const fail = (caveat: string, condition: string, value: string, reason: CaveatFailure, message: string): CaveatResult => ({
	caveat,
	condition,
	value,
	outcome: 'failed',
	reason,
	message,
});

/** Judges one caveat against the request. */
export function checkCaveat(caveat: string, ctx: VerifyContext): CaveatResult {
	const parts = splitCaveat(caveat);
	if (!parts) return fail(caveat, '', caveat, 'malformed_caveat', `Caveat "${caveat}" is not condition=value`);
	const { condition, value } = parts;
	if (condition === 'services') {
		const names: string[] = [];
		for (const entry of value.split(',')) {
			const m = /^\s*([^:\s]+)\s*:\s*(\d+)\s*$/.exec(entry);
			if (!m) return fail(caveat, condition, value, 'malformed_caveat', `Caveat services has an entry "${entry}" that is not name:tier`);
			names.push(m[1]);
		}
		return names.includes(ctx.service)
			? ok(caveat, condition, value)
			: fail(caveat, condition, value, 'wrong_service', `The token is for ${names.join(', ')}, not for ${ctx.service}`);
	}
	if (condition === 'expiration') {
		if (!/^\d+$/.test(value)) return fail(caveat, condition, value, 'malformed_caveat', 'Caveat expiration is not a time in milliseconds');
		return ctx.now < Number(value)
			? ok(caveat, condition, value)
			: fail(caveat, condition, value, 'expired', `The token expired at ${new Date(Number(value)).toISOString()}`);
	}
	const suffix = SUFFIXES.find((s) => condition.endsWith(s) && condition.length > s.length);
	if (suffix) {
		const service = condition.slice(0, -suffix.length);
		if (service !== ctx.service) return { caveat, condition, value, outcome: 'skipped', message: `For service ${service}, not this one` };
		if (suffix === '_valid_until') {
			if (!/^\d+$/.test(value)) return fail(caveat, condition, value, 'malformed_caveat', `Caveat ${condition} is not a unix time in seconds`);
			return ctx.now < Number(value) * 1000
				? ok(caveat, condition, value)
				: fail(caveat, condition, value, 'expired', `The token expired at ${new Date(Number(value) * 1000).toISOString()}`);
		}
		if (suffix === '_capabilities') {
			const caps = value.split(',').map((c) => c.trim());
			if (!ctx.capability || caps.includes(ctx.capability)) return ok(caveat, condition, value);
			return fail(caveat, condition, value, 'missing_capability', `The token allows ${caps.join(', ')}, not ${ctx.capability}`);
		}
		// _path: the request path is that path or below it.
		if (ctx.path === undefined || ctx.path === '') {
			return fail(caveat, condition, value, 'wrong_path', `The token is only for ${value}, and the request path is not known (set Request Path)`);
		}
		const path = normalizePath(ctx.path);
		const allowed = normalizePath(value);
		const inside = path === allowed || path.startsWith(allowed.endsWith('/') ? allowed : `${allowed}/`);
		return inside ? ok(caveat, condition, value) : fail(caveat, condition, value, 'wrong_path', `The token is for ${allowed}, not for ${path}`);
	}
	const expected = ctx.expected && Object.prototype.hasOwnProperty.call(ctx.expected, condition) ? ctx.expected[condition] : undefined;
	if (expected === undefined) {
		return fail(caveat, condition, value, 'custom_caveat', `Caveat ${condition} is not one this verifier knows (add it to Expected Caveats to accept it)`);
	}
	return expected === value
		? ok(caveat, condition, value)
		: fail(caveat, condition, value, 'custom_caveat', `Caveat ${condition} is "${value}", the request needs "${expected}"`);
}

/** The path part of a URL or path, without query or fragment, duplicate or trailing slashes. */
export function normalizePath(raw: string): string {
	let path = raw.trim();
	try {
		if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) path = new URL(path).pathname;
	} catch {
		// not a URL: read as a path
	}
	path = path.split(/[?#]/)[0].replace(/\/{2,}/g, '/');
	if (!path.startsWith('/')) path = `/${path}`;
	return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** Every caveat judged, in order; the first failure is the reason. */
export function checkCaveats(caveats: readonly string[], ctx: VerifyContext): { results: CaveatResult[]; failure: CaveatResult | undefined } {
	const results = caveats.map((c) => checkCaveat(c, ctx));
	return { results, failure: results.find((r) => r.outcome === 'failed') };
}

/** The earliest expiry among the caveats for this service, unix milliseconds, or null. */
export function expiryOf(caveats: readonly string[], service: string): number | null {
	let earliest: number | null = null;
	for (const caveat of caveats) {
		const parts = splitCaveat(caveat);
		if (!parts || !/^\d+$/.test(parts.value)) continue;
		const at =
			parts.condition === 'expiration' ? Number(parts.value) : parts.condition === `${service}_valid_until` ? Number(parts.value) * 1000 : null;
		if (at !== null && (earliest === null || at < earliest)) earliest = at;
	}
	return earliest;
}

/** The service names of the first `services=` caveat (what a client keys remembered tokens by). */
export function servicesOf(caveats: readonly string[]): string[] {
	for (const caveat of caveats) {
		const parts = splitCaveat(caveat);
		if (parts?.condition === 'services') return parts.value.split(',').map((e) => e.split(':')[0].trim()).filter(Boolean);
	}
	return [];
}
