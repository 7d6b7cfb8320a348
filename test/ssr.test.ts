/**
 * Server-side rendering: a server imports the package while it renders a
 * page, with no `window` or `document`. The import must not touch them.
 * Each build is imported in a fresh Node process whose browser globals
 * are getters that record the access and throw.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const DIST = join(__dirname, "..", "dist");
const BROWSER_GLOBALS = [
  "window",
  "document",
  "self",
  "navigator",
  "location",
  "localStorage",
  "sessionStorage",
];

interface ImportResult {
  status: number | null;
  touched: string[];
  exports: string[];
  stderr: string;
}

/** The script that arms the globals, then loads `load` (an expression). */
function script(load: string): string {
  return `
    const touched = [];
    for (const name of ${JSON.stringify(BROWSER_GLOBALS)}) {
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get() {
          touched.push(name);
          throw new Error("the import touched " + name);
        },
      });
    }
    Promise.resolve(${load}).then((mod) => {
      process.stdout.write(
        JSON.stringify({ touched, exports: Object.keys(mod).sort() }),
      );
    });
  `;
}

function importInNode(file: string): ImportResult {
  const path = join(DIST, file);
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run \`npm run build\` first`);
  }

  const load = file.endsWith(".mjs")
    ? `import(${JSON.stringify(pathToFileURL(path).href)})`
    : `require(${JSON.stringify(path)})`;
  const child = spawnSync(process.execPath, ["-e", script(load)], {
    encoding: "utf8",
    timeout: 15_000,
  });

  const output = child.stdout
    ? (JSON.parse(child.stdout) as Omit<ImportResult, "status" | "stderr">)
    : { touched: [], exports: [] };
  return { status: child.status, stderr: child.stderr, ...output };
}

describe.each(["index.mjs", "index.cjs"])("importing dist/%s", (file) => {
  it("touches no browser global", () => {
    const result = importInNode(file);

    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.touched).toEqual([]);
  });

  it("exports the socket and the protocol functions", () => {
    const result = importInNode(file);

    expect(result.exports).toEqual(
      expect.arrayContaining([
        "NextAuthSocket",
        "parseCommand",
        "formatCommand",
        "isValidId",
      ]),
    );
  });
});

describe("the armed globals", () => {
  it("catch a module that reads window at import", () => {
    const child = spawnSync(
      process.execPath,
      ["-e", script("({ isBrowser: typeof window !== 'undefined' })")],
      { encoding: "utf8", timeout: 15_000 },
    );

    expect(child.status).not.toBe(0);
    expect(child.stderr).toContain("the import touched window");
  });
});
