/**
 * Durable memory on the local file system, written at once (not at the end of an execution):
 * - UsageLedger: how often a token was accepted. Each use is one file created with O_EXCL
 *   (`wx`): of concurrent claims for the same use number exactly one succeeds, across the
 *   executions of one n8n process and across processes sharing the folder (main and queue-mode
 *   workers on one host, or a shared volume with POSIX O_EXCL semantics). It survives restarts.
 * - TokenStore: the L402 tokens a client paid for, so a rerun reuses them instead of paying again.
 *   Written with a rename, so a reader never sees half a file.
 * Why not workflow static data: n8n saves it only when an execution ends (never for manual
 * runs), and two executions running at once both read the old value: both would accept the same
 * single-use token, and a crash after a payment would forget the token.
 * No n8n imports.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** `<n8n user folder>/l402` (N8N_USER_FOLDER as n8n reads it, else the home folder's .n8n). */
export function defaultStoreFolder(env: NodeJS.ProcessEnv = process.env): string {
	const base = env.N8N_USER_FOLDER ? path.join(env.N8N_USER_FOLDER, '.n8n') : path.join(os.homedir(), '.n8n');
	return path.join(base, 'l402');
}

function ensureDir(dir: string): void {
	fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

const HEX64 = /^[0-9a-f]{64}$/;

export interface UseClaim {
	accepted: boolean;
	/** 1 for the first use; when refused, the uses already recorded (= maxUses). */
	use: number;
	maxUses: number;
}

export class UsageLedger {
	constructor(readonly folder: string) {}

	private dir(): string {
		const dir = path.join(this.folder, 'uses');
		ensureDir(dir);
		return dir;
	}

	/** Records one use of the token unless it already has `maxUses`; exactly one of concurrent claims wins each use. */
	claim(tokenId: string, maxUses: number, now = Date.now()): UseClaim {
		if (!HEX64.test(tokenId)) throw new Error('token ID must be 64 hex characters');
		if (!Number.isSafeInteger(maxUses) || maxUses < 1) throw new Error('the usage limit must be a whole number of at least 1');
		const dir = this.dir();
		for (let use = 1; use <= maxUses; use++) {
			try {
				const fd = fs.openSync(path.join(dir, `${tokenId}.${use}`), 'wx', 0o600);
				try {
					fs.writeSync(fd, JSON.stringify({ at: new Date(now).toISOString() }));
				} finally {
					fs.closeSync(fd);
				}
				return { accepted: true, use, maxUses };
			} catch (error) {
				// EEXIST: that use is taken, try the next one; anything else (permissions, disk) below.
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return this.unwritable(error as Error);
			}
		}
		return { accepted: false, use: maxUses, maxUses };
	}

	private unwritable(error: Error): never {
		throw new Error(`The L402 store folder ${this.folder} cannot be written: ${error.message}`);
	}

	/** Uses recorded for the token. */
	uses(tokenId: string): number {
		if (!HEX64.test(tokenId)) return 0;
		const prefix = `${tokenId}.`;
		return fs.readdirSync(this.dir()).filter((f) => f.startsWith(prefix)).length;
	}
}

export interface StoredToken {
	/** pending: the challenge about to be paid (a rerun asks the wallet, which never pays it twice); paid: usable. */
	state: 'pending' | 'paid';
	scheme: 'L402' | 'LSAT';
	macaroon: string;
	invoice: string;
	paymentHash: string;
	/** With `macaroon`, a bearer credential for the service: stored with owner-only permissions. */
	preimage: string | null;
	url: string;
	/** The services the macaroon names, if it is readable. */
	services: string[];
	/** Unix ms, or null when unknown. */
	expiresAt: number | null;
	savedAt: string;
	amountSats: number | null;
}

export class TokenStore {
	constructor(readonly folder: string) {}

	private file(key: string): string {
		const dir = path.join(this.folder, 'tokens');
		ensureDir(dir);
		return path.join(dir, `${bytesToHex(sha256(utf8ToBytes(key)))}.json`);
	}

	get(key: string): StoredToken | null {
		const file = this.file(key);
		if (!fs.existsSync(file)) return null;
		const text = fs.readFileSync(file, 'utf8');
		try {
			return JSON.parse(text) as StoredToken;
		} catch {
			// A file another program damaged: treated as no token.
			return null;
		}
	}

	put(key: string, token: StoredToken): void {
		const file = this.file(key);
		const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
		fs.writeFileSync(tmp, JSON.stringify(token), { mode: 0o600 });
		fs.renameSync(tmp, file);
	}

	delete(key: string): void {
		fs.rmSync(this.file(key), { force: true });
	}
}
