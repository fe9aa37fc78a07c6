import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planRolePolicyCommand } from "../plan-role-policy.js";
import type { OrgConfigInput } from "../../environments/schema/index.js";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";
import { exampleWith } from "../../test/support/config.js";
import { scratchFolders } from "../../test/support/scratch.js";
import { packStatements, policySize, type PolicyStatement } from "./document.js";
import { writeFileAtomically } from "./output.js";

const { folder } = scratchFolders("patchline-plan-role-policy-");

/** A synth output folder with a central stack (a bucket and its object) and one member stack. */
function synthFolder(extraMemberResources: Record<string, unknown> = {}): string {
  const outdir = folder();
  const stack = (name: string, json: unknown) => {
    mkdirSync(join(outdir, "stacks", name), { recursive: true });
    writeFileSync(join(outdir, "stacks", name, "cdk.tf.json"), JSON.stringify(json));
  };
  stack("central", {
    resource: {
      aws_s3_bucket: { Reports: { bucket: "patchline-reports-100000000001-us-east-1" } },
      aws_s3_object: { Catalog: { bucket: "${aws_s3_bucket.Reports.id}", key: "catalog/fleet.json" } },
    },
    data: { aws_iam_policy_document: { Trust: {} } },
  });
  stack("dev-web-dev", { resource: { aws_ssm_patch_baseline: { Baseline: { name: "patchline-web" } }, ...extraMemberResources } });
  return outdir;
}

