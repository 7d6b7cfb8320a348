/**
 * Property tests of the codec and of every public method that writes to
 * the wire, 1 000 runs each. `npm run fuzz` runs the same properties a
 * million times (bench/fuzz.ts).
 */
import fc from "fast-check";

import {
  formatIsStrict,
  parseIsTotal,
  publicMethodsAreSafe,
  roundTrip,
} from "./helpers/properties";

const RUNS = 1000;

describe("parseCommand and formatCommand", () => {
  it("round-trips every valid command", () => {
    fc.assert(roundTrip(), { numRuns: RUNS });
  });

  it("never throws on any input, and returns only safe commands", () => {
    fc.assert(parseIsTotal(), { numRuns: RUNS });
  });

  it("formats good input and throws TypeError for anything else", () => {
    fc.assert(formatIsStrict(), { numRuns: RUNS });
  });
});

describe("public methods", () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it("never put an invalid id, a line break or an id in a log", async () => {
    await fc.assert(publicMethodsAreSafe(), { numRuns: RUNS });
  });
});
