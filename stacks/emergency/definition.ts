import { EMERGENCY_LIMITS, EmergencyErrors, emergencyKeys } from "../../contracts/emergency-patch.js";
import type { State, StateMachineDefinition, TaskState } from "../core/asl.js";
import { failTo, invoke } from "../core/lambda-task.js";
import { emergencyTargetDefinition, emergencyTaskSeconds } from "./definition-target.js";

export interface EmergencyFunctions {
  readonly run: string;
  readonly commands: string;
  readonly notify: string;
}

export interface EmergencyDefinitionProps {
  /** Function ARNs, derived from config (Naming). */
  readonly functions: EmergencyFunctions;
  /** The emergency bucket: the waves' files and their children's results. */
  readonly bucket: string;
}

/** The state that patches one wave: a Distributed Map, one child execution per account-region. */
export const PATCH_WAVE_STATE = "PatchWave";

/**
 * Account-regions of a wave patched at once. Rate control within an account-region is the
 * window's (MaxConcurrency, MaxErrors of each command); across them a wave is meant to run
 * together, so this only bounds how many children poll at the same time (their functions' calls,
 * STS sessions): a wave of more account-regions takes longer, in rounds.
 */
export const EMERGENCY_MAX_CONCURRENT_TARGETS = 500;

/** A run's hard deadline: every wave at its longest, and an hour per wave for the rest. */
const RUN_TIMEOUT_SECONDS = EMERGENCY_LIMITS.waves * (EMERGENCY_LIMITS.maxTimeoutMinutes * 60 + 3600);

/** The run, its waves summed so far, the execution: what every message needs. */
const messageFields = (results: string) => ({ "run.$": "$.run", "results.$": results, "executionArn.$": "$$.Execution.Id" });

/**
 * Tells the channels; a message that does not reach every channel is recorded in the state (the
 * execution's history shows it) and the run goes on: patching does not wait for a chat service.
 */
function announce(notify: string, kind: string, results: string, next: string, extra: Record<string, unknown> = {}): TaskState {
  return invoke(
    notify,
    { kind, ...messageFields(results), ...extra },
    {
      resultPath: "$.announced",
      timeoutSeconds: emergencyTaskSeconds.notify,
      next,
      catches: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.undelivered", Next: next }],
    },
  );
}

/** The loop over the waves: pick the wave, patch it, sum it, then halt, finish or go on. */
function waveStates(props: EmergencyDefinitionProps): Record<string, State> {
  const { functions, bucket } = props;
  return {
    SelectWave: {
      Type: "Pass",
      Parameters: { "run.$": "$.run", "waveIndex.$": "$.waveIndex", "results.$": "$.results", "wave.$": "States.ArrayGetItem($.run.waves, $.waveIndex)" },
      Next: PATCH_WAVE_STATE,
    },
    [PATCH_WAVE_STATE]: {
      Type: "Map",
      Comment:
        "One child execution per account-region of the wave, read from the wave's file; results go to S3 (ResultWriter), so no state grows with the wave",
      ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "JSON" }, Parameters: { Bucket: bucket, "Key.$": "$.wave.key" } },
      ItemSelector: { "target.$": "$$.Map.Item.Value", "patching.$": "$.run.patching" },
      MaxConcurrency: EMERGENCY_MAX_CONCURRENT_TARGETS,
      // every child ends with its target's result (not patched included): the wave's summary judges them
      ToleratedFailurePercentage: 100,
      ItemProcessor: {
        // Standard: a child follows its commands for hours, beyond Express's 5 minutes
        ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
        ...emergencyTargetDefinition(functions.commands),
      },
      ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: bucket, Prefix: emergencyKeys.mapResults } },
      ResultPath: "$.patched",
      Catch: [failTo("AnnounceBroken")],
      Next: "SummarizeWave",
    },
    SummarizeWave: invoke(
      functions.run,
      { action: "summarizeWave", "run.$": "$.run", "wave.$": "$.wave", "results.$": "$.results", "written.$": "$.patched.ResultWriterDetails" },
      { resultPath: "$.outcome", timeoutSeconds: emergencyTaskSeconds.run, next: "WaveOutcome", catches: [failTo("AnnounceBroken")] },
    ),
    WaveOutcome: {
      Type: "Choice",
      Choices: [
        { Variable: "$.outcome.halt", BooleanEquals: true, Next: "AnnounceHalt" },
        { Variable: "$.outcome.last", BooleanEquals: true, Next: "AnnounceFinished" },
      ],
      Default: "NextWave",
    },
    NextWave: {
      Type: "Pass",
      Parameters: { "run.$": "$.run", "results.$": "$.outcome.results", "waveIndex.$": "States.MathAdd($.waveIndex, 1)" },
      Next: "AnnounceWavePassed",
    },
    AnnounceWavePassed: announce(functions.notify, "wavePassed", "$.results", "SelectWave"),
    AnnounceHalt: announce(functions.notify, "halted", "$.outcome.results", "Halted"),
    Halted: { Type: "Fail", Error: EmergencyErrors.halted, CausePath: "$.outcome.wave.haltReason" },
    AnnounceFinished: announce(functions.notify, "finished", "$.outcome.results", "Finished"),
    Finished: { Type: "Succeed", Comment: "Every wave passed" },
    AnnounceBroken: announce(functions.notify, "broken", "$.results", "RunFailed", { "error.$": "$.error" }),
    RunFailed: { Type: "Fail", Error: "EmergencyRunFailed", CausePath: "$.error.Cause" },
  };
}

/**
 * The emergency patch run `npm run patch-now` starts with its plan: check the plan and write the
 * waves' files (and the named patches' list), tell the channels, then wave by wave send the
 * windows' install commands to every account-region of the wave and follow them, sum the wave and
 * halt when its failed instances exceed the plan's rate (or an account-region was not seen
 * through), else go on; tell the channels after each wave and at the end. Pure: the same props give
 * the same definition; nothing in it depends on the organization's accounts.
 */
export function emergencyDefinition(props: EmergencyDefinitionProps): StateMachineDefinition {
  const { functions } = props;
  return {
    Comment: "patchline emergency patch run: the windows' install commands, wave by wave, halted when a wave fails too often",
    TimeoutSeconds: RUN_TIMEOUT_SECONDS,
    StartAt: "StartRun",
    States: {
      StartRun: invoke(
        functions.run,
        { action: "start", "runId.$": "$$.Execution.Name", "startedAt.$": "$$.Execution.StartTime", "plan.$": "$" },
        {
          resultPath: "$.run",
          timeoutSeconds: emergencyTaskSeconds.run,
          next: "KeepTheRun",
          catches: [failTo("PlanRefused", [EmergencyErrors.invalidPlan]), failTo("NotStarted")],
        },
      ),
      PlanRefused: { Type: "Fail", Error: EmergencyErrors.invalidPlan, CausePath: "$.error.Cause" },
      NotStarted: { Type: "Fail", Error: "EmergencyRunNotStarted", CausePath: "$.error.Cause" },
      KeepTheRun: {
        Type: "Pass",
        Comment: "The run replaces the plan: the state stays small, however many accounts the waves list",
        Parameters: { "run.$": "$.run", waveIndex: 0, results: [] },
        Next: "AnnounceStart",
      },
      AnnounceStart: announce(functions.notify, "started", "$.results", "SelectWave"),
      ...waveStates(props),
    },
  };
}
