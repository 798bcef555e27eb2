/**
 * A loopback TCP proxy for connection-fault tests. `freeze()` makes every connection open at that
 * moment stop forwarding in both directions without closing (a NAT or proxy that lost its state):
 * the peers see an open, silent connection. Connections made afterwards are forwarded normally.
 */
import * as net from 'node:net';

export interface TcpProxy {
	port: number;
	url(scheme: string): string;
	/** Connections accepted so far. */
	readonly accepted: number;
	/** Connections open now (frozen ones included). */
	readonly open: number;
	freeze(): number;
	close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
	const pairs = new Set<{ client: net.Socket; upstream: net.Socket; frozen: boolean }>();
	let accepted = 0;
	const server = net.createServer((client) => {
		accepted++;
		const upstream = net.connect(targetPort, targetHost);
		const pair = { client, upstream, frozen: false };
		pairs.add(pair);
		const forward = (from: net.Socket, to: net.Socket) =>
			from.on('data', (chunk) => {
				if (!pair.frozen) to.write(chunk);
			});
		forward(client, upstream);
		forward(upstream, client);
		const end = () => {
			pairs.delete(pair);
			client.destroy();
			upstream.destroy();
		};
		client.on('close', () => !pair.frozen && end());
		upstream.on('close', () => !pair.frozen && end());
		client.on('error', () => undefined);
		upstream.on('error', () => undefined);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as net.AddressInfo).port;
	return {
		port,
		url: (scheme) => `${scheme}://127.0.0.1:${port}`,
		get accepted() {
			return accepted;
		},
		get open() {
			return pairs.size;
		},
		freeze() {
			for (const pair of pairs) pair.frozen = true; // bytes are read and dropped: nothing is forwarded, nothing closes
			return pairs.size;
		},
		async close() {
			for (const pair of pairs) {
				pair.client.destroy();
				pair.upstream.destroy();
			}
			pairs.clear();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
