import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { EmergencyRun } from "../../../contracts/emergency-patch.js";
import type { TargetResult, WaveSummary } from "../../../contracts/emergency-results.js";
import { exampleWith } from "../../../test/support/config.js";
import { examplePlan, exampleFleet, RUN_ID, runDepsOver } from "../../../test/support/emergency.js";
import { mapRunObjects } from "../../../test/support/map-run.js";
import { parseOrgConfig } from "../../../environments/schema/index.js";
import { fleetCatalog } from "../../../stacks/compliance/fleet-catalog.js";
import { exampleNaming } from "../../../test/support/construct-synth.js";
import { startRun, type StartInput } from "./start.js";
import { summarizeWave } from "./summarize.js";

const STARTED_AT = "2027-03-04T08:00:00.000Z";
const start = (plan: unknown, objects = new Map<string, string>(), catalog = exampleFleet, runId = RUN_ID) =>
  startRun({ action: "start", runId, startedAt: STARTED_AT, plan } satisfies StartInput, runDepsOver(objects, catalog));
const refusal = async (plan: unknown) => {
  try {
    await start(plan);
  } catch (error) {
    return error as Error;
  }
  throw new Error("the plan was accepted");
};

describe("starting a run", () => {
  it("writes each wave's account-regions and returns the run the later steps use", async () => {
    const objects = new Map<string, string>();
    const run = await start(examplePlan(), objects);
    expect(run).toMatchObject({
      runId: RUN_ID,
      environment: "prod",
      startedAt: STARTED_AT,
      maxFailureRatePercent: 5,
      patches: [],
      withoutHooks: false,
      waves: [
        { number: 1, key: `runs/${RUN_ID}/wave-1.json`, accounts: 1, targets: 2, firstAccounts: ["web-prod"] },
        { number: 2, key: `runs/${RUN_ID}/wave-2.json`, accounts: 1, targets: 2, firstAccounts: ["payments-prod"] },
        { number: 3, key: `runs/${RUN_ID}/wave-3.json`, accounts: 1, targets: 2, firstAccounts: ["data-prod"] },
      ],
      patching: { runId: RUN_ID, startedAt: STARTED_AT, environment: "prod", patchGroupTagKey: "Patch Group", timeoutMinutes: 120 },
    });
    expect(run.installOverrideList).toBeUndefined();
    expect(run.patching.commands).toEqual(examplePlan().commands);
    expect(JSON.parse(objects.get(`runs/${RUN_ID}/wave-3.json`)!)).toEqual([
      { accountId: "400000000003", accountName: "data-prod", region: "us-east-1" },
      { accountId: "400000000003", accountName: "data-prod", region: "eu-west-1" },
    ]);
    expect([...objects.keys()].sort()).toEqual([1, 2, 3].map((n) => `runs/${RUN_ID}/wave-${n}.json`));
  });

  it("writes the named patches' list (YAML an InstallOverrideList reads) and points every command at it", async () => {
    const objects = new Map<string, string>();
    const run = await start(examplePlan({ patches: ["KB5034441", "openssl*"], withoutHooks: true }), objects);
    const key = `install-lists/prod/${RUN_ID}.yaml`;
    expect(parse(objects.get(key)!)).toEqual({ patches: [{ id: "KB5034441" }, { id: "openssl*" }] });
    expect(run.installOverrideList).toBe(`https://s3.us-east-1.amazonaws.com/patchline-emergency-100000000001-us-east-1/${key}`);
    expect(run.patching.commands.map((c) => c.parameters.InstallOverrideList)).toEqual([[run.installOverrideList]]);
  });

  const plan = examplePlan();
  const command = plan.commands[0]!;
  it.each<[string, unknown, string]>([
    ["a plan of another shape", { ...plan, version: 2 }, "version"],
    ["an environment the catalog does not have", { ...plan, environment: "staging" }, 'environment "staging" is not in the fleet catalog (dev, preprod, prod)'],
    [
      "an account of another environment",
      { ...plan, waves: [[{ accountId: "200000000001", regions: ["us-east-1"] }]] },
      "account 200000000001 is not an account of prod",
    ],
    [
      "an account twice",
      { ...plan, waves: [plan.waves[0], plan.waves[0]] },
      "waves[1][0]: account 400000000002 (web-prod) is in more than one place of the waves",
    ],
    [
      "a region the account is not patched in",
      { ...plan, waves: [[{ accountId: "400000000002", regions: ["ap-southeast-2"] }]] },
      "web-prod is not patched in ap-southeast-2 (its regions: us-east-1, eu-west-1)",
    ],
    [
      "a window the environment does not have",
      { ...plan, commands: [{ ...command, window: "prod-weekly" }] },
      '"prod-weekly" is not a maintenance window of prod',
    ],
    [
      "a patch group of another window",
      { ...plan, commands: [{ ...command, patchGroups: ["web-dev"] }] },
      'patch group "web-dev" is not one of window prod-monthly\'s',
    ],
    [
      "another document",
      { ...plan, commands: [{ ...command, document: "AWS-RunShellScript" }] },
      'commands.0.document: expected one of "AWS-RunPatchBaseline", "AWS-RunPatchBaselineWithHooks"',
    ],
    [
      "a parameter patchline does not send",
      { ...plan, commands: [{ ...command, parameters: { ...command.parameters, SnapshotId: ["x"] } }] },
      'commands[0]: not window prod-monthly\'s install command: parameter SnapshotId ["x"] is not one the window sends',
    ],
    ["named patches with the hooks document", { ...plan, patches: ["KB5034441"] }, "named patches need AWS-RunPatchBaseline"],
    [
      "another account's shared document as a hook",
      {
        ...plan,
        commands: [{ ...command, parameters: { ...command.parameters, PreInstallHookDocName: ["arn:aws:ssm:us-east-1:999999999999:document/evil"] } }],
      },
      'commands[0]: not window prod-monthly\'s install command: parameter PreInstallHookDocName ["arn:aws:ssm:us-east-1:999999999999:document/evil"] is not ["patchline-record-running-services"]',
    ],
    [
      "a hook the window does not run",
      (() => {
        const { OnExitHookDocName: _, ...parameters } = command.parameters;
        return { ...plan, commands: [{ ...command, parameters }] };
      })(),
      'parameter OnExitHookDocName is missing (the window sends ["patchline-verify-services"])',
    ],
    [
      "an InstallOverrideList of its own",
      {
        ...examplePlan({ patches: ["KB5034441"], withoutHooks: true }),
        patches: [],
        withoutHooks: false,
        commands: [
          {
            ...command,
            document: "AWS-RunPatchBaseline",
            parameters: { Operation: ["Install"], RebootOption: ["RebootIfNeeded"], InstallOverrideList: ["https://evil.example/list.yaml"] },
          },
        ],
      },
      'parameter InstallOverrideList ["https://evil.example/list.yaml"] is not one the window sends',
    ],
    [
      "another reboot option",
      { ...plan, commands: [{ ...command, parameters: { ...command.parameters, RebootOption: ["NoReboot"] } }] },
      'parameter RebootOption ["NoReboot"] is not ["RebootIfNeeded"]',
    ],
    ["another concurrency", { ...plan, commands: [{ ...command, maxConcurrency: "100%" }] }, "maxConcurrency 100% is not 10%"],
    ["another error threshold", { ...plan, commands: [{ ...command, maxErrors: "100%" }] }, "maxErrors 100% is not 1"],
    [
      "without hooks but another reboot option",
      (() => {
        const named = examplePlan({ patches: ["KB5034441"], withoutHooks: true });
        return { ...named, commands: named.commands.map((c) => ({ ...c, parameters: { ...c.parameters, RebootOption: ["NoReboot"] } })) };
      })(),
      'parameter RebootOption ["NoReboot"] is not ["RebootIfNeeded"]',
    ],
    [
      "without hooks but a hook kept",
      (() => {
        const named = examplePlan({ patches: ["KB5034441"], withoutHooks: true });
        return {
          ...named,
          commands: named.commands.map((c) => ({ ...c, parameters: { ...c.parameters, PreInstallHookDocName: ["patchline-record-running-services"] } })),
        };
      })(),
      "parameter PreInstallHookDocName",
    ],
    ["an advisory named as a patch", { ...examplePlan({ patches: ["KB5034441"], withoutHooks: true }), patches: ["ALAS2-2024-2501"] }, "is an advisory id"],
    ["without hooks but no named patches", { ...plan, withoutHooks: true }, "withoutHooks: only with named patches"],
  ])("refuses %s, sending nothing", async (_what, tampered, problem) => {
    const error = await refusal(tampered);
    expect(error.name).toBe("InvalidEmergencyPlan");
    expect(error.message).toMatch(/^the plan is refused, nothing was sent: /);
    expect(error.message).toContain(problem);
  });

  it("refuses a window that only scans", async () => {
    const scanOnly = parseOrgConfig(exampleWith((d) => delete d.environments.prod.maintenanceWindows[0].install));
    await expect(start(plan, new Map(), fleetCatalog(scanOnly, exampleNaming))).rejects.toThrow("window prod-monthly only scans");
  });

  it("accepts the window's own command, and with named patches and --without-hooks only AWS-RunPatchBaseline with the window's reboot option", async () => {
    await expect(start(plan)).resolves.toMatchObject({ runId: RUN_ID });
    await expect(start(examplePlan({ patches: ["KB5034441"], withoutHooks: true }))).resolves.toMatchObject({ runId: RUN_ID });
  });

  it("refuses every command when the catalog has no window commands (written before it had them)", async () => {
    const older = {
      ...exampleFleet,
      environments: exampleFleet.environments.map((e) => ({
        ...e,
        maintenanceWindows: e.maintenanceWindows.map(({ installCommand: _, ...w }) => w),
      })),
    };
    await expect(start(plan, new Map(), older)).rejects.toThrow(
      "the fleet catalog has no install command for window prod-monthly (deploy the central stack again)",
    );
  });

  it("refuses an execution name that is no run id", async () => {
    await expect(start(plan, new Map(), exampleFleet, "prod run/1")).rejects.toThrow('the execution name "prod run/1" is no run id');
  });
});

