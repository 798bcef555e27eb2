/** Mint answers recorded from real Nutshell 0.20.0 (test/cashu/fixtures.test.ts checks their shape) and nock helpers. */
import nock from 'nock';
import * as path from 'node:path';
import * as fs from 'node:fs';

export const recorded = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'cashu', 'nutshell-0.20.0.json'), 'utf8'));

/** The mint of the recorded tokens. */
export const MINT: string = recorded.mintUrl;
export const TOKEN: string = recorded.tokenV4;
export const TOKEN_AMOUNT: number = recorded.tokenAmount;

/** The recorded token as a V3 (cashuA, JSON) token: same mint and proofs. */
export function tokenV3(token = TOKEN): string {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { getDecodedToken } = require('@cashu/cashu-ts') as typeof import('@cashu/cashu-ts');
	const ids = recorded.keysets.keysets.map((k: { id: string }) => k.id);
	const t = getDecodedToken(token, ids);
	const json = { token: [{ mint: t.mint, proofs: t.proofs.map((p) => ({ id: p.id, amount: Number(p.amount.toString()), secret: p.secret, C: p.C })) }], unit: t.unit };
	return `cashuA${Buffer.from(JSON.stringify(json)).toString('base64url')}`;
}

/** Every secret string of a token (what must never appear in an error or log). */
export function secretsOf(token = TOKEN): string[] {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { getDecodedToken } = require('@cashu/cashu-ts') as typeof import('@cashu/cashu-ts');
	const t = getDecodedToken(token, recorded.keysets.keysets.map((k: { id: string }) => k.id));
	return [token, ...t.proofs.flatMap((p) => [p.secret, p.C])];
}

/** The mint answers a wallet needs before it can work: info, keysets, keys. */
export function mintBasics(scope = nock(MINT)): nock.Scope {
	return scope
		.get('/v1/info').optionally().reply(200, recorded.info)
		.get('/v1/keysets').reply(200, recorded.keysets)
		.get(/^\/v1\/keys/).reply(200, recorded.keys);
}

export function stateReply(...states: Array<'UNSPENT' | 'PENDING' | 'SPENT'>) {
	return (_uri: string, body: { Ys: string[] }) => ({ states: body.Ys.map((Y, i) => ({ Y, state: states[i] ?? states[states.length - 1], witness: null })) });
}
