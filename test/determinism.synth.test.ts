import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { exampleOrganization } from "./fixtures/organizations/example/index.js";
import { loadFunctionArtifacts } from "../functions/artifacts.js";
import { synthesize } from "../stacks/app/synth.js";
import { outputFiles as files, synthOrg } from "./support/synth.js";

describe("synth is deterministic", () => {
  it("two synths of the same config are byte-identical, Lambda assets included", () => {
    const a = files(synthOrg({ mode: { offline: false } }).outdir);
    const b = files(synthOrg({ mode: { offline: false } }).outdir);
    expect([...b.keys()]).toEqual([...a.keys()]);
    const different = [...a.keys()].filter((k) => !a.get(k)!.equals(b.get(k)!));
    expect(different).toEqual([]);
    expect([...a.keys()].filter((k) => k.endsWith("cdk.tf.json"))).toHaveLength(8);
  });

  it("synthesizing in parallel worker processes gives the same bytes as one process", async () => {
    const parallel = mkdtempSync(join(tmpdir(), "patchline-parallel-"));
    await synthesize({
      input: exampleOrganization,
      mode: { offline: false },
      artifacts: loadFunctionArtifacts(),
      outdir: parallel,
      workers: 2,
      minStacksPerWorker: 1,
    });
    const one = mkdtempSync(join(tmpdir(), "patchline-single-"));
    await synthesize({ input: exampleOrganization, mode: { offline: false }, artifacts: loadFunctionArtifacts(), outdir: one, workers: 1 });
    const single = files(one);
    const split = files(parallel);
    expect([...split.keys()]).toEqual([...single.keys()]);
    expect([...single.keys()].filter((k) => !single.get(k)!.equals(split.get(k)!))).toEqual([]);
  }, 120_000);

  it("renders no machine-specific paths", () => {
    const { outdir, stacks } = synthOrg({ mode: { offline: false } });
    for (const stack of stacks.values()) expect(JSON.stringify(stack.json)).not.toContain(outdir);
    expect(JSON.stringify([...stacks.values()].map((s) => s.json))).not.toContain(process.cwd());
  });
});
