/**
 * `npm run fuzz`: the properties of test/property.test.ts, a million
 * runs each for the codec (the socket's public methods, which need a
 * connection per run, get 20 000). Prints the runs and failures of each
 * and fails on the first counterexample, with its seed to replay it.
 *
 * FUZZ_SCALE=0.01 runs a hundredth of that, for a quick look.
 */
import fc from "fast-check";

import {
  formatIsStrict,
  parseIsTotal,
  publicMethodsAreSafe,
  roundTrip,
} from "../test/helpers/properties";

const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const TIMEOUT_MS = 30 * 60_000;
// Taken before any fake timers: the socket property installs them.
const now = performance.now.bind(performance);

interface Figure {
  name: string;
  runs: number;
  failures: number;
  seconds: number;
}

const figures: Figure[] = [];

function runs(count: number): number {
  return Math.max(1, Math.round(count * SCALE));
}

function record(name: string, details: fc.RunDetails<unknown>, start: number) {
  figures.push({
    name,
    runs: details.numRuns,
    failures: details.failed ? 1 : 0,
    seconds: (now() - start) / 1000,
  });
  if (details.failed) throw new Error(fc.defaultReportMessage(details));
}

afterAll(() => {
  const lines = figures.map(
    ({ name, runs: count, failures, seconds }) =>
      `fuzz: ${name}: ${count} runs, ${failures} failures, ` +
      `${seconds.toFixed(1)} s`,
  );
  const total = figures.reduce((sum, figure) => sum + figure.runs, 0);
  const failed = figures.filter((figure) => figure.failures > 0).length;
  lines.push(`fuzz: ${total} runs in all, ${failed} properties failed`);
  process.stdout.write(`\n${lines.join("\n")}\n`);
});

describe("fuzz", () => {
  it.each([
    ["parseCommand never throws", parseIsTotal, 1_000_000],
    ["parse(format(c)) round-trips", roundTrip, 1_000_000],
    ["formatCommand is strict", formatIsStrict, 1_000_000],
  ] as const)(
    "%s",
    (name, property, count) => {
      const start = now();
      const details = fc.check(property(), { numRuns: runs(count) });
      record(name, details, start);
    },
    TIMEOUT_MS,
  );

  it(
    "public methods put nothing bad on the wire",
    async () => {
      jest.useFakeTimers();
      const start = now();
      const details = await fc.check(publicMethodsAreSafe(), {
        numRuns: runs(20_000),
      });
      jest.useRealTimers();
      record("public methods are safe", details, start);
    },
    TIMEOUT_MS,
  );
});
