import { assertTrusted, cleanToken, decodeToken, normalizeMintUrl, trustedMints } from '../../../nodes/Cashu/client';
import { ServiceError } from '../../../nodes/shared/errors';
import { MINT, TOKEN, TOKEN_AMOUNT, recorded, secretsOf, tokenV3 } from './fixtures';

function thrown(fn: () => unknown): ServiceError {
	try {
		fn();
	} catch (error) {
		return error as ServiceError;
	}
	throw new Error('did not throw');
}

describe('decodeToken (offline)', () => {
	it('reads a V4 (cashuB) token: mint, unit, amount, proof amounts', () => {
		expect(decodeToken(TOKEN)).toMatchObject({ mint: MINT, unit: 'sat', amount: TOKEN_AMOUNT, proofCount: 3, proofAmounts: [8, 4, 1], version: 'V4', memo: null });
	});

	it('reads the same proofs as a V3 (cashuA) token', () => {
		const v3 = tokenV3();
		expect(v3.startsWith('cashuA')).toBe(true);
		expect(decodeToken(v3)).toMatchObject({ mint: MINT, amount: TOKEN_AMOUNT, proofCount: 3, version: 'V3' });
	});

	it('accepts pasted whitespace and a cashu: URI prefix', () => {
		expect(cleanToken(`  cashu:${TOKEN.slice(0, 20)}\n${TOKEN.slice(20)} `)).toBe(TOKEN);
	});

	it('refuses what is not a token, and a damaged token, without quoting it', () => {
		expect(thrown(() => decodeToken('lnbc1xyz')).message).toBe('Token: is not a Cashu token: it must start with cashuA (V3) or cashuB (V4)');
		expect(thrown(() => decodeToken('')).message).toMatch(/Token: is required/);
		const damaged = TOKEN.slice(0, TOKEN.length - 30);
		const error = thrown(() => decodeToken(damaged));
		expect(error.message).toBe('Token: could not be decoded: the V4 (cashuB) token is damaged or truncated');
		for (const s of secretsOf()) expect(error.message).not.toContain(s.slice(0, 20));
	});
});

describe('trusted mints', () => {
	it('normalizes URLs (scheme, host case, trailing slash) and lists the credential mint first', () => {
		expect(normalizeMintUrl('Mint.Example.com/')).toBe('https://mint.example.com');
		expect(trustedMints('https://a.example/', 'b.example, https://c.example/cashu/\nhttps://a.example')).toEqual([
			'https://a.example',
			'https://b.example',
			'https://c.example/cashu',
		]);
	});

	it('refuses a token of another mint, naming the mint and the trusted ones', () => {
		const error = thrown(() => assertTrusted('https://evil.example', ['https://a.example']));
		expect(error).toMatchObject({ kind: 'input', field: 'Token' });
		expect(error.message).toMatch(/https:\/\/evil\.example, which is not trusted .*trusted: https:\/\/a\.example.*nothing was sent/);
	});

	it('refuses a bad trusted-mints entry, naming its position', () => {
		expect(thrown(() => trustedMints('https://a.example', 'https://b.example, ftp://c')).message).toBe('Trusted Mints (entry 2): must start with https:// (got ftp://)');
	});

	it('the recorded keysets are the mint answers the unit tests use', () => {
		expect(recorded.keysets.keysets[0]).toMatchObject({ unit: 'sat', active: true, input_fee_ppk: 100 });
	});
});
