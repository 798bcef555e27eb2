/** Token > Check State: NUT-07 state of every proof (unspent / pending / spent) and a summary. */
import { defineCashuOperation, tokenProperty, tokenSummary, trustedToken } from '../common';

export const checkState = defineCashuOperation(
	{
		name: 'Check State',
		action: 'Check the state of a token',
		description: 'NUT-07: whether each proof is unspent, pending (in a melt) or spent, with a summary',
		properties: [tokenProperty('token', ['checkState'], 'The Cashu token to check. Its mint must be trusted by the credential.')],
	},
	async (ctx, i, getConfig) => {
		const { info, client } = await trustedToken(ctx, i, getConfig);
		const state = await client.checkState(info.token);
		return {
			...tokenSummary(info, true),
			state: state.state,
			spendable: state.state === 'UNSPENT',
			unspent: state.unspent,
			pending: state.pending,
			spent: state.spent,
			proofs: state.proofs,
		};
	},
);
