import { describe, expect, it } from "vitest";
import { emergencyPlanSchema } from "../../contracts/emergency-patch.js";
import type { OrgConfigInput } from "../../environments/schema/index.js";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";
import { exampleWith } from "../../test/support/config.js";
import { CALLER } from "../../test/support/emergency.js";
import type { PatchNowAws } from "./aws.js";
import { patchNowCommand } from "./command.js";

const MACHINE = "arn:aws:states:us-east-1:100000000001:stateMachine:patchline-emergency-patch";

async function run(argv: string[], options: { input?: OrgConfigInput; executions?: { name: string; status: string }[]; startError?: Error } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const started: { stateMachineArn: string; name: string; input: unknown }[] = [];
  const regions: string[] = [];
  const aws: PatchNowAws = {
    callerArn: async () => CALLER,
    executions: async () => options.executions ?? [],
    startExecution: async (stateMachineArn, name, input) => {
      if (options.startError) throw options.startError;
      started.push({ stateMachineArn, name, input: JSON.parse(input) });
      return { executionArn: `${MACHINE.replace(":stateMachine:", ":execution:")}:${name}` };
    },
  };
  const code = await patchNowCommand(argv, {
    io: { print: (t) => out.push(t), error: (t) => err.push(t), now: () => new Date("2027-03-04T08:00:00.000Z") },
    input: options.input ?? exampleOrganization,
    aws: (region) => {
      regions.push(region);
      return aws;
    },
  });
  return { code, out: out.join("\n"), err: err.join("\n"), started, regions };
}

const prod = ["--environment", "prod", "--reason", "CVE-2027-0001 in openssl"];

