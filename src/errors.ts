/**
 * The errors a {@link NextAuthSocket} rejects with.
 *
 * @packageDocumentation
 */

/** Why a push login did not get its confirmation. */
export type ProvokeErrorCode = "timeout" | "closed" | "aborted";

const MESSAGES: Record<ProvokeErrorCode, string> = {
  timeout: "no CONFIRMPROVOKE in time",
  closed: "connection closed before CONFIRMPROVOKE",
  aborted: "aborted",
};

/**
 * The rejection of {@link NextAuthSocket.provoke}. `code` is stable; the
 * message is for people.
 *
 * @example
 * ```ts
 * try {
 *   await socket.provoke();
 * } catch (error) {
 *   if (error instanceof ProvokeError && error.code === "timeout") retry();
 * }
 * ```
 */
export class ProvokeError extends Error {
  /** Always `"ProvokeError"`. */
  override readonly name = "ProvokeError";
  /**
   * Why: `timeout` (no `CONFIRMPROVOKE` in time), `closed` (the
   * connection dropped after sending it, or `close()` was called) or
   * `aborted` (the caller's `AbortSignal` fired).
   */
  readonly code: ProvokeErrorCode;

  constructor(code: ProvokeErrorCode) {
    super(`nextauth-ws: provoke: ${MESSAGES[code]}`);
    this.code = code;
  }
}
