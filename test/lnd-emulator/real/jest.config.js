/** Runs n8n.real.ts (the packed package in real n8n against the LND emulator) by hand. */
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
