import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { CiFile } from "./rule.js";
import { actionsPinned } from "./rules/actions-pinned.js";

const root = new URL("../..", import.meta.url).pathname;
const sha = "11bd71901bbe5b1630ceea73d27597364c9af683";
const workflow = (...uses: string[]): CiFile => ({ path: "w.yml", content: { jobs: { build: { steps: uses.map((u) => ({ uses: u })) } } } });

/** The repository's own workflows and local actions, as GitHub reads them. */
function ciFiles(): CiFile[] {
  const actions = readdirSync(join(root, ".github/actions")).map((name) => `.github/actions/${name}/action.yml`);
  const workflows = readdirSync(join(root, ".github/workflows")).map((name) => `.github/workflows/${name}`);
  return [...workflows, ...actions].map((path) => ({ path, content: parse(readFileSync(join(root, path), "utf8")) }));
}

describe("CI-1 pinned actions", () => {
  it("accepts commit SHAs, local actions and image digests", () => {
    const digest = `docker://alpine@sha256:${"a".repeat(64)}`;
    expect(actionsPinned.check(workflow(`actions/checkout@${sha}`, "./.github/actions/setup", digest, `github/codeql-action/init@${sha}`))).toEqual([]);
  });

  it("flags a tag, a branch, a short SHA and an image tag, in steps, composite actions and reusable workflows", () => {
    const flagged = (file: CiFile) => actionsPinned.check(file).map((f) => `${f.resource}: ${f.message}`);
    expect(flagged(workflow("actions/checkout@v4", "actions/setup-node@main", `actions/cache@${sha.slice(0, 7)}`, "docker://alpine:3"))).toEqual([
      "w.yml: job build step 1: uses actions/checkout@v4, which is not pinned to a commit SHA (or an image digest)",
      "w.yml: job build step 2: uses actions/setup-node@main, which is not pinned to a commit SHA (or an image digest)",
      `w.yml: job build step 3: uses actions/cache@${sha.slice(0, 7)}, which is not pinned to a commit SHA (or an image digest)`,
      "w.yml: job build step 4: uses docker://alpine:3, which is not pinned to a commit SHA (or an image digest)",
    ]);
    expect(
      flagged({ path: "a/action.yml", content: { runs: { using: "composite", steps: [{ run: "x" }, { uses: "hashicorp/setup-terraform@v3" }] } } }),
    ).toEqual(["a/action.yml: runs step 2: uses hashicorp/setup-terraform@v3, which is not pinned to a commit SHA (or an image digest)"]);
    expect(flagged({ path: "w.yml", content: { jobs: { call: { uses: "org/repo/.github/workflows/x.yml@v1" } } } })).toHaveLength(1);
  });

  it("holds for every workflow and local action of this repository", () => {
    const files = ciFiles();
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(files.flatMap((file) => actionsPinned.check(file))).toEqual([]);
  });

  it("Dependabot proposes updates of the pinned actions of every workflow and local action", () => {
    const config = parse(readFileSync(join(root, ".github/dependabot.yml"), "utf8")) as {
      updates: Array<{ "package-ecosystem": string; directories?: string[]; directory?: string }>;
    };
    const actions = config.updates.find((u) => u["package-ecosystem"] === "github-actions");
    const covered = new Set(actions?.directories ?? [actions?.directory]);
    const needed = ["/", ...readdirSync(join(root, ".github/actions")).map((name) => `/.github/actions/${name}`)];
    expect(needed.filter((dir) => !covered.has(dir))).toEqual([]);
  });
});
