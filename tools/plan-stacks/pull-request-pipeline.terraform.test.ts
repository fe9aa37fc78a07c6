import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleWith } from "../../test/support/config.js";
import { startValidationEndpoint } from "../sfn-validation-endpoint.js";
import { synthOrg } from "../../test/support/synth.js";
import { terraformEnv, terraformVersion } from "../../test/support/terraform.js";
import { runProcess } from "../lib/process.js";
import { planReviewCommand } from "../plan-review.js";
import { planStacksCommand } from "../plan-stacks.js";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";

/**
 * What the pull-request workflow runs, on real offline synths of a base and a head configuration:
 * plan-stacks plans only the stacks that differ with terraform, plan-review turns the plans and
 * plan-stacks' summary into the comment. Offline plans start from empty state (no backend).
 */
const root = mkdtempSync(join(tmpdir(), "patchline-pr-pipeline-"));
const io = (out: string[]) => ({ print: (t: string) => out.push(t), error: (t: string) => out.push(t), now: () => new Date("2026-11-24T00:00:00Z") });
let planned: { code: number; out: string[] };
let markdown: string;
let stopValidation: (() => void) | undefined;

beforeAll(async () => {
  terraformVersion();
  // the central stack's state machines are validated at plan time: offline, by the local stand-in
  const validation = await startValidationEndpoint();
  stopValidation = validation.stop;
  synthOrg({ outdir: join(root, "base") });
  // dev: the payments account leaves, a data account joins
  synthOrg({ outdir: join(root, "head"), input: exampleWith((d) => (d.environments.dev.accounts[0] = { name: "data-dev", id: "200000000003" })) });
  // two shards, one after the other, as two runners of the workflow's matrix would plan them
  const out: string[] = [];
  let code = 0;
  for (const shard of ["1/2", "2/2"]) {
    const summary = join(root, "summaries", `shard-${shard[0]}.json`);
    const args = ["--base", join(root, "base"), "--head", join(root, "head"), "--out", join(root, "plans"), "--summary", summary, "--shard", shard];
    code = Math.max(
      code,
      await planStacksCommand(args, { io: io(out), run: (command, a, options) => runProcess(command, a, { ...options, env: terraformEnv(validation.env) }) }),
    );
  }
  planned = { code, out };
  const review: string[] = [];
  expect(
    planReviewCommand([join(root, "plans"), "--summary", join(root, "summaries"), "--markdown", join(root, "review.md")], io(review), exampleOrganization),
  ).toBe(0);
  markdown = readFileSync(join(root, "review.md"), "utf8");
}, 600_000);

afterAll(() => {
  stopValidation?.();
  rmSync(root, { recursive: true, force: true });
});

describe("pull-request pipeline: plan-stacks, then plan-review", () => {
  it("plans the new stack and central (its fleet catalog and accounts table list the accounts), one per shard; synth is byte-identical for everything else", () => {
    expect(planned.code).toBe(0);
    const counts = "2 to plan (1 changed, 1 new), 6 unchanged, 1 removed";
    expect(planned.out).toEqual([counts, "shard 1/2: 1 of 2 to plan", "planned central", counts, "shard 2/2: 1 of 2 to plan", "planned dev-data-dev"]);
    const split = [["central"], ["dev-data-dev"]];
    for (const [i, stack] of ["central", "dev-data-dev"].entries()) {
      expect(JSON.parse(readFileSync(join(root, "summaries", `shard-${i + 1}.json`), "utf8"))).toEqual({
        planned: [stack],
        removed: ["dev-payments-dev"],
        unchanged: ["dev-web-dev", "preprod-payments-preprod", "preprod-web-preprod", "prod-data-prod", "prod-payments-prod", "prod-web-prod"],
        withoutChanges: [],
        failed: [],
        regionMoves: [],
        shard: { index: i + 1, count: 2, stacks: split },
        timings: { [stack]: { init: expect.any(Number), plan: expect.any(Number), show: expect.any(Number) } },
      });
    }
  });

  it("flags the removed stack, counts the new one and lists its window, and counts the unplanned stacks as unchanged", () => {
    expect(markdown).toContain(
      "### ⚠️ Risky changes (1)\n\n- **stack dev-payments-dev**: no longer in the configuration: deploying does not destroy it, its baselines and windows keep running; run cdktf destroy dev-payments-dev from the base branch first if they should go\n",
    );
    expect(markdown).toMatch(/\| dev \| dev-data-dev \| \d+ \| 0 \| 0 \| 0 \|/);
    expect(markdown).toContain(
      "- **window dev-weekly**: new window cron(0 10 ? * TUE *) in US/Central, 3 h; next runs: Tue 2026-11-24 10:00 US/Central; Tue 2026-12-01 10:00 US/Central; Tue 2026-12-08 10:00 US/Central",
    );
    expect(markdown).toMatch(/\| central \| central \| \d+ \| 0 \| 0 \| 0 \|/);
    expect(markdown).toContain("6 stacks without changes.");
    // a new account's baselines take their environment's days: nothing to say about the stagger
    expect(markdown).not.toContain("staggering");
  });
});
