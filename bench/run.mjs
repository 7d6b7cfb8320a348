// npm run bench: builds dist when it is missing or older than src, runs
// every bench in its own process (one at a time: they time things), and
// prints one table, which it also writes to bench/RESULTS.md with the
// date, the Node version and the CPU.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";

import { ROOT } from "./lib/common.mjs";

const BENCHES = [
  { file: "size.mjs" },
  { file: "wakeups.mjs" },
  { file: "outage-fake.mjs" },
  { file: "outage-real.mjs" },
  { file: "online.mjs" },
  { file: "throughput.mjs" },
  { file: "memory.mjs", flags: ["--expose-gc"] },
  { file: "register.mjs" },
];
const OUTPUTS = ["dist/index.mjs", "dist/nextauth-ws.min.js"];

function newestMs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const ms = entry.isDirectory() ? newestMs(path) : statSync(path).mtimeMs;
    newest = Math.max(newest, ms);
  }
  return newest;
}

function buildIfStale() {
  const paths = OUTPUTS.map((file) => join(ROOT, file));
  const srcMs = newestMs(join(ROOT, "src"));
  const stale = paths.some(
    (path) => !existsSync(path) || statSync(path).mtimeMs < srcMs,
  );
  if (!stale) return;

  console.error("bench: dist is missing or older than src; building");
  const build = spawnSync("npm", ["run", "build"], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

function runBench({ file, flags = [] }) {
  console.error(`bench: ${file}`);
  const startedAt = performance.now();
  const child = spawnSync(
    process.execPath,
    [...flags, join(ROOT, "bench", file)],
    { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  if (child.status !== 0) {
    throw new Error(`bench/${file} failed with status ${child.status}`);
  }

  const seconds = (performance.now() - startedAt) / 1000;
  console.error(`bench: ${file} took ${seconds.toFixed(1)} s`);
  const lines = child.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]).rows;
}

function formatNumber(value, unit) {
  if (value === null || value === undefined) return "—";
  if (typeof value !== "number") return String(value);
  if (Number.isNaN(value)) return "n/a";

  const size = Math.abs(value);
  const digits =
    Number.isInteger(value) || size >= 100 ? 0 : size >= 10 ? 1 : 2;
  const text =
    size > 0 && size < 0.1
      ? value.toPrecision(2)
      : value.toLocaleString("en", { maximumFractionDigits: digits });
  return unit ? `${text} ${unit}` : text;
}

function formatRatio(library, baseline) {
  if (typeof library !== "number" || typeof baseline !== "number") {
    return "—";
  }
  if (baseline === 0) return library === 0 ? "=" : "—";

  const ratio = library / baseline;
  if (ratio === 0) return "0";
  return ratio >= 10 ? `${Math.round(ratio)}×` : `${ratio.toPrecision(2)}×`;
}

function table(rows) {
  const header = [
    "| Measure | nextauth-ws | snippet | ratio | goal | met |",
    "|---|--:|--:|--:|---|:-:|",
  ];
  const body = rows.map((row) => {
    const met = row.met === null ? "" : row.met ? "yes" : "**no**";
    return (
      `| ${row.measure} | ${formatNumber(row.library, row.unit)} | ` +
      `${formatNumber(row.baseline, row.unit)} | ` +
      `${row.ratio === false ? "—" : formatRatio(row.library, row.baseline)}` +
      ` | ${row.goal} | ${met} |`
    );
  });
  return [...header, ...body].join("\n");
}

buildIfStale();
const startedAt = performance.now();
const rows = BENCHES.flatMap(runBench);
const minutes = (performance.now() - startedAt) / 60_000;

const [cpu] = cpus();
const text = `# Benchmark results

Written by \`npm run bench\` (bench/run.mjs); rerun it to refresh. The
baseline ("snippet") is bench/snippet.mjs, a reimplementation of the
script nextAuth's documentation asks pages to paste: a 500 ms poll that
opens a new socket whenever the last one failed, one \`REGISTER\` per
session on open. Both are measured in the same run, on the same machine.
"ratio" is nextauth-ws ÷ snippet.

- date: ${new Date().toISOString()}
- Node: ${process.version} (${process.platform} ${process.arch})
- CPU: ${cpu?.model ?? "unknown"}, ${cpus().length} logical cores
- load average at the end: ${loadavg()
  .map((load) => load.toFixed(2))
  .join(", ")} (the machine may be shared: timings are noisy)
- run time: ${minutes.toFixed(1)} min

${table(rows)}

How each figure is taken: see the comment at the top of each bench file
(bench/size.mjs, wakeups.mjs, outage-fake.mjs, outage-real.mjs,
online.mjs, throughput.mjs, memory.mjs, register.mjs).
`;

writeFileSync(join(ROOT, "bench", "RESULTS.md"), text);
console.log(table(rows));
console.log(`\nwritten to bench/RESULTS.md`);