const run = (): Promise<EmergencyRun> => start(examplePlan());
const result = (accountName: string, region: string, outcome: Partial<TargetResult> = {}): TargetResult => ({
  status: "completed",
  target: { accountId: { "web-prod": "400000000002", "payments-prod": "400000000001" }[accountName] ?? "400000000003", accountName, region },
  invocations: { targeted: 10, succeeded: 10, failed: 0, byStatus: { Success: 10 } },
  failedInstances: [],
  ...outcome,
});

/** The wave's results as the Distributed Map's ResultWriter writes them, read back by the summary. */
async function summarize(results: readonly TargetResult[], options: { previous?: WaveSummary[]; failedChild?: boolean; waveNumber?: number } = {}) {
  const r = await run();
  const wave = r.waves[(options.waveNumber ?? 1) - 1]!;
  const children = results.map((output) => ({ input: { target: output.target, patching: r.patching }, status: "SUCCEEDED" as const, output }));
  if (options.failedChild)
    children.push({
      input: { target: { accountId: "400000000002", accountName: "web-prod", region: "eu-west-1" }, patching: r.patching },
      status: "FAILED",
      error: "States.Runtime",
    } as never);
  const written = mapRunObjects("patchline-emergency-100000000001-us-east-1", children, 2, "runs/map-results");
  return summarizeWave({ action: "summarizeWave", run: r, wave, results: options.previous ?? [], written: written.details }, runDepsOver(written.objects));
}

