/**
 * Store Lightning > Open Channel: guarded like a payment. Max Amount (sats) is
 * required, the peer is a validated nodeId@host:port, and a rerun does not
 * open a second channel: an open channel to that peer with that capacity is
 * reported, and while the node has pending channels nothing new is opened
 * (client/lightning.ts openChannel explains why).
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { maxAmountSatsProperty, noticeProperty, optionsProperty, show } from '../common';
import { collection, text } from '../format';
import { storeOperation } from '../operations';
import { R } from './common';
import { simplifyChannel } from './getChannels';

const properties: INodeProperties[] = [
	noticeProperty('openChannelNotice', 'Money leaves the node wallet to fund the channel. Amounts above Max Amount are refused before any request; an open channel to this peer with this amount, or any pending channel, is reported instead of opening another.', show(R, ['openChannel'])),
	{ displayName: 'Channel Amount (Sats)', name: 'channelAmountSats', type: 'number', default: 0, required: true, typeOptions: { minValue: 1, numberPrecision: 0 }, description: 'Channel capacity to fund, in sats', displayOptions: show(R, ['openChannel']) },
	maxAmountSatsProperty(R, ['openChannel'], 'Largest channel this node may open. Required: there is no unlimited default.'),
	{ displayName: 'Fee Rate (Sat/vB)', name: 'channelFeeRate', type: 'string', default: '', required: true, placeholder: '5', description: 'Fee rate of the funding transaction', displayOptions: show(R, ['openChannel']) },
	optionsProperty('openChannelOptions', R, ['openChannel'], [
		{ displayName: 'Open While Channels Are Pending', name: 'allowWhilePending', type: 'boolean', default: false, description: 'Whether to open even while the node has pending channels (one of them may be this channel from an earlier run)' },
	]),
];

export const openChannel = storeOperation(
	{ name: 'Open Channel', action: 'Open a lightning channel', description: 'Fund a channel to a peer, at most once for the same peer and amount', properties },
	async (ctx, i, client, storeId) => {
		const result = await client.lightning.openChannel(storeId, {
			nodeUri: text(ctx, 'peerUri', i),
			amountSats: ctx.getNodeParameter('channelAmountSats', i, 0) as number,
			maxAmountSats: ctx.getNodeParameter('maxAmountSats', i, 0) as number,
			feeRate: text(ctx, 'channelFeeRate', i),
			allowWhilePending: collection(ctx, 'openChannelOptions', i).allowWhilePending === true,
		});
		const message =
			result.outcome === 'already_open'
				? 'A channel to this peer with this capacity is already open: nothing was opened'
				: result.outcome === 'pending_exists'
					? 'The node has pending channels (maybe this one, from an earlier run): nothing was opened. Run again once they confirm, or turn on Open While Channels Are Pending.'
					: 'The node accepted the channel; it is pending until the funding transaction confirms';
		return { ...result, channel: result.channel ? simplifyChannel(result.channel) : null, message } as IDataObject;
	},
);
