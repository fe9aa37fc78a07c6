import {
  paginateDescribeInstanceInformation,
  paginateDescribeInstancePatches,
  paginateDescribeInstancePatchStates,
  paginateDescribeMaintenanceWindowExecutions,
  paginateDescribeMaintenanceWindowExecutionTaskInvocations,
  paginateDescribeMaintenanceWindowExecutionTasks,
  paginateDescribeMaintenanceWindows,
  type InstanceInformation,
  type InstancePatchState,
  type MaintenanceWindowExecution,
  type MaintenanceWindowExecutionTaskInvocationIdentity,
  type MaintenanceWindowIdentity,
} from "@aws-sdk/client-ssm";
import type { EvidencePart, PatchComplianceData } from "../../../contracts/evidence.js";
import type { Target } from "../../../contracts/compliance-model.js";
import { chunks, mapWithConcurrency } from "../../shared/concurrency.js";
import { asError } from "../../shared/errors.js";
import { INSTANCE_PATCHES_PAGE } from "../../shared/instance-patches.js";
import type { MemberReadClients } from "../shared/member-access.js";
import { limits, step } from "./collect.js";
import { instanceRecord, patchRecord, type TaskRead, windowExecutionRecord, windowExecutionsSince } from "./evidence-records.js";

/** API limits (SSM API Reference): pages as large as each call allows. */
export const evidenceLimits = {
  /** DescribeInstanceInformation: MaxResults 5-50. */
  instanceInformationPage: 50,
  /** DescribeInstancePatchStates: at most 50 InstanceIds per call; MaxResults 10-100. */
  patchStatesBatch: 50,
  /** DescribeInstancePatches: MaxResults 10-100. */
  instancePatchesPage: INSTANCE_PATCHES_PAGE,
  /** DescribeMaintenanceWindows, …Executions, …ExecutionTasks, …ExecutionTaskInvocations: MaxResults 10-100. */
  windowsPage: 100,
} as const;

export interface EvidenceScope {
  readonly target: Target;
  /**
   * The environment's maintenance windows: their names in config are their names in SSM (the member
   * stack names each window `config.name`, stacks/member/maintenance-window.ts).
   */
  readonly windowNames: readonly string[];
  readonly now: Date;
}

type Identified<T, K extends keyof T> = T & { [P in K]-?: NonNullable<T[P]> };
type Instance = Identified<InstanceInformation, "InstanceId">;
type Window = Identified<MaintenanceWindowIdentity, "WindowId" | "Name">;
type Execution = Identified<MaintenanceWindowExecution, "WindowId" | "WindowExecutionId" | "StartTime">;

/** Every managed instance of the target (one sweep, 50 a page). */
async function managedInstances(clients: Pick<MemberReadClients, "ssm">): Promise<Instance[]> {
  const instances: Instance[] = [];
  for await (const page of paginateDescribeInstanceInformation({ client: clients.ssm, pageSize: evidenceLimits.instanceInformationPage }, {})) {
    for (const info of page.InstanceInformationList ?? []) if (info.InstanceId) instances.push(info as Instance);
  }
  return instances.sort((a, b) => a.InstanceId.localeCompare(b.InstanceId));
}

/** Patch group, baseline and last operation of the instances, 50 instances a call. */
async function patchStates(clients: Pick<MemberReadClients, "ssm">, ids: readonly string[]): Promise<Map<string, InstancePatchState>> {
  const states = new Map<string, InstancePatchState>();
  await mapWithConcurrency(chunks(ids, evidenceLimits.patchStatesBatch), limits.parallelBatches, async (InstanceIds) => {
    for await (const page of paginateDescribeInstancePatchStates({ client: clients.ssm, pageSize: evidenceLimits.patchStatesBatch }, { InstanceIds })) {
      for (const state of page.InstancePatchStates ?? []) if (state.InstanceId) states.set(state.InstanceId, state);
    }
  });
  return states;
}

/** One instance's patches in the states evidence keeps: the API has no call for many instances at once. */
async function instancePatches(clients: Pick<MemberReadClients, "ssm">, InstanceId: string): Promise<PatchComplianceData[]> {
  const patches: PatchComplianceData[] = [];
  try {
    for await (const page of paginateDescribeInstancePatches({ client: clients.ssm, pageSize: evidenceLimits.instancePatchesPage }, { InstanceId })) {
      for (const patch of page.Patches ?? []) {
        const record = patchRecord(patch);
        if (record) patches.push(record);
      }
    }
  } catch (thrown) {
    // deregistered or terminated since DescribeInstanceInformation listed it: nothing to tell of it
    if (asError(thrown).name === "InvalidInstanceId") return [];
    throw thrown;
  }
  return patches;
}

/** The environment's windows in the target, found by name. */
async function environmentWindows(clients: Pick<MemberReadClients, "ssm">, names: readonly string[]): Promise<Window[]> {
  if (names.length === 0) return [];
  const wanted = new Set(names);
  const windows: Window[] = [];
  const filters = [{ Key: "Name", Values: [...wanted] }];
  for await (const page of paginateDescribeMaintenanceWindows({ client: clients.ssm, pageSize: evidenceLimits.windowsPage }, { Filters: filters })) {
    // the filter is the API's; the names are checked again so another window can never slip in
    for (const window of page.WindowIdentities ?? []) if (window.WindowId && window.Name && wanted.has(window.Name)) windows.push(window as Window);
  }
  return windows.sort((a, b) => a.Name.localeCompare(b.Name));
}

