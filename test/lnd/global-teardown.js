/** Stops the regtest started by global-setup.js and removes its folder (kept with LND_KEEP=1). */
const regtest = require('../lnd-emulator/real/regtest.js');

module.exports = async () => {
	const state = globalThis.__lndRegtest;
	if (!state) return;
	globalThis.__lndRegtest = undefined;
	await regtest.stop(state);
};
