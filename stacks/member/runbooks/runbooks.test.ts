import { describe, expect, it } from "vitest";
import { prodWindowDelivery } from "../../../test/support/runbook-delivery.js";
import { Testing } from "cdktf";
import { parseOrgConfig, type OrgConfig } from "../../../environments/schema/index.js";
import { exampleWith, type ConfigDraft } from "../../../test/support/config.js";
import { requestProblems } from "../../../test/support/api-model.js";
import { bodiesOf, dataOf, type Block, type TerraformJson } from "../../../test/support/terraform-json.js";
import { MemberAccountStack } from "../../member-account-stack.js";
import { Naming } from "../../naming.js";
import { windowInstallCommand } from "../patch-commands.js";
import { referencesIn, type Runbook } from "./automation.js";
import { installRunbook } from "./install-runbook.js";
import { restoreRunbook } from "./restore-runbook.js";
import { runbookProblems } from "./validate.js";

/** The member stack of web-<env> after a change to the example organization. */
function synthStack(env: string, change: (d: ConfigDraft) => void = () => undefined): { json: TerraformJson; config: OrgConfig } {
  const config = parseOrgConfig(exampleWith(change));
  const environment = config.environments.find((e) => e.name === env)!;
  const account = environment.accounts.find((a) => a.name.startsWith("web-"))!;
  const stack = new MemberAccountStack(Testing.app(), `${env}-${account.name}`, {
    org: config.org,
    environment,
    account,
    naming: new Naming(config.org),
    mode: { offline: true },
  });
  return { json: JSON.parse(Testing.synth(stack)) as TerraformJson, config };
}

const documents = (json: TerraformJson, type: string) => bodiesOf(json, "aws_ssm_document").filter((d) => d.document_type === type);
const runbookOf = (document: Block) => JSON.parse(String(document.content)) as Runbook;
const installTasks = (json: TerraformJson) => bodiesOf(json, "aws_ssm_maintenance_window_task").filter((t) => t.name === "install");
const invocation = (task: Block) => task.task_invocation_parameters as Block;
const automationParameters = (task: Block) =>
  Object.fromEntries(((invocation(task).automation_parameters as Block).parameter as { name: string; values: string[] }[]).map((p) => [p.name, p.values]));

const delivery = prodWindowDelivery;
const command = { document: "AWS-RunPatchBaseline" as const, parameters: { Operation: ["Install"], RebootOption: ["NoReboot"] } };
const backup = { vault: "patchline-pre-patch", roleArn: "arn:aws:iam::400000000002:role/patchline-pre-patch-backup", retentionDays: 14, timeoutMinutes: 120 };
const variants: Record<string, Runbook> = {
  "calendar only": installRunbook({ window: "w", command, delivery, patchTimeoutSeconds: 7200, calendar: "patchline-change-freezes" }),
  "AMI backup only": installRunbook({ window: "w", command, delivery, patchTimeoutSeconds: 7200, backup: { ...backup, kind: "ami" } }),
  "calendar and snapshot backup": installRunbook({
    window: "w",
    command,
    delivery,
    patchTimeoutSeconds: 7200,
    calendar: "patchline-change-freezes",
    backup: { ...backup, kind: "snapshot" },
  }),
  restore: restoreRunbook(),
};

/** A sample value for each reference, so that a step's inputs can be checked against AWS's API model. */
const sample = (reference: string) =>
  ({
    InstanceId: "i-0123456789abcdef0",
    BackupId: "ami-0123456789abcdef0",
    "global:AWS_PARTITION": "aws",
    "global:REGION": "us-east-1",
    "global:ACCOUNT_ID": "400000000002",
  })[reference] ?? `sample-${reference.replace(/[^A-Za-z0-9-]/g, "-")}`;
const withSamples = (value: unknown): unknown =>
  typeof value === "string"
    ? value.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_, name: string) => sample(name))
    : Array.isArray(value)
      ? value.map(withSamples)
      : value && typeof value === "object"
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withSamples(v)]))
        : value;