// the API takes ISO 8601 date-times such as 2024-11-04T05:00:00Z
const apiTime = (time: Date) => time.toISOString().replace(/\.\d{3}Z$/, "Z");

async function executionsSince(clients: Pick<MemberReadClients, "ssm">, window: Window, since: Date): Promise<Execution[]> {
  const executions: Execution[] = [];
  const input = { WindowId: window.WindowId, Filters: [{ Key: "ExecutedAfter", Values: [apiTime(since)] }] };
  for await (const page of paginateDescribeMaintenanceWindowExecutions({ client: clients.ssm, pageSize: evidenceLimits.windowsPage }, input)) {
    for (const execution of page.WindowExecutions ?? []) {
      if (execution.WindowExecutionId && execution.StartTime && execution.StartTime >= since)
        executions.push({ ...execution, WindowId: window.WindowId } as Execution);
    }
  }
  return executions;
}

async function executionTasks(clients: Pick<MemberReadClients, "ssm">, WindowExecutionId: string): Promise<TaskRead["task"][]> {
  const tasks: TaskRead["task"][] = [];
  for await (const page of paginateDescribeMaintenanceWindowExecutionTasks(
    { client: clients.ssm, pageSize: evidenceLimits.windowsPage },
    { WindowExecutionId },
  )) {
    for (const task of page.WindowExecutionTaskIdentities ?? []) if (task.TaskExecutionId) tasks.push(task as TaskRead["task"]);
  }
  return tasks;
}

/** Every invocation of a task (one per target instance); read for tasks that did not succeed only. */
async function taskInvocations(
  clients: Pick<MemberReadClients, "ssm">,
  WindowExecutionId: string,
  TaskId: string,
): Promise<MaintenanceWindowExecutionTaskInvocationIdentity[]> {
  const invocations: MaintenanceWindowExecutionTaskInvocationIdentity[] = [];
  const pages = paginateDescribeMaintenanceWindowExecutionTaskInvocations(
    { client: clients.ssm, pageSize: evidenceLimits.windowsPage },
    { WindowExecutionId, TaskId },
  );
  for await (const page of pages) invocations.push(...(page.WindowExecutionTaskInvocationIdentities ?? []));
  return invocations;
}

/**
 * The evidence of one account and region: every managed instance with its platform, patch state
 * and the patches of the states evidence keeps (one DescribeInstancePatches sweep per instance
 * that has a patch state), and the executions of the environment's windows in the lookback with
 * their tasks and failed invocations. A failing call is CollectionStepFailed, named after it.
 */
export async function collectEvidence(clients: Pick<MemberReadClients, "ssm">, scope: EvidenceScope): Promise<EvidencePart> {
  const { target, now } = scope;
  const since = windowExecutionsSince(now);
  const parallel = limits.parallelBatches;

  const instances = await step("DescribeInstanceInformation", () => managedInstances(clients));
  const states = await step("DescribeInstancePatchStates", () =>
    patchStates(
      clients,
      instances.map((i) => i.InstanceId),
    ),
  );
  // an instance without a patch state was never scanned: it has no patches to ask for
  const patches = await step("DescribeInstancePatches", () =>
    mapWithConcurrency(instances, parallel, (i) => (states.has(i.InstanceId) ? instancePatches(clients, i.InstanceId) : Promise.resolve([]))),
  );

  const windows = await step("DescribeMaintenanceWindows", () => environmentWindows(clients, scope.windowNames));
  const executions = await step("DescribeMaintenanceWindowExecutions", async () =>
    (await mapWithConcurrency(windows, parallel, (w) => executionsSince(clients, w, since))).flat(),
  );
  const tasks = await step("DescribeMaintenanceWindowExecutionTasks", () =>
    mapWithConcurrency(executions, parallel, (e) => executionTasks(clients, e.WindowExecutionId)),
  );
  const unsuccessful = executions.flatMap((execution, n) => tasks[n]!.filter((task) => task.Status !== "SUCCESS").map((task) => ({ execution, task })));
  const invoked = await step("DescribeMaintenanceWindowExecutionTaskInvocations", () =>
    mapWithConcurrency(unsuccessful, parallel, ({ execution, task }) => taskInvocations(clients, execution.WindowExecutionId, task.TaskExecutionId)),
  );
  const invocations = new Map(unsuccessful.map(({ execution, task }, n) => [`${execution.WindowExecutionId}/${task.TaskExecutionId}`, invoked[n]!]));

  const windowNames = new Map(windows.map((w) => [w.WindowId, w.Name]));
  const windowExecutions = executions
    .map((execution, n) =>
      windowExecutionRecord(
        target,
        windowNames.get(execution.WindowId)!,
        execution,
        tasks[n]!.map((task) => ({ task, invocations: invocations.get(`${execution.WindowExecutionId}/${task.TaskExecutionId}`) ?? [] })),
      ),
    )
    .sort((a, b) => a.StartTime.localeCompare(b.StartTime) || a.WindowExecutionId.localeCompare(b.WindowExecutionId));
  return {
    target: { accountId: target.accountId, accountName: target.accountName, region: target.region, status: "ok", instances: instances.length },
    instances: instances.map((info, n) => instanceRecord(target, info, states.get(info.InstanceId), patches[n]!)),
    windowExecutions,
    collectedAt: now.toISOString(),
    windowExecutionsSince: since.toISOString(),
  };
}
