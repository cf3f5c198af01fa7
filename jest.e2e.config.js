// End-to-end tests: the real n8n application (provisioned outside the clone) with this package
// installed as a community node. Slow, so kept apart from `npm test`; run with `npm run test:e2e`.
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.tools.json' }],
	},
	// Provision n8n and pack the package once, before any test file.
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
	// Each file starts its own n8n (a few seconds) and may run several CLI commands (~10 s each).
	testTimeout: 5 * 60_000,
	// Two cores: one n8n at a time keeps timings predictable.
	maxWorkers: 1,
	// The plain 'N passed, N failed' closing line CI reads.
	reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
