import { describe, expect, it } from "vitest";
import type { EmergencyPlan, EmergencyTarget } from "../../contracts/emergency-patch.js";
import { emergencyFunctionNames } from "../../contracts/functions.js";
import { notifyInput, notifyRun } from "../../functions/emergency/notify/notify.js";
import { startInput, startRun } from "../../functions/emergency/run/start.js";
import { summarizeInput, summarizeWave } from "../../functions/emergency/run/summarize.js";
import { recordingLog } from "../../test/support/approval-fakes.js";
import { exampleNaming } from "../../test/support/construct-synth.js";
import { emulateDistributedMap } from "../../test/support/distributed-map.js";
import { EXECUTION_ARN, examplePlan, exampleFleet, RUN_ID, runDepsOver } from "../../test/support/emergency.js";
import { executeLocally, taskError, type LocalExecution, type TaskHandler } from "../../test/support/local-state-machine.js";
import { assertValidDefinition } from "../core/asl.js";
import { emergencyDefinition, PATCH_WAVE_STATE } from "./definition.js";

const definition = emergencyDefinition({
  functions: {
    run: exampleNaming.centralFunctionArn(emergencyFunctionNames.run),
    commands: exampleNaming.centralFunctionArn(emergencyFunctionNames.commands),
    notify: exampleNaming.centralFunctionArn(emergencyFunctionNames.notify),
  },
  bucket: exampleNaming.emergencyBucket,
});
const context = { Execution: { Id: EXECUTION_ARN, Name: RUN_ID } };

type Payload = { target: EmergencyTarget; patching: { commands: { window: string; parameters: Record<string, string[]> }[] }; progress?: unknown };
/** How a target's commands end: invocations targeted and failed, or an error of the send or check step. */
type Fate = { targeted: number; failed: number; timedOut?: boolean } | { sendError: string } | { checkError: string };

/**
 * A run of the whole definition over the example's prod: the run and notify functions for real
 * (their S3 a map, their channels recorded), the member-account commands answered per target by
 * `fate`, the waves' Distributed Maps emulated.
 */
async function run(plan: EmergencyPlan | unknown, fate: (target: EmergencyTarget) => Fate, options: { failDelivery?: boolean } = {}) {
  const objects = new Map<string, string>();
  const deps = runDepsOver(objects);
  const messages: { kind: string; title: string }[] = [];
  const notify: TaskHandler = async (input) =>
    notifyRun(notifyInput.parse(input), {
      catalog: async () => exampleFleet,
      deliver: async (_channel, document) => {
        if (options.failDelivery) throw new Error("HTTP 500");
        if (!messages.some((m) => m.title === document.title)) messages.push({ kind: (input as { kind: string }).kind, title: document.title });
      },
      log: recordingLog(),
    });
  const childTasks: Record<string, TaskHandler> = {
    SendCommands: (input) => {
      const { target, patching } = input as Payload;
      const f = fate(target);
      if ("sendError" in f) throw taskError(f.sendError, `${f.sendError} in ${target.accountId}/${target.region}`);
      const commands = patching.commands.map((c, i) => ({ window: c.window, commandId: `${target.accountId}-${target.region}-${i}` }));
      return { status: "in-progress", commands, waitUntil: "2027-03-04T10:00:00.000Z", nextCheckSeconds: 60, checks: 0 };
    },
    CheckCommands: (input, call) => {
      const { target, progress } = input as Payload & { progress: { commands: unknown[]; checks: number } };
      const f = fate(target);
      if ("checkError" in f) throw taskError(f.checkError);
      if ("sendError" in f) throw new Error("unreachable: the send failed");
      // every target's commands run for one more check before they end
      if (progress.checks === 0) return { ...progress, status: "in-progress", nextCheckSeconds: 120, checks: 1 };
      return {
        status: f.timedOut ? "timed-out" : "completed",
        commands: progress.commands,
        invocations: {
          targeted: f.targeted,
          succeeded: f.targeted - f.failed,
          failed: f.failed,
          byStatus: { Success: f.targeted - f.failed, Failed: f.failed },
        },
        failedInstances: Array.from({ length: Math.min(f.failed, 2) }, (_, i) => ({
          instanceId: `i-0${call}${i}abcdef12345678`,
          status: "Failed",
          window: "prod-monthly",
        })),
      };
    },
  };
  const emulation = emulateDistributedMap(definition, PATCH_WAVE_STATE, objects, childTasks);
  const execution = await executeLocally(emulation.definition, plan, {
    context,
    tasks: {
      ...emulation.tasks,
      StartRun: (input) => startRun(startInput.parse(input), deps),
      SummarizeWave: (input) => summarizeWave(summarizeInput.parse(input), deps),
      AnnounceStart: notify,
      AnnounceWavePassed: notify,
      AnnounceHalt: notify,
      AnnounceFinished: notify,
      AnnounceBroken: notify,
    },
  });
  const childCalls = (state: string) => (emulation.childCalls.get(state) ?? []) as Payload[];
  return { execution, messages, objects, childCalls, children: emulation.children };
}

