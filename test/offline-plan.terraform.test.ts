import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startValidationEndpoint } from "../tools/sfn-validation-endpoint.js";
import { synthOrg, type SynthesizedStack } from "./support/synth.js";
import { terraform, terraformVersion } from "./support/terraform.js";

interface PlannedResource {
  address: string;
  type: string;
  values: Record<string, unknown>;
}

interface Plan {
  planned_values: { root_module: { resources?: PlannedResource[] } };
  resource_changes: { address: string; mode: "managed" | "data"; change: { actions: string[] } }[];
  configuration: { provider_config: Record<string, { expressions?: Record<string, { constant_value?: unknown }> }> };
}

/**
 * Offline plan: no credentials, no role, skip flags; the plan still renders every resource and
 * policy. State machine definitions are validated by the local stand-in for Step Functions.
 */
function plan(stack: SynthesizedStack, env: Record<string, string>): Plan {
  terraform(["init", "-input=false", "-no-color"], stack.dir);
  terraform(["plan", "-input=false", "-no-color", "-refresh=false", "-lock=false", "-out=plan.bin"], stack.dir, env);
  return JSON.parse(terraform(["show", "-json", "plan.bin"], stack.dir)) as Plan;
}

const ofType = (p: Plan, type: string) => (p.planned_values.root_module.resources ?? []).filter((r) => r.type === type);

