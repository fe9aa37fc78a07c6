import { describe, expect, it } from "vitest";
import { parseOrgConfig, type OrgConfigInput } from "../../environments/schema/index.js";
import { calendarContent } from "../../stacks/member/runbooks/regional.js";
import { safetyNets } from "../../environments/schema/safety-nets.js";
import { exampleWith, type ConfigDraft } from "../../test/support/config.js";
import { parseBusinessHours } from "./business-hours.js";
import type { Finding, ReviewContext } from "./findings.js";
import { destroyed } from "./interpreters/destroy.js";
import { freezes } from "./interpreters/freezes.js";
import { installRunbooks } from "./interpreters/install-runbooks.js";
import { tasks } from "./interpreters/tasks.js";
import type { Action, ResourceChange, StackPlan } from "./plan-json.js";

const context: ReviewContext = {
  promotionOrder: ["dev", "preprod", "prod"],
  configuredApproveAfterDays: {},
  promotionRecords: {},
  now: new Date("2026-12-01T00:00:00Z"),
  businessHours: parseBusinessHours("Mon-Fri 08:00-18:00"),
};

/** The change calendar of prod as the stacks render it (the same function), or none without freezes. */
function calendar(input: OrgConfigInput): Record<string, unknown> | null {
  const config = parseOrgConfig(input);
  const prod = config.environments.find((e) => e.name === "prod")!;
  const nets = safetyNets(config.org, prod);
  return nets.freezes.length === 0
    ? null
    : { name: "patchline-change-freezes", document_type: "ChangeCalendar", document_format: "TEXT", content: calendarContent("prod", nets) };
}

const plan = (...changes: ResourceChange[]): StackPlan[] => [{ stack: "prod-web-prod", environment: "prod", changes }];
function change(type: string, name: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null): ResourceChange {
  const actions: Action[] = before && after ? ["update"] : before ? ["delete"] : ["create"];
  return { address: `${type}.${name}`, mode: "managed", type, name, change: { actions, before, after } };
}
const calendarChange = (before: (d: ConfigDraft) => void, after: (d: ConfigDraft) => void) =>
  plan(change("aws_ssm_document", "us-east-1_SafetyNets_ChangeCalendar_1FD38043", calendar(exampleWith(before)), calendar(exampleWith(after))));
const lines = (findings: readonly Finding[]) => findings.map((f) => `${f.severity} ${f.subject}: ${f.message}`);
const same = () => undefined;

