/**
 * The README's Options table must say what the code does: a default that
 * drifts fails here rather than misleading a reader.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { DEFAULTS } from "../src";

const README = readFileSync(join(__dirname, "..", "README.md"), "utf8");

/** The default column of the Options table, by option name. */
function documentedDefaults(): Map<string, string> {
  const section = README.split("\n## Options\n")[1]?.split("\n## ")[0] ?? "";
  const rows = new Map<string, string>();
  for (const line of section.split("\n")) {
    const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
    const name = /^`(\w+)`$/.exec(cells[1] ?? "")?.[1];
    if (name) rows.set(name, cells[3] ?? "");
  }
  return rows;
}

describe("README", () => {
  const rows = documentedDefaults();

  it("has an Options table row for every default", () => {
    for (const name of Object.keys(DEFAULTS)) {
      expect(rows.has(name)).toBe(true);
    }
  });

  it.each(
    Object.entries(DEFAULTS).filter(([, value]) => typeof value !== "object"),
  )("documents the default of %s as the code has it", (name, value) => {
    expect(rows.get(name)).toBe(`\`${String(value)}\``);
  });

  it("documents the reconnect defaults as the code has them", () => {
    const { minDelayMs, maxDelayMs, factor } = DEFAULTS.reconnect;
    expect(rows.get("reconnect")).toBe(
      `\`{ minDelayMs: ${minDelayMs}, maxDelayMs: ${maxDelayMs}, ` +
        `factor: ${factor} }\``,
    );
  });
});
