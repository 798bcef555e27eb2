/** Store Lightning > Get Balance: on-chain and channel balances of the store node. */
import type { IDataObject } from 'n8n-workflow';
import { msatToWholeSats, type LightningBalance } from '../../client/lightning';
import { simplify } from '../common';
import { storeOperation } from '../operations';

function simplifyBalance(balance: LightningBalance): IDataObject {
	const sats = (v: string | null | undefined) => (v === null || v === undefined ? null : /^\d+$/.test(v) ? Number(v) : null);
	return {
		onchainConfirmedSats: sats(balance.onchain?.confirmed),
		onchainUnconfirmedSats: sats(balance.onchain?.unconfirmed),
		onchainReservedSats: sats(balance.onchain?.reserved),
		lightningLocalSats: msatToWholeSats(balance.offchain?.local),
		lightningRemoteSats: msatToWholeSats(balance.offchain?.remote),
		lightningOpeningSats: msatToWholeSats(balance.offchain?.opening),
		lightningClosingSats: msatToWholeSats(balance.offchain?.closing),
		lightningLocalMsat: balance.offchain?.local ?? null,
	};
}

export const getBalance = storeOperation(
	{ name: 'Get Balance', simplify: true, action: 'Get the lightning node balance', description: 'On-chain and channel balances of the store node' },
	async (ctx, i, client, storeId) => {
		return simplify(ctx, i, await client.lightning.getBalance(storeId), simplifyBalance);
	},
);
