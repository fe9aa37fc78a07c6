import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeTerraform, writeSynthOutput } from "../../test/support/fake-terraform.js";
import { planReviewCommand } from "../plan-review.js";
import { planStacksCommand } from "../plan-stacks.js";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";
import { compareSynths } from "./changed.js";
import { planStacks } from "./plan.js";
import { regionMoves } from "./region-moves.js";

let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), "patchline-plan-stacks-"))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

const synthOutput = (name: string, stacks: Record<string, Record<string, string>>) => writeSynthOutput(join(root, name), stacks);

describe("compareSynths", () => {
  it("sorts stacks into changed, added, removed and unchanged by their synthesized files, ignoring what terraform writes", () => {
    const base = synthOutput("base", {
      central: { "cdk.tf.json": "{}", "assets/approval/function.zip": "zip-1" },
      "dev-web-dev": { "cdk.tf.json": '{"a":1}' },
      "prod-web-prod": { "cdk.tf.json": '{"b":1}' },
      "dev-payments-dev": { "cdk.tf.json": "{}" },
    });
    const head = synthOutput("head", {
      central: { "cdk.tf.json": "{}", "assets/approval/function.zip": "zip-2" },
      "dev-web-dev": {
        "cdk.tf.json": '{"a":1}',
        ".terraform.lock.hcl": "lock",
        "terraform.tfstate": "{}",
        "plan.tfplan": "bin",
        ".terraform/providers/x": "p",
      },
      "prod-web-prod": { "cdk.tf.json": '{"b":2}' },
      "dev-data-dev": { "cdk.tf.json": "{}" },
    });
    expect(compareSynths(base, head)).toEqual({
      changed: ["central", "prod-web-prod"],
      added: ["dev-data-dev"],
      removed: ["dev-payments-dev"],
      unchanged: ["dev-web-dev"],
    });
  });
});

describe("planStacks", () => {
  const stacksOf = (names: string[]) =>
    synthOutput(
      "out",
      Object.fromEntries(names.map((n) => [n, { "cdk.tf.json": JSON.stringify({ terraform: { required_providers: { aws: { version: "5.100.0" } } } }) }])),
    );

  it("inits the first stack alone, gives the others its lock file, then inits, plans and shows at most `parallelism` stacks at once", async () => {
    const terraform = fakeTerraform();
    const stacks = ["a", "b", "c", "d", "e"];
    const outdir = stacksOf(stacks);
    const result = await planStacks({ stacks, outdir, planDir: join(root, "plans"), parallelism: 2, run: terraform.run, log: () => undefined });
    expect(result.failed).toEqual([]);
    // the first init fills the plugin cache; with its lock file the others only link the provider
    expect(terraform.calls[0]).toBe("init a");
    for (const s of stacks) expect(readFileSync(join(outdir, "stacks", s, ".terraform.lock.hcl"), "utf8")).toBe("lock of a");
    expect(terraform.calls.filter((c) => c.startsWith("init")).sort()).toEqual(stacks.map((s) => `init ${s}`));
    expect(terraform.maxRunning()).toBe(2);
    expect(JSON.parse(readFileSync(join(root, "plans", "c.json"), "utf8"))).toEqual({ format_version: "1.2", stack: "c" });
    expect([...result.timings.keys()].sort()).toEqual(stacks);
  });

  it("skips show -json for a plan without changes and writes no plan file for it", async () => {
    const terraform = fakeTerraform({}, { unchanged: ["b"] });
    const outdir = stacksOf(["a", "b"]);
    let now = 0;
    const result = await planStacks({
      stacks: ["a", "b"],
      outdir,
      planDir: join(root, "plans"),
      parallelism: 1,
      run: terraform.run,
      log: () => undefined,
      clock: () => (now += 500),
    });
    expect(result.withoutChanges).toEqual(["b"]);
    expect(terraform.calls).not.toContain("show b");
    expect(existsSync(join(root, "plans", "b.json"))).toBe(false);
    expect(result.timings.get("b")).toEqual({ init: 0.5, plan: 0.5 });
    expect(result.timings.get("a")).toEqual({ init: 0.5, plan: 0.5, show: 0.5 });
  });

  it("plans the other stacks when one fails, and says which and why", async () => {
    const terraform = fakeTerraform({ b: "init", d: "plan" });
    const result = await planStacks({
      stacks: ["a", "b", "c", "d"],
      outdir: stacksOf(["a", "b", "c", "d"]),
      planDir: join(root, "plans"),
      parallelism: 3,
      run: terraform.run,
      log: () => undefined,
    });
    expect(result.failed).toEqual([
      { stack: "b", error: "terraform init failed (exit 1): Error: init of b failed" },
      { stack: "d", error: "terraform plan failed (exit 1): Error: plan of d failed" },
    ]);
    expect(["a", "b", "c", "d"].filter((s) => existsSync(join(root, "plans", `${s}.json`)))).toEqual(["a", "c"]);
  });

  it("initializes one stack of each set of required providers alone, the next one alone when an init fails, before the others", async () => {
    const awsOnly = JSON.stringify({ terraform: { required_providers: { aws: { version: "5.100.0" } } } });
    const withArchive = JSON.stringify({ terraform: { required_providers: { aws: { version: "5.100.0" }, archive: {} } } });
    const outdir = synthOutput("out", {
      a: { "cdk.tf.json": awsOnly },
      b: { "cdk.tf.json": withArchive },
      c: { "cdk.tf.json": withArchive },
      d: { "cdk.tf.json": awsOnly },
      e: { "cdk.tf.json": awsOnly },
    });
    const terraform = fakeTerraform({ a: "init" });
    const stacks = ["a", "b", "c", "d", "e"];
    const result = await planStacks({ stacks, outdir, planDir: join(root, "plans"), parallelism: 2, run: terraform.run, log: () => undefined });
    // a's init failed: d, of the same set, fills the cache alone before any init runs side by side
    expect(terraform.calls.slice(0, 3)).toEqual(["init a", "init d", "init b"]);
    expect(readFileSync(join(outdir, "stacks", "e", ".terraform.lock.hcl"), "utf8")).toBe("lock of d");
    expect(readFileSync(join(outdir, "stacks", "c", ".terraform.lock.hcl"), "utf8")).toBe("lock of b");
    expect(result.failed.map((f) => f.stack)).toEqual(["a"]);
    expect(terraform.calls.filter((c) => c.startsWith("plan")).sort()).toEqual(["plan b", "plan c", "plan d", "plan e"]);
  });
});

