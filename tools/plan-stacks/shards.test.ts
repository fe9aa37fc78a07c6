import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";
import { fakeTerraform, writeSynthOutput } from "../../test/support/fake-terraform.js";
import { planReviewCommand } from "../plan-review.js";
import { planStacksCommand } from "../plan-stacks.js";
import { CENTRAL_SECONDS, parseShard, partition, shardCount, stackCostSeconds } from "./shards.js";

let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), "patchline-shards-"))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

const io = (out: string[] = []) => ({ print: (t: string) => out.push(t), error: (t: string) => out.push(t), now: () => new Date("2026-11-24T00:00:00Z") });
const providers = (...regions: string[]) => JSON.stringify(providerConfig(...regions));
const providerConfig = (...regions: string[]) => ({ provider: { aws: regions.map((region) => ({ alias: region, region })) } });

describe("partition", () => {
  const stacks = Array.from({ length: 37 }, (_, i) => `prod-app${String(i).padStart(2, "0")}`);
  const cost = (stack: string) => 1 + (Number(stack.slice(-2)) % 4);

  it("puts every stack in exactly one shard, for any shard count", () => {
    for (let n = 1; n <= 40; n++) {
      const shards = partition(stacks, n, cost);
      expect(shards).toHaveLength(n);
      expect(shards.flat().sort()).toEqual(stacks);
    }
  });

  it("balances by cost: shards differ by at most one stack's cost", () => {
    for (const n of [2, 3, 5, 8]) {
      const loads = partition(stacks, n, cost).map((shard) => shard.reduce((sum, s) => sum + cost(s), 0));
      expect(Math.max(...loads) - Math.min(...loads), `${n} shards`).toBeLessThanOrEqual(4);
    }
  });

  it("is the same split whatever order the stacks come in", () => {
    expect(partition([...stacks].reverse(), 6, cost)).toEqual(partition(stacks, 6, cost));
  });

  it("costs a stack by its regions and the central stack by its weight", () => {
    const outdir = writeSynthOutput(join(root, "out"), {
      "prod-a": { "cdk.tf.json": providers("us-east-1") },
      "prod-b": { "cdk.tf.json": providers("us-east-1", "eu-west-1", "ap-south-1") },
    });
    expect(stackCostSeconds("prod-b", outdir)).toBeGreaterThan(stackCostSeconds("prod-a", outdir));
    expect(stackCostSeconds("central", outdir)).toBe(CENTRAL_SECONDS);
  });

  it("reads k/n and says what a shard is when it is not one", () => {
    expect(parseShard("3/8")).toEqual({ index: 3, count: 8 });
    for (const bad of ["0/8", "9/8", "3", "a/b", "1/0", "1/65"])
      expect(() => parseShard(bad), bad).toThrow(`--shard: "${bad}" is not a shard: k/n with n from 1 to 64 and k from 1 to n (e.g. 3/8)`);
  });

  it("needs a shard per stacks-per-shard stacks, at least one and at most the cap", () => {
    expect([0, 1, 40, 41, 300, 10_000].map((n) => shardCount(n, 40, 8))).toEqual([1, 1, 1, 2, 8, 8]);
  });
});

/** The split a shard's summary records: every shard's stacks. */
const splitIn = (summary: string) => (JSON.parse(readFileSync(summary, "utf8")) as { shard: { stacks: string[][] } }).shard.stacks;

/** A plan that changes window prod-monthly's duration (every stack) and switches it off in one. */
const windowPlan = (stack: string) => {
  const window = { name: "prod-monthly", schedule: "cron(0 2 ? * SUN *)", schedule_timezone: "UTC", duration: 3, cutoff: 1, enabled: true };
  return {
    format_version: "1.2",
    resource_changes: [
      {
        address: "aws_ssm_maintenance_window.us-east-1_MaintenanceWindows_prod-monthly_Window_1",
        mode: "managed",
        type: "aws_ssm_maintenance_window",
        name: "us-east-1_MaintenanceWindows_prod-monthly_Window_1",
        change: { actions: ["update"], before: window, after: { ...window, duration: 4, enabled: stack !== "prod-app07" } },
      },
    ],
  };
};