const healthy = (): Fate => ({ targeted: 20, failed: 0 });
const accountsSent = (calls: Payload[]) => [...new Set(calls.map((c) => c.target.accountName))];
const entered = (execution: LocalExecution, state: string) => execution.path.filter((s) => s === state).length;

describe("the emergency patch run's definition", () => {
  it("is valid ASL and depends on no account of the organization", () => {
    expect(() => assertValidDefinition("emergency", definition)).not.toThrow();
    expect(JSON.stringify(definition)).not.toMatch(/4000000000\d\d/);
  });

  it("patches wave by wave when every wave passes, and tells the channels at the start, after each wave and at the end", async () => {
    const { execution, messages, childCalls, objects } = await run(examplePlan(), healthy);
    expect(execution.status).toBe("SUCCEEDED");
    expect(entered(execution, PATCH_WAVE_STATE)).toBe(3);
    // the canary wave's account first, then the environment file's order
    expect(accountsSent(childCalls("SendCommands"))).toEqual(["web-prod", "payments-prod", "data-prod"]);
    expect(childCalls("SendCommands")).toHaveLength(6);
    // each child checked twice: once still running (after a wait), once ended
    expect(childCalls("CheckCommands")).toHaveLength(12);
    expect(messages).toEqual([
      { kind: "started", title: "Emergency patch run started in prod: 3 waves" },
      { kind: "wavePassed", title: "Emergency patch run in prod: wave 1 of 3 passed, wave 2 starts" },
      { kind: "wavePassed", title: "Emergency patch run in prod: wave 2 of 3 passed, wave 3 starts" },
      { kind: "finished", title: "Emergency patch run in prod finished: 120 of 120 instances patched" },
    ]);
    expect(JSON.parse(objects.get(`runs/${RUN_ID}/wave-1.json`)!)).toEqual([
      { accountId: "400000000002", accountName: "web-prod", region: "us-east-1" },
      { accountId: "400000000002", accountName: "web-prod", region: "eu-west-1" },
    ]);
  });

  it("sends the windows' commands as the plan has them to every child, with the run's id and deadline", async () => {
    const { childCalls } = await run(examplePlan(), healthy);
    const [first] = childCalls("SendCommands") as unknown as { patching: Record<string, unknown> }[];
    expect(first!.patching).toMatchObject({
      runId: RUN_ID,
      // the execution's start ($$.Execution.StartTime; the local runner sets its own)
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      environment: "prod",
      patchGroupTagKey: "Patch Group",
      timeoutMinutes: 120,
      commands: [
        {
          window: "prod-monthly",
          patchGroups: ["web-prod", "app-prod", "data-prod"],
          document: "AWS-RunPatchBaselineWithHooks",
          maxConcurrency: "10%",
          maxErrors: "1",
        },
      ],
    });
  });

  it("halts after a wave whose failed instances exceed the rate: the channels are told, later waves never start", async () => {
    const { execution, messages, childCalls } = await run(examplePlan(), (t) => (t.accountName === "payments-prod" ? { targeted: 50, failed: 7 } : healthy()));
    expect(execution).toMatchObject({
      status: "FAILED",
      error: "EmergencyRunHalted",
      // payments-prod: 7 of 50 failed in each of its two regions
      cause: "halted after wave 2: 14 % failed > 5 % (14 of 100 instances)",
    });
    expect(accountsSent(childCalls("SendCommands"))).toEqual(["web-prod", "payments-prod"]);
    expect(messages.map((m) => m.kind)).toEqual(["started", "wavePassed", "halted"]);
    expect(messages.at(-1)!.title).toBe("Emergency patch run in prod halted after wave 2 of 3");
  });

  it("goes on when a wave's failures stay within the rate", async () => {
    const { execution } = await run(examplePlan(), (t) => (t.accountName === "payments-prod" ? { targeted: 100, failed: 5 } : healthy()));
    expect(execution.status).toBe("SUCCEEDED");
  });

  it.each([
    ["a command Systems Manager refuses", { sendError: "CommandNotSent" }, "send-failed"],
    ["an unreachable target (its member role cannot be assumed)", { sendError: "TargetUnreachable" }, "unreachable"],
    ["commands that cannot be followed", { checkError: "AccessDeniedException" }, "check-failed"],
    ["commands still running at the wave's deadline", { targeted: 10, failed: 0, timedOut: true }, "timed-out"],
  ] as const)("halts after the wave on %s in one account-region, and says which", async (_what, failure, status) => {
    const { execution, messages, childCalls } = await run(examplePlan(), (t) =>
      t.accountName === "web-prod" && t.region === "eu-west-1" ? failure : healthy(),
    );
    expect(execution.status).toBe("FAILED");
    expect(execution.error).toBe("EmergencyRunHalted");
    expect(String(execution.cause)).toMatch(new RegExp(`^halted after wave 1: 1 of 2 account-regions not seen through \\(web-prod eu-west-1: ${status}\\)`));
    expect(accountsSent(childCalls("SendCommands"))).toEqual(["web-prod"]);
    expect(messages.map((m) => m.kind)).toEqual(["started", "halted"]);
  });

  it("retries a send throttled beyond the SDK's retries, then goes on", async () => {
    let throttled = 0;
    const { execution, children } = await run(examplePlan(), (t) => {
      if (t.accountName === "web-prod" && t.region === "us-east-1" && throttled++ === 0) return { sendError: "TransientAwsError" };
      return healthy();
    });
    expect(execution.status).toBe("SUCCEEDED");
    expect(children.flatMap((c) => c.retried)).toEqual(["SendCommands"]);
  });

  it("with named patches: writes their InstallOverrideList where instances read it and sends AWS-RunPatchBaseline with it", async () => {
    const plan = examplePlan({ patches: ["KB5034441", "openssl.x86_64"], withoutHooks: true });
    const { execution, objects, childCalls, messages } = await run(plan, healthy);
    expect(execution.status).toBe("SUCCEEDED");
    const key = `install-lists/prod/${RUN_ID}.yaml`;
    const startedAt = (childCalls("SendCommands")[0] as unknown as { patching: { startedAt: string } }).patching.startedAt;
    expect(objects.get(key)).toBe(
      [
        `# patchline: emergency run ${RUN_ID} of prod, started ${startedAt} by arn:aws:sts::100000000001:assumed-role/platform-oncall/alice`,
        "# reason: CVE-2027-0001 in openssl, exploited in the wild",
        "patches:",
        "  - id: 'KB5034441'",
        "  - id: 'openssl.x86_64'",
        "",
      ].join("\n"),
    );
    const sent = childCalls("SendCommands").map((c) => c.patching.commands[0]!);
    expect(sent[0]).toMatchObject({
      document: "AWS-RunPatchBaseline",
      parameters: {
        Operation: ["Install"],
        RebootOption: ["RebootIfNeeded"],
        InstallOverrideList: [`https://s3.us-east-1.amazonaws.com/patchline-emergency-100000000001-us-east-1/${key}`],
      },
    });
    expect(messages[0]!.kind).toBe("started");
  });

  it("refuses a plan that is not one patchline makes before anything is sent or told", async () => {
    const plan = examplePlan();
    const tampered = { ...plan, commands: [{ ...plan.commands[0]!, document: "AWS-RunShellScript" }] };
    const { execution, messages, childCalls } = await run(tampered, healthy);
    expect(execution).toMatchObject({ status: "FAILED", error: "InvalidEmergencyPlan" });
    expect(execution.path).toEqual(["StartRun", "PlanRefused"]);
    expect(childCalls("SendCommands")).toEqual([]);
    expect(messages).toEqual([]);
  });

  it("fails as not started, with the cause, when the run cannot start (e.g. the catalog is denied): nothing sent or told", async () => {
    const objects = new Map<string, string>();
    const emulation = emulateDistributedMap(definition, PATCH_WAVE_STATE, objects, {});
    const told: string[] = [];
    const record: TaskHandler = (input) => void told.push((input as { kind: string }).kind);
    const execution = await executeLocally(emulation.definition, examplePlan(), {
      context,
      tasks: {
        ...emulation.tasks,
        StartRun: () => {
          throw taskError("AccessDenied", "not authorized to perform s3:GetObject on the fleet catalog");
        },
        AnnounceStart: record,
        AnnounceBroken: record,
      },
    });
    expect(execution).toMatchObject({ status: "FAILED", error: "EmergencyRunNotStarted" });
    expect(String(execution.cause)).toContain("not authorized to perform s3:GetObject on the fleet catalog");
    expect(execution.path).toEqual(["StartRun", "NotStarted"]);
    expect(emulation.childCalls.size).toBe(0);
    expect(told).toEqual([]);
  });

  it("refuses accounts of another environment", async () => {
    const plan = examplePlan();
    const { execution } = await run({ ...plan, waves: [[{ accountId: "200000000001", regions: ["us-east-1"] }]] }, healthy);
    expect(execution.error).toBe("InvalidEmergencyPlan");
    expect(String(execution.cause)).toContain("account 200000000001 is not an account of prod");
  });

  it("patches on when the channels cannot be told (the failure stays in the state)", async () => {
    const { execution, childCalls } = await run(examplePlan(), healthy, { failDelivery: true });
    expect(execution.status).toBe("SUCCEEDED");
    expect(accountsSent(childCalls("SendCommands"))).toEqual(["web-prod", "payments-prod", "data-prod"]);
    expect((execution.output as { undelivered?: { Error: string } }).undelivered?.Error).toBe("EmergencyNotificationNotDelivered");
  });

  it("tells the channels and fails when a wave cannot be summed", async () => {
    const objects = new Map<string, string>();
    const deps = runDepsOver(objects);
    const told: string[] = [];
    const emulation = emulateDistributedMap(definition, PATCH_WAVE_STATE, objects, {
      SendCommands: () => ({ status: "in-progress", commands: [{ window: "prod-monthly", commandId: "c" }], waitUntil: "x", nextCheckSeconds: 60, checks: 0 }),
      CheckCommands: () => ({ status: "completed", commands: [], invocations: { targeted: 1, succeeded: 1, failed: 0, byStatus: {} }, failedInstances: [] }),
    });
    const record: TaskHandler = (input) => void told.push((input as { kind: string }).kind);
    const execution = await executeLocally(emulation.definition, examplePlan(), {
      context,
      tasks: {
        ...emulation.tasks,
        StartRun: (input) => startRun(startInput.parse(input), deps),
        SummarizeWave: () => {
          throw taskError("NoSuchKey", "the results are gone");
        },
        AnnounceStart: record,
        AnnounceBroken: record,
      },
    });
    expect(execution).toMatchObject({ status: "FAILED", error: "EmergencyRunFailed" });
    expect(told).toEqual(["started", "broken"]);
  });
});
