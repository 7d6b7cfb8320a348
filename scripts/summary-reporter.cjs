// A jest reporter that ends the run with one plain line,
// "N passed, N failed, N skipped", which any CI can read.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests } = results;
    process.stdout.write(
      `\ntests: ${numPassedTests} passed, ${numFailedTests} failed, ` +
        `${numPendingTests} skipped\n`,
    );
  }
}

module.exports = SummaryReporter;