describe("summing a wave", () => {
  it("sums the invocations of every account-region and goes on when the rate holds", async () => {
    const outcome = await summarize([
      result("web-prod", "us-east-1"),
      result("web-prod", "eu-west-1", { invocations: { targeted: 20, succeeded: 19, failed: 1, byStatus: {} } }),
    ]);
    expect(outcome).toMatchObject({ halt: false, last: false });
    expect(outcome.wave).toEqual({
      number: 1,
      targets: 2,
      completed: 2,
      unfinished: [],
      unfinishedCount: 0,
      invocations: { targeted: 30, succeeded: 29, failed: 1 },
      failureRatePercent: 100 / 30,
      failedInstances: [],
    });
    expect(outcome.results).toEqual([outcome.wave]);
  });

  it("a rate exactly at the maximum passes; above it halts, saying by how much", async () => {
    const at = await summarize([
      result("web-prod", "us-east-1", { invocations: { targeted: 20, succeeded: 19, failed: 1, byStatus: {} } }),
      result("web-prod", "eu-west-1", { invocations: { targeted: 0, succeeded: 0, failed: 0, byStatus: {} } }),
    ]);
    expect(at.halt).toBe(false);
    const failed = [{ instanceId: "i-0123456789abcdef0", status: "Failed", window: "prod-monthly" }];
    const above = await summarize([
      result("web-prod", "us-east-1", { invocations: { targeted: 14, succeeded: 12, failed: 2, byStatus: {} }, failedInstances: failed }),
      result("web-prod", "eu-west-1"),
    ]);
    expect(above.halt).toBe(true);
    expect(above.wave.haltReason).toBe("halted after wave 1: 8.3 % failed > 5 % (2 of 24 instances)");
    expect(above.wave.failedInstances).toEqual([{ ...failed[0], accountId: "400000000002", region: "us-east-1" }]);
  });

  it("halts when an account-region was not seen through, naming it; a child that failed outright counts too", async () => {
    const outcome = await summarize(
      [
        result("web-prod", "us-east-1", {
          status: "unreachable",
          invocations: undefined,
          failedInstances: undefined,
          error: "TargetUnreachable",
          // a Lambda error's cause as Step Functions hands it on
          cause: JSON.stringify({
            errorType: "TargetUnreachable",
            errorMessage: "cannot assume arn:aws:iam::400000000002:role/patchline-emergency-patch",
            trace: [],
          }),
        }),
      ],
      { failedChild: true },
    );
    expect(outcome.halt).toBe(true);
    expect(outcome.wave.haltReason).toBe("halted after wave 1: 2 of 2 account-regions not seen through (web-prod us-east-1: unreachable, …)");
    expect(outcome.wave.unfinished).toEqual([
      {
        accountId: "400000000002",
        accountName: "web-prod",
        region: "us-east-1",
        status: "unreachable",
        error: "TargetUnreachable: cannot assume arn:aws:iam::400000000002:role/patchline-emergency-patch",
      },
      { accountId: "400000000002", accountName: "web-prod", region: "eu-west-1", status: "child-failed", error: "States.Runtime" },
    ]);
  });

  it("halts when a wave before the last targeted no instance; the last wave may", async () => {
    const none = { invocations: { targeted: 0, succeeded: 0, failed: 0, byStatus: {} } };
    const empty = await summarize([result("web-prod", "us-east-1", none), result("web-prod", "eu-west-1", none)]);
    expect(empty.halt).toBe(true);
    expect(empty.wave.haltReason).toBe(
      "halted after wave 1: no instance was targeted in its 2 account-regions, so it is no evidence for wave 2 (check the patch groups' tags and patch-policy)",
    );
    const last = await summarize([result("data-prod", "us-east-1", none), result("data-prod", "eu-west-1", none)], { waveNumber: 3 });
    expect(last).toMatchObject({ halt: false, last: true });
  });

  it("halts when fewer account-regions reported than the wave has", async () => {
    const outcome = await summarize([result("web-prod", "us-east-1")]);
    expect(outcome.wave.haltReason).toBe("halted after wave 1: only 1 of the wave's 2 account-regions reported");
  });

  it("knows the last wave, and keeps the waves before", async () => {
    const earlier = (await summarize([result("web-prod", "us-east-1"), result("web-prod", "eu-west-1")])).wave;
    const outcome = await summarize([result("data-prod", "us-east-1"), result("data-prod", "eu-west-1")], { previous: [earlier, earlier], waveNumber: 3 });
    expect(outcome).toMatchObject({ halt: false, last: true });
    expect(outcome.results.map((r) => r.number)).toEqual([1, 1, 3]);
  });
});