const providers = (...regions: string[]) => JSON.stringify({ provider: { aws: regions.map((region) => ({ alias: region, region })) } });

describe("regions moving between an account's stacks", () => {
  it("names a region that leaves the account's stack for its own, and one that comes back", () => {
    const base = synthOutput("base", {
      "prod-web": { "cdk.tf.json": providers("us-east-1", "eu-west-1") },
      "prod-data": { "cdk.tf.json": providers("us-east-1") },
      "prod-data-ap-south-1": { "cdk.tf.json": providers("ap-south-1") },
    });
    const head = synthOutput("head", {
      "prod-web": { "cdk.tf.json": providers("us-east-1") },
      "prod-web-eu-west-1": { "cdk.tf.json": providers("eu-west-1") },
      "prod-data": { "cdk.tf.json": providers("us-east-1", "ap-south-1") },
    });
    expect(regionMoves(base, head, ["prod-data", "prod-web", "prod-web-eu-west-1"])).toEqual([
      { region: "ap-south-1", from: "prod-data-ap-south-1", to: "prod-data" },
      { region: "eu-west-1", from: "prod-web", to: "prod-web-eu-west-1" },
    ]);
  });

  it("reads the regions of an HCL synth (cdktf synth --hcl) as well", () => {
    const hcl = (...regions: string[]) => regions.map((r) => `provider "aws" {\n  alias  = "${r}"\n  region = "${r}"\n}\n`).join("\n");
    const base = synthOutput("base", { "prod-web": { "cdk.tf": hcl("us-east-1", "eu-west-1") } });
    const head = synthOutput("head", { "prod-web": { "cdk.tf": hcl("us-east-1") }, "prod-web-eu-west-1": { "cdk.tf": hcl("eu-west-1") } });
    expect(regionMoves(base, head, ["prod-web", "prod-web-eu-west-1"])).toEqual([{ region: "eu-west-1", from: "prod-web", to: "prod-web-eu-west-1" }]);
  });

  it("names no move for a region that is new to the account", () => {
    const base = synthOutput("base", { "prod-web": { "cdk.tf.json": providers("us-east-1") } });
    const head = synthOutput("head", {
      "prod-web": { "cdk.tf.json": providers("us-east-1") },
      "prod-web-eu-west-1": { "cdk.tf.json": providers("eu-west-1") },
    });
    expect(regionMoves(base, head, ["prod-web-eu-west-1"])).toEqual([]);
  });
});

