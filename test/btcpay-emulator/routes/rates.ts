/**
 * Store rates (BTCPayServer/Controllers/GreenField/GreenfieldStoreRatesController.cs) and rate
 * configuration (GreenfieldStoreRatesConfigurationController.cs, Data/StoreBlob.cs RateSettings).
 *
 * Simplifications: the exchanges all quote the fixed emulator rates (RATES in invoices.ts, units
 * per BTC); the default script is one wildcard rule `X_X = <source>(X_X);` (BTCPay's default
 * rules are longer); a custom script is a list of `PAIR = source(PAIR) [* factor];` or
 * `PAIR = <decimal>;` rules (BTCPay's RateRules grammar has more operators). A pair without a
 * rule answers the error RateUnavailable, an unknown exchange InvalidExchangeName
 * (BTCPayServer.Rating/RateRules.cs RateRulesErrors).
 */
import { validationError, type BtcPayEmulator, type EmulatorResponse, type Json } from '../server';
import { RATES } from './invoices';
import { fromScaled, toScaled } from '../../../nodes/shared/amounts';

/** Rate providers the emulator offers (ids as /misc/rate-sources lists them). */
export const RATE_SOURCES = ['coingecko', 'kraken', 'bitstamp', 'binance', 'bitfinex', 'coinbase'];
/** StoreBlob.GetPreferredExchange with none set: the default exchange (coingecko in the emulator). */
const DEFAULT_SOURCE = 'coingecko';

interface RateSettings {
	preferredExchange: string | null;
	rateScripting: boolean;
	rateScript: string | null;
}

interface StoreRateState {
	/** Percent as a decimal string (the API's spread; StoreBlob keeps spread / 100). */
	spread: string;
	primary: RateSettings;
	/** null: fallback rates disabled (404 fallback-disabled). */
	fallback: RateSettings | null;
	/** StoreBlob.DefaultCurrencyPairs (empty by default). */
	defaultPairs: string[];
}

function stateOf(emulator: BtcPayEmulator, storeId: string): StoreRateState {
	const all = ((emulator.state.rates as Map<string, StoreRateState> | undefined) ??= new Map()) as Map<string, StoreRateState>;
	let s = all.get(storeId);
	if (!s) {
		s = { spread: '0', primary: { preferredExchange: null, rateScripting: false, rateScript: null }, fallback: null, defaultPairs: [] };
		all.set(storeId, s);
	}
	return s;
}

/** Test setup: the store's default currency pairs (what GET /rates answers without `currencyPair`). */
export function setDefaultCurrencyPairs(emulator: BtcPayEmulator, storeId: string, pairs: string[]): void {
	stateOf(emulator, storeId).defaultPairs = [...pairs];
}

const SCALE = 12;

/** Units of `quote` per `base`, from the per-BTC table (undefined: a currency without a rate). */
function marketRate(pair: string): bigint | undefined {
	const [base, quote] = pair.split('_');
	const b = RATES[base];
	const q = RATES[quote];
	if (!b || !q) return undefined;
	return (toScaled(q, 0) * 10n ** BigInt(SCALE)) / toScaled(b, 0);
}

/** CurrencyPair.TryParse: `BTC_USD` (also `BTC/USD`, `BTCUSD` for known pairs; the emulator takes the first two). */
function parsePair(raw: string): string | undefined {
	const m = /^([A-Za-z0-9]+)[_/]([A-Za-z0-9]+)$/.exec(raw.trim());
	return m ? `${m[1].toUpperCase()}_${m[2].toUpperCase()}` : undefined;
}

interface Rule {
	source?: string;
	literal?: bigint;
	factor: bigint;
}

