/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// The real-n8n end-to-end tests have their own config and command (npm run test:e2e).
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.tools.json' }],
	},
	testTimeout: 30000,
	setupFilesAfterEnv: ['<rootDir>/test/setup/no-api-key-leaks.ts'],
	reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
