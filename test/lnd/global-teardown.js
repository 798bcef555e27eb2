/** Stops the regtest started by global-setup.js and removes its folder (kept with LND_KEEP=1). */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

module.exports = async () => {
	const dir = process.env.LND_REGTEST_DIR;
	if (!dir) return;
	execFileSync('bash', [path.resolve(__dirname, '../../test/lnd-emulator/real/regtest.sh'), 'down'], {
		stdio: 'inherit',
		env: { ...process.env, LND_REGTEST_DIR: dir },
	});
	if (!process.env.LND_KEEP && dir.includes('lnd-regtest-')) fs.rmSync(dir, { recursive: true, force: true });
};
