/**
 * Jest project `lnd`: builds lnd and btcd once (scripts/lnd-install.sh, cached in ~/.cache) and starts
 * the real regtest (test/lnd-emulator/real/regtest.js: btcd, lnd A and B, one channel A→B) in a fresh
 * folder on free ports for this run, owned by this jest process (a watchdog stops it if jest dies);
 * the tests find it through LND_REGTEST_STATE. global-teardown.js stops it.
 * With LND_REGTEST_STATE already set (a regtest started by hand, `regtest.js up`), that one is used
 * and left running.
 */
const fs = require('node:fs');
const regtest = require('../lnd-emulator/real/regtest.js');

module.exports = async () => {
	const given = process.env.LND_REGTEST_STATE;
	if (given) {
		if (!fs.existsSync(given) || !regtest.readState(given).ready) throw new Error(`LND_REGTEST_STATE=${given} is not a started regtest (regtest.js up)`);
		console.log(`lnd regtest: using ${given}`);
		return;
	}
	const state = await regtest.up({ owner: process.pid });
	process.env.LND_REGTEST_STATE = state.file;
	globalThis.__lndRegtest = state;
};
