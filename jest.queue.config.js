// n8n's queue mode end to end (npm run test:queue): Redis, PostgreSQL, a main n8n and two
// `n8n worker` processes, the package installed by name from a local npm registry on each.
// The e2e suite's setup (n8n provisioned, the package packed once), for *.queue.test.ts only.
const e2e = require('./jest.e2e.config.js');

/** @type {import('jest').Config} */
module.exports = {
	...e2e,
	testMatch: ['**/*.queue.test.ts'],
	// Starting the cluster takes about a minute; a crashed execution is marked failed after one or two.
	testTimeout: 6 * 60_000,
};
