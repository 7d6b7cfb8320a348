/**
 * nextauth-ws/simulator: a local nextAuth server for development and
 * tests (Node only). See the README's "Simulator and demo".
 *
 * @packageDocumentation
 * @module nextauth-ws/simulator
 */

export { startSimulator } from "./server";
export type { Simulator } from "./server";
export { SimulatorCore } from "./core";
export { CLOSE_POLICY, CLOSE_TOO_BIG, CLOSE_TRY_AGAIN } from "./types";
export type {
  CoreLimits,
  PendingPush,
  PhoneAction,
  PhoneResult,
  SimulatedSession,
  SimulatorConnection,
  SimulatorStats,
} from "./types";
export { SimulatorError } from "./errors";
export type { SimulatorErrorCode } from "./errors";
export { SIMULATOR_DEFAULTS } from "./options";
export type { SimulatorOptions } from "./options";
export { MAX_BODY_BYTES } from "./api";
