/**
 * A minimal WebSocket server (RFC 6455) on node:http for tests: text frames,
 * close handshake, ping/pong, and ways to misbehave (drop connections without
 * a close frame, refuse upgrades). Loopback only, no dependencies.
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface WsClient {
	path: string;
	socket: Socket;
	/** Text messages received from the client. */
	received: string[];
	closed: boolean;
}

function encodeFrame(opcode: number, payload: Buffer): Buffer {
	const len = payload.length;
	let header: Buffer;
	if (len < 126) {
		header = Buffer.from([0x80 | opcode, len]);
	} else if (len < 65536) {
		header = Buffer.alloc(4);
		header[0] = 0x80 | opcode;
		header[1] = 126;
		header.writeUInt16BE(len, 2);
	} else {
		header = Buffer.alloc(10);
		header[0] = 0x80 | opcode;
		header[1] = 127;
		header.writeBigUInt64BE(BigInt(len), 2);
	}
	return Buffer.concat([header, payload]);
}

export class TestWsServer {
	readonly server: http.Server;
	/** Every connection ever accepted, oldest first. */
	readonly clients: WsClient[] = [];
	/** Upgrade requests seen (accepted or refused), with their paths. */
	readonly attempts: string[] = [];
	/** Refuse this many next upgrade attempts with HTTP 503. */
	refuseNext = 0;
	/** Accept the TCP connection but never answer the upgrade (handshake hangs). */
	hangNext = 0;
	/** Answers plain HTTP requests on the same port (e.g. a fake REST API); 404 when unset. */
	handler: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | undefined;
	private waiters: Array<() => void> = [];
	private boundPort = 0;
	private rawSockets = new Set<Socket>();

	private constructor() {
		this.server = http.createServer((req, res) => {
			if (this.handler) this.handler(req, res);
			else res.writeHead(404).end();
		});
		this.server.on('connection', (s: Socket) => {
			this.rawSockets.add(s);
			s.on('close', () => this.rawSockets.delete(s));
		});
		this.server.on('upgrade', (req, socket: Socket) => this.onUpgrade(req, socket));
	}

	static async start(port = 0): Promise<TestWsServer> {
		const srv = new TestWsServer();
		await srv.listen(port);
		return srv;
	}

	private listen(port: number): Promise<void> {
		return new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, '127.0.0.1', () => {
				this.server.off('error', reject);
				this.boundPort = (this.server.address() as AddressInfo).port;
				resolve();
			});
		});
	}

	get port(): number {
		return this.boundPort;
	}

	url(path: string): string {
		return `ws://127.0.0.1:${this.port}${path}`;
	}

	/** Connections currently open. */
	get open(): WsClient[] {
		return this.clients.filter((c) => !c.closed);
	}

	private onUpgrade(req: http.IncomingMessage, socket: Socket): void {
		const path = req.url ?? '/';
		this.attempts.push(path);
		this.notify();
		if (this.hangNext > 0) {
			this.hangNext--;
			return;
		}
		if (this.refuseNext > 0) {
			this.refuseNext--;
			socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
			return;
		}
		const key = req.headers['sec-websocket-key'];
		if (typeof key !== 'string') {
			socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
			return;
		}
		const accept = crypto.createHash('sha1').update(key + GUID).digest('base64');
		socket.write(
			'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
				`Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
		);
		const client: WsClient = { path, socket, received: [], closed: false };
		this.clients.push(client);
		let buffer = Buffer.alloc(0);
		socket.on('data', (chunk: Buffer) => {
			buffer = Buffer.concat([buffer, chunk]);
			for (;;) {
				const frame = this.readFrame(buffer);
				if (!frame) break;
				buffer = buffer.subarray(frame.size);
				if (frame.opcode === 0x8) {
					if (!client.closed) {
						client.closed = true;
						socket.end(encodeFrame(0x8, frame.payload.subarray(0, 2)));
						this.notify();
					}
				} else if (frame.opcode === 0x9) {
					socket.write(encodeFrame(0xa, frame.payload));
				} else if (frame.opcode === 0x1) {
					client.received.push(frame.payload.toString('utf8'));
				}
			}
		});
		const gone = () => {
			if (!client.closed) {
				client.closed = true;
				this.notify();
			}
		};
		socket.on('close', gone);
		socket.on('error', gone);
		this.notify();
	}

	private readFrame(buf: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
		if (buf.length < 2) return undefined;
		const opcode = buf[0] & 0x0f;
		const masked = (buf[1] & 0x80) !== 0;
		let len = buf[1] & 0x7f;
		let offset = 2;
		if (len === 126) {
			if (buf.length < 4) return undefined;
			len = buf.readUInt16BE(2);
			offset = 4;
		} else if (len === 127) {
			if (buf.length < 10) return undefined;
			len = Number(buf.readBigUInt64BE(2));
			offset = 10;
		}
		const maskLen = masked ? 4 : 0;
		if (buf.length < offset + maskLen + len) return undefined;
		const payload = Buffer.from(buf.subarray(offset + maskLen, offset + maskLen + len));
		if (masked) {
			const mask = buf.subarray(offset, offset + 4);
			for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
		}
		return { opcode, payload, size: offset + maskLen + len };
	}

	/** Sends a text frame to every open client (of `path`, when given). Returns how many got it. */
	send(text: string, path?: string): number {
		let n = 0;
		for (const c of this.open) {
			if (path !== undefined && c.path !== path) continue;
			c.socket.write(encodeFrame(0x1, Buffer.from(text, 'utf8')));
			n++;
		}
		return n;
	}

	/** Sends a binary frame to every open client. */
	sendBinary(data: Buffer): number {
		for (const c of this.open) c.socket.write(encodeFrame(0x2, data));
		return this.open.length;
	}

	/** Closes every open connection with a proper close frame. */
	closeAll(code = 1001): void {
		const payload = Buffer.alloc(2);
		payload.writeUInt16BE(code, 0);
		for (const c of this.open) {
			c.closed = true;
			c.socket.end(encodeFrame(0x8, payload));
		}
		this.notify();
	}

	/** Destroys every TCP connection without a close frame (a crashed server). */
	dropAll(): void {
		for (const s of this.rawSockets) s.destroy();
		for (const c of this.open) c.closed = true;
		this.notify();
	}

	/** Resolves when `cond` holds (checked on every connection event), or rejects after `timeoutMs`. */
	waitFor(cond: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
		if (cond()) return Promise.resolve();
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.waiters = this.waiters.filter((w) => w !== check);
				reject(new Error(`timed out waiting for ${what}`));
			}, timeoutMs);
			const check = () => {
				if (!cond()) return;
				clearTimeout(timer);
				this.waiters = this.waiters.filter((w) => w !== check);
				resolve();
			};
			this.waiters.push(check);
		});
	}

	private notify(): void {
		for (const w of [...this.waiters]) w();
	}

	/** Stops accepting connections (existing ones are dropped). */
	async stop(): Promise<void> {
		this.dropAll();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	/** Listens again on the same port after stop(). */
	async restart(): Promise<void> {
		await this.listen(this.boundPort);
	}
}
