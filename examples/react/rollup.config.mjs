// Bundles the React example into dist/app.js: React from npm, the app
// from src/ (TypeScript with JSX), nextauth-ws from this repository.
//
//   npm run build -w examples/react     (after `npm run build` at the root)
import { fileURLToPath } from "node:url";

import commonjs from "@rollup/plugin-commonjs";
import nodeResolve from "@rollup/plugin-node-resolve";
import replace from "@rollup/plugin-replace";
import terser from "@rollup/plugin-terser";
import typescript from "@rollup/plugin-typescript";

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

/**
 * Resolves `nextauth-ws` to the repository's own build. In your app,
 * `npm install nextauth-ws` and drop this plugin.
 */
function thisRepository() {
  return {
    name: "nextauth-ws-from-this-repository",
    resolveId(source) {
      return source === "nextauth-ws" ? here("../../dist/index.mjs") : null;
    },
  };
}

export default {
  input: here("src/main.tsx"),
  plugins: [
    thisRepository(),
    nodeResolve({ browser: true }),
    // React ships CommonJS that picks its build on process.env.NODE_ENV:
    // replaced first, so that only one build is bundled. Production,
    // unless NODE_ENV=development (jest sets NODE_ENV=test: still
    // production, the build a site ships).
    replace({
      preventAssignment: true,
      "process.env.NODE_ENV": JSON.stringify(
        process.env.NODE_ENV === "development" ? "development" : "production",
      ),
    }),
    commonjs(),
    typescript({ tsconfig: here("tsconfig.json"), noEmit: false }),
    terser({ ecma: 2020 }),
  ],
  output: {
    file: here("dist/app.js"),
    format: "es",
    sourcemap: true,
  },
};
