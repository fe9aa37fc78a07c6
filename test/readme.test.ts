import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
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

describe("the documentation", () => {
  const pages = ["README.md", ...readdirSync(new URL("../docs", import.meta.url)).map((page) => `docs/${page}`)];
  const read = (page: string) => readFileSync(new URL(`../${page}`, import.meta.url), "utf8");
  /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
  const anchor = (heading: string) =>
    heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N} -]/gu, "")
      .replaceAll(" ", "-");
  const anchorsOf = (page: string) => new Set([...read(page).matchAll(/^#+ (.+)$/gm)].map((m) => anchor(m[1]!)));

  it("names only npm scripts that exist", () => {
    for (const page of pages)
      for (const [, name] of read(page).matchAll(/npm run ([a-z:-]+)/g)) expect(scripts, `${page}: npm run ${name}`).toHaveProperty(name!);
  });

  it("links only to pages and headings that exist", () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const match of read(page).matchAll(/\]\(([^)#\s]*)(?:#([^)\s]+))?\)/g)) {
        const [, file, fragment] = match;
        if (/^[a-z]+:/.test(file!)) continue;
        const linked = file === "" ? page : join(dirname(page), file!);
        if (!existsSync(new URL(`../${linked}`, import.meta.url))) broken.push(`${page}: ${match[0]}`);
        else if (fragment && linked.endsWith(".md") && !anchorsOf(linked).has(fragment)) broken.push(`${page}: ${match[0]} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("keeps the README an entry page", () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(150);
  });
});
