import { backoffCeiling, backoffDelay } from "../src/backoff";

const DEFAULTS = { minDelayMs: 1000, maxDelayMs: 10_000, factor: 2 };

describe("backoffCeiling", () => {
  it.each([
    [0, 2000],
    [1, 4000],
    [2, 8000],
    [3, 10_000],
    [10, 10_000],
    [1000, 10_000],
  ])("is %d -> %d ms with the defaults", (attempt, ceiling) => {
    expect(backoffCeiling(attempt, DEFAULTS)).toBe(ceiling);
  });

  it("treats a negative or fractional attempt as the nearest whole one", () => {
    expect(backoffCeiling(-3, DEFAULTS)).toBe(2000);
    expect(backoffCeiling(1.7, DEFAULTS)).toBe(4000);
  });

  it("stays at minDelayMs with factor 1", () => {
    const options = { ...DEFAULTS, factor: 1 };
    expect(backoffCeiling(0, options)).toBe(1000);
    expect(backoffCeiling(50, options)).toBe(1000);
  });

  it("never exceeds maxDelayMs, even where the power overflows", () => {
    expect(backoffCeiling(5000, { ...DEFAULTS, factor: 10 })).toBe(10_000);
  });
});

describe("backoffDelay", () => {
  it("draws between minDelayMs and the ceiling", () => {
    expect(backoffDelay(0, DEFAULTS, () => 0)).toBe(1000);
    expect(backoffDelay(0, DEFAULTS, () => 0.5)).toBe(1500);
    expect(backoffDelay(0, DEFAULTS, () => 0.999999)).toBe(2000);
    expect(backoffDelay(2, DEFAULTS, () => 0.5)).toBe(4500);
    expect(backoffDelay(9, DEFAULTS, () => 0.5)).toBe(5500);
  });

  it("clamps a random source that strays outside [0, 1)", () => {
    expect(backoffDelay(0, DEFAULTS, () => -5)).toBe(1000);
    expect(backoffDelay(0, DEFAULTS, () => 7)).toBe(2000);
  });

  it("uses Math.random by default, within bounds", () => {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const delayMs = backoffDelay(attempt, DEFAULTS);
      expect(delayMs).toBeGreaterThanOrEqual(1000);
      expect(delayMs).toBeLessThanOrEqual(backoffCeiling(attempt, DEFAULTS));
    }
  });

  it("is exactly minDelayMs when min equals max", () => {
    const options = { minDelayMs: 3000, maxDelayMs: 3000, factor: 2 };
    expect(backoffDelay(0, options, () => 0.7)).toBe(3000);
    expect(backoffDelay(8, options, () => 0.2)).toBe(3000);
  });

  it("allows a zero floor", () => {
    const options = { minDelayMs: 0, maxDelayMs: 100, factor: 2 };
    expect(backoffDelay(0, options, () => 0.5)).toBe(0);
  });

  it("averages under an eighth of the 500 ms poll over a 60 s outage", () => {
    // Mean delay per attempt with random() = 0.5: the expected pace.
    let elapsedMs = 0;
    let attempts = 1;
    while (elapsedMs < 60_000) {
      elapsedMs += backoffDelay(attempts - 1, DEFAULTS, () => 0.5);
      attempts += 1;
    }
    expect(attempts).toBeLessThanOrEqual(120 / 8);
  });
});
