/**
 * Payment > Decode (offline, light-bolt11-decoder through nodes/shared/bolt11.ts)
 * on invoices of every network, with and without an amount: signed fixtures,
 * the BOLT11 spec vectors and invoices made by a real LNbits. No server, no credential.
 */
import { createHash } from 'node:crypto';
import { COFFEE, DONATION, SPEC_PAYMENT_HASH, SPEC_TIMESTAMP } from '../../fixtures/bolt11-spec';
import * as F from '../../fixtures/bolt11-networks';
import { fakeContext, runLnbits, runLnbitsError } from '../../helpers/lnbits-node';
import { Lnbits } from '../../../nodes/Lnbits/Lnbits.node';

const decode = async (bolt11: string) => (await runLnbits([{ resource: 'payment', operation: 'decode', bolt11 }]))[0];

describe('Payment > Decode', () => {
	const cases: Array<[string, F.InvoiceFixture, string]> = [
		['mainnet with amount', F.SIGNED_MAINNET_1000, 'mainnet'],
		['mainnet without amount', F.SIGNED_MAINNET_NO_AMOUNT, 'mainnet'],
		['testnet with amount', F.SIGNED_TESTNET_2500, 'testnet'],
		['testnet without amount', F.SIGNED_TESTNET_NO_AMOUNT, 'testnet'],
		['signet with amount', F.SIGNED_SIGNET_42, 'signet'],
		['signet without amount', F.SIGNED_SIGNET_NO_AMOUNT, 'signet'],
		['regtest with amount', F.SIGNED_REGTEST_777, 'regtest'],
		['regtest without amount', F.SIGNED_REGTEST_NO_AMOUNT, 'regtest'],
	];

	it.each(cases)('%s', async (_name, fx, network) => {
		const d = await decode(fx.bolt11);
		expect(d).toMatchObject({
			network,
			paymentHash: fx.paymentHash,
			description: fx.description,
			amountMsat: fx.amountMsat === null ? null : String(fx.amountMsat),
			amountSats: fx.amountMsat === null ? null : fx.amountMsat / 1000,
			// These invoices carry no `n` field: the payee is only implied by the signature.
			payee: null,
			createdAt: new Date(F.SIGNED_TIMESTAMP * 1000).toISOString(),
			expirySeconds: 3600,
			expiresAt: new Date((F.SIGNED_TIMESTAMP + 3600) * 1000).toISOString(),
			minFinalCltvExpiry: 18,
		});
	});

	it('sub-satoshi amounts keep the exact msat and round the sats down', async () => {
		const d = await decode(F.SIGNED_MAINNET_SUBSAT.bolt11);
		expect(d.amountMsat).toBe('1500');
		expect(d.amountSats).toBe(1);
	});

	it('description hash invoices show the hash, not a description', async () => {
		const d = await decode(F.SIGNED_MAINNET_DESC_HASH.bolt11);
		expect(d.description).toBeNull();
		expect(d.descriptionHash).toBe(createHash('sha256').update('[["text/plain","hashed"]]').digest('hex'));
	});

	it('BOLT11 spec vectors: coffee (60 s expiry) and donation (no amount)', async () => {
		const coffee = await decode(COFFEE);
		expect(coffee).toMatchObject({ network: 'mainnet', amountSats: 250000, paymentHash: SPEC_PAYMENT_HASH, description: '1 cup coffee', expirySeconds: 60, expired: true });
		expect(coffee.createdAt).toBe(new Date(SPEC_TIMESTAMP * 1000).toISOString());
		const donation = await decode(`lightning:${DONATION.toUpperCase()}`);
		expect(donation).toMatchObject({ amountSats: null, amountMsat: null, expirySeconds: 3600, description: 'Please consider supporting this project' });
	});

	it('invoices made by a real LNbits decode to what LNbits answered', async () => {
		for (const fx of [F.LNBITS_21_SAT, F.LNBITS_1_USD, F.LNBITS_DESCRIPTION_HASH]) {
			const d = await decode(fx.bolt11);
			expect(d.network).toBe('mainnet');
			expect(d.paymentHash).toBe(fx.paymentHash);
			expect(d.amountMsat).toBe(String(fx.amountMsat));
			expect(d.description).toBe(fx.description);
			expect(d.expiresAt).toBe(new Date(fx.expiresAt).toISOString());
		}
		expect((await decode(F.LNBITS_DESCRIPTION_HASH.bolt11)).descriptionHash).toBe('b'.repeat(64));
	});

	it('works without a credential and never reads one', async () => {
		const ctx = fakeContext([{ resource: 'payment', operation: 'decode', bolt11: F.SIGNED_TESTNET_2500.bolt11 }]);
		const [out] = await new Lnbits().execute.call(ctx);
		expect(out[0].json.network).toBe('testnet');
		expect(ctx.credentialReads).toBe(0);
	});

	it('invalid invoices: clear message naming the field and the item', async () => {
		const err = await runLnbitsError([
			{ resource: 'payment', operation: 'decode', bolt11: F.SIGNED_REGTEST_777.bolt11 },
			{ resource: 'payment', operation: 'decode', bolt11: 'lnbc1qqqqqqqqqqqqqqqq' },
		]);
		expect(err.message).toMatch(/^Invoice: is not a valid BOLT11 invoice/);
		expect(err.description).toContain('Item 1, field "Invoice"');
		const corrupted = F.SIGNED_MAINNET_1000.bolt11.slice(0, -2) + (F.SIGNED_MAINNET_1000.bolt11.endsWith('rr') ? 'qq' : 'rr');
		expect((await runLnbitsError([{ resource: 'payment', operation: 'decode', bolt11: corrupted }])).message).toMatch(/not a valid BOLT11/);
		expect((await runLnbitsError([{ resource: 'payment', operation: 'decode', bolt11: 'hello' }])).message).toMatch(/^Invoice: is not a BOLT11/);
		expect((await runLnbitsError([{ resource: 'payment', operation: 'decode', bolt11: ' ' }])).message).toMatch(/^Invoice: is required/);
	});
});
