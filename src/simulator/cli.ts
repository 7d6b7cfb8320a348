/**
 * The `nextauth-ws-simulator` command: starts the simulator until Ctrl-C.
 *
 * @packageDocumentation
 */

/// <reference types="node" />
import { parseArgs } from "node:util";

import { SIMULATOR_DEFAULTS } from "./options";
import type { SimulatorOptions } from "./options";
import { startSimulator } from "./server";

/** The port the command listens on without `--port`. */
export const CLI_DEFAULT_PORT = 8081;

const { host, maxFrameBytes, maxSessionsPerSocket, maxSockets, maxSessions } =
  SIMULATOR_DEFAULTS;

const USAGE = `Usage: nextauth-ws-simulator [options]

A local nextAuth server: a WebSocket for pages, and a control API under
/api/ that plays the phone (loopback clients only).

Options:
  --port <n>                     port, 0 for a free one [${CLI_DEFAULT_PORT}]
  --host <address>               address [${host}]
  --max-frame-bytes <n>          largest frame from a page [${maxFrameBytes}]
  --max-sessions-per-socket <n>  sessions per socket [${maxSessionsPerSocket}]
  --max-sockets <n>              sockets open at once [${maxSockets}]
  --max-sessions <n>             sessions kept [${maxSessions}]
  -h, --help                     this text
`;

const NUMBER_OPTIONS = {
  port: "port",
  "max-frame-bytes": "maxFrameBytes",
  "max-sessions-per-socket": "maxSessionsPerSocket",
  "max-sockets": "maxSockets",
  "max-sessions": "maxSessions",
} as const;

/** Reads the command line into options; throws a message on a bad one. */
export function parseCliArgs(args: string[]): SimulatorOptions | "help" {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "max-frame-bytes": { type: "string" },
      "max-sessions-per-socket": { type: "string" },
      "max-sockets": { type: "string" },
      "max-sessions": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";

  const options: SimulatorOptions = { port: CLI_DEFAULT_PORT };
  if (values.host !== undefined) options.host = values.host;
  for (const [flag, field] of Object.entries(NUMBER_OPTIONS)) {
    const text = values[flag as keyof typeof NUMBER_OPTIONS];
    if (text === undefined) continue;
    if (!/^\d+$/.test(text)) {
      throw new TypeError(`--${flag} must be a whole number, not "${text}"`);
    }
    options[field] = Number(text);
  }
  return options;
}

async function main(): Promise<void> {
  let options: SimulatorOptions | "help";
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options === "help") {
    process.stdout.write(USAGE);
    return;
  }

  const simulator = await startSimulator(options).catch((error: unknown) => {
    const { code } = error as { code?: string };
    const where = `${options.host ?? SIMULATOR_DEFAULTS.host}:${options.port}`;
    const message =
      code === "EADDRINUSE"
        ? `${where} is taken: stop what uses it, or pass --port`
        : (error as Error).message;
    process.stderr.write(`nextauth-ws-simulator: ${message}\n`);
    process.exit(1);
  });
  process.stdout.write(
    `nextAuth simulator\n` +
      `  WebSocket    ${simulator.wsUrl}\n` +
      `  control API  ${simulator.url}api/sessions\n` +
      `Ctrl-C stops it.\n`,
  );

  const stop = (): void => {
    void simulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) void main();
