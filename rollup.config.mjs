// Builds every output of DESIGN.md's table. The npm builds leave the one
// runtime dependency external; the script-tag builds carry it inside.
import { chmodSync, readFileSync } from "node:fs";

import nodeResolve from "@rollup/plugin-node-resolve";
import terser from "@rollup/plugin-terser";
import typescript from "@rollup/plugin-typescript";
import { dts } from "rollup-plugin-dts";

const pkg = JSON.parse(readFileSync("./package.json", "utf8"));
const external = [
  ...Object.keys(pkg.dependencies ?? {}),
  /^node:/,
  "ws",
  // nextauth-ws/testing runs on the site's own mock-socket.
  "mock-socket",
];
const banner = `/*! ${pkg.name} ${pkg.version} | MIT */`;

const ts = () =>
  typescript({
    tsconfig: "./tsconfig.build.json",
    compilerOptions: { declaration: false, declarationMap: false },
  });

export default [
  {
    input: "src/index.ts",
    external,
    plugins: [ts()],
    output: [
      { file: "dist/index.mjs", format: "es", sourcemap: true },
      { file: "dist/index.cjs", format: "cjs", sourcemap: true },
    ],
  },
  {
    input: "src/browser.ts",
    plugins: [nodeResolve(), ts()],
    output: {
      file: "dist/nextauth-ws.js",
      format: "iife",
      name: "NextAuthWS",
      banner,
      sourcemap: true,
    },
  },
  {
    input: "src/browser.ts",
    plugins: [withoutDebugLines(), nodeResolve(), ts()],
    output: {
      file: "dist/nextauth-ws.min.js",
      format: "iife",
      name: "NextAuthWS",
      banner,
      sourcemap: true,
      plugins: [
        terser({
          ecma: 2020,
          compress: { passes: 3 },
          mangle: { properties: { regex: /^_/ } },
          format: { comments: /^!/ },
        }),
      ],
    },
  },
  {
    input: "src/index.ts",
    external,
    plugins: [dts({ tsconfig: "./tsconfig.build.json" })],
    // One declaration file per module format, so TypeScript reads the
    // import and require conditions each as what they are.
    output: [
      { file: "dist/index.d.ts", format: "es" },
      { file: "dist/index.d.mts", format: "es" },
    ],
  },
  {
    input: "src/testing/index.ts",
    external,
    plugins: [ts()],
    output: [
      { file: "dist/testing.mjs", format: "es", sourcemap: true },
      { file: "dist/testing.cjs", format: "cjs", sourcemap: true },
    ],
  },
  {
    input: "src/testing/index.ts",
    external,
    plugins: [dts({ tsconfig: "./tsconfig.build.json" })],
    output: [
      { file: "dist/testing.d.ts", format: "es" },
      { file: "dist/testing.d.mts", format: "es" },
    ],
  },
  // nextauth-ws/simulator (Node only) and its command.
  {
    input: "src/simulator/index.ts",
    external,
    plugins: [ts()],
    output: [
      { file: "dist/simulator.mjs", format: "es", sourcemap: true },
      { file: "dist/simulator.cjs", format: "cjs", sourcemap: true },
    ],
  },
  {
    input: "src/simulator/index.ts",
    external,
    plugins: [dts({ tsconfig: "./tsconfig.build.json" })],
    output: [
      { file: "dist/simulator.d.ts", format: "es" },
      { file: "dist/simulator.d.mts", format: "es" },
    ],
  },
  {
    input: "src/simulator/cli.ts",
    external,
    plugins: [ts(), executable()],
    output: {
      file: "dist/simulator-cli.cjs",
      format: "cjs",
      banner: "#!/usr/bin/env node",
    },
  },
];

/**
 * Builds src/debug.ts as `DEBUG = false`, so terser drops every debug
 * line and its text: the minified bundle is for login pages, where every
 * byte counts; the readable bundle keeps them.
 */
function withoutDebugLines() {
  return {
    name: "without-debug-lines",
    load(id) {
      if (!/[\\/]src[\\/]debug\.ts$/.test(id)) return null;
      return "export const DEBUG = false;";
    },
  };
}

/** Marks the written files executable, as a command needs to be. */
function executable() {
  return {
    name: "executable",
    writeBundle(options) {
      chmodSync(options.file, 0o755);
    },
  };
}
