import { describe, expect, it } from "vitest";
import type { MaintenanceWindow } from "../../environments/schema/index.js";
import { bodiesOf, type Block } from "../../test/support/terraform-json.js";
import { environmentNamed, synthConstruct } from "../../test/support/construct-synth.js";
import { PatchMaintenanceWindow } from "./maintenance-window.js";
import { PATCH_GROUP_TAG_KEYS, type PatchGroupTagKey } from "../../contracts/tags.js";

const prodWindow = environmentNamed("prod").maintenanceWindows[0]!;

function synth(
  window: MaintenanceWindow = prodWindow,
  patchGroups: readonly string[] = ["web-prod", "app-prod"],
  patchGroupTagKey: PatchGroupTagKey = "Patch Group",
  wave?: { name: string; delayHours: number },
) {
  return synthConstruct((stack, provider) => {
    new PatchMaintenanceWindow(stack, "Window", {
      window,
      patchGroups,
      patchGroupTagKey,
      serviceRole: { arn: "arn:aws:iam::400000000002:role/patchline-maintenance-window" },
      output: { bucketName: "patchline-logs-100000000001-us-east-1", keyPrefix: "run-command/prod/400000000002/us-east-1" },
      logGroup: { name: "/patchline/run-command" },
      notifications: { topicArn: "arn:aws:sns:us-east-1:400000000002:patchline-patch-commands", events: ["TimedOut", "Cancelled", "Failed"] },
      hookDocuments: new Map([
        ["patchline-record-running-services", { name: "patchline-record-running-services" }],
        ["patchline-verify-services", { name: "patchline-verify-services" }],
      ]),
      wave,
      provider,
    });
  });
}

const task = (json: ReturnType<typeof synth>, name: string) => bodiesOf(json, "aws_ssm_maintenance_window_task").find((t) => t.name === name)!;
// single nested blocks are rendered as objects in cdk.tf.json
const runCommand = (t: Block) => (t.task_invocation_parameters as Block).run_command_parameters as Block;
const parameters = (t: Block) => Object.fromEntries((runCommand(t).parameter as { name: string; values: string[] }[]).map((p) => [p.name, p.values]));

