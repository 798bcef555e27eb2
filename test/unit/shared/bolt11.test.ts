import { decodeBolt11, normalizeBolt11, planPayment } from '../../../nodes/shared/bolt11';
import { InputError, SafetyError } from '../../../nodes/shared/errors';
import { COFFEE, DONATION, SPEC_PAYMENT_HASH, SPEC_TIMESTAMP } from '../../fixtures/bolt11-spec';

const service = 'LNbits';

describe('decodeBolt11', () => {
	it('decodes an invoice with an amount', () => {
		const d = decodeBolt11(COFFEE);
		expect(d.network).toBe('mainnet');
		expect(d.amountMsat).toBe('250000000');
		expect(d.amountSats).toBe(250000);
		expect(d.paymentHash).toBe(SPEC_PAYMENT_HASH);
		expect(d.description).toBe('1 cup coffee');
		expect(d.timestamp).toBe(SPEC_TIMESTAMP);
		expect(d.expiry).toBe(60);
		expect(d.expiresAt).toBe(SPEC_TIMESTAMP + 60);
		expect(d.paymentSecret).toBe('1111111111111111111111111111111111111111111111111111111111111111');
	});

	it('decodes an any-amount invoice with the default expiry', () => {
		const d = decodeBolt11(`lightning:${DONATION.toUpperCase()}`);
		expect(d.amountMsat).toBeNull();
		expect(d.amountSats).toBeNull();
		expect(d.expiry).toBe(3600);
		expect(d.description).toBe('Please consider supporting this project');
	});

	it('rejects garbage and a corrupted checksum with the field name', () => {
		expect(() => decodeBolt11('hello', 'Payment Request')).toThrow(InputError);
		expect(() => decodeBolt11('hello', 'Payment Request')).toThrow(/Payment Request/);
		const corrupted = COFFEE.slice(0, -1) + (COFFEE.endsWith('h') ? 'g' : 'h');
		expect(() => decodeBolt11(corrupted)).toThrow(/not a valid BOLT11/);
		expect(() => decodeBolt11('')).toThrow(/required/);
	});

	it('normalises lightning: URIs and case', () => {
		expect(normalizeBolt11(' LIGHTNING:LNBC1ABC ')).toBe('lnbc1abc');
	});
});

describe('planPayment guard', () => {
	const fresh = SPEC_TIMESTAMP + 5; // 55 s before the coffee invoice expires

	it('allows a fresh invoice under the max amount', () => {
		const plan = planPayment(COFFEE, { maxAmountSats: 250000, now: fresh, service });
		expect(plan.amountMsat).toBe('250000000');
		expect(plan.amountSats).toBe(250000);
		expect(plan.amountFromParameter).toBe(false);
	});

	it('refuses an amount above the max', () => {
		const err = (() => {
			try {
				planPayment(COFFEE, { maxAmountSats: 249999, now: fresh, service });
			} catch (e) {
				return e as SafetyError;
			}
			throw new Error('not refused');
		})();
		expect(err).toBeInstanceOf(SafetyError);
		expect(err.message).toContain('250000 sats');
		expect(err.message).toContain('249999');
	});

	it('refuses expired and about-to-expire invoices', () => {
		expect(() => planPayment(COFFEE, { maxAmountSats: 1e6, now: SPEC_TIMESTAMP + 61, service })).toThrow(/expired/);
		expect(() => planPayment(COFFEE, { maxAmountSats: 1e6, now: SPEC_TIMESTAMP + 55, service })).toThrow(/too late/);
		expect(() => planPayment(COFFEE, { maxAmountSats: 1e6, service })).toThrow(/expired/);
	});

	it('needs an amount for any-amount invoices and guards it too', () => {
		const now = SPEC_TIMESTAMP + 10;
		expect(() => planPayment(DONATION, { maxAmountSats: 1000, now, service })).toThrow(/has no amount/);
		const plan = planPayment(DONATION, { maxAmountSats: 1000, amountSats: 900, now, service });
		expect(plan.amountMsat).toBe('900000');
		expect(plan.amountFromParameter).toBe(true);
		expect(() => planPayment(DONATION, { maxAmountSats: 1000, amountSats: 1001, now, service })).toThrow(/above/);
	});

	it('refuses an invoice for another network', () => {
		expect(() =>
			planPayment(COFFEE, { maxAmountSats: 1e6, now: fresh, expectedNetwork: 'testnet', service }),
		).toThrow(/mainnet but the LNbits wallet is on testnet/);
	});

	it('requires a positive whole max amount', () => {
		expect(() => planPayment(COFFEE, { maxAmountSats: 0, now: fresh, service })).toThrow(/Max Amount/);
		expect(() => planPayment(COFFEE, { maxAmountSats: 1.5, now: fresh, service })).toThrow(/Max Amount/);
	});
});
