// Lint for the tooling (tools/: sandbox, harness, real-n8n drivers), tests, benchmarks and
// scripts. That code runs in Node, not inside n8n, so it legitimately uses node:http, timers and
// process, which the Cloud rules in eslint.config.mjs forbid for node code. The package itself is
// linted by eslint.config.mjs alone.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist/**', 'build/**', 'node_modules/**', 'test-results/**'] },
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, ...tseslint.configs.recommended],
		rules: {
			'no-console': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
		},
	},
);
