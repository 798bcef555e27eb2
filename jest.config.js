/**
 * Jest runs TypeScript through ts-jest in transpile-only mode (type checking is
 * `npm run typecheck`). ky, @noble/hashes and @cashu/cashu-ts (with @noble/curves,
 * @scure/base, @scure/bip32) ship ES modules only, so they are
 * transformed to CommonJS for the test runtime; Node 24 loads them natively in n8n.
 */
const transform = {
	'^.+\\.[tj]s$': [
		'ts-jest',
		{
			tsconfig: {
				isolatedModules: true,
				module: 'commonjs',
				moduleResolution: 'node10',
				allowJs: true,
				esModuleInterop: true,
				target: 'es2022',
			},
		},
	],
};
const transformIgnorePatterns = ['/node_modules/(?!(ky|@noble/hashes|@noble/curves|@scure/base|@scure/bip32|@cashu/cashu-ts)/)'];
const common = { testEnvironment: 'node', transform, transformIgnorePatterns };

/**
 * Real lnd regtest (btcd + two lnd built from their Go modules, one channel), started once per run
 * on free ports in a fresh folder (test/lnd/global-setup.js); only when a test of the project runs.
 */
const lndProject = {
	...common,
	displayName: 'lnd',
	testMatch: ['<rootDir>/test/lnd/**/*.test.ts'],
	globalSetup: '<rootDir>/test/lnd/global-setup.js',
	globalTeardown: '<rootDir>/test/lnd/global-teardown.js',
};

module.exports = {
	reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
	projects: [
		{
			...common,
			displayName: 'unit',
			testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
		},
		{
			...common,
			displayName: 'emulator',
			testMatch: ['<rootDir>/test/emulator/**/*.test.ts'],
		},
		{
			...common,
			displayName: 'lnbits',
			testMatch: ['<rootDir>/test/lnbits/**/*.test.ts'],
		},
		{
			...common,
			displayName: 'cashu',
			testMatch: ['<rootDir>/test/cashu/**/*.test.ts'],
		},
		{
			...common,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
		},
		{
			...common,
			displayName: 'browser',
			testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
		},
		{
			...common,
			displayName: 'cluster',
			testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
		},
		lndProject,
	],
};
