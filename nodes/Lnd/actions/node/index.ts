/** Resource "Node": info and balances (no fields but Simplify, so one file). */
import { simplifyChannelBalance, simplifyInfo, simplifyWalletBalance, type Flat } from '../../client/simplify';
import type { LndClient } from '../../client';
import { defineLndResource, simplify } from '../common';
import { defineLndOperation, type LndOperation } from '../types';

const RESOURCE = 'node';

/** A node operation: one read-only call, its answer flattened when Simplify is on. */
function nodeQuery<T extends object>(
	entry: Pick<LndOperation, 'name' | 'action' | 'description' | 'simplify'>,
	query: (client: LndClient) => Promise<T>,
	simplifier: (answer: T) => Flat,
): LndOperation {
	return defineLndOperation(entry, async (ctx, itemIndex, client) => simplify(ctx, itemIndex, await query(client), simplifier));
}

export const nodeResource = defineLndResource({
	value: RESOURCE,
	name: 'Node',
	description: 'Information and balances of the LND node',
	operations: {
		channelBalance: nodeQuery(
			{ name: 'Get Channel Balance', simplify: true, action: 'Get the channel balance', description: 'Lightning balance: local (spendable) and remote sats in channels' },
			(client) => client.channelBalance(),
			simplifyChannelBalance,
		),
		getInfo: nodeQuery(
			{ name: 'Get Info', simplify: true, action: 'Get node info', description: 'Alias, public key, network, sync state, version' },
			(client) => client.getInfo(),
			simplifyInfo,
		),
		walletBalance: nodeQuery(
			{ name: 'Get Wallet Balance', simplify: true, action: 'Get the on chain wallet balance', description: 'On-chain balance: confirmed, unconfirmed and locked sats' },
			(client) => client.walletBalance(),
			simplifyWalletBalance,
		),
	},
	defaultOperation: 'getInfo',
});
