import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { OrgConfigInput } from "../environments/schema/index.js";
import { loadFunctionArtifacts } from "../functions/artifacts.js";
import { synthesize, type SynthProps } from "../stacks/app/synth.js";
import { generatedOrganization } from "./fixtures/organizations/generated.js";
import { differingFiles } from "./support/synth.js";
import { scratchFolders } from "./support/scratch.js";
import { fixtureRecord } from "./support/promotion.js";

/**
 * `cdktf synth` keeps the stacks whose inputs did not change since the last synth and renders the
 * others; what it leaves must be what a fresh synth writes, byte for byte.
 */
const { folder } = scratchFolders("patchline-incremental-");
const artifacts = loadFunctionArtifacts();
const base = generatedOrganization({ accounts: [2, 2, 2] });
const synth = (input: OrgConfigInput, outdir: string, extra: Partial<SynthProps> = {}) =>
  synthesize({ input, mode: { offline: true }, artifacts, outdir, workers: 1, ...extra });

/** Synthesizes `before` fresh, then `after` incrementally into the same folder; returns what was rendered and whether the folder equals a fresh synth of `after`. */
async function change(before: OrgConfigInput, after: OrgConfigInput, extra: Partial<SynthProps> = {}) {
  const outdir = folder();
  await synth(before, outdir);
  const { rendered } = await synth(after, outdir, { incremental: true, ...extra });
  const fresh = folder();
  await synth(after, fresh, extra.code ? { code: extra.code } : {});
  return { rendered, different: differingFiles(outdir, fresh) };
}
const modified = (edit: (input: OrgConfigInput) => void): OrgConfigInput => {
  const copy = structuredClone(base);
  edit(copy);
  return copy;
};

describe("incremental synth", () => {
  it("renders nothing when nothing changed", async () => {
    expect(await change(base, base)).toEqual({ rendered: [], different: [] });
  });

  it("an account added: renders the central stack and the new account's stack only", async () => {
    const after = modified((d) => d.environments.prod!.accounts.push({ name: "prod-new", id: "499999999999" }));
    expect(await change(base, after)).toEqual({ rendered: ["central", "prod-prod-new"], different: [] });
  }, 60_000);

  it("an account removed: renders the central stack and deletes the account's stack", async () => {
    // dev: an environment without canary waves, whose last wave would otherwise be left empty
    const after = modified((d) => d.environments.dev!.accounts.pop());
    expect(await change(base, after)).toEqual({ rendered: ["central"], different: [] });
  }, 60_000);

  it("an environment's setting changed: renders the central stack and that environment's stacks", async () => {
    const after = modified((d) => (d.environments.prod!.rejectedPatches = { WINDOWS: ["KB5034440"] }));
    const { rendered, different } = await change(base, after);
    expect(rendered).toEqual(["central", "prod-prod-app001", "prod-prod-app002"]);
    expect(different).toEqual([]);
  }, 60_000);

  it("a promotion record committed: renders the central stack and the promoted environment's stacks", async () => {
    const promoted = modified((d) => ((d.environments.prod as { promotion?: object }).promotion = { from: "preprod" }));
    const record = { ...fixtureRecord(), createdAt: new Date().toISOString() };
    const { rendered, different } = await change(promoted, { ...promoted, promotions: { prod: record } });
    expect(rendered).toEqual(["central", "prod-prod-app001", "prod-prod-app002"]);
    expect(different).toEqual([]);
  }, 60_000);

  it("an organization-wide setting changed: renders every stack", async () => {
    const after = modified((d) => (d.org.ownerTagKey = "Team"));
    expect((await change(base, after)).rendered).toHaveLength(7);
  }, 60_000);

  it("the rendering code changed: renders every stack", async () => {
    const { rendered, different } = await change(base, base, { code: "another version of stacks/" });
    expect(rendered).toHaveLength(7);
    expect(different).toEqual([]);
  }, 60_000);

  it.each([1, 2])(
    "renders in Apps of a few stacks each (%i worker) the same bytes as in one App",
    async (workers) => {
      const batched = folder();
      await synth(base, batched, { workers, minStacksPerWorker: 1, stacksPerApp: 2 });
      const whole = folder();
      await synth(base, whole);
      expect(differingFiles(batched, whole)).toEqual([]);
    },
    60_000,
  );

  it.each([1, 2])(
    "renders in worker processes of a few stacks each, more of them than workers (%i at a time), the same bytes as in one process",
    async (workers) => {
      const shared = folder();
      // 7 stacks, at most 3 per process: 3 processes
      expect((await synth(base, shared, { workers, minStacksPerWorker: 1, stacksPerWorker: 3 })).workerProcesses).toBe(3);
      const whole = folder();
      await synth(base, whole);
      expect(differingFiles(shared, whole)).toEqual([]);
    },
    60_000,
  );

  it("a stack whose files are gone is rendered again, in worker processes as well", async () => {
    const outdir = folder();
    await synth(base, outdir);
    rmSync(join(outdir, "stacks", "dev-dev-app002"), { recursive: true });
    const { rendered } = await synth(base, outdir, { incremental: true, workers: 2, minStacksPerWorker: 1 });
    expect(rendered).toEqual(["dev-dev-app002"]);
    const fresh = folder();
    await synth(base, fresh);
    expect(differingFiles(outdir, fresh)).toEqual([]);
  }, 60_000);
});
