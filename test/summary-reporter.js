// Prints one plain closing line, "tests: N passed, N failed", which CI reads as the run's result.
class SummaryReporter {
	onRunComplete(_contexts, results) {
		const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
		process.stderr.write(`\ntests: ${results.numPassedTests} passed, ${failed} failed\n`);
	}
}
module.exports = SummaryReporter;
