/** Store Lightning > Get Node URI: the URIs peers use to connect (node ID, host, port). */
import type { IDataObject } from 'n8n-workflow';
import { storeOperation } from '../operations';

export const getNodeUri = storeOperation(
	{ name: 'Get Node URI', action: 'Get the lightning node URI', description: 'Connection info of the store node: nodeId@host:port, node ID, host and port' },
	async (_ctx, _i, client, storeId) => {
		const { nodeURIs, nodes, alias } = await client.lightning.getNodeUris(storeId);
		const first = nodes[0];
		return { nodeURI: nodeURIs[0] ?? null, nodeId: first?.nodeId ?? null, host: first?.host ?? null, port: first?.port ?? null, alias, nodeURIs } as IDataObject;
	},
);
