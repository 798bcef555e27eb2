/** Resource "Node": info and balances (no fields but Simplify, so one file). */
import { simplifyChannelBalance, simplifyInfo, simplifyWalletBalance } from '../../client/simplify';
import { asData, isSimplified, simplifyProperty } from '../common';
import type { LndResource } from '../types';

const RESOURCE = 'node';

export const nodeResource: LndResource = {
	value: RESOURCE,
	name: 'Node',
	description: 'Information and balances of the LND node',
	operations: {
		channelBalance: {
			name: 'Get Channel Balance',
			action: 'Get the channel balance',
			description: 'Lightning balance: local (spendable) and remote sats in channels',
			async execute(ctx, itemIndex, client) {
				const simple = isSimplified(ctx, itemIndex);
				const balance = await client.channelBalance();
				return asData(simple ? simplifyChannelBalance(balance) : balance);
			},
		},
		getInfo: {
			name: 'Get Info',
			action: 'Get node info',
			description: 'Alias, public key, network, sync state, version',
			async execute(ctx, itemIndex, client) {
				const simple = isSimplified(ctx, itemIndex);
				const info = await client.getInfo();
				return asData(simple ? simplifyInfo(info) : info);
			},
		},
		walletBalance: {
			name: 'Get Wallet Balance',
			action: 'Get the on chain wallet balance',
			description: 'On-chain balance: confirmed, unconfirmed and locked sats',
			async execute(ctx, itemIndex, client) {
				const simple = isSimplified(ctx, itemIndex);
				const balance = await client.walletBalance();
				return asData(simple ? simplifyWalletBalance(balance) : balance);
			},
		},
	},
	defaultOperation: 'getInfo',
	properties: [simplifyProperty(RESOURCE, ['getInfo', 'channelBalance', 'walletBalance'])],
};