describe("patchline's runbooks are valid Automation documents", () => {
  for (const [name, runbook] of Object.entries(variants)) {
    it(`${name}: schema 0.3, Automation actions with their inputs, known references, existing targets, every step reachable`, () => {
      expect(runbookProblems(runbook)).toEqual([]);
    });

    it(`${name}: every API step's request is one AWS's API model accepts (aws:runCommand's as SendCommand)`, () => {
      const problems = runbook.mainSteps.flatMap((step) => {
        if (step.action === "aws:runCommand") return requestProblems("ssm", "SendCommand", withSamples(step.inputs)).map((p) => `${step.name}: ${p}`);
        if (!["aws:executeAwsApi", "aws:waitForAwsResourceProperty", "aws:assertAwsResourceProperty"].includes(step.action)) return [];
        const { Service, Api, PropertySelector: _s, DesiredValues: _d, ...request } = withSamples(step.inputs) as Record<string, unknown>;
        return requestProblems(String(Service), String(Api), request).map((p) => `${step.name}: ${p}`);
      });
      expect(problems).toEqual([]);
    });
  }

  it("the validator finds what would make Automation refuse or misbehave", () => {
    const broken: Runbook = {
      schemaVersion: "0.3",
      description: "broken",
      assumeRole: "arn:aws:iam::400000000002:role/fixed",
      parameters: { InstanceId: { type: "String", description: "x" } },
      mainSteps: [
        { name: "First", action: "aws:executeAwsApi", inputs: { Service: "ec2" }, nextStep: "Nowhere" },
        { name: "First", action: "aws:createImage", inputs: { InstanceId: "{{ InstanceId }}", ImageName: "{{ Missing }}" }, isEnd: true },
        { name: "Branch", action: "aws:branch", inputs: { Choices: [{ NextStep: "First", Variable: "{{ First.Nothing }}" }] } },
        { name: "Bad-Name", action: "aws:teleport", inputs: {} },
      ],
      outputs: ["First.Nope"],
    };
    expect(runbookProblems(broken)).toEqual([
      "step First: the name is used twice",
      'step "Bad-Name": not a valid step name (letters, digits, _)',
      'assumeRole "arn:aws:iam::400000000002:role/fixed" is not a parameter reference',
      "step First: aws:executeAwsApi requires input Api",
      'step First: goes to "Nowhere", which is no step',
      "step First: {{ Missing }} names no parameter or output",
      "step Branch: {{ First.Nothing }} names no parameter or output",
      "step Branch choice 0: needs exactly one comparison (StringEquals, StartsWith, EqualsIgnoreCase)",
      'step Bad-Name: "aws:teleport" is not an Automation action',
      "outputs: First.Nope is no step's output",
      "step Branch: no step leads to it",
      "step Bad-Name: no step leads to it",
    ]);
  });
});

