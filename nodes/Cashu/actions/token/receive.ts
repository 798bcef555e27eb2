/**
 * Token > Receive (swap): the token's proofs are swapped at its mint for fresh
 * ones only this workflow knows, returned as a new token (the sender can no
 * longer spend it). The old token is checked first: spent or pending is reported.
 */
import { ServiceError } from '../../../shared/errors';
import { SERVICE } from '../../client';
import { defineCashuOperation, optionsProperty, tokenProperty, trustedToken } from '../common';

export const receive = defineCashuOperation(
	{
		name: 'Receive (Swap)',
		action: 'Receive a token by swapping it',
		description: 'Swap the token at its mint for fresh proofs, returned as a new token the workflow can store (input fees deducted)',
		properties: [
			tokenProperty('token', ['receive'], 'The Cashu token to receive. Its mint must be trusted by the credential.'),
			optionsProperty('receiveOptions', 'token', ['receive'], [{ displayName: 'Memo', name: 'memo', type: 'string', default: '', description: 'Memo of the new token' }]),
		],
	},
	async (ctx, i, getConfig) => {
		const { info, client } = await trustedToken(ctx, i, getConfig);
		const options = ctx.getNodeParameter('receiveOptions', i, {}) as { memo?: string };
		const state = await client.checkState(info.token);
		if (state.state !== 'UNSPENT') {
			throw new ServiceError(
				state.spent.count > 0
					? `The token was already spent (${state.spent.count} of ${info.proofCount} proofs): nothing was received`
					: `The token is pending (${state.pending.count} of ${info.proofCount} proofs are in a melt): nothing was received`,
				{ kind: 'business', service: SERVICE, code: state.spent.count > 0 ? 'TOKEN_SPENT' : 'TOKEN_PENDING', field: 'Token', hint: 'Token > Check State shows each proof.' },
			);
		}
		const proofs = await client.proofsOf(info.token);
		const fee = await client.inputFee(proofs);
		if (fee >= info.amount) {
			throw new ServiceError(`The token (${info.amount} sat) does not cover the mint's input fee of ${fee} sat: nothing was received`, {
				kind: 'business',
				service: SERVICE,
				field: 'Token',
			});
		}
		const fresh = await client.swap(info.token, proofs);
		const amount = fresh.reduce((s, p) => s + Number(p.amount.toString()), 0);
		return {
			received: true,
			token: client.encode(fresh, options.memo || undefined),
			amount,
			unit: info.unit,
			mint: info.mint,
			feeSats: info.amount - amount,
			originalAmount: info.amount,
			proofCount: fresh.length,
		};
	},
);
