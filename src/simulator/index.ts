/**
 * nextauth-ws/simulator: a local nextAuth server for development and
 * tests (Node only). See the README's "Simulator and demo".
 *
 * @packageDocumentation
 */

export { startSimulator } from "./server";
export type { Simulator } from "./server";
export {
  CLOSE_POLICY,
  CLOSE_TOO_BIG,
  CLOSE_TRY_AGAIN,
  SimulatorCore,
} from "./core";
export type {
  CoreLimits,
  PendingPush,
  PhoneAction,
  PhoneResult,
  SimulatedSession,
  SimulatorConnection,
  SimulatorStats,
} from "./core";
export { SimulatorError } from "./errors";
export type { SimulatorErrorCode } from "./errors";
export { SIMULATOR_DEFAULTS } from "./options";
export type { SimulatorOptions } from "./options";
export { MAX_BODY_BYTES } from "./api";
