/**
 * Greenfield store rates (Controllers/GreenField/GreenfieldStoreRatesController.cs)
 * and rate configuration (GreenfieldStoreRatesConfigurationController.cs).
 * Rates and the spread are decimal strings, never floats.
 *
 * BTCPay does not refuse a malformed currency pair: it stops reading the list
 * there and answers 200 with the pairs before it, so pairs are checked here.
 * Permissions: rates and configuration need btcpay.store.canviewstoresettings;
 * update and preview need btcpay.store.canmodifystoresettings.
 */
import { z } from 'zod';
import type { HttpClient } from '../../shared/http';
import { InputError } from '../../shared/errors';
import { parseDecimalAmount, toScaled } from '../../shared/amounts';
import { seg } from './schemas';
import { parseStoreId } from './stores';

const decimalOut = z.union([z.string(), z.number()]).transform((v) => String(v));

export const rateResultSchema = z
	.object({
		currencyPair: z.string(),
		errors: z.array(z.string()).nullish(),
		rate: decimalOut.nullish(),
	})
	.passthrough();
export type RateResult = z.infer<typeof rateResultSchema>;

export const rateConfigurationSchema = z
	.object({
		spread: decimalOut,
		preferredSource: z.string().nullish(),
		isCustomScript: z.boolean(),
		effectiveScript: z.string().nullish(),
	})
	.passthrough();
export type RateConfiguration = z.infer<typeof rateConfigurationSchema>;

export type RateSource = 'primary' | 'fallback';

export interface RateConfigurationInput {
	/** Percent, 0 to 100, decimal string. */
	spread?: string | number;
	/** With isCustomScript false: the exchange (see /misc/rate-sources), e.g. kraken. */
	preferredSource?: string;
	isCustomScript?: boolean;
	/** With isCustomScript true: the rate rules, e.g. `BTC_USD = kraken(BTC_USD);`. */
	effectiveScript?: string;
}

/** `BTC_USD`, `btc/usd`, `BTC-USD` → `BTC_USD` (InputError naming the field and position otherwise). */
export function parseCurrencyPairs(value: unknown, field = 'Currency Pairs'): string[] {
	const list = Array.isArray(value) ? value.map(String) : value === undefined || value === null ? [] : String(value).split(/[,\s]+/);
	return list
		.map((p) => p.trim())
		.filter(Boolean)
		.map((pair, index) => {
			const m = /^([A-Za-z0-9]{2,10})[_/-]([A-Za-z0-9]{2,10})$/.exec(pair);
			if (!m) throw new InputError(`${field}[${index}]`, `"${pair}" is not a currency pair (write it like BTC_USD)`, 'BTCPay');
			return `${m[1].toUpperCase()}_${m[2].toUpperCase()}`;
		});
}

function parseSource(value: unknown): RateSource {
	if (value === undefined || value === '' || value === 'primary') return 'primary';
	if (value === 'fallback') return 'fallback';
	throw new InputError('Rate Source', `"${String(value)}" is not one of primary, fallback`, 'BTCPay');
}

/** A complete configuration body: BTCPay's PUT sets every field from the request. */
function toConfigurationBody(input: RateConfigurationInput, current?: RateConfiguration): Record<string, unknown> {
	const isCustomScript = input.isCustomScript ?? current?.isCustomScript ?? false;
	const spreadRaw = input.spread ?? current?.spread ?? '0';
	const spread = parseDecimalAmount(spreadRaw, 'Spread', { allowZero: true, maxDecimals: 8 });
	if (toScaled(spread, 8) > toScaled('100', 8)) throw new InputError('Spread', `must be a percentage from 0 to 100 (got ${spread})`, 'BTCPay');
	const body: Record<string, unknown> = { spread, isCustomScript };
	if (isCustomScript) {
		if (input.preferredSource) throw new InputError('Preferred Source', 'cannot be set with a custom script (BTCPay ignores it)', 'BTCPay');
		const script = (input.effectiveScript ?? (current?.isCustomScript ? current.effectiveScript : undefined) ?? '').trim();
		// empty: BTCPay starts from the default rules
		if (script) body.effectiveScript = script;
	} else {
		if (input.effectiveScript) throw new InputError('Effective Script', 'needs Custom Script on (without it BTCPay builds the script from the preferred source)', 'BTCPay');
		const source = (input.preferredSource ?? (current && !current.isCustomScript ? current.preferredSource : undefined) ?? '').trim();
		if (source) body.preferredSource = source;
	}
	return body;
}

export class RatesApi {
	constructor(private readonly http: HttpClient) {}

	/** Current rates of the store for the pairs (none: the store's default pairs). */
	async get(storeId: string, currencyPairs: string[] | string = []): Promise<RateResult[]> {
		const id = parseStoreId(storeId);
		const pairs = parseCurrencyPairs(currencyPairs);
		return this.http.request('GET', `/api/v1/stores${seg(id)}/rates`, { query: { currencyPair: pairs }, schema: z.array(rateResultSchema) });
	}

	async getConfiguration(storeId: string, source: RateSource = 'primary'): Promise<RateConfiguration> {
		const id = parseStoreId(storeId);
		const s = parseSource(source);
		return this.http.request('GET', `/api/v1/stores${seg(id)}/rates/configuration/${s}`, { schema: rateConfigurationSchema, resource: `The ${s} rate configuration of the store` });
	}

	/** Changes the given fields; the others keep their current value (read first, BTCPay's PUT sets all). */
	async updateConfiguration(storeId: string, input: RateConfigurationInput, source: RateSource = 'primary'): Promise<RateConfiguration> {
		const id = parseStoreId(storeId);
		const s = parseSource(source);
		if (!Object.values(input).some((v) => v !== undefined && v !== '')) throw new InputError('Update Fields', 'choose at least one field to change', 'BTCPay');
		// the fallback configuration does not exist until set (404 fallback-disabled): start from nothing then
		const current = await this.getConfiguration(id, s).catch((error: unknown) => {
			if (s === 'fallback' && (error as { code?: string }).code === 'fallback-disabled') return undefined;
			throw error;
		});
		return this.http.request('PUT', `/api/v1/stores${seg(id)}/rates/configuration/${s}`, {
			json: toConfigurationBody(input, current),
			schema: rateConfigurationSchema,
			resource: `The ${s} rate configuration of the store`,
		});
	}

	/** The rates a configuration would give, without saving it. */
	async preview(storeId: string, input: RateConfigurationInput, currencyPairs: string[] | string = []): Promise<RateResult[]> {
		const id = parseStoreId(storeId);
		const pairs = parseCurrencyPairs(currencyPairs);
		return this.http.request('POST', `/api/v1/stores${seg(id)}/rates/configuration/preview`, {
			query: { currencyPair: pairs },
			json: toConfigurationBody(input),
			schema: z.array(rateResultSchema),
		});
	}
}
