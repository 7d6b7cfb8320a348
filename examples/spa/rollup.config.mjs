// Bundles the SPA demo: `import { NextAuthSocket } from "nextauth-ws"`
// resolves, through the package's own `exports`, to the repository's
// dist/index.mjs (run `npm run build` first; `npm start` does).
//
//   npx rollup -c examples/spa/rollup.config.mjs
import path from "node:path";
import { fileURLToPath } from "node:url";

import nodeResolve from "@rollup/plugin-node-resolve";

const here = path.dirname(fileURLToPath(import.meta.url));

export default {
  input: path.join(here, "src/main.js"),
  plugins: [nodeResolve({ browser: true })],
  output: {
    file: path.join(here, "dist/app.js"),
    format: "es",
    sourcemap: true,
  },
};
