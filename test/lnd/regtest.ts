/**
 * The two real lnd nodes started by global-setup.js (regtest.sh): clients and credential data.
 * A pays B over one channel.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LndClient } from '../../nodes/Lnd/client';

export const RUN = process.env.LND_REGTEST_DIR || path.resolve(__dirname, '../../.cache/lnd-regtest/run');
export const PORT: Record<string, number> = { a: 18080, b: 18081 };

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
