/**
 * Reconnect delays: exponential growth with full jitter above a floor.
 * Pure: the random source is a parameter.
 *
 * @packageDocumentation
 */

/** How reconnect delays grow. All fields are required here. */
export interface BackoffOptions {
  /** The shortest delay, in milliseconds. */
  minDelayMs: number;
  /** The longest delay, in milliseconds. */
  maxDelayMs: number;
  /** How much the ceiling grows with each failed attempt. */
  factor: number;
}

/** A source of numbers in [0, 1), such as `Math.random`. */
export type RandomSource = () => number;

/**
 * The ceiling of the delay before reconnect attempt `attempt` (0 for the
 * first): `minDelayMs × factor^(attempt + 1)`, capped at `maxDelayMs`.
 */
export function backoffCeiling(
  attempt: number,
  options: BackoffOptions,
): number {
  const { minDelayMs, maxDelayMs, factor } = options;
  const exponent = Math.max(0, Math.floor(attempt)) + 1;

  // factor ** exponent reaches Infinity for large attempts, and
  // Math.min handles that; NaN cannot arise from validated options.
  return Math.min(maxDelayMs, minDelayMs * factor ** exponent);
}

/**
 * The delay before reconnect attempt `attempt` (0 for the first), drawn
 * uniformly between `minDelayMs` and {@link backoffCeiling}. The jitter
 * spreads a crowd of pages that lost the server at the same moment; the
 * floor keeps even the luckiest draw from hammering it.
 *
 * @example
 * ```ts
 * const options = { minDelayMs: 1000, maxDelayMs: 10000, factor: 2 };
 * backoffDelay(0, options, () => 0.5); // 1500
 * backoffDelay(9, options, () => 0.5); // 5500
 * ```
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: RandomSource = Math.random,
): number {
  const ceiling = backoffCeiling(attempt, options);
  const floor = Math.min(options.minDelayMs, ceiling);

  // Clamp the draw: a custom source may stray outside [0, 1).
  const draw = Math.min(1, Math.max(0, random()));

  return Math.round(floor + draw * (ceiling - floor));
}