describe("PatchMaintenanceWindow", () => {
  it("schedules the window in its time zone with duration and cutoff", () => {
    expect(bodiesOf(synth(), "aws_ssm_maintenance_window")).toEqual([
      expect.objectContaining({
        name: "prod-monthly",
        schedule: "cron(0 21 ? * WED#1 *)",
        schedule_timezone: "US/Central",
        duration: 2,
        cutoff: 1,
        enabled: true,
        allow_unassociated_targets: false,
      }),
    ]);
  });

  it("passes offset, start and end dates through", () => {
    const json = synth({ ...prodWindow, scheduleOffsetDays: 2, startDate: "2027-01-01T00:00:00-06:00", endDate: "2027-12-31T00:00:00-06:00" });
    expect(bodiesOf(json, "aws_ssm_maintenance_window")[0]).toMatchObject({
      schedule_offset: 2,
      start_date: "2027-01-01T00:00:00-06:00",
      end_date: "2027-12-31T00:00:00-06:00",
    });
  });

  it("runs a wave's window later: hours in the cron, days in the offset, start and end moved alike, the wave in the description", () => {
    const window = { ...prodWindow, startDate: "2027-01-01T00:00:00-06:00", endDate: "2027-12-31T00:00:00-06:00" };
    expect(bodiesOf(synth(window, undefined, undefined, { name: "main", delayHours: 30 }), "aws_ssm_maintenance_window")[0]).toMatchObject({
      // the name keeps the resource (and the instances' window tag): only the schedule changes
      name: "prod-monthly",
      description: "Production fleet, first Wednesday of the month 21:00 Central; wave main (+30 h)",
      schedule: "cron(0 3 ? * WED#1 *)",
      schedule_timezone: "US/Central",
      schedule_offset: 2,
      start_date: "2027-01-02T06:00:00-06:00",
      end_date: "2028-01-01T06:00:00-06:00",
    });
    const canary = bodiesOf(synth(prodWindow, undefined, undefined, { name: "canary", delayHours: 0 }), "aws_ssm_maintenance_window")[0]!;
    expect(canary).toMatchObject({
      schedule: "cron(0 21 ? * WED#1 *)",
      description: "Production fleet, first Wednesday of the month 21:00 Central; wave canary (first)",
    });
    expect(canary.schedule_offset).toBeUndefined();
  });

  it.each(PATCH_GROUP_TAG_KEYS)("scans every instance of its patch groups (tag key %s) but installs only on patch-on-schedule instances", (key) => {
    const targets = Object.fromEntries(
      bodiesOf(synth(prodWindow, ["web-prod", "app-prod"], key), "aws_ssm_maintenance_window_target").map((t) => [t.name, t.targets]),
    );
    expect(targets).toEqual({
      "scan-targets": [{ key: `tag:${key}`, values: ["web-prod", "app-prod"] }],
      "install-targets": [
        { key: `tag:${key}`, values: ["web-prod", "app-prod"] },
        { key: "tag:patch-policy", values: ["patch-on-schedule"] },
      ],
    });
  });

  it("keeps target names and descriptions free of the patch groups: hashicorp/aws replaces a target when either changes", () => {
    const identity = (groups: readonly string[]) =>
      bodiesOf(synth(prodWindow, groups), "aws_ssm_maintenance_window_target").map((t) => [t.name, t.description]);
    expect(identity(["web-prod", "app-prod", "data-prod"])).toEqual(identity(["web-prod"]));
  });

  it("runs the scan first, then the install with its reboot option and hooks", () => {
    const json = synth();
    expect(task(json, "scan")).toMatchObject({ priority: 1, task_arn: "AWS-RunPatchBaseline", max_concurrency: "20%", max_errors: "10%" });
    expect(parameters(task(json, "scan"))).toEqual({ Operation: ["Scan"], RebootOption: ["NoReboot"] });
    expect(task(json, "install")).toMatchObject({ priority: 2, task_arn: "AWS-RunPatchBaselineWithHooks", max_concurrency: "10%", max_errors: "1" });
    expect(parameters(task(json, "install"))).toEqual({
      Operation: ["Install"],
      RebootOption: ["RebootIfNeeded"],
      PreInstallHookDocName: ["patchline-record-running-services"],
      PostInstallHookDocName: ["patchline-verify-services"],
      OnExitHookDocName: ["patchline-verify-services"],
    });
  });

  it("writes each task's output below its own prefix and to CloudWatch, and notifies the topic", () => {
    const install = runCommand(task(synth(), "install"));
    expect(install).toMatchObject({
      output_s3_bucket: "patchline-logs-100000000001-us-east-1",
      output_s3_key_prefix: "run-command/prod/400000000002/us-east-1/prod-monthly/install",
      cloudwatch_config: { cloudwatch_log_group_name: "/patchline/run-command", cloudwatch_output_enabled: true },
      notification_config: {
        notification_arn: "arn:aws:sns:us-east-1:400000000002:patchline-patch-commands",
        notification_events: ["TimedOut", "Cancelled", "Failed"],
        notification_type: "Command",
      },
      service_role_arn: "arn:aws:iam::400000000002:role/patchline-maintenance-window",
    });
    expect(runCommand(task(synth(), "scan")).output_s3_key_prefix).toBe("run-command/prod/400000000002/us-east-1/prod-monthly/scan");
  });

  it("creates only the tasks the window configures", () => {
    const scanOnly = synth({ ...prodWindow, install: undefined });
    expect(bodiesOf(scanOnly, "aws_ssm_maintenance_window_task").map((t) => t.name)).toEqual(["scan"]);
    expect(bodiesOf(scanOnly, "aws_ssm_maintenance_window_target").map((t) => t.name)).toEqual(["scan-targets"]);
  });

  it("refuses a hook document that was not created in the region", () => {
    const window = { ...prodWindow, install: { ...prodWindow.install!, hooks: { preInstall: "patchline-unknown-hook" } } };
    expect(() => synth(window)).toThrow(/hook document patchline-unknown-hook was not created in this region/);
  });
});
