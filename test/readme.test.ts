import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** The README's quick start is the user's entry: its commands must exist and CI must run the test one. */
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const scripts = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { scripts: Record<string, string> }).scripts;
const ciScript = readFileSync(new URL("../.ci/run", import.meta.url), "utf8");

function quickStartCommands(): string[] {
  const section = readme.split(/^## /m).find((s) => s.startsWith("Quick start"));
  const block = section?.match(/```sh\n([\s\S]*?)```/)?.[1];
  if (!block) throw new Error("README has no Quick start code block");
  return block
    .split("\n")
    .map((line) => line.replace(/#.*$/, "").trim())
    .filter(Boolean);
}

describe("README quick start", () => {
  it("is exactly two commands: one renders the example organization, one runs the tests", () => {
    expect(quickStartCommands()).toEqual(["npm ci && npm run synth", "npm test"]);
  });

  it("names npm scripts that exist", () => {
    const named = [...readme.matchAll(/npm run ([a-z:-]+)/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(0);
    for (const name of new Set(named)) expect(scripts, `npm run ${name}`).toHaveProperty(name);
    expect(scripts.test).toContain("vitest run");
  });

  it("is what CI runs on a clean clone", () => {
    const lines = ciScript
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    expect(lines).toContain("npm ci --no-audit --no-fund");
    expect(lines.at(-1)).toBe("npm test");
  });
});