describe("plan review: change freezes", () => {
  it("a freeze added", () => {
    const findings = freezes(
      calendarChange(same, (d) => (d.environments.prod.freezes = [{ start: "2027-03-01", end: "2027-03-02", timeZone: "UTC", reason: "launch" }])),
      context,
    );
    expect(lines(findings)).toEqual([
      'change change freezes: freeze "launch" (prod) added: 2027-03-01 00:00 UTC – 2027-03-03 00:00 UTC; installs and approved patching stop in it',
    ]);
  });

  it("a freeze shortened is a risk: patches may reach instances in what was frozen", () => {
    const findings = freezes(
      calendarChange(same, (d) => (d.org.freezes[0].end = "2026-12-27")),
      context,
    );
    expect(lines(findings)).toEqual([
      'risk change freezes: freeze "year-end freeze" (org) shortened: 2026-12-18 06:00 UTC – 2027-01-04 06:00 UTC → 2026-12-18 06:00 UTC – 2026-12-28 06:00 UTC; patching may now happen in what was frozen',
    ]);
  });

  it("a freeze lengthened or moved is a change", () => {
    expect(
      lines(
        freezes(
          calendarChange(same, (d) => (d.org.freezes[0].start = "2026-12-11")),
          context,
        ),
      ),
    ).toEqual([
      'change change freezes: freeze "year-end freeze" (org) lengthened: 2026-12-18 06:00 UTC – 2027-01-04 06:00 UTC → 2026-12-11 06:00 UTC – 2027-01-04 06:00 UTC',
    ]);
    const moved = freezes(
      calendarChange(same, (d) => {
        d.org.freezes[0].start = "2026-12-20";
        d.org.freezes[0].end = "2027-01-05";
      }),
      context,
    );
    expect(moved.map((f) => [f.severity, f.message.split(":")[0]])).toEqual([["risk", 'freeze "year-end freeze" (org) moved']]);
  });

  it("a freeze removed is a risk, and so is the calendar destroyed with the last one", () => {
    const another = (d: ConfigDraft) => (d.environments.prod.freezes = [{ start: "2027-03-01", end: "2027-03-02", timeZone: "UTC", reason: "launch" }]);
    expect(lines(freezes(calendarChange(another, same), context))).toEqual([
      'risk change freezes: freeze "launch" (prod) removed: 2027-03-01 00:00 UTC – 2027-03-03 00:00 UTC; windows may patch in it',
    ]);
    const destroyed = freezes(
      calendarChange(same, (d) => (d.org.freezes = [])),
      context,
    );
    expect(destroyed.map((f) => [f.severity, f.message])).toEqual([
      [
        "risk",
        'freeze "year-end freeze" (org) removed: 2026-12-18 06:00 UTC – 2027-01-04 06:00 UTC (the change calendar is destroyed: install tasks run the patch document again, approved patching no longer waits); windows may patch in it',
      ],
    ]);
  });

  it("removing a freeze that is over is housekeeping, not a risk", () => {
    const later = { ...context, now: new Date("2027-02-01T00:00:00Z") };
    expect(
      lines(
        freezes(
          calendarChange(same, (d) => (d.org.freezes = [{ start: "2027-12-17", end: "2028-01-02", timeZone: "UTC", reason: "next year-end" }])),
          later,
        ),
      ),
    ).toEqual([
      'change change freezes: freeze "year-end freeze" (org) removed: 2026-12-18 06:00 UTC – 2027-01-04 06:00 UTC (it is over)',
      'change change freezes: freeze "next year-end" (org) added: 2027-12-17 00:00 UTC – 2028-01-03 00:00 UTC; installs and approved patching stop in it',
    ]);
  });

  it("an unchanged calendar and other documents say nothing", () => {
    expect(freezes(calendarChange(same, same), context)).toEqual([]);
    expect(
      freezes(plan(change("aws_ssm_document", "hook", { document_type: "Command", content: "{}" }, { document_type: "Command", content: "[]" })), context),
    ).toEqual([]);
  });
});

