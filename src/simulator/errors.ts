/**
 * The error the simulator throws for a request it cannot carry out.
 *
 * @packageDocumentation
 */

/** Why the simulator refused a request; stable, unlike the message. */
export type SimulatorErrorCode =
  | "unknown-session"
  | "nothing-to-approve"
  | "bad-id"
  | "bad-request"
  | "not-found"
  | "too-large"
  | "full";

/** The HTTP status the control API answers for each code. */
export const HTTP_STATUS: Record<SimulatorErrorCode, number> = {
  "unknown-session": 404,
  "nothing-to-approve": 409,
  "bad-id": 400,
  "bad-request": 400,
  "not-found": 404,
  "too-large": 413,
  full: 503,
};

/**
 * Thrown by the phone actions of a simulator. `code` is stable; the
 * message is for people.
 *
 * @example
 * ```ts
 * try {
 *   simulator.approve(serverId, hsid);
 * } catch (error) {
 *   if (error instanceof SimulatorError) console.log(error.code);
 * }
 * ```
 */
export class SimulatorError extends Error {
  /** Always `"SimulatorError"`. */
  override readonly name = "SimulatorError";
  /** Why the request was refused; the control API maps it to a status. */
  readonly code: SimulatorErrorCode;

  constructor(code: SimulatorErrorCode, message: string) {
    super(`nextauth-ws simulator: ${message}`);
    this.code = code;
  }
}