describe("plan-stacks command", () => {
  const command = async (args: string[], terraform = fakeTerraform()) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await planStacksCommand(args, { io: { print: (t) => out.push(t), error: (t) => err.push(t), now: () => new Date() }, run: terraform.run });
    return { code, out: out.join("\n"), err: err.join("\n"), calls: terraform.calls };
  };

  it("plans only what changed since the base synth and writes the summary", async () => {
    const base = synthOutput("base", { "dev-web-dev": { "cdk.tf.json": "1" }, "prod-web-prod": { "cdk.tf.json": "1" }, "dev-old": { "cdk.tf.json": "1" } });
    const head = synthOutput("head", { "dev-web-dev": { "cdk.tf.json": "1" }, "prod-web-prod": { "cdk.tf.json": "2" } });
    const result = await command(["--base", base, "--head", head, "--out", join(root, "plans"), "--summary", join(root, "summary.json")]);
    expect(result.code).toBe(0);
    expect(result.calls).toEqual(["init prod-web-prod", "plan prod-web-prod", "show prod-web-prod"]);
    expect(JSON.parse(readFileSync(join(root, "summary.json"), "utf8"))).toEqual({
      planned: ["prod-web-prod"],
      removed: ["dev-old"],
      unchanged: ["dev-web-dev"],
      withoutChanges: [],
      failed: [],
      regionMoves: [],
      timings: { "prod-web-prod": { init: expect.any(Number), plan: expect.any(Number), show: expect.any(Number) } },
    });
  });

  it("exits 1 when a stack fails to plan, after planning the rest and writing the summary", async () => {
    const head = synthOutput("head", { a: { "cdk.tf.json": "1" }, b: { "cdk.tf.json": "1" } });
    const result = await command(["--head", head, "--out", join(root, "plans"), "--summary", join(root, "summary.json")], fakeTerraform({ a: "plan" }));
    expect(result).toMatchObject({ code: 1, err: "a: terraform plan failed (exit 1): Error: plan of a failed" });
    expect(JSON.parse(readFileSync(join(root, "summary.json"), "utf8"))).toMatchObject({ planned: ["a", "b"], failed: [{ stack: "a" }] });
  });

  it("exits 1 after planning when a region moves between an account's stacks, and says how to move its state", async () => {
    const base = synthOutput("base", { "prod-web": { "cdk.tf.json": providers("us-east-1", "eu-west-1") } });
    const head = synthOutput("head", {
      "prod-web": { "cdk.tf.json": providers("us-east-1") },
      "prod-web-eu-west-1": { "cdk.tf.json": providers("eu-west-1") },
    });
    const result = await command(["--base", base, "--head", head, "--out", join(root, "plans"), "--summary", join(root, "summary.json")]);
    expect(result.code).toBe(1);
    expect(result.calls).toContain("plan prod-web-eu-west-1");
    expect(result.err).toMatch(/^prod-web → prod-web-eu-west-1: region eu-west-1 moves to another stack; .*move their state first/);
    // and the review leads with it
    const out: string[] = [];
    const io = { print: (t: string) => out.push(t), error: (t: string) => out.push(t), now: () => new Date() };
    expect(planReviewCommand([join(root, "plans"), "--summary", join(root, "summary.json")], io, exampleOrganization)).toBe(0);
    expect(out.join("\n")).toContain(
      "### ⚠️ Risky changes (1)\n\n- **stack prod-web-eu-west-1**: region eu-west-1 moves here from prod-web: deployed as it is, one stack destroys its resources while the other creates them under the same names; move their state first",
    );
  });

  it("prints what it would plan with --dry-run", async () => {
    const base = synthOutput("base", { a: { "cdk.tf.json": "1" }, gone: { "cdk.tf.json": "1" } });
    const head = synthOutput("head", { a: { "cdk.tf.json": "2" }, b: { "cdk.tf.json": "1" } });
    expect(await command(["--base", base, "--head", head, "--out", join(root, "plans"), "--dry-run"])).toMatchObject({
      code: 0,
      calls: [],
      out: "2 to plan (1 changed, 1 new), 0 unchanged, 1 removed\n  plan a\n  plan b\n  removed gone",
    });
  });

  it("explains a missing synth and bad options with exit 2", async () => {
    expect(await command(["--head", join(root, "nothing"), "--out", "plans"])).toMatchObject({
      code: 2,
      err: `${join(root, "nothing", "stacks")}: no synthesized stacks; run npm run synth first`,
    });
    expect((await command(["--head", root])).err).toMatch(/^--out is required/);
    expect((await command(["--out", "p", "--parallelism", "many"])).err).toBe('--parallelism: "many" is not a number of stacks: a whole number from 1 to 16');
  });
});
