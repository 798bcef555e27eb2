/** Store Lightning > Get Many Channels: the node's open channels with capacity and local balance in sats. */
import type { IDataObject } from 'n8n-workflow';
import { msatToWholeSats, type LightningChannel } from '../../client/lightning';
import { getLimit, pick, simplify } from '../common';
import { limitList } from '../format';
import { storeOperation } from '../operations';

export function simplifyChannel(channel: LightningChannel): IDataObject {
	const out = pick(channel, ['remoteNode', 'channelPoint', 'isActive', 'isPublic', 'capacity', 'localBalance']);
	out.capacitySats = msatToWholeSats(channel.capacity);
	out.localBalanceSats = msatToWholeSats(channel.localBalance);
	return out;
}

export const getChannels = storeOperation(
	{ name: 'Get Many Channels', simplify: true, action: 'Get many lightning channels', description: 'Open channels of the store node (pending ones are counted in Get Info)' },
	async (ctx, i, client, storeId) => simplify(ctx, i, limitList(await client.lightning.listChannels(storeId), getLimit(ctx, i)), simplifyChannel),
);
