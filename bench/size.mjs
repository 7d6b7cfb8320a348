// Size: what a page downloads. The library's script-tag bundle against
// the snippet's script, each minified the same way (terser, through
// rollup), then gzip and brotli at their highest levels.

import { readFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

import terser from "@rollup/plugin-terser";
import { rollup } from "rollup";

import { ROOT, emit, log } from "./lib/common.mjs";

const BUNDLE = `${ROOT}dist/nextauth-ws.min.js`;
// size-limit counts 3 KB as 3000 bytes: the stricter reading.
const BUDGET_GZIP = 3000;

function sizes(code) {
  const bytes = Buffer.from(code);
  return {
    min: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length,
  };
}

/** The snippet as pasted: the part of bench/snippet.mjs between markers. */
function snippetSource() {
  const text = readFileSync(new URL("./snippet.mjs", import.meta.url), "utf8");
  const begin = text.indexOf("// BEGIN SNIPPET");
  const end = text.indexOf("// END SNIPPET");
  const body = text.slice(text.indexOf("\n", begin) + 1, end);
  return `${body}window.nextAuth = nextAuth;\n`;
}

async function minifySnippet() {
  const source = snippetSource();
  const bundle = await rollup({
    input: "snippet",
    plugins: [
      {
        name: "snippet",
        resolveId: (id) => (id === "snippet" ? id : null),
        load: (id) => (id === "snippet" ? source : null),
      },
    ],
  });
  const { output } = await bundle.generate({
    format: "iife",
    plugins: [terser({ ecma: 2020, compress: { passes: 2 } })],
  });
  await bundle.close();
  return output[0].code;
}

const library = sizes(readFileSync(BUNDLE));
const snippet = sizes(await minifySnippet());
log(`size: library ${JSON.stringify(library)}`);
log(`size: snippet ${JSON.stringify(snippet)}`);

emit([
  {
    measure: "dist/nextauth-ws.min.js, minified",
    unit: "B",
    library: library.min,
    baseline: snippet.min,
    goal: "",
    met: null,
  },
  {
    measure: "dist/nextauth-ws.min.js, gzip",
    unit: "B",
    library: library.gzip,
    baseline: snippet.gzip,
    goal: "≤ 3 kB (3000 B); aim 2.5 kB",
    met: library.gzip <= BUDGET_GZIP,
  },
  {
    measure: "dist/nextauth-ws.min.js, brotli",
    unit: "B",
    library: library.brotli,
    baseline: snippet.brotli,
    goal: "",
    met: null,
  },
]);
