import { Testing } from "cdktf";
import { parse } from "yaml";
import { commandParametersOfTask } from "../../test/support/install-task.js";
import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../../environments/schema/index.js";
import { exampleWith } from "../../test/support/config.js";
import { fixtureRecord, PROMOTED_AT, promoteExactly } from "../../test/support/promotion.js";
import { bodiesOf, type Block, type TerraformJson } from "../../test/support/terraform-json.js";
import { memberStackEntries } from "../app/stack-list.js";
import { MemberAccountStack } from "../member-account-stack.js";
import { Naming } from "../naming.js";
import { installOverrideListYaml } from "../promotion/install-override-list.js";

/** The example's payments-prod stack, with prod's promotion in the given mode and, when asked, the fixture's record. */
function synthPaymentsProd(options: { record: boolean; mode?: "baseline" | "install-override-list" }): TerraformJson {
  const draft = exampleWith((d) => {
    if (options.mode === "install-override-list") promoteExactly(d);
    else if (options.mode) d.environments.prod.promotion.mode = options.mode;
  });
  const input = options.record ? { ...draft, promotions: { prod: fixtureRecord(draft) } } : draft;
  const config = parseOrgConfig(input, { now: PROMOTED_AT });
  const entry = memberStackEntries(config).find((e) => e.name === "prod-payments-prod")!;
  const app = Testing.app();
  const stack = new MemberAccountStack(app, entry.name, {
    org: config.org,
    environment: entry.environment,
    account: entry.account,
    naming: new Naming(config.org),
    mode: { offline: true },
  });
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

const baseline = (json: TerraformJson, os: string, region = "us-east-1") =>
  bodiesOf(json, "aws_ssm_patch_baseline").find((b) => b.operating_system === os && b.provider === `aws.${region}`)!;
const installTasks = (json: TerraformJson) => bodiesOf(json, "aws_ssm_maintenance_window_task").filter((t) => t.name === "install");
const parametersOf = (task: Block) => commandParametersOfTask(task);

describe("a promoted environment's member stacks", () => {
  it("approve by days until a promotion record exists", () => {
    const json = synthPaymentsProd({ record: false });
    for (const b of bodiesOf(json, "aws_ssm_patch_baseline")) {
      expect((b.approval_rule as Block[]).every((r) => r.approve_after_days === 14 && r.approve_until_date === undefined)).toBe(true);
    }
  });

  it("approve what the record's cut-off allows and reject what it holds back (mode baseline)", () => {
    const json = synthPaymentsProd({ record: true });
    const windows = baseline(json, "WINDOWS");
    expect((windows.approval_rule as Block[]).map((r) => [r.approve_until_date, r.approve_after_days])).toEqual([["2026-11-12", undefined]]);
    expect(windows.rejected_patches).toEqual(["KB5034439", "KB5070652"]);
    expect(baseline(json, "AMAZON_LINUX_2023", "eu-west-1").rejected_patches).toEqual([
      "glibc-2.34-117.amzn2023.0.2.x86_64",
      "glibc-common-2.34-117.amzn2023.0.2.x86_64",
    ]);
    expect(
      installTasks(json)
        .flatMap(parametersOf)
        .map((p) => p.name),
    ).not.toContain("InstallOverrideList");
    // the source ran every other OS prod runs; Patch Manager takes no date for Ubuntu: its rules keep prod's days
    expect((baseline(json, "REDHAT_ENTERPRISE_LINUX").approval_rule as Block[])[0]!.approve_until_date).toBe("2026-11-12");
    expect((baseline(json, "UBUNTU").approval_rule as Block[]).map((r) => [r.approve_until_date, r.approve_after_days])).toEqual([[undefined, 14]]);
  });

  it("hand the install task the promoted list instead of rejecting, in mode install-override-list", () => {
    const json = synthPaymentsProd({ record: true, mode: "install-override-list" });
    const naming = new Naming(parseOrgConfig(exampleWith(() => {})).org);
    const tasks = installTasks(json);
    expect(tasks).toHaveLength(2);
    for (const task of tasks) {
      expect(parametersOf(task).find((p) => p.name === "InstallOverrideList")).toEqual({
        name: "InstallOverrideList",
        values: [`https://s3.us-east-1.amazonaws.com/${naming.promotionsBucket}/prod/install-override-list.yaml`],
      });
    }
    expect(baseline(json, "WINDOWS").rejected_patches).toEqual(["KB5034439"]);
    expect((baseline(json, "WINDOWS").approval_rule as Block[])[0]!.approve_until_date).toBe("2026-11-12");
  });
});

describe("the install override list", () => {
  it("lists exactly the promoted patches by KBId and title, the way AWS-RunPatchBaseline reads it", () => {
    const record = fixtureRecord();
    const list = parse(installOverrideListYaml(record)) as { patches: Array<{ id: string; title: string }> };
    const promoted = Object.values(record.promoted).flat();
    expect(list.patches).toHaveLength(promoted.length);
    expect(new Set(list.patches.map((p) => `${p.id} ${p.title}`))).toEqual(new Set(promoted.map((p) => `${p.kbId} ${p.title}`)));
    expect(list.patches).toContainEqual({ id: "kernel.x86_64", title: "kernel.x86_64:0:6.1.158-180.294.amzn2023" });
    expect(list.patches.map((p) => p.id)).not.toContain("KB5034439");
  });

  it("keeps quotes and line breaks of a title from breaking the YAML", () => {
    const record = fixtureRecord();
    record.promoted.WINDOWS![0] = { ...record.promoted.WINDOWS![0]!, kbId: "KB1", title: "Bob's 'update'\nsecond line" };
    const list = parse(installOverrideListYaml(record)) as { patches: Array<{ id: string; title: string }> };
    expect(list.patches).toContainEqual({ id: "KB1", title: "Bob's 'update' second line" });
  });
});
