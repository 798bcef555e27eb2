/**
 * Jest project `lnd`: builds lnd and btcd once (scripts/lnd-install.sh, cached in ~/.cache) and
 * starts the real regtest (test/lnd-emulator/real/regtest.sh up: btcd, lnd A and B, one channel A→B)
 * in a fresh folder for this run; global-teardown.js stops it.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');

module.exports = async () => {
	const started = Date.now();
	const dir = process.env.LND_REGTEST_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'lnd-regtest-'));
	process.env.LND_REGTEST_DIR = dir;
	execFileSync('bash', [path.join(ROOT, 'scripts/lnd-install.sh')], { stdio: 'inherit' });
	const regtest = (cmd) =>
		execFileSync('bash', [path.join(ROOT, 'test/lnd-emulator/real/regtest.sh'), cmd], {
			stdio: 'inherit',
			env: { ...process.env, LND_REGTEST_DIR: dir },
			timeout: 10 * 60_000,
		});
	try {
		regtest('up');
	} catch (error) {
		// Jest runs no teardown after a failed setup: stop what was started.
		regtest('down');
		throw error;
	}
	console.log(`lnd regtest up in ${Math.round((Date.now() - started) / 1000)} s (${dir})`);
};
