/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }],
  },
  // Delete what a test file left on the global object before the next
  // file runs in the same worker, rather than warn when it is touched.
  testEnvironmentOptions: { globalsCleanup: "on" },
  reporters: ["default", "<rootDir>/scripts/summary-reporter.cjs"],
  // Browser tests start Chromium; the fault suite waits out real outages.
  testTimeout: 20000,
};
