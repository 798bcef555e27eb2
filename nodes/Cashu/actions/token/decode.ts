/** Token > Decode: a cashuA (V3) or cashuB (V4) token read offline, and whether the credential trusts its mint. */
import { defineCashuOperation, readToken, tokenProperty, tokenSummary } from '../common';

export const decode = defineCashuOperation(
	{
		name: 'Decode',
		action: 'Decode a token',
		description: 'Read a token offline: mint, unit, amount, memo, proof count, and whether its mint is trusted',
		properties: [tokenProperty('token', ['decode'], 'The Cashu token (cashuA… or cashuB…). Read offline: nothing is sent to any mint.')],
	},
	async (ctx, i, getConfig) => {
		const info = readToken(ctx, i);
		const config = await getConfig();
		return tokenSummary(info, config.trusted.includes(info.mint));
	},
);