describe("terraform plan in offline mode", () => {
  let central: Plan;
  let member: Plan;
  let stopValidation: (() => void) | undefined;

  beforeAll(async () => {
    terraformVersion();
    const validation = await startValidationEndpoint();
    stopValidation = validation.stop;
    const { stacks } = synthOrg({ mode: { offline: true } });
    central = plan(stacks.get("central")!, validation.env);
    member = plan(stacks.get("prod-web-prod")!, validation.env);
  }, 600_000);

  afterAll(() => stopValidation?.());

  it("creates everything and changes nothing else (a first deploy)", () => {
    for (const p of [central, member]) {
      const actions = new Set(p.resource_changes.filter((c) => c.mode === "managed").map((c) => c.change.actions.join(",")));
      expect([...actions]).toEqual(["create"]);
    }
  });

  it("central: the log bucket lets organization accounts write only below their own account id", () => {
    expect(ofType(central, "aws_s3_bucket").map((b) => b.values.bucket)).toContain("patchline-logs-100000000001-us-east-1");
    const policies = ofType(central, "aws_s3_bucket_policy").map(
      (p) => JSON.parse(String(p.values.policy)) as { Statement: { Sid: string; Resource: unknown; Condition?: unknown }[] },
    );
    const write = policies.flatMap((p) => p.Statement).find((s) => s.Sid === "OrganizationMembersWriteOwnRunCommandOutput")!;
    expect(write.Resource).toContain("arn:aws:s3:::patchline-logs-100000000001-us-east-1/run-command/prod/${aws:PrincipalAccount}/*");
    expect(write.Condition).toEqual({ StringEquals: { "aws:PrincipalOrgID": "o-exampleorg1" } });
  });

  it("central: the notifications topic is encrypted and the event bus accepts only the organization", () => {
    expect(ofType(central, "aws_sns_topic").find((t) => t.values.name === "patchline-notifications")).toBeDefined();
    expect(ofType(central, "aws_cloudwatch_event_bus")[0]!.values).toMatchObject({ name: "patchline-central" });
    expect(ofType(central, "aws_kms_key").find((k) => k.values.description === "patchline: central data at rest")!.values).toMatchObject({
      enable_key_rotation: true,
    });
  });

  it("central: the approval state machine's definition reads in full, with every environment's settings", () => {
    const machine = ofType(central, "aws_sfn_state_machine").find((m) => m.values.name === "patchline-approval");
    const definition = JSON.parse(String(machine!.values.definition)) as {
      States: Record<string, { Parameters?: { environments?: Record<string, Record<string, unknown>> } }>;
    };
    expect(definition.States.ApprovalSettings!.Parameters!.environments!.prod).toMatchObject({
      onNoResponse: "reject",
      backupBeforePatch: true,
      reminderCount: 3,
    });
    expect(machine!.values).toMatchObject({ name: "patchline-approval", tracing_configuration: [{ enabled: true }] });
  });

  it("central: the approvals table is encrypted, recoverable and expires records", () => {
    expect(ofType(central, "aws_dynamodb_table").find((t) => t.values.name === "patchline-approvals")!.values).toMatchObject({
      point_in_time_recovery: [{ enabled: true }],
      server_side_encryption: [{ enabled: true }],
      ttl: [{ attribute_name: "expiresAt", enabled: true }],
    });
  });

  it("central: only patchline's resource data syncs of the organization's accounts may write the compliance data, none named", () => {
    const bucket = ofType(central, "aws_s3_bucket_policy").map(
      (p) => JSON.parse(String(p.values.policy)) as { Statement: { Sid: string; Condition?: Record<string, Record<string, unknown>> }[] },
    );
    const deliver = bucket.flatMap((p) => p.Statement).find((s) => s.Sid === "ResourceDataSyncDelivers")!;
    expect(deliver.Condition!.StringEquals!["aws:SourceOrgID"]).toBe("o-exampleorg1");
    expect(deliver.Condition!.StringEquals!["aws:SourceAccount"]).toBeUndefined();
    expect(deliver.Condition!.StringEquals!["s3:x-amz-acl"]).toBe("bucket-owner-full-control");
  });

  it("central: the QuickSight analysis and dashboard are planned from one definition, shared with the example's groups", () => {
    const [dashboard] = ofType(central, "aws_quicksight_dashboard");
    const definition = (dashboard!.values.definition as { sheets: { sheet_id: string; visuals: unknown[] }[] }[])[0]!;
    expect(definition.sheets.map((s) => [s.sheet_id, s.visuals.length])).toEqual([
      ["compliance-over-time", 6],
      ["missing-patches", 4],
      ["reachability", 2],
    ]);
    expect(ofType(central, "aws_quicksight_analysis")[0]!.values.definition).toEqual(dashboard!.values.definition);
    expect((dashboard!.values.permissions as { principal: string }[]).map((p) => p.principal).sort()).toEqual([
      "arn:aws:quicksight:us-east-1:100000000001:group/default/patchline-platform-team",
      "arn:aws:quicksight:us-east-1:100000000001:group/default/security-governance",
    ]);
    expect(ofType(central, "aws_quicksight_data_set").map((d) => d.values.import_mode)).toEqual(["SPICE", "SPICE", "SPICE"]);
    expect(ofType(central, "aws_quicksight_refresh_schedule")).toHaveLength(3);
  });

  it("member: five baselines per region with prod's 14-day approval", () => {
    const baselines = ofType(member, "aws_ssm_patch_baseline");
    expect(baselines).toHaveLength(10);
    const days = baselines.flatMap((b) => (b.values.approval_rule as { approve_after_days: number }[]).map((r) => r.approve_after_days));
    expect(new Set(days)).toEqual(new Set([14]));
  });

  it("member: the prod window runs the first Wednesday at 21:00 US/Central, 2 h with a 1 h cutoff, in both regions", () => {
    const windows = ofType(member, "aws_ssm_maintenance_window");
    expect(windows.map((w) => w.values)).toEqual([
      expect.objectContaining({ name: "prod-monthly", schedule: "cron(0 21 ? * WED#1 *)", schedule_timezone: "US/Central", duration: 2, cutoff: 1 }),
      expect.objectContaining({ name: "prod-monthly", schedule: "cron(0 21 ? * WED#1 *)", schedule_timezone: "US/Central", duration: 2, cutoff: 1 }),
    ]);
  });

  it("member: the maintenance-window role's policy is rendered, scoped to the account", () => {
    const policy = JSON.parse(String(ofType(member, "aws_iam_role_policy").find((p) => p.values.name === "patch-tasks")!.values.policy)) as {
      Statement: { Sid: string; Action: string | string[]; Resource: string | string[] }[];
    };
    const send = policy.Statement.find((s) => s.Sid === "RunPatchDocumentsOnThisAccountsInstances")!;
    expect(send.Action).toBe("ssm:SendCommand");
    expect(send.Resource).toContain("arn:aws:ec2:eu-west-1:400000000002:instance/*");
  });

  it("member: the provider has no assume-role and the offline skip flags", () => {
    // Terraform also lists the implied default "aws" configuration; patchline's providers are the aliased ones
    const providers = Object.entries(member.configuration.provider_config)
      .filter(([key]) => key.includes("."))
      .map(([, p]) => p);
    expect(providers).toHaveLength(2);
    for (const p of providers) {
      expect(p.expressions).not.toHaveProperty("assume_role");
      expect(p.expressions?.skip_requesting_account_id?.constant_value).toBe(true);
    }
  });
});
