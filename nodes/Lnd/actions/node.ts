/** Resource "Node": info and balances. */
import { InputError } from '../../shared/errors';
import { simplifyChannelBalance, simplifyInfo, simplifyWalletBalance } from '../client/simplify';
import { asData, isSimplified, operationProperty, simplifyProperty } from './common';
import type { LndResource } from './types';

const RESOURCE = 'node';

export const nodeResource: LndResource = {
	value: RESOURCE,
	name: 'Node',
	description: 'Information and balances of the LND node',
	properties: [
		operationProperty(
			RESOURCE,
			[
				{ name: 'Get Channel Balance', value: 'channelBalance', action: 'Get the channel balance', description: 'Lightning balance: local (spendable) and remote sats in channels' },
				{ name: 'Get Info', value: 'getInfo', action: 'Get node info', description: 'Alias, public key, network, sync state, version' },
				{ name: 'Get Wallet Balance', value: 'walletBalance', action: 'Get the on chain wallet balance', description: 'On-chain balance: confirmed, unconfirmed and locked sats' },
			],
			'getInfo',
		),
		simplifyProperty(RESOURCE, ['getInfo', 'channelBalance', 'walletBalance']),
	],
	async execute(ctx, client, operation, itemIndex) {
		const simple = isSimplified(ctx, itemIndex);
		switch (operation) {
			case 'getInfo': {
				const info = await client.getInfo();
				return asData(simple ? simplifyInfo(info) : info);
			}
			case 'channelBalance': {
				const balance = await client.channelBalance();
				return asData(simple ? simplifyChannelBalance(balance) : balance);
			}
			case 'walletBalance': {
				const balance = await client.walletBalance();
				return asData(simple ? simplifyWalletBalance(balance) : balance);
			}
			default:
				throw new InputError('Operation', `"${operation}" is not supported for Node`, 'LND');
		}
	},
};