function run(args: string[], input: OrgConfigInput = exampleOrganization) {
  const out: string[] = [];
  const err: string[] = [];
  const code = planRolePolicyCommand(args, { print: (t) => out.push(t), error: (t) => err.push(t), now: () => new Date() }, input);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8")) as { Statement: PolicyStatement[] };

describe("npm run plan-role-policy", () => {
  it("writes one policy per kind of account and the job's role, and says where each goes", () => {
    const out = folder();
    const result = run(["--synth", synthFolder(), "--out", out]);
    expect(result).toMatchObject({ code: 0, err: "" });
    expect(readdirSync(out).sort()).toEqual(["plan-ci-role.json", "plan-role-central.json", "plan-role-member.json"]);
    expect(result.out.split("\n")).toEqual([
      expect.stringMatching(/plan-role-central\.json \(\d+ of 6144 characters\): attach to role patchline-plan in the central account$/),
      expect.stringMatching(/plan-role-member\.json \(\d+ of 6144 characters\): attach to role patchline-plan in every member account$/),
      expect.stringMatching(/plan-ci-role\.json \(\d+ of 6144 characters\): attach to the pull-request job's role \(PATCHLINE_PLAN_CI_ROLE_ARN\)$/),
    ]);
    const member = readJson(join(out, "plan-role-member.json")).Statement;
    expect(member.find((s) => s.Sid === "ReadUnscoped")).toEqual({
      Sid: "ReadUnscoped",
      Effect: "Allow",
      Action: ["ssm:GetPatchBaseline", "ssm:ListTagsForResource"],
      Resource: "*",
    });
    const central = readJson(join(out, "plan-role-central.json")).Statement;
    expect(central.find((s) => s.Sid === "ReadRenderedObject")?.Resource).toEqual(["arn:aws:s3:::patchline-reports-100000000001-us-east-1/catalog/fleet.json"]);
  });

  const stateStatements: PolicyStatement[] = [
    { Sid: "AssumePlanRoles", Effect: "Allow", Action: ["sts:AssumeRole"], Resource: "arn:aws:iam::*:role/patchline-plan" },
    {
      Sid: "ListStateKeys",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: "arn:aws:s3:::example-patchline-tfstate",
      Condition: { StringLike: { "s3:prefix": ["patchline/*", "env:/*"] } },
    },
    { Sid: "ReadState", Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::example-patchline-tfstate/patchline/*.tfstate" },
  ];

  it("gives the job's role the state objects of org.stateBackend and the evidence documents to read, and the plan roles to assume", () => {
    const out = folder();
    run(["--synth", synthFolder(), "--out", out]);
    // prod is promoted from preprod: promote --check reads the documents its record names, and lists nothing
    expect(readJson(join(out, "plan-ci-role.json")).Statement).toEqual([
      ...stateStatements,
      { Sid: "ReadEvidence", Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::patchline-evidence-100000000001-us-east-1/evidence/*" },
    ]);
  });

  it("gives the job's role no evidence to read when no environment is promoted", () => {
    const out = folder();
    const unpromoted = exampleWith((d) => Object.values(d.environments).forEach((e) => delete e.promotion));
    expect(run(["--synth", synthFolder(), "--out", out], unpromoted).code).toBe(0);
    expect(readJson(join(out, "plan-ci-role.json")).Statement).toEqual(stateStatements);
  });

  it("replaces earlier policies in place, leaving no temporary file", () => {
    const out = folder();
    writeFileSync(join(out, "plan-role-member.json"), "old");
    expect(run(["--synth", synthFolder(), "--out", out]).code).toBe(0);
    expect(readJson(join(out, "plan-role-member.json")).Statement.length).toBeGreaterThan(0);
    expect(readdirSync(out).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("exits 1 naming a resource type whose read calls it does not know, and writes nothing", () => {
    const out = folder();
    const result = run(["--synth", synthFolder({ aws_ssm_parameter: { Value: { name: "/patchline/x" } } }), "--out", out]);
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      "the plan role's policy cannot be generated (1 problem):\n  - dev-web-dev: resource type aws_ssm_parameter has no read calls in tools/plan-role-policy/read-calls.ts: add the IAM actions hashicorp/aws calls in its Read function",
    );
    expect(readdirSync(out)).toEqual([]);
  });

  it("exits 2 on bad input: no --out, no synth output, no plan role, an unknown option", () => {
    expect(run(["--synth", synthFolder()])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^--out: missing: name the folder the policies are written to\n\nusage: npm run plan-role-policy/),
    });
    const empty = folder();
    expect(run(["--synth", empty, "--out", folder()])).toMatchObject({
      code: 2,
      err: `--synth: ${empty} holds no synthesized stack (stacks/<stack>/cdk.tf.json): run npm run synth first, or name the synth output folder`,
    });
    expect(
      run(
        ["--synth", synthFolder(), "--out", folder()],
        exampleWith((d) => delete d.org.planRoleName),
      ),
    ).toMatchObject({
      code: 2,
      err: "org.planRoleName: is not set: name the read-only role every account has for pull-request plans, then generate its policy",
    });
    expect(run(["--outt", "x"])).toMatchObject({ code: 2, err: expect.stringContaining("Unknown option '--outt'") });
    expect(run(["--help"])).toMatchObject({ code: 0, out: expect.stringMatching(/^usage: npm run plan-role-policy -- --out <folder>/) });
  });
});

describe("policy documents", () => {
  const statement = (sid: string, actions: number): PolicyStatement => ({
    Sid: sid,
    Effect: "Allow",
    Action: Array.from({ length: actions }, (_, i) => `ssm:DescribeSomething${String(i).padStart(3, "0")}`),
    Resource: "*",
  });

  it("are split into as few documents as fit the limit, a statement too large by its actions", () => {
    const documents = packStatements([statement("A", 10), statement("B", 10), statement("C", 40)], 1000);
    for (const document of documents) expect(policySize(document)).toBeLessThanOrEqual(1000);
    expect(documents.map((d) => d.Statement.map((s) => `${s.Sid}:${s.Action.length}`))).toEqual([["A:10", "B:10"], ["C1:20"], ["C2:20"]]);
    // nothing lost, nothing doubled
    expect(documents.flatMap((d) => d.Statement.flatMap((s) => s.Action)).length).toBe(60);
  });

  it("are written atomically: a failed write keeps what was there and leaves no temporary file", () => {
    const dir = folder();
    const target = join(dir, "policy.json");
    mkdirSync(target); // a folder where the file should go: the rename fails
    expect(() => writeFileAtomically(target, "{}")).toThrow();
    expect(readdirSync(dir)).toEqual(["policy.json"]);
  });
});