describe("plan-stacks --shard and --matrix, and plan-review of the shards", () => {
  const stacks = Array.from({ length: 12 }, (_, i) => `prod-app${String(i + 1).padStart(2, "0")}`);
  const synth = (name: string, version: string) =>
    writeSynthOutput(
      join(root, name),
      Object.fromEntries(
        [...stacks, "dev-web"].map((s) => [
          s,
          { "cdk.tf.json": s === "dev-web" ? providers("us-east-1") : JSON.stringify({ ...providerConfig("us-east-1", "eu-west-1"), locals: { version } }) },
        ]),
      ),
    );

  it("plans every stack to plan in exactly one shard, and the merged review equals the unsharded one", async () => {
    const [base, head] = [synth("base", "1"), synth("head", "2")];
    const terraform = fakeTerraform({ "prod-app03": "plan" }, { unchanged: ["prod-app05"], plan: windowPlan });
    const plan = (out: string, summary: string, ...extra: string[]) =>
      planStacksCommand(["--base", base, "--head", head, "--out", join(root, out), "--summary", join(root, summary), ...extra], {
        io: io(),
        run: terraform.run,
      });

    expect(await plan("plans-whole", "whole.json")).toBe(1);
    const perShard = [] as string[][];
    for (const k of [1, 2, 3]) {
      const before = terraform.calls.length;
      expect(await plan("plans-sharded", `shards/${k}.json`, "--shard", `${k}/3`)).toBe(k === partitionIndexOf("prod-app03") ? 1 : 0);
      perShard.push(
        terraform.calls
          .slice(before)
          .filter((c) => c.startsWith("plan "))
          .map((c) => c.slice(5)),
      );
    }
    function partitionIndexOf(stack: string) {
      return splitIn(join(root, "shards/1.json")).findIndex((s) => s.includes(stack)) + 1;
    }
    expect(perShard.flat().sort()).toEqual(stacks);
    expect(perShard.map((s) => s.length)).toEqual([4, 4, 4]);

    const review = (summary: string, plans: string, name: string) => {
      const args = [join(root, plans), "--summary", join(root, summary), "--markdown", join(root, `${name}.md`), "--json", join(root, `${name}.json`)];
      expect(planReviewCommand(args, io(), exampleOrganization)).toBe(0);
      return { markdown: readFileSync(join(root, `${name}.md`), "utf8"), json: readFileSync(join(root, `${name}.json`), "utf8") };
    };
    const whole = review("whole.json", "plans-whole", "whole");
    expect(review("shards", "plans-sharded", "merged")).toEqual(whole);
    expect(whole.markdown).toContain("- prod-app07: **window prod-monthly**: disabled");
    expect(whole.markdown).toContain("- **stack prod-app03**: plan failed, not reviewed: terraform plan failed (exit 1): Error: plan of prod-app03 failed");
    expect(whole.markdown).toContain(
      "- **window prod-monthly**: duration (h) 3 → 4; next runs before: Sun 2026-11-29 02:00 UTC; Sun 2026-12-06 02:00 UTC; Sun 2026-12-13 02:00 UTC; after: Sun 2026-11-29 02:00 UTC; Sun 2026-12-06 02:00 UTC; Sun 2026-12-13 02:00 UTC — 9 of 10 prod stacks, all but prod-app07\n",
    );
    expect(whole.markdown).toContain("2 stacks without changes.");
  });

  it("names the stacks of a shard that did not report as not reviewed", async () => {
    const [base, head] = [synth("base", "1"), synth("head", "2")];
    const terraform = fakeTerraform({}, { plan: windowPlan });
    for (const k of [1, 3])
      await planStacksCommand(
        ["--base", base, "--head", head, "--out", join(root, "plans"), "--summary", join(root, `shards/${k}.json`), "--shard", `${k}/3`],
        {
          io: io(),
          run: terraform.run,
        },
      );
    const missing = splitIn(join(root, "shards/1.json"))[1]!;
    const out: string[] = [];
    expect(
      planReviewCommand([join(root, "plans"), "--summary", join(root, "shards"), "--markdown", join(root, "review.md")], io(out), exampleOrganization),
    ).toBe(0);
    expect(readFileSync(join(root, "review.md"), "utf8")).toContain(
      `- **4 prod stacks** (${missing.join(", ")}): not planned, not reviewed: shard 2/3 did not report (see its job)`,
    );
  });

  it("refuses summaries of different runs, and a shard given twice", async () => {
    const [base, head] = [synth("base", "1"), synth("head", "2")];
    const terraform = fakeTerraform();
    const shard = (k: string, file: string) =>
      planStacksCommand(["--base", base, "--head", head, "--out", join(root, "plans"), "--summary", join(root, file), "--shard", k], {
        io: io(),
        run: terraform.run,
      });
    await shard("1/2", "a/1.json");
    await shard("1/3", "a/2.json");
    const out: string[] = [];
    expect(planReviewCommand([join(root, "plans"), "--summary", join(root, "a")], io(out), exampleOrganization)).toBe(2);
    expect(out.join("\n")).toBe(
      `${join(root, "a/2.json")}: not from the same plan-stacks run as ${join(root, "a/1.json")} (its shards, removed or unchanged stacks differ)`,
    );
    await shard("1/2", "b/1.json");
    await shard("1/2", "b/2.json");
    const again: string[] = [];
    expect(planReviewCommand([join(root, "plans"), "--summary", join(root, "b")], io(again), exampleOrganization)).toBe(2);
    expect(again.join("\n")).toBe(`${join(root, "b/2.json")}: shard 1/2 given twice`);
  });

  it("writes the matrix of shards a change needs, and plans nothing", async () => {
    const [base, head] = [synth("base", "1"), synth("head", "2")];
    const terraform = fakeTerraform();
    const out: string[] = [];
    const matrix = join(root, "matrix.json");
    expect(
      await planStacksCommand(["--base", base, "--head", head, "--matrix", matrix, "--stacks-per-shard", "5", "--max-shards", "8"], {
        io: io(out),
        run: terraform.run,
      }),
    ).toBe(0);
    expect(JSON.parse(readFileSync(matrix, "utf8"))).toEqual({ shard: ["1/3", "2/3", "3/3"] });
    expect(out).toEqual(["12 to plan (12 changed, 0 new), 1 unchanged, 0 removed: 3 shards"]);
    expect(terraform.calls).toEqual([]);
    const bad: string[] = [];
    expect(await planStacksCommand(["--head", head, "--out", "p", "--shard", "4/3"], { io: io(bad), run: terraform.run })).toBe(2);
    expect(bad).toEqual(['--shard: "4/3" is not a shard: k/n with n from 1 to 64 and k from 1 to n (e.g. 3/8)']);
  });
});
