// Prints one plain closing line, "tests: N passed, N failed", which CI reads as the run's result.
// It is written at process exit so that it comes after jest's own summary.
class SummaryReporter {
	onRunComplete(_contexts, results) {
		const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
		const line = `tests: ${results.numPassedTests} passed, ${failed} failed\n`;
		process.once('exit', () => process.stderr.write(line));
	}
}
module.exports = SummaryReporter;
