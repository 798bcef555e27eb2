/**
 * The two real lnd nodes started by global-setup.js (test/lnd-emulator/real/regtest.js): clients and
 * credential data, from the run's state file ($LND_REGTEST_STATE). A pays B over one channel.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LndClient } from '../../nodes/Lnd/client';

interface RegtestState {
	dir: string;
	ports: Record<'a' | 'b', { rest: number; rpc: number; p2p: number }> & { btcdRpc: number; btcdP2p: number };
}

const STATE_FILE = process.env.LND_REGTEST_STATE || path.resolve(__dirname, '../../.cache/lnd-regtest/run/regtest.json');
const state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as RegtestState;

export const RUN = state.dir;
export const PORT: Record<string, number> = { a: state.ports.a.rest, b: state.ports.b.rest };

export function file(node: string, name: string): string {
	return path.join(RUN, node, name === 'tls' ? 'tls.cert' : `data/chain/bitcoin/regtest/${name}.macaroon`);
}

export function macaroon(node: string, name = 'admin'): string {
	return fs.readFileSync(file(node, name)).toString('base64');
}

export function cert(node: string): string {
	return fs.readFileSync(file(node, 'tls'), 'utf8');
}

export function client(node: string, mac = 'admin', certOf = node, url = `https://127.0.0.1:${PORT[node]}`): LndClient {
	return new LndClient({ url, macaroon: macaroon(node, mac), tlsCert: cert(certOf), retries: 0 });
}

export const hex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');
