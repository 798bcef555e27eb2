/** Runs the checks against a real lnd regtest started by ./regtest.sh up (not part of CI). */
const path = require('path');
const base = require('../../../jest.config.js').projects[0];

module.exports = {
	rootDir: path.resolve(__dirname, '../../..'),
	testEnvironment: 'node',
	transform: base.transform,
	transformIgnorePatterns: base.transformIgnorePatterns,
	testMatch: ['<rootDir>/test/lnd-emulator/real/**/*.real.ts'],
	modulePathIgnorePatterns: ['<rootDir>/dist/'],
};
