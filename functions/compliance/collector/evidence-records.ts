import type {
  InstanceInformation,
  InstancePatchState,
  MaintenanceWindowExecution,
  MaintenanceWindowExecutionTaskIdentity,
  MaintenanceWindowExecutionTaskInvocationIdentity,
  PatchComplianceData as SdkPatch,
} from "@aws-sdk/client-ssm";
import {
  EVIDENCE_LOOKBACK_DAYS,
  EVIDENCE_PATCH_STATES,
  type EvidenceInstance,
  type EvidencePart,
  type PatchComplianceData,
  type PatchStateValue,
  type WindowExecution,
} from "../../../contracts/evidence.js";
import type { Target } from "../../../contracts/compliance-model.js";
import { patchState } from "../../shared/instance-patches.js";

/**
 * The evidence of one target shaped from the SSM answers, without calling anything: field names as
 * AWS names them, times as ISO 8601.
 */

const DAY_MS = 86_400_000;

/** Window executions started at or after this time go into the evidence. */
export const windowExecutionsSince = (now: Date): Date => new Date(now.getTime() - EVIDENCE_LOOKBACK_DAYS * DAY_MS);

const kept = new Set<PatchStateValue>(EVIDENCE_PATCH_STATES);
const iso = (time: Date | undefined): string | undefined => time?.toISOString();
// AWS reports the epoch as the install time of a patch that is not installed; an absent one means the same
const EPOCH = new Date(0).toISOString();

/**
 * A patch as the evidence keeps it, or undefined when its state is not one evidence keeps.
 * (InstalledBy, which the contract allows, is not in the current SSM model: the SDK reads none.)
 */
export function patchRecord(patch: SdkPatch): PatchComplianceData | undefined {
  const State = patchState(patch.State);
  if (State === undefined || !kept.has(State)) return undefined;
  return {
    Title: patch.Title ?? "",
    KBId: patch.KBId ?? "",
    Classification: patch.Classification ?? "",
    Severity: patch.Severity ?? "",
    State,
    InstalledTime: iso(patch.InstalledTime) ?? EPOCH,
    CVEIds: patch.CVEIds || undefined,
  };
}

/** One managed instance: its platform (DescribeInstanceInformation), patch state (DescribeInstancePatchStates) and patches. */
export function instanceRecord(
  target: Target,
  info: InstanceInformation & { InstanceId: string },
  state: InstancePatchState | undefined,
  patches: readonly PatchComplianceData[],
): EvidenceInstance {
  return {
    accountId: target.accountId,
    accountName: target.accountName,
    region: target.region,
    InstanceId: info.InstanceId,
    PlatformType: info.PlatformType ?? "",
    PlatformName: info.PlatformName ?? "",
    PlatformVersion: info.PlatformVersion ?? "",
    PatchGroup: state?.PatchGroup || undefined,
    BaselineId: state?.BaselineId || undefined,
    Operation: state?.Operation,
    OperationEndTime: iso(state?.OperationEndTime),
    Patches: [...patches],
  };
}

/**
 * The `Operation` parameter a Run Command task ran with (`Install`, `Scan`), read from an
 * invocation's Parameters: the JSON of the command the window sent, e.g.
 * `{"documentName":"AWS-RunPatchBaseline","parameters":{"Operation":["Install"],…},…}`.
 */
export function operationOf(parameters: string | undefined): string | undefined {
  if (!parameters) return undefined;
  try {
    const sent = JSON.parse(parameters) as { parameters?: { Operation?: unknown } };
    const operation = sent.parameters?.Operation;
    const value = Array.isArray(operation) ? operation[0] : operation;
    return typeof value === "string" && value !== "" ? value : undefined;
  } catch {
    // a task that is not a Run Command (or whose parameters are not JSON) has no operation to tell
    return undefined;
  }
}

export interface TaskRead {
  readonly task: MaintenanceWindowExecutionTaskIdentity & { TaskExecutionId: string };
  /** Every invocation read for the task (none for a task that succeeded: its invocations are not read). */
  readonly invocations: readonly MaintenanceWindowExecutionTaskInvocationIdentity[];
}

/** One window execution with its tasks; of each task only the invocations that did not succeed. */
export function windowExecutionRecord(
  target: Target,
  windowName: string,
  execution: MaintenanceWindowExecution & { WindowId: string; WindowExecutionId: string; StartTime: Date },
  tasks: readonly TaskRead[],
): WindowExecution {
  return {
    accountId: target.accountId,
    region: target.region,
    windowName,
    WindowId: execution.WindowId,
    WindowExecutionId: execution.WindowExecutionId,
    Status: execution.Status ?? "",
    StatusDetails: execution.StatusDetails || undefined,
    StartTime: execution.StartTime.toISOString(),
    EndTime: iso(execution.EndTime),
    tasks: tasks.map(({ task, invocations }) => ({
      TaskExecutionId: task.TaskExecutionId,
      TaskArn: task.TaskArn ?? "",
      operation: invocations.map((i) => operationOf(i.Parameters)).find((o) => o !== undefined),
      Status: task.Status ?? "",
      StatusDetails: task.StatusDetails || undefined,
      failedInvocations: invocations
        .filter((i) => i.Status !== "SUCCESS")
        .map((i) => ({
          InvocationId: i.InvocationId ?? "",
          ExecutionId: i.ExecutionId || undefined,
          Status: i.Status ?? "",
          StatusDetails: i.StatusDetails || undefined,
          StartTime: iso(i.StartTime),
          EndTime: iso(i.EndTime),
        })),
    })),
  };
}

/** The part of a target whose evidence could not be read: no instances, the reason instead. */
export function unreachablePart(target: Target, reason: string, now: Date): EvidencePart {
  return {
    target: { accountId: target.accountId, accountName: target.accountName, region: target.region, status: "unreachable", reason, instances: 0 },
    instances: [],
    windowExecutions: [],
    collectedAt: now.toISOString(),
    windowExecutionsSince: windowExecutionsSince(now).toISOString(),
  };
}