describe("plan review: backup before install and the install task", () => {
  const runbook = (backup?: { kind: string; retentionDays: number; timeoutMinutes: number }) => ({
    name: "patchline-install-prod-monthly",
    document_type: "Automation",
    content: JSON.stringify({
      mainSteps: [
        { name: "CheckChangeCalendar", inputs: {} },
        ...(backup
          ? [
              {
                name: "StartPrePatchBackup",
                inputs: {
                  ResourceArn: backup.kind === "ami" ? "arn:aws:ec2:r:a:instance/{{ InstanceId }}" : "arn:aws:ec2:r:a:volume/{{ FindRootVolume.VolumeId }}",
                  Lifecycle: { DeleteAfterDays: backup.retentionDays },
                },
              },
              { name: "WaitForPrePatchBackup", inputs: {}, timeoutSeconds: backup.timeoutMinutes * 60 },
            ]
          : []),
      ],
    }),
  });
  const runbookChange = (before: ReturnType<typeof runbook> | null, after: ReturnType<typeof runbook> | null, environment = "prod") => [
    { ...plan(change("aws_ssm_document", "us-east-1_MaintenanceWindows_prod-monthly_InstallRunbook_48E06DDC", before, after))[0]!, environment },
  ];

  it("says when the backup changes, and losing it in production is a risk", () => {
    const ami = { kind: "ami", retentionDays: 14, timeoutMinutes: 120 };
    expect(lines(installRunbooks(runbookChange(runbook(), runbook(ami)), context))).toEqual([
      "change backup before install of window prod-monthly: none → ami, kept 14 days, at most 120 min",
    ]);
    expect(lines(installRunbooks(runbookChange(runbook(ami), runbook({ ...ami, kind: "snapshot", retentionDays: 7 })), context))).toEqual([
      "change backup before install of window prod-monthly: ami, kept 14 days, at most 120 min → snapshot, kept 7 days, at most 120 min",
    ]);
    expect(lines(installRunbooks(runbookChange(runbook(ami), null), context))).toEqual([
      "risk backup before install of window prod-monthly: ami, kept 14 days, at most 120 min → none: instances are patched without a backup",
    ]);
    expect(installRunbooks(runbookChange(runbook(ami), runbook(), "dev"), context).map((f) => f.severity)).toEqual(["change"]);
  });

  it("names a destroyed install runbook by its window (the window's task says what patching loses)", () => {
    expect(lines(destroyed(runbookChange(runbook(), null), context))).toEqual(["change install runbook of window prod-monthly: destroyed"]);
  });

  it("the install task switching to the runbook, or back, and the command's parameters read from either kind of task", () => {
    const runCommand = {
      name: "install",
      task_type: "RUN_COMMAND",
      task_arn: "AWS-RunPatchBaselineWithHooks",
      task_invocation_parameters: [
        {
          run_command_parameters: [
            {
              parameter: [
                { name: "Operation", values: ["Install"] },
                { name: "RebootOption", values: ["RebootIfNeeded"] },
              ],
            },
          ],
        },
      ],
    };
    const automation = {
      name: "install",
      task_type: "AUTOMATION",
      task_arn: "patchline-install-prod-monthly",
      task_invocation_parameters: [
        {
          automation_parameters: [
            {
              parameter: [
                { name: "AutomationAssumeRole", values: ["arn:aws:iam::400000000002:role/patchline-patch-automation"] },
                { name: "Operation", values: ["Install"] },
                { name: "RebootOption", values: ["NoReboot"] },
              ],
            },
          ],
        },
      ],
    };
    const task = (before: Record<string, unknown>, after: Record<string, unknown>) =>
      plan({
        ...change("aws_ssm_maintenance_window_task", "us-east-1_MaintenanceWindows_prod-monthly_InstallTask_033C0B6D", before, after),
        change: { actions: ["create", "delete"], before, after },
      });
    expect(lines(tasks(task(runCommand, automation), context))).toEqual([
      "change install task of window prod-monthly: document AWS-RunPatchBaselineWithHooks → patchline-install-prod-monthly",
      "change install task of window prod-monthly: runs the install runbook: change calendar and backup (as configured) before the patch command",
      "change install task of window prod-monthly: reboot option RebootIfNeeded → NoReboot",
    ]);
    expect(lines(tasks(task(automation, runCommand), context)).filter((l) => l.includes("directly"))).toEqual([
      "risk install task of window prod-monthly: runs the patch document directly again: no backup before install, no change-freeze check",
    ]);
  });

  it("reads a task whose parameter Terraform knows only after apply (a new stack's role) without failing the review", () => {
    const installing = (reboot?: string[]) => ({
      name: "install",
      task_type: "AUTOMATION",
      task_arn: "patchline-install-prod-monthly",
      task_invocation_parameters: [
        {
          automation_parameters: [
            {
              parameter: [
                { name: "AutomationAssumeRole" },
                { name: "Operation", values: ["Install"] },
                { name: "RebootOption", ...(reboot ? { values: reboot } : {}) },
              ],
            },
          ],
        },
      ],
    });
    const updated = plan(
      change("aws_ssm_maintenance_window_task", "us-east-1_MaintenanceWindows_prod-monthly_InstallTask_033C0B6D", installing(["NoReboot"]), installing()),
    );
    expect(lines(tasks(updated, context))).toEqual(["change install task of window prod-monthly: reboot option NoReboot → (known after apply)"]);
  });
});