/** RateRules.TryParse (the emulator's subset); undefined when the syntax is not understood. */
function parseScript(script: string): Map<string, Rule> | undefined {
	const rules = new Map<string, Rule>();
	for (const statement of script.split(';').map((s) => s.trim()).filter(Boolean)) {
		const m = /^([A-Za-z0-9]+_[A-Za-z0-9]+)\s*=\s*(?:([a-z0-9]+)\(\s*([A-Za-z0-9]+_[A-Za-z0-9]+)\s*\)|(\d+(?:\.\d+)?))\s*(?:\*\s*(\d+(?:\.\d+)?))?$/.exec(statement);
		if (!m) return undefined;
		const factor = m[5] ? toScaled(m[5], SCALE) : 10n ** BigInt(SCALE);
		rules.set(m[1].toUpperCase(), m[2] ? { source: m[2], factor } : { literal: toScaled(m[4], SCALE), factor });
	}
	return rules;
}

const scriptFor = (source: string) => `X_X = ${source}(X_X);`;

function rulesOf(settings: RateSettings): Map<string, Rule> {
	if (settings.rateScripting && settings.rateScript) return parseScript(settings.rateScript) ?? new Map();
	return new Map([['X_X', { source: settings.preferredExchange ?? DEFAULT_SOURCE, factor: 10n ** BigInt(SCALE) }]]);
}

/** StoreRateResult for each pair: bid = rate × (1 − spread%), 8 decimals; errors instead of a rate. */
function evaluate(pairs: string[], rules: Map<string, Rule>, spread: string): Json[] {
	const keep = 100n * 10n ** 8n - toScaled(spread, 8);
	return pairs.map((pair) => {
		const rule = rules.get(pair) ?? rules.get('X_X');
		let value: bigint | undefined;
		let error: string | undefined;
		if (!rule) error = 'RateUnavailable';
		else if (rule.source && !RATE_SOURCES.includes(rule.source)) error = 'InvalidExchangeName';
		else {
			value = rule.literal ?? marketRate(pair);
			if (value === undefined) error = 'RateUnavailable';
		}
		if (value === undefined) return { currencyPair: pair, errors: [error ?? 'RateUnavailable'], rate: null };
		const withFactor = (value * (rule as Rule).factor) / 10n ** BigInt(SCALE);
		const bid = (withFactor * keep) / (100n * 10n ** 8n);
		// 12 → 8 decimals, half-up
		const rounded = (bid + 5000n) / 10_000n;
		return { currencyPair: pair, errors: [], rate: fromScaled(rounded, 8, true) };
	});
}

/** The pairs from `currencyPair` (parsing stops at the first malformed one, which is dropped: no 422). */
function requestedPairs(query: URLSearchParams, defaults: string[]): string[] {
	const raw = query.getAll('currencyPair');
	if (!raw.length) return defaults;
	const out: string[] = [];
	for (const p of raw) {
		const parsed = parsePair(p);
		if (!parsed) break;
		if (!out.includes(parsed)) out.push(parsed);
	}
	return out;
}

function configurationModel(state: StoreRateState, settings: RateSettings): Json {
	return {
		effectiveScript: settings.rateScripting && settings.rateScript ? settings.rateScript : scriptFor(settings.preferredExchange ?? DEFAULT_SOURCE),
		spread: state.spread,
		isCustomScript: settings.rateScripting,
		preferredSource: settings.rateScripting ? null : (settings.preferredExchange ?? DEFAULT_SOURCE),
	};
}

