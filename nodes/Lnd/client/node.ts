/** Node area: info, balances and the network the node runs on. */
import type { LightningNetwork } from '../../shared/bolt11';
import { LndConnection } from './connection';
import { channelBalanceSchema, getInfoSchema, walletBalanceSchema } from './schemas';

const NETWORKS: Record<string, LightningNetwork> = {
	mainnet: 'mainnet',
	testnet: 'testnet',
	testnet3: 'testnet',
	testnet4: 'testnet',
	signet: 'signet',
	regtest: 'regtest',
	simnet: 'simnet',
};

export class LndNodeApi extends LndConnection {
	getInfo() {
		return this.get('/v1/getinfo', getInfoSchema);
	}

	channelBalance() {
		return this.get('/v1/balance/channels', channelBalanceSchema);
	}

	walletBalance() {
		return this.get('/v1/balance/blockchain', walletBalanceSchema);
	}

	async network(): Promise<LightningNetwork | undefined> {
		const info = await this.getInfo();
		const name = info.chains?.find((c) => c.chain === 'bitcoin')?.network ?? info.chains?.[0]?.network;
		return name ? NETWORKS[name] : undefined;
	}
}
