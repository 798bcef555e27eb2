/**
 * Process and temp-folder plumbing shared by the test servers that run real programs
 * (LNbits in test/lnbits-server, n8n in test/e2e/harness): free ports, process groups
 * killed when the test process exits, tmpfs temp folders and their pruning.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

/** Process groups still running, killed synchronously if the test process exits. */
const liveGroups = new Set<number>();
/** Sends a signal to a whole process group; false when the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
	try {
		process.kill(-pgid, signal);
		return true;
	} catch {
		return false;
	}
}

let exitHookInstalled = false;

/** Remembers a process group so it is killed (SIGKILL) if the test process exits before it stops. */
export function trackProcessGroup(pgid: number): void {
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		process.on('exit', () => {
			for (const group of liveGroups) signalGroup(group, 'SIGKILL');
		});
	}
	liveGroups.add(pgid);
}

export function untrackProcessGroup(pgid: number): void {
	liveGroups.delete(pgid);
}

/** Temp base dir: tmpfs when there is one (both servers write SQLite databases; fsync dominates on disk). */
export function tmpfsOrTmpdir(): string {
	try {
		fs.accessSync('/dev/shm', fs.constants.W_OK);
		if (fs.statSync('/dev/shm').isDirectory()) return '/dev/shm';
	} catch {
		/* no tmpfs */
	}
	return os.tmpdir();
}

/** Removes folders named `<prefix>…` in `base` older than a day, so a kept machine's tmpfs does not fill up. */
export function pruneOldDirs(base: string, prefix: string): void {
	const cutoff = Date.now() - 24 * 3600_000;
	let names: string[];
	try {
		names = fs.readdirSync(base).filter((n) => n.startsWith(prefix));
	} catch {
		return;
	}
	for (const n of names) {
		const dir = path.join(base, n);
		try {
			if (fs.statSync(dir).mtimeMs < cutoff) fs.rmSync(dir, { recursive: true, force: true });
		} catch {
			/* in use or gone */
		}
	}
}