describe("npm run patch-now", () => {
  it("--dry-run prints the waves (canary first), the commands and the rule that halts, and starts nothing", async () => {
    const result = await run([...prod, "--dry-run"]);
    expect(result.code).toBe(0);
    expect(result.err).toBe("");
    expect(result.regions).toEqual([]);
    expect(result.out).toBe(
      [
        "Emergency patch run of prod",
        "  reason: CVE-2027-0001 in openssl",
        "  window prod-monthly: patch groups web-prod, app-prod, data-prod with AWS-RunPatchBaselineWithHooks (RebootIfNeeded), 10% at a time, error threshold 1",
        "  note: window prod-monthly backs up each instance before install (install.backup); this run does not: it sends the patch document directly",
        "  instances tagged patch-policy=patch-on-schedule; a wave with more than 5 % failed instances halts the run; a wave may run 120 minutes",
        "  wave 1 (5 % of the accounts): 1 account",
        "    web-prod (400000000002): us-east-1, eu-west-1",
        "  wave 2 (25 % of the accounts): 1 account",
        "    payments-prod (400000000001): us-east-1, eu-west-1",
        "  wave 3 (100 % of the accounts): 1 account",
        "    data-prod (400000000003): us-east-1, eu-west-1",
        "dry run: nothing started",
      ].join("\n"),
    );
  });

  it("starts the state machine with the plan as its input, named after the environment and the time, and prints the execution and its console page", async () => {
    const result = await run([...prod, "--patch-groups", "web-prod", "--waves", "50%,100%", "--max-failure-rate", "2%"]);
    expect(result.code).toBe(0);
    expect(result.regions).toEqual(["us-east-1"]);
    expect(result.started).toHaveLength(1);
    const [start] = result.started;
    expect(start!.stateMachineArn).toBe(MACHINE);
    expect(start!.name).toBe("prod-20270304T08Z-1");
    const plan = emergencyPlanSchema.parse(start!.input);
    expect(plan).toMatchObject({
      environment: "prod",
      reason: "CVE-2027-0001 in openssl",
      requestedBy: CALLER,
      maxFailureRatePercent: 2,
      timeoutMinutes: 120,
      patches: [],
      commands: [{ window: "prod-monthly", patchGroups: ["web-prod"], maxConcurrency: "10%", maxErrors: "1" }],
      waves: [
        [
          { accountId: "400000000002", regions: ["us-east-1", "eu-west-1"] },
          { accountId: "400000000001", regions: ["us-east-1", "eu-west-1"] },
        ],
        [{ accountId: "400000000003", regions: ["us-east-1", "eu-west-1"] }],
      ],
    });
    const executionArn = "arn:aws:states:us-east-1:100000000001:execution:patchline-emergency-patch:prod-20270304T08Z-1";
    expect(result.out).toContain(`started ${executionArn}`);
    expect(result.out).toContain(`https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/${executionArn}`);
  });

  it("gives each wave --wave-timeout minutes instead of the windows' longest duration, and says so before it starts", async () => {
    const result = await run([...prod, "--wave-timeout", "360"]);
    expect(result.code).toBe(0);
    expect(emergencyPlanSchema.parse(result.started[0]!.input).timeoutMinutes).toBe(360);
    expect(result.out).toContain("a wave may run 360 minutes");
  });

  it("names patches only with AWS-RunPatchBaseline: prod's hooks window needs --without-hooks", async () => {
    const refused = await run([...prod, "--patches", "KB5034441", "--dry-run"]);
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(
      "--patches: window prod-monthly patches with AWS-RunPatchBaselineWithHooks, which takes no InstallOverrideList: add --without-hooks to send AWS-RunPatchBaseline with the window's reboot option (its lifecycle hooks do not run), or leave out --patches to send the window's command with its hooks",
    );
    const result = await run([...prod, "--patches", "KB5034441, openssl.x86_64", "--without-hooks"]);
    expect(result.code).toBe(0);
    const plan = emergencyPlanSchema.parse(result.started[0]!.input);
    expect(plan).toMatchObject({ patches: ["KB5034441", "openssl.x86_64"], withoutHooks: true });
    expect(plan.commands[0]).toMatchObject({ document: "AWS-RunPatchBaseline", parameters: { Operation: ["Install"], RebootOption: ["RebootIfNeeded"] } });
    expect(result.out).toContain("only the named patches (InstallOverrideList): KB5034441, openssl.x86_64");
  });

  it("dev's windows without hooks take named patches as they are", async () => {
    const result = await run(["--environment", "dev", "--reason", "x", "--patches", "KB5034441", "--waves", "100%", "--dry-run"]);
    expect(result.err).toBe("");
    expect(result.out).toContain("with AWS-RunPatchBaseline (");
  });

  it.each<[string, string[], string]>([
    ["no environment", ["--reason", "x"], "--environment: missing: name the environment to patch"],
    ["no reason", ["--environment", "prod"], "--reason: missing: say why this cannot wait for the windows"],
    ["an empty reason", ["--environment", "prod", "--reason", "  "], "--reason: say why this cannot wait for the windows"],
    [
      "an unknown environment",
      ["--environment", "staging", "--reason", "x"],
      '--environment: "staging" is not an environment (configured: dev, preprod, prod)',
    ],
    [
      "an unknown patch group",
      [...prod, "--patch-groups", "web-prod,mail-prod"],
      '--patch-groups: "mail-prod" is not a patch group of prod (web-prod, app-prod, data-prod)',
    ],
    ["bad percentages", [...prod, "--waves", "5%,25%"], "--waves: the last wave is 25%; it must be 100% so that every account is patched"],
    ["a bad failure rate", [...prod, "--max-failure-rate", "5"], '--max-failure-rate: "5" is not a percentage'],
    ["a wave timeout out of range", [...prod, "--wave-timeout", "5"], '--wave-timeout: "5" is not a time in minutes: a whole number from 15 to 1440'],
    ["more waves than accounts", ["--environment", "dev", "--reason", "x"], "--waves: 3 waves for 2 accounts"],
    ["an advisory", [...prod, "--patches", "RHSA-2024:1234", "--without-hooks"], '--patches: "RHSA-2024:1234" is an advisory id'],
    ["hooks left out without named patches", [...prod, "--without-hooks"], "--without-hooks: only with --patches"],
    ["an unknown option", [...prod, "--force"], "Unknown option '--force'"],
  ])("refuses %s (exit 2), asking nothing of AWS", async (_what, argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(result.regions).toEqual([]);
  });

  it("says when a window is disabled: the run patches its groups all the same", async () => {
    const input = exampleWith((d) => (d.environments.dev.maintenanceWindows[0].enabled = false));
    const result = await run(["--environment", "dev", "--reason", "x", "--waves", "100%", "--dry-run"], { input });
    expect(result.out).toContain("  note: window dev-weekly is disabled (enabled: false); this run patches its patch groups all the same");
  });

  it("refuses a patch group whose window only scans", async () => {
    const input = exampleWith((d) => {
      d.environments.prod.maintenanceWindows.push({ ...d.environments.prod.maintenanceWindows[0], name: "prod-scan" });
      delete d.environments.prod.maintenanceWindows[1].install;
      d.environments.prod.patchGroups[2].maintenanceWindow = "prod-scan";
    });
    const result = await run([...prod, "--patch-groups", "data-prod", "--dry-run"], { input });
    expect(result.err).toBe(
      "--patch-groups: data-prod's window prod-scan only scans; an emergency run patches what the windows patch (patch groups of installing windows: web-prod, app-prod)",
    );
    // without --patch-groups the run patches what the installing window patches
    expect((await run([...prod, "--dry-run"], { input })).out).toContain("window prod-monthly: patch groups web-prod, app-prod with");
  });

  it("refuses to start while another run of the environment runs", async () => {
    const result = await run(prod, {
      executions: [
        { name: "dev-20270304T07Z-1", status: "RUNNING" },
        { name: "prod-20270304T07Z-1", status: "RUNNING" },
        { name: "prod-20270303T07Z-1", status: "FAILED" },
      ],
    });
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      "an emergency run of prod is still running (prod-20270304T07Z-1): two runs would patch the same instances at once; wait for it, or stop it in the Step Functions console first",
    );
    expect(result.started).toEqual([]);
  });

  it("names a run after the environment's runs of the same hour, so that a second start at the same time derives the same name", async () => {
    const result = await run(prod, {
      executions: [
        { name: "prod-20270304T08Z-1", status: "FAILED" },
        { name: "dev-20270304T08Z-4", status: "SUCCEEDED" },
      ],
    });
    expect(result.code).toBe(0);
    expect(result.started.map((s) => s.name)).toEqual(["prod-20270304T08Z-2"]);
  });

  it("says clearly that another operator's run started first (ExecutionAlreadyExists), starting nothing", async () => {
    const result = await run(prod, {
      startError: Object.assign(new Error("Execution Already Exists: 'arn:…:prod-20270304T08Z-1'"), { name: "ExecutionAlreadyExists" }),
    });
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      "another emergency run of prod was started a moment ago as prod-20270304T08Z-1 (ExecutionAlreadyExists): this one was not started, so that two runs do not patch the same instances at once; see that run in the Step Functions console, or start again once it has ended",
    );
  });

  it("says why AWS refused to start it", async () => {
    const result = await run(prod, { startError: Object.assign(new Error("State Machine Does Not Exist"), { name: "StateMachineDoesNotExist" }) });
    expect(result.code).toBe(1);
    expect(result.err).toBe(`cannot start the run on ${MACHINE}: StateMachineDoesNotExist: State Machine Does Not Exist (is the central stack deployed?)`);
  });
});
