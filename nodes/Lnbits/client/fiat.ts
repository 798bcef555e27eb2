/** Fiat area: the currencies the server can price, exchange rates and conversions. */
import { z } from 'zod';
import { InputError, ServiceError } from '../../shared/errors';
import { parseCurrencyAmount, parseSats, satsToBtc } from '../../shared/amounts';
import { LnbitsWalletApi } from './wallet';

export interface LnbitsRate {
	currency: string;
	/** Sats per one unit of the currency. */
	satsPerUnit: number;
	/** Price of one BTC in the currency. */
	pricePerBtc: number;
}

export interface LnbitsConversion {
	from: string;
	to: string;
	amount: string;
	sats: number;
	btc: string;
	/** The converted amount in `to` (sats for a fiat → sat conversion). */
	result: string;
}

const rateSchema = z.object({ rate: z.number(), price: z.number() }).passthrough();
const conversionSchema = z.record(z.union([z.number(), z.string()]));
const currenciesSchema = z.array(z.string());

const FIAT_RE = /^[A-Z]{3,5}$/;

function decimalString(n: number): string {
	if (!Number.isFinite(n)) return String(n);
	// Shortest exact round-trip text of the server's float, without an exponent.
	const text = String(n);
	if (!/e/i.test(text)) return text;
	return n.toFixed(20).replace(/\.?0+$/, '');
}

export class LnbitsFiatApi extends LnbitsWalletApi {
	private currencies: Promise<string[]> | undefined;

	/** Fiat codes the server can price (`GET /api/v1/currencies`), cached per client. */
	async listCurrencies(): Promise<string[]> {
		this.currencies ??= this.invoiceHttp
			.request('GET', '/api/v1/currencies', { schema: currenciesSchema })
			.then((list) => list.map((c) => c.toUpperCase()));
		try {
			return await this.currencies;
		} catch (error) {
			this.currencies = undefined;
			throw error;
		}
	}

	/** Upper-cased fiat code after checking the server knows it; a clear input error otherwise. */
	async checkCurrency(code: unknown, field = 'Currency'): Promise<string> {
		const currency = String(code ?? '').trim().toUpperCase();
		if (!currency) throw new InputError(field, 'is required (a fiat code such as USD or EUR)');
		if (currency === 'SAT' || currency === 'SATS') throw new InputError(field, 'use the unit "sat" instead of a fiat currency');
		if (!FIAT_RE.test(currency)) throw new InputError(field, `"${currency}" is not a fiat currency code (use e.g. USD, EUR)`);
		const known = await this.listCurrencies();
		if (!known.includes(currency)) {
			throw new InputError(field, `"${currency}" is not a fiat currency this LNbits server knows (e.g. ${known.slice(0, 8).join(', ')})`);
		}
		return currency;
	}


	/** Exchange rate of a fiat currency as LNbits sees it. */
	async getRate(currencyCode: string): Promise<LnbitsRate> {
		const currency = await this.checkCurrency(currencyCode);
		const raw = await this.invoiceHttp.request('GET', `/api/v1/rate/${currency}`, { schema: rateSchema });
		return { currency, satsPerUnit: raw.rate, pricePerBtc: raw.price };
	}


	/** Converts sats to a fiat currency or a fiat amount to sats with the server's rates. */
	async convert(input: { amount: unknown; currency: string; direction: 'fiatToSat' | 'satToFiat' }): Promise<LnbitsConversion> {
		if (input.direction === 'satToFiat') {
			const sats = parseSats(input.amount, 'Amount', { allowZero: true });
			const currency = await this.checkCurrency(input.currency, 'Currency');
			const raw = await this.invoiceHttp.request('POST', '/api/v1/conversion', {
				json: { from_: 'sat', amount: sats, to: currency },
				schema: conversionSchema,
				retry: true,
			});
			const value = raw[currency];
			if (value === undefined) throw new ServiceError(`LNbits did not return a ${currency} amount`, { kind: 'protocol', service: 'LNbits' });
			return { from: 'sat', to: currency, amount: String(sats), sats, btc: satsToBtc(sats), result: decimalString(Number(value)) };
		}
		parseCurrencyAmount(input.amount, String(input.currency ?? '').trim() || 'XXX', 'Amount', true);
		const currency = await this.checkCurrency(input.currency, 'Currency');
		const amount = parseCurrencyAmount(input.amount, currency, 'Amount', true);
		const raw = await this.invoiceHttp.request('POST', '/api/v1/conversion', {
			json: { from_: currency, amount: Number(amount), to: 'sat' },
			schema: conversionSchema,
			retry: true,
		});
		const sats = Math.trunc(Number(raw.sats));
		if (!Number.isFinite(sats)) throw new ServiceError('LNbits did not return a sats amount', { kind: 'protocol', service: 'LNbits' });
		return { from: currency, to: 'sat', amount, sats, btc: satsToBtc(sats), result: String(sats) };
	}
}