describe("the install task of a window with a backup or in an environment with freezes", () => {
  const prod = synthStack("prod");

  it("is an Automation task running the window's install runbook, with the Run Command task's targets and rate control", () => {
    const tasks = installTasks(prod.json);
    expect(tasks).toHaveLength(2);
    for (const task of tasks) {
      expect(task).toMatchObject({
        task_type: "AUTOMATION",
        task_arn: expect.stringMatching(/^\$\{aws_ssm_document\..+_InstallRunbook_.+\.name\}$/),
        max_concurrency: "10%",
        max_errors: "1",
        priority: 2,
        targets: [{ key: "WindowTargetIds", values: [expect.stringMatching(/_InstallTarget_/)] }],
      });
      expect(invocation(task).automation_parameters).toMatchObject({ document_version: "$DEFAULT" });
      expect(automationParameters(task)).toMatchObject({
        AutomationAssumeRole: [expect.stringMatching(/^\$\{aws_iam_role\.Account_PatchAutomation_Role_.+\.arn\}$/)],
        InstanceId: ["{{RESOURCE_ID}}"],
        WindowExecutionId: ["{{WINDOW_EXECUTION_ID}}"],
      });
    }
  });

  it("passes the window's patch command (windowInstallCommand) and the runbook allows exactly it", () => {
    const environment = prod.config.environments.find((e) => e.name === "prod")!;
    const expected = windowInstallCommand(environment, environment.maintenanceWindows[0]!, new Naming(prod.config.org))!;
    const [runbookDoc] = documents(prod.json, "Automation").filter((d) => String(d.name).startsWith("patchline-install-"));
    const runbook = runbookOf(runbookDoc!);
    const patch = runbook.mainSteps.find((s) => s.action === "aws:runCommand")!;
    expect(patch.inputs.DocumentName).toBe(expected.document);
    expect(Object.keys(patch.inputs.Parameters as object)).toEqual(Object.keys(expected.parameters));
    for (const [name, values] of Object.entries(expected.parameters)) {
      expect(runbook.parameters[name]!.allowedValues).toEqual(values);
      // the task references the hook documents, so that they exist before the window runs: the
      // name the reference resolves to must be the one value the runbook allows
      const passed = automationParameters(installTasks(prod.json)[0]!)[name]![0]!;
      const document = /^\$\{aws_ssm_document\.(.+)\.name\}$/.exec(passed)?.[1];
      const resolved = document === undefined ? passed : (prod.json.resource?.aws_ssm_document?.[document] as Block | undefined)?.name;
      expect(resolved).toBe(values[0]);
    }
    expect(
      Object.values(automationParameters(installTasks(prod.json)[0]!))
        .flat()
        .filter((v) => v.startsWith("${aws_ssm_document.")),
    ).toHaveLength(3);
  });

  it("refuses a command parameter of several values: the runbook's String parameter holds one", () => {
    const twoValues = { document: "AWS-RunPatchBaseline" as const, parameters: { Operation: ["Install"], RebootOption: ["NoReboot", "RebootIfNeeded"] } };
    expect(() => installRunbook({ window: "w", command: twoValues, delivery, patchTimeoutSeconds: 1800 })).toThrow(
      "install runbook of window w: parameter RebootOption has 2 values; the runbook passes one",
    );
  });

  it("checks the calendar, backs up, waits, checks the backup, then patches: in that order, one execution per instance", () => {
    const [runbookDoc] = documents(prod.json, "Automation").filter((d) => String(d.name).startsWith("patchline-install-"));
    const runbook = runbookOf(runbookDoc!);
    expect(runbook.mainSteps.map((s) => `${s.name} ${s.action}`)).toEqual([
      "CheckChangeCalendar aws:executeAwsApi",
      "OpenForChanges aws:branch",
      "StartPrePatchBackup aws:executeAwsApi",
      "WaitForPrePatchBackup aws:waitForAwsResourceProperty",
      "PrePatchBackupCompleted aws:assertAwsResourceProperty",
      "RecheckChangeCalendar aws:executeAwsApi",
      "OpenForChangesAfterBackup aws:branch",
      "SkipPatchingDuringChangeFreeze aws:sleep",
      "PatchInstance aws:runCommand",
    ]);
    const start = runbook.mainSteps[2]!.inputs;
    expect(start).toMatchObject({
      Service: "backup",
      Api: "StartBackupJob",
      ResourceArn: "arn:{{ global:AWS_PARTITION }}:ec2:{{ global:REGION }}:{{ global:ACCOUNT_ID }}:instance/{{ InstanceId }}",
      Lifecycle: { DeleteAfterDays: 14 },
      CompleteWindowMinutes: 60 + 30,
      RecoveryPointTags: { "patchline:window": "prod-monthly", "patchline:window-execution-id": "{{ WindowExecutionId }}" },
    });
    expect(runbook.mainSteps[3]!.timeoutSeconds).toBe(30 * 60);
    // a run started at the 1 h cutoff is done by the window's end: the cutoff less the backup wait
    expect(runbook.mainSteps.at(-1)!.timeoutSeconds).toBe(60 * 60 - 30 * 60);
    // nor is the command delivered to an instance that comes online after that
    expect(runbook.mainSteps.at(-1)!.inputs.TimeoutSeconds).toBe(60 * 60 - 30 * 60);
    // the calendar step outputs only State: GetCalendarState has no NextTransitionTime after the last freeze
    expect(runbook.mainSteps[0]!.outputs).toEqual([{ Name: "State", Selector: "$.State", Type: "String" }]);
    // retried only where a retry is harmless: a read, and a backup job started with the execution's id as idempotency token
    expect(runbook.mainSteps.map((s) => [s.name, s.maxAttempts])).toEqual(
      expect.arrayContaining([
        ["CheckChangeCalendar", 3],
        ["StartPrePatchBackup", 3],
        ["RecheckChangeCalendar", 3],
      ]),
    );
    expect(runbook.mainSteps.filter((s) => s.maxAttempts !== undefined).map((s) => s.name)).toEqual([
      "CheckChangeCalendar",
      "StartPrePatchBackup",
      "RecheckChangeCalendar",
    ]);
    expect(start.IdempotencyToken).toBe("{{ automation:EXECUTION_ID }}");
    // no step may fail onward: a failed backup step aborts the execution before PatchInstance
    expect(runbook.mainSteps.every((s) => s.onFailure === undefined)).toBe(true);
  });

  it("sends the command as the window's Run Command task does: comment, delivery timeout, output, logs, notifications", () => {
    const withoutNets = synthStack("dev", (d) => (d.org.freezes = []));
    const runTask = installTasks(withoutNets.json)[0]!;
    expect(runTask.task_type).toBe("RUN_COMMAND");
    const run = invocation(runTask).run_command_parameters as Block;
    const withFreeze = synthStack("dev");
    const [runbookDoc] = documents(withFreeze.json, "Automation").filter((d) => d.name === "patchline-install-dev-weekly");
    const patch = runbookOf(runbookDoc!).mainSteps.find((s) => s.action === "aws:runCommand")!.inputs;
    expect(patch).toMatchObject({
      Comment: run.comment,
      TimeoutSeconds: run.timeout_seconds,
      OutputS3BucketName: run.output_s3_bucket,
      OutputS3KeyPrefix: run.output_s3_key_prefix,
      CloudWatchOutputConfig: { CloudWatchLogGroupName: (run.cloudwatch_config as Block).cloudwatch_log_group_name, CloudWatchOutputEnabled: true },
      NotificationConfig: {
        NotificationArn: (run.notification_config as Block).notification_arn,
        NotificationEvents: (run.notification_config as Block).notification_events,
        NotificationType: "Command",
      },
      ServiceRoleArn: run.service_role_arn,
    });
    expect(runTask.task_arn).toBe(patch.DocumentName);
  });

  it("stays a Run Command task where there is neither a backup nor a freeze, and creates no runbook, calendar or automation roles", () => {
    const { json } = synthStack("dev", (d) => (d.org.freezes = []));
    expect(installTasks(json).map((t) => t.task_type)).toEqual(["RUN_COMMAND"]);
    expect(documents(json, "Automation")).toEqual([]);
    expect(documents(json, "ChangeCalendar")).toEqual([]);
    expect(bodiesOf(json, "aws_iam_role").map((r) => r.name)).not.toContain("patchline-patch-automation");
  });

  it("a freeze without a backup: the calendar step, no backup steps, no vault or restore runbook", () => {
    const { json } = synthStack("dev");
    const [runbookDoc] = documents(json, "Automation").filter((d) => d.name === "patchline-install-dev-weekly");
    expect(runbookOf(runbookDoc!).mainSteps.map((s) => s.name)).toEqual([
      "CheckChangeCalendar",
      "OpenForChanges",
      "SkipPatchingDuringChangeFreeze",
      "PatchInstance",
    ]);
    expect(bodiesOf(json, "aws_backup_vault")).toEqual([]);
    expect(documents(json, "Automation").map((d) => d.name)).not.toContain("patchline-restore-instance");
  });

  it("a snapshot backup finds the root volume first and backs up that volume", () => {
    const { json } = synthStack("prod", (d) => (d.environments.prod.maintenanceWindows[0].install.backup = { kind: "snapshot" }));
    const [runbookDoc] = documents(json, "Automation").filter((d) => d.name === "patchline-install-prod-monthly");
    const runbook = runbookOf(runbookDoc!);
    expect(runbook.mainSteps.map((s) => s.name).slice(2, 5)).toEqual(["FindRootDevice", "FindRootVolume", "StartPrePatchBackup"]);
    expect(runbook.mainSteps[4]!.inputs).toMatchObject({
      ResourceArn: "arn:{{ global:AWS_PARTITION }}:ec2:{{ global:REGION }}:{{ global:ACCOUNT_ID }}:volume/{{ FindRootVolume.VolumeId }}",
      // the schema's defaults
      Lifecycle: { DeleteAfterDays: 14 },
      CompleteWindowMinutes: 60 + 30,
    });
    expect(referencesIn(runbook.mainSteps[3]!.inputs)).toEqual(["InstanceId", "FindRootDevice.RootDeviceName"]);
  });

  it("renders the environment's freezes as a DEFAULT_OPEN change calendar in each region, with the restore runbook and the vault where windows back up", () => {
    const calendars = documents(prod.json, "ChangeCalendar");
    expect(calendars.map((c) => [c.name, c.document_format, c.provider])).toEqual([
      ["patchline-change-freezes", "TEXT", "aws.eu-west-1"],
      ["patchline-change-freezes", "TEXT", "aws.us-east-1"],
    ]);
    expect(String(calendars[0]!.content)).toContain("X-CALENDAR-TYPE:DEFAULT_OPEN\r\n");
    // the example's year-end freeze is given as days in US/Central, the windows' zone: its midnights at -06:00
    expect(String(calendars[0]!.content)).toContain("DTSTART:20261218T060000Z\r\nDTEND:20270104T060000Z\r\nSUMMARY:year-end freeze\r\n");
    expect(bodiesOf(prod.json, "aws_backup_vault").map((v) => v.name)).toEqual(["patchline-pre-patch", "patchline-pre-patch"]);
    // AWS Backup is passed its role and is not documented to set aws:SourceAccount when assuming it: no condition that could deny it
    const backupTrust = dataOf(prod.json, "aws_iam_policy_document").find(([name]) => /backup/i.test(name) && /trust/i.test(name))?.[1];
    expect(backupTrust?.statement).toEqual([
      {
        sid: "ServicePassedThisRole",
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["backup.amazonaws.com"] }],
        condition: [],
      },
    ]);
    expect(documents(prod.json, "Automation").filter((d) => d.name === "patchline-restore-instance")).toHaveLength(2);
  });
});
