/** Store Lightning > Connect to Peer: connects the store node to another node (nodeId@host:port). */
import type { INodeProperties } from 'n8n-workflow';
import { show } from '../common';
import { text } from '../format';
import { storeOperation } from '../operations';
import { R } from './common';

export const peerUriProperty = (operations: string[]): INodeProperties => ({
	displayName: 'Peer Node URI',
	name: 'peerUri',
	type: 'string',
	default: '',
	required: true,
	placeholder: '03abc…@node.example.com:9735',
	description: 'The other node as node ID (66 hex characters), @, host, colon, port',
	displayOptions: show(R, operations),
});

export const connectPeer = storeOperation(
	{ name: 'Connect to Peer', action: 'Connect the lightning node to a peer', description: 'Connect the store node to another node (needed before opening a channel)' },
	async (ctx, i, client, storeId) => {
		const peer = await client.lightning.connect(storeId, text(ctx, 'peerUri', i));
		return { success: true, peer: peer.uri, nodeId: peer.nodeId };
	},
);
