#!/usr/bin/env node
/**
 * A real Lightning regtest on loopback: btcd and two lnd nodes (built from their Go modules by
 * scripts/lnd-install.sh into ~/.cache, once), A funded by mining and one 2M sat channel A→B
 * (100k pushed to B). The jest project `lnd` starts it (test/lnd/global-setup.js); by hand:
 *   node test/lnd-emulator/real/regtest.js up     # prints the state file; then
 *   LND_REGTEST_STATE=<that file> npx jest --selectProjects lnd   # reuses it, leaves it running
 *   node test/lnd-emulator/real/regtest.js down   # (or: down <state file>)
 *   node test/lnd-emulator/real/regtest.js reap   # stops leftovers of runs whose owner died
 *
 * Every run gets its own folder (mkdtemp under /dev/shm or the temp dir, or $LND_REGTEST_DIR) and
 * free ports (random in 20000-32767, below Linux's ephemeral range, or the range $LND_REGTEST_PORTS
 * such as "24000-24999"), written to <folder>/regtest.json, which the tests find through
 * $LND_REGTEST_STATE. btcd and each lnd run in their own process group. When jest owns the run, a
 * watchdog (sh waiting on a pipe from jest) stops them if jest dies, even by SIGKILL; `reap` (also run
 * before each start) stops the daemons of runs whose owner is gone. A start that fails prints the
 * tails of the daemons' logs; one that failed on "address already in use" is tried again on other
 * ports (3 tries in all).
 */
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const https = require('node:https');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../../..');
const PREFIX = 'lnd-regtest-';
const HAND_DIR = path.join(ROOT, '.cache', 'lnd-regtest', 'run');
const NODES = ['a', 'b'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function log(msg) {
	process.stderr.write(`lnd regtest: ${msg}\n`);
}

/** Temp base: tmpfs when there is one (lnd and btcd fsync their databases). */
function baseDir() {
	try {
		fs.accessSync('/dev/shm', fs.constants.W_OK);
		if (fs.statSync('/dev/shm').isDirectory()) return '/dev/shm';
	} catch {
		/* no tmpfs */
	}
	return os.tmpdir();
}

// ---------------------------------------------------------------- processes

/** Start time of a process (clock ticks since boot, /proc/<pid>/stat field 22), or undefined when it is gone. */
function startTime(pid) {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
	} catch {
		return undefined;
	}
}

function cmdline(pid) {
	try {
		return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
	} catch {
		return undefined;
	}
}

function ownerAlive(owner) {
	return Boolean(owner && owner.pid && startTime(owner.pid) === owner.start);
}

/** Whether pid is still the daemon of this run (its command line names the run's folder). */
function isOurs(pid, dir) {
	const args = cmdline(pid);
	return Boolean(args && args.some((a) => a.includes(dir)));
}

function signalGroup(pgid, sig) {
	try {
		process.kill(-pgid, sig);
		return true;
	} catch {
		return false;
	}
}

/** Stops one daemon's process group: SIGTERM, then SIGKILL after `graceMs`. */
async function stopGroup(pgid, dir, graceMs = 10_000) {
	if (!pgid || !isOurs(pgid, dir)) return;
	signalGroup(pgid, 'SIGTERM');
	const end = Date.now() + graceMs;
	while (Date.now() < end && isOurs(pgid, dir)) await sleep(100);
	signalGroup(pgid, 'SIGKILL');
	while (isOurs(pgid, dir)) await sleep(50);
}

// ---------------------------------------------------------------- state

function readState(file) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function writeState(state) {
	const tmp = `${state.file}.tmp`;
	fs.writeFileSync(tmp, JSON.stringify(state, null, 2));
	fs.renameSync(tmp, state.file);
}

// ---------------------------------------------------------------- ports

function portFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.unref();
		srv.once('error', () => resolve(false));
		srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
	});
}

/** `count` distinct ports free on 127.0.0.1 a moment ago, picked at random in the range. */
async function choosePorts(count) {
	const spec = process.env.LND_REGTEST_PORTS || '20000-32767';
	const m = /^(\d+)-(\d+)$/.exec(spec);
	if (!m || Number(m[2]) - Number(m[1]) + 1 < count) throw new Error(`LND_REGTEST_PORTS must be a range like 24000-24999 with at least ${count} ports (got "${spec}")`);
	const [lo, hi] = [Number(m[1]), Number(m[2])];
	const picked = new Set();
	for (let tries = 0; picked.size < count; tries++) {
		if (tries > 2000) throw new Error(`no ${count} free ports in ${spec}`);
		const p = lo + Math.floor(Math.random() * (hi - lo + 1));
		if (!picked.has(p) && (await portFree(p))) picked.add(p);
	}
	const [btcdRpc, btcdP2p, ...rest] = [...picked];
	const ports = { btcdRpc, btcdP2p };
	for (const n of NODES) ports[n] = { rest: rest.shift(), rpc: rest.shift(), p2p: rest.shift() };
	return ports;
}