/** ValidateAndSanitizeConfiguration; the sanitized values, or the 422. */
function validate(body: unknown, current: RateSettings): { config?: { spread: string; preferredSource: string | null; isCustomScript: boolean; effectiveScript: string | null }; error?: EmulatorResponse } {
	if (!body || typeof body !== 'object') return { error: validationError({ path: '', message: 'Body required' }) };
	const c = body as Json;
	const problems: Array<{ path: string; message: string }> = [];
	const spread = c.spread === undefined || c.spread === null ? '0' : String(c.spread);
	if (!/^\d+(\.\d{1,8})?$/.test(spread) || toScaled(spread, 8) > 100n * 10n ** 8n) problems.push({ path: 'Spread', message: 'Spread value must be in %, between 0 and 100' });
	const isCustomScript = c.isCustomScript === true;
	let effectiveScript = typeof c.effectiveScript === 'string' && c.effectiveScript ? c.effectiveScript : null;
	let preferredSource = typeof c.preferredSource === 'string' && c.preferredSource ? c.preferredSource : null;
	if (isCustomScript) {
		effectiveScript ??= scriptFor(current.preferredExchange ?? DEFAULT_SOURCE);
		if (!parseScript(effectiveScript)) problems.push({ path: 'EffectiveScript', message: 'Script syntax is invalid' });
		if (preferredSource) problems.push({ path: 'PreferredSource', message: "You can't set the preferredSource if you are using custom scripts" });
	} else {
		if (effectiveScript) problems.push({ path: 'EffectiveScript', message: "You can't set the effectiveScript if you aren't using custom scripts" });
		if (preferredSource) {
			const found = RATE_SOURCES.find((s) => s.toLowerCase() === preferredSource?.toLowerCase());
			if (!found) problems.push({ path: 'PreferredSource', message: `Unsupported source, please check /misc/rate-sources to see valid values (${preferredSource})` });
			preferredSource = found ?? null;
		}
	}
	if (problems.length) return { error: validationError(...problems) };
	return { config: { spread: spread.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''), preferredSource, isCustomScript, effectiveScript } };
}

export function register(emulator: BtcPayEmulator): void {
	emulator.route('GET', '/api/v1/stores/{storeId}/rates', (req) => {
		const state = stateOf(emulator, req.params.storeId);
		return { status: 200, body: evaluate(requestedPairs(req.query, state.defaultPairs), rulesOf(state.primary), state.spread) };
	});

	emulator.route('GET', '/api/v1/stores/{storeId}/rates/configuration/{rateSource}', (req) => {
		const state = stateOf(emulator, req.params.storeId);
		const source = req.params.rateSource;
		if (source !== 'primary' && source !== 'fallback') return { status: 404 };
		const settings = source === 'primary' ? state.primary : state.fallback;
		if (!settings) return { status: 404, body: { code: 'fallback-disabled', message: 'The fallback rates are disabled' } };
		return { status: 200, body: configurationModel(state, settings) };
	});

	emulator.route('PUT', '/api/v1/stores/{storeId}/rates/configuration/{rateSource}', (req) => {
		const state = stateOf(emulator, req.params.storeId);
		const source = req.params.rateSource;
		if (source !== 'primary' && source !== 'fallback') return { status: 404 };
		// configuring the fallback enables it (GetOrCreateRateSettings(true))
		const settings = source === 'primary' ? state.primary : (state.fallback ?? { preferredExchange: null, rateScripting: false, rateScript: null });
		const checked = validate(req.body, settings);
		if (checked.error) return checked.error;
		const c = checked.config as NonNullable<typeof checked.config>;
		settings.preferredExchange = c.preferredSource;
		settings.rateScripting = c.isCustomScript;
		settings.rateScript = c.effectiveScript;
		state.spread = c.spread;
		if (source === 'fallback') state.fallback = settings;
		return { status: 200, body: configurationModel(state, settings) };
	});

	emulator.route('POST', '/api/v1/stores/{storeId}/rates/configuration/preview', (req) => {
		const state = stateOf(emulator, req.params.storeId);
		const checked = validate(req.body, state.fallback ?? state.primary);
		if (checked.error) return checked.error;
		const c = checked.config as NonNullable<typeof checked.config>;
		const rules = rulesOf({ preferredExchange: c.preferredSource, rateScripting: c.isCustomScript, rateScript: c.effectiveScript });
		return { status: 200, body: evaluate(requestedPairs(req.query, state.defaultPairs), rules, c.spread) };
	});
}
