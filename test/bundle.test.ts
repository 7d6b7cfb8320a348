/**
 * The built bundles: no code from strings, no markup sinks. A plain token
 * scan of what ships, so a dependency or a build step that brings one in
 * fails here too, not only a line in src/ (which ESLint guards).
 *
 * Reads dist/: `npm test` builds first; alone, run `npm run build`.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const DIST = join(__dirname, "..", "dist");
const BUNDLES = [
  "nextauth-ws.js",
  "nextauth-ws.min.js",
  "index.mjs",
  "index.cjs",
];

/** What a bundle must never hold, each a whole token, spacing allowed. */
const FORBIDDEN: readonly [string, RegExp][] = [
  ["eval", /\beval\s*\(/],
  ["new Function", /\bnew\s+Function\b/],
  ["Function()", /(?<![\w$.]|new\s+)Function\s*\(/],
  ["innerHTML", /\binnerHTML\b/],
  ["outerHTML", /\bouterHTML\b/],
  ["insertAdjacentHTML", /\binsertAdjacentHTML\b/],
  ["document.write", /\bdocument\s*\.\s*write(?:ln)?\b/],
  ["string timer", /\bset(?:Timeout|Interval)\s*\(\s*["'`]/],
];

/** The names of the forbidden tokens that `code` holds. */
function forbiddenTokens(code: string): string[] {
  return FORBIDDEN.filter(([, pattern]) => pattern.test(code)).map(
    ([name]) => name,
  );
}

function readBundle(name: string): string {
  const path = join(DIST, name);
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run \`npm run build\` first`);
  }
  return readFileSync(path, "utf8");
}

describe("forbiddenTokens", () => {
  it.each([
    ["eval", 'x=eval("1")'],
    ["eval", "window.eval ( code )"],
    ["new Function", 'new Function("return 1")'],
    ["Function()", 'const f=Function("return 1")'],
    ["innerHTML", "el.innerHTML=html"],
    ["outerHTML", 'el["outerHTML"]=html'],
    ["insertAdjacentHTML", 'el.insertAdjacentHTML("beforeend",h)'],
    ["document.write", "document.write(html)"],
    ["document.write", "document . writeln(html)"],
    ["string timer", 'setTimeout("tick()", 5)'],
    ["string timer", "setInterval( `tick()` )"],
  ])("finds %s in %j", (name, code) => {
    expect(forbiddenTokens(code)).toEqual([name]);
  });

  it.each([
    ['typeof x=="function"'],
    ["x instanceof Function"],
    ["retrieval(x)"],
    ["myFunction(x)"],
    ["node.textContent=text"],
    ["documentWriter(x)"],
    ["setTimeout(tick, 5)"],
  ])("finds nothing in %j", (code) => {
    expect(forbiddenTokens(code)).toEqual([]);
  });
});

describe.each(BUNDLES)("dist/%s", (name) => {
  it("holds no eval, Function constructor or markup sink", () => {
    expect(forbiddenTokens(readBundle(name))).toEqual([]);
  });

  it("fails the scan once a forbidden token is added", () => {
    const code = readBundle(name);
    const middle = Math.floor(code.length / 2);

    for (const [token, sample] of [
      ["eval", ";eval(s);"],
      ["innerHTML", ";e.innerHTML=s;"],
      ["document.write", ";document.write(s);"],
      ["new Function", ";new Function(s);"],
    ]) {
      const before = code.slice(0, middle);
      const tainted = `${before}\n${sample}\n${code.slice(middle)}`;
      expect(forbiddenTokens(tainted)).toContain(token);
    }
  });

  it("points to its source map", () => {
    const code = readBundle(name);

    expect(code).toMatch(new RegExp(`//# sourceMappingURL=${name}\\.map\\s*$`));
    expect(existsSync(join(DIST, `${name}.map`))).toBe(true);
  });
});

describe("README's script-tag URLs", () => {
  const pkg = JSON.parse(
    readFileSync(join(__dirname, "..", "package.json"), "utf8"),
  ) as { name: string; version: string; unpkg: string; jsdelivr: string };
  const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
  const urls = readme.match(
    /https:\/\/(?:unpkg\.com|cdn\.jsdelivr\.net\/npm)\/[^\s"'`<>)]+/g,
  );

  it("pin the package's version and name its CDN file", () => {
    // The URL pattern writes the version as VERSION.
    const expected = new Set(
      [pkg.version, "VERSION"].flatMap((version) => [
        `https://unpkg.com/${pkg.name}@${version}`,
        `https://unpkg.com/${pkg.name}@${version}/${pkg.unpkg.slice(2)}`,
        `https://cdn.jsdelivr.net/npm/${pkg.name}@${version}/` +
          pkg.jsdelivr.slice(2),
      ]),
    );

    expect(urls?.length).toBeGreaterThan(0);
    expect(urls?.filter((url) => !expected.has(url))).toEqual([]);
  });
});