// ---------------------------------------------------------------- HTTP (btcd JSON-RPC, lnd REST)

function request(url, { method = 'GET', ca, headers = {}, body, timeoutMs = 15_000 } = {}) {
	return new Promise((resolve, reject) => {
		const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
		const req = https.request(url, { method, ca, headers: { ...headers, ...(data ? { 'content-type': 'application/json' } : {}) }, timeout: timeoutMs }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json;
				try {
					json = text ? JSON.parse(text) : undefined;
				} catch {
					json = undefined;
				}
				resolve({ status: res.statusCode, text, json });
			});
		});
		req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
		req.on('error', reject);
		if (data) req.write(data);
		req.end();
	});
}

async function btcctl(state, method, params = []) {
	const res = await request(`https://127.0.0.1:${state.ports.btcdRpc}/`, {
		method: 'POST',
		ca: fs.readFileSync(path.join(state.dir, 'btcd', 'rpc.cert')),
		headers: { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` },
		body: { jsonrpc: '1.0', id: 1, method, params },
		timeoutMs: 120_000,
	});
	if (res.status !== 200 || !res.json || res.json.error) throw new Error(`btcd ${method}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
	return res.json.result;
}

function nodeFile(state, node, name) {
	return path.join(state.dir, node, name === 'tls' ? 'tls.cert' : `data/chain/bitcoin/regtest/${name}.macaroon`);
}

/** lnd REST call as admin; resolves with the JSON answer, rejects with lnd's message otherwise. */
async function rest(state, node, method, pathname, body) {
	const res = await request(`https://127.0.0.1:${state.ports[node].rest}${pathname}`, {
		method,
		ca: fs.readFileSync(nodeFile(state, node, 'tls')),
		headers: { 'Grpc-Metadata-macaroon': fs.readFileSync(nodeFile(state, node, 'admin')).toString('hex') },
		body,
	});
	if (res.status !== 200) {
		const err = new Error(`lnd ${node} ${method} ${pathname}: HTTP ${res.status} ${(res.json && res.json.message) || res.text.slice(0, 300)}`);
		err.lndMessage = (res.json && res.json.message) || res.text;
		throw err;
	}
	return res.json;
}

// ---------------------------------------------------------------- daemons

/** Why a start failed, with the daemon logs' tails (the next failure says why). */
class StartError extends Error {}

function tail(file, lines = 40) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

function outLog(state, name) {
	return path.join(state.dir, name, 'out.log');
}

/** The last lines of each daemon's log, and its last warnings and errors (the block lines crowd them out). */
function logTails(state) {
	return ['btcd', ...NODES]
		.map((n) => {
			const all = tail(outLog(state, n), 100_000).split('\n');
			const problems = all.filter((l) => /\[(WRN|ERR|CRT)\]|panic|fatal|unable|failed/i.test(l)).slice(-15);
			return `----- ${n} (${outLog(state, n)}), last warnings/errors:\n${problems.join('\n')}\n----- ${n}, last lines:\n${all.slice(-25).join('\n')}`;
		})
		.join('\n');
}

function addressInUse(state) {
	return ['btcd', ...NODES].some((n) => /address already in use/i.test(tail(outLog(state, n), 400)));
}

/** Spawns a daemon in its own process group, output to <dir>/<name>/out.log; records its pid in the state. */
function startDaemon(state, name, file, args) {
	fs.mkdirSync(path.join(state.dir, name), { recursive: true });
	const fd = fs.openSync(outLog(state, name), 'a');
	const child = spawn(file, args, { detached: true, stdio: ['ignore', fd, fd], cwd: state.dir });
	fs.closeSync(fd);
	child.unref();
	const exited = { code: undefined };
	child.once('exit', (code, signal) => (exited.code = code ?? signal));
	state.pids[name] = child.pid;
	writeState(state);
	return exited;
}

function startBtcd(state, miningAddr) {
	const d = path.join(state.dir, 'btcd');
	return startDaemon(state, 'btcd', path.join(state.bin, 'btcd'), [
		'--regtest',
		`--datadir=${d}/data`,
		`--logdir=${d}/logs`,
		'--rpcuser=u',
		'--rpcpass=p',
		`--rpclisten=127.0.0.1:${state.ports.btcdRpc}`,
		`--listen=127.0.0.1:${state.ports.btcdP2p}`,
		`--rpccert=${d}/rpc.cert`,
		`--rpckey=${d}/rpc.key`,
		'--txindex',
		...(miningAddr ? [`--miningaddr=${miningAddr}`] : []),
	]);
}

function startLnd(state, node) {
	const p = state.ports[node];
	return startDaemon(state, node, path.join(state.bin, 'lnd'), [
		`--lnddir=${path.join(state.dir, node)}`,
		'--bitcoin.active',
		'--bitcoin.regtest',
		'--bitcoin.node=btcd',
		`--btcd.rpchost=127.0.0.1:${state.ports.btcdRpc}`,
		'--btcd.rpcuser=u',
		'--btcd.rpcpass=p',
		`--btcd.rpccert=${path.join(state.dir, 'btcd', 'rpc.cert')}`,
		`--restlisten=127.0.0.1:${p.rest}`,
		`--rpclisten=127.0.0.1:${p.rpc}`,
		`--listen=127.0.0.1:${p.p2p}`,
		'--noseedbackup',
		'--tlsextraip=127.0.0.1',
		'--trickledelay=50',
	]);
}

/**
 * Polls `check` (resolves truthy when done) once a second; between tries runs `between` (e.g. mine a
 * block). Fails at once when a daemon exited.
 */
async function until(state, what, check, { ms = 120_000, between, exits = {} } = {}) {
	const end = Date.now() + ms;
	let last;
	for (;;) {
		for (const [name, e] of Object.entries(exits)) if (e.code !== undefined) throw new StartError(`${name} exited (${e.code}) while waiting for ${what}`);
		try {
			const v = await check();
			if (v) return v;
		} catch (error) {
			last = error;
		}
		if (Date.now() > end) throw new StartError(`timed out (${ms / 1000} s) waiting for ${what}${last ? `: ${last.message}` : ''}`);
		if (between) await between().catch(() => undefined);
		await sleep(1000);
	}
}

async function info(state, node) {
	return await rest(state, node, 'GET', '/v1/getinfo');
}

/** Whether a node is synced to the chain at `height` or above; otherwise throws what it reports. */
async function synced(state, node, height) {
	const i = await info(state, node);
	if (i.synced_to_chain && i.block_height >= height) return true;
	throw new Error(`${node} reports synced_to_chain=${i.synced_to_chain} synced_to_graph=${i.synced_to_graph} block_height=${i.block_height}`);
}

/** Connects A to B unless they already are peers. */
async function connect(state, bpub) {
	const peers = await rest(state, 'a', 'GET', '/v1/peers');
	if ((peers.peers || []).some((p) => p.pub_key === bpub)) return true;
	try {
		await rest(state, 'a', 'POST', '/v1/peers', { addr: { pubkey: bpub, host: `127.0.0.1:${state.ports.b.p2p}` }, perm: false, timeout: '20' });
	} catch (error) {
		if (!/already connected/i.test(error.lndMessage || '')) throw error;
	}
	return ((await rest(state, 'a', 'GET', '/v1/peers')).peers || []).some((p) => p.pub_key === bpub);
}

/** Opens the channel A→B unless one is already open or pending. */
async function openChannel(state, bpub) {
	const open = (await rest(state, 'a', 'GET', '/v1/channels')).channels || [];
	const pending = (await rest(state, 'a', 'GET', '/v1/channels/pending')).pending_open_channels || [];
	if (open.some((c) => c.remote_pubkey === bpub) || pending.some((p) => p.channel && p.channel.remote_node_pub === bpub)) return true;
	await rest(state, 'a', 'POST', '/v1/channels', { node_pubkey_string: bpub, local_funding_amount: '2000000', push_sat: '100000' });
	return true;
}

async function activeChannel(state, node, pub) {
	const chans = (await rest(state, node, 'GET', '/v1/channels')).channels || [];
	return chans.some((c) => c.active && c.remote_pubkey === pub);
}

/** One try at starting everything in state.dir on state.ports. */
async function startOnce(state) {
	const exits = {};
	exits.btcd = startBtcd(state);
	await until(state, 'btcd RPC', () => btcctl(state, 'getblockcount').then(() => true), { exits });
	exits.a = startLnd(state, 'a');
	await until(state, 'lnd a REST', () => info(state, 'a'), { exits });
	const addr = (await until(state, 'an address of A', () => rest(state, 'a', 'GET', '/v1/newaddress?type=0'), { exits })).address;
	// btcd mines only to an address given at its start: restart it with A's. No lnd runs across that
	// restart (an lnd whose btcd went away while it started could stay synced_to_chain=false).
	for (const n of ['a', 'btcd']) {
		delete exits[n];
		await stopGroup(state.pids[n], state.dir);
	}
	exits.btcd = startBtcd(state, addr);
	await until(state, 'btcd RPC after its restart', () => btcctl(state, 'getblockcount').then(() => true), { exits });
	for (const n of NODES) exits[n] = startLnd(state, n);
	for (const n of NODES) await until(state, `lnd ${n} REST`, () => info(state, n), { exits });
	const mine = (n = 1) => btcctl(state, 'generate', [n]);
	await mine(500); // segwit activates on btcd regtest after 432 blocks
	// lnd 0.19 reports synced_to_chain only after a block it saw once fully started: mine one per try.
	await until(state, 'A synced at height 500', () => synced(state, 'a', 500), { exits, between: mine });
	await until(state, 'B synced', () => synced(state, 'b', 500), { exits, between: mine });
	const apub = (await info(state, 'a')).identity_pubkey;
	const bpub = (await info(state, 'b')).identity_pubkey;
	await until(state, 'A connected to B', () => connect(state, bpub), { exits, ms: 60_000 });
	await until(state, 'the channel A→B opened', () => openChannel(state, bpub), { exits, ms: 60_000 });
	await mine(6);
	await until(state, 'the channel active at A and B', async () => (await activeChannel(state, 'a', bpub)) && (await activeChannel(state, 'b', apub)), { exits, between: mine });
	state.ready = true;
	writeState(state);
}

// ---------------------------------------------------------------- up / down / reap

/** Stops the daemons of a run (graceful, then SIGKILL); `remove` also deletes its folder. */
async function down(stateFile, { remove = false } = {}) {
	let state;
	try {
		state = readState(stateFile);
	} catch {
		return;
	}
	await Promise.all(Object.values(state.pids || {}).map((pid) => stopGroup(pid, state.dir)));
	if (remove && path.basename(state.dir).startsWith(PREFIX)) fs.rmSync(state.dir, { recursive: true, force: true });
}

/**
 * Stops what earlier runs left behind: runs (in the temp base) whose owner process is gone, and any
 * lnd/btcd of ours whose run folder no longer exists. `all` also stops runs without an owner (by hand).
 * Runs of other live processes are left alone. Returns how many runs/processes it stopped.
 */
async function reap({ all = false } = {}) {
	let stopped = 0;
	const bases = [...new Set([baseDir(), os.tmpdir()])];
	for (const base of bases) {
		let names = [];
		try {
			names = fs.readdirSync(base).filter((n) => n.startsWith(PREFIX));
		} catch {
			/* none */
		}
		for (const n of names) {
			const file = path.join(base, n, 'regtest.json');
			let state;
			try {
				state = readState(file);
			} catch {
				continue; // not a run of this script (or still being written): not ours to judge
			}
			if (ownerAlive(state.owner) || (!state.owner && !all)) continue;
			const live = Object.values(state.pids || {}).some((pid) => isOurs(pid, state.dir));
			// A folder kept on purpose (LND_KEEP) whose daemons are gone stays for a day.
			if (!live && Date.now() - fs.statSync(file).mtimeMs < 24 * 3600_000) continue;
			log(`reaping ${state.dir} (owner ${state.owner ? state.owner.pid : 'none'} gone)`);
			await down(file, { remove: true });
			stopped++;
		}
	}
	if (fs.existsSync(path.join(HAND_DIR, 'regtest.json')) && all) await down(path.join(HAND_DIR, 'regtest.json'));
	// Daemons whose folder is gone (deleted while they ran).
	const bin = binDir();
	for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		const args = cmdline(pid);
		if (!args || !args[0] || !(args[0] === path.join(bin, 'lnd') || args[0] === path.join(bin, 'btcd'))) continue;
		const dirArg = args.find((a) => a.startsWith('--lnddir=') || a.startsWith('--datadir='));
		if (!dirArg) continue;
		const runDir = path.dirname(dirArg.split('=')[1].replace(/\/data$/, ''));
		if (!path.basename(runDir).startsWith(PREFIX) || fs.existsSync(runDir)) continue;
		log(`reaping ${args[0]} pid ${pid} (its folder ${runDir} is gone)`);
		signalGroup(Number(pid), 'SIGKILL');
		try {
			process.kill(Number(pid), 'SIGKILL');
		} catch {
			/* gone */
		}
		stopped++;
	}
	return stopped;
}

function binDir() {
	return execFileSync('bash', [path.join(ROOT, 'scripts/lnd-install.sh'), '--print-bin'], { encoding: 'utf8' }).trim();
}

/**
 * Starts a regtest and resolves with its state ({ file, dir, ports, pids, ... }). `owner`: the pid whose
 * death stops it (a watchdog is started; pass process.pid from jest), none for a run by hand.
 * `dir`: a fixed folder (emptied first) instead of a fresh one.
 */
async function up({ owner, dir: fixedDir, tries = 3 } = {}) {
	execFileSync('bash', [path.join(ROOT, 'scripts/lnd-install.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
	const bin = binDir();
	await reap();
	let lastError;
	for (let attempt = 1; attempt <= tries; attempt++) {
		const ports = await choosePorts(2 + 3 * NODES.length);
		let dir;
		if (fixedDir) {
			await down(path.join(fixedDir, 'regtest.json'));
			fs.rmSync(fixedDir, { recursive: true, force: true });
			fs.mkdirSync(fixedDir, { recursive: true });
			dir = fixedDir;
		} else {
			dir = fs.mkdtempSync(path.join(baseDir(), PREFIX));
		}
		const state = {
			file: path.join(dir, 'regtest.json'),
			dir,
			bin,
			owner: owner ? { pid: owner, start: startTime(owner) } : null,
			ports,
			pids: {},
			ready: false,
		};
		writeState(state);
		let watchdog;
		if (owner) {
			// Waits on a pipe that only the owner holds: when the owner dies the pipe closes and the
			// watchdog stops the daemons and removes the folder.
			const fd = fs.openSync(path.join(dir, 'watchdog.log'), 'a');
			watchdog = spawn('/bin/sh', ['-c', 'cat >/dev/null; exec "$@"', 'lnd-regtest-watchdog', process.execPath, __filename, 'down', state.file, ...(process.env.LND_KEEP ? [] : ['--remove'])], {
				detached: true,
				stdio: ['pipe', fd, fd],
			});
			fs.closeSync(fd);
			watchdog.unref();
			watchdog.stdin.unref?.();
			state.watchdog = watchdog.pid;
			writeState(state);
		}
		const started = Date.now();
		try {
			await startOnce(state);
			log(`up in ${Math.round((Date.now() - started) / 1000)} s (try ${attempt}): A https://127.0.0.1:${state.ports.a.rest}, B https://127.0.0.1:${state.ports.b.rest}, state ${state.file}`);
			Object.defineProperty(state, 'watchdogProcess', { value: watchdog, enumerable: false });
			return state;
		} catch (error) {
			const inUse = addressInUse(state);
			lastError = new StartError(`lnd regtest start failed (try ${attempt} of ${tries}, after ${Math.round((Date.now() - started) / 1000)} s): ${error.message}\n${logTails(state)}`);
			console.error(lastError.message);
			await down(state.file);
			if (watchdog) await endWatchdog(watchdog);
			if (!fixedDir && !process.env.LND_KEEP) fs.rmSync(dir, { recursive: true, force: true });
			if (!inUse) break; // only a port taken between choosing and binding is worth another try
			log('a port was taken: trying again on other ports');
		}
	}
	throw lastError;
}

/** Stops a run started by up() (with a watchdog: its pipe is closed too). */
async function stop(state, { remove = !process.env.LND_KEEP } = {}) {
	await down(state.file, { remove });
	if (state.watchdogProcess) await endWatchdog(state.watchdogProcess);
}

/** Closes the watchdog's pipe and waits until it has run (its `down` finds nothing left to stop). */
async function endWatchdog(w) {
	if (w.exitCode !== null || w.signalCode !== null) return;
	const exited = new Promise((r) => w.once('exit', r));
	w.ref();
	w.stdin.end();
	await exited;
}

module.exports = { up, down, stop, reap, readState, nodeFile, HAND_DIR };

if (require.main === module) {
	const [cmd, ...args] = process.argv.slice(2);
	const handState = () => args.find((a) => !a.startsWith('--')) || process.env.LND_REGTEST_STATE || path.join(HAND_DIR, 'regtest.json');
	const main = async () => {
		if (cmd === 'up') {
			const state = await up({ dir: process.env.LND_REGTEST_DIR || HAND_DIR });
			console.log(state.file);
		} else if (cmd === 'down') {
			await down(handState(), { remove: args.includes('--remove') });
		} else if (cmd === 'reap') {
			log(`${await reap({ all: args.includes('--all') })} stopped`);
		} else {
			console.error('usage: regtest.js up | down [state file] [--remove] | reap [--all]');
			process.exit(2);
		}
	};
	main().then(
		() => process.exit(0),
		(error) => {
			console.error(error.message);
			process.exit(1);
		},
	);
}
