// Prints one plain closing line, "tests: N passed, N failed", which CI reads as the run's result.
// It is written at process exit so that it comes after jest's own summary. The counts are also
// appended to test-results/counts.txt, from which .ci/run prints the total of all its runs.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
	onRunComplete(_contexts, results) {
		const passed = results.numPassedTests;
		const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
		const countsFile = path.join(__dirname, '..', 'test-results', 'counts.txt');
		fs.mkdirSync(path.dirname(countsFile), { recursive: true });
		fs.appendFileSync(countsFile, `${passed} ${failed}\n`);
		process.once('exit', () => process.stderr.write(`tests: ${passed} passed, ${failed} failed\n`));
	}
}
module.exports = SummaryReporter;
