import { assertValidRequest } from "./api-model.js";
import { ApiValidationError, FakeMemberAccount, instanceIdPattern, type FakeInstance } from "./fake-member-account.js";

/**
 * A member account and region as the evidence calls of the collector see it: instances with a
 * platform and patches, maintenance windows with their executions, tasks and invocations. Like
 * FakeMemberAccount it answers with the SDK's shapes, checks every request against AWS's API model
 * (test/support/api-model.ts) and enforces what the SSM API Reference documents beyond the SDK's
 * shipped models (page sizes, id patterns, filter keys and value formats), so a request AWS would
 * reject fails here too.
 */

export interface FakePatch {
  readonly KBId: string;
  readonly Title?: string;
  /** As the API sends it (`InstalledPendingReboot`), or as the SDK's model spells it (`INSTALLED_PENDING_REBOOT`). */
  readonly State: string;
  readonly Classification?: string;
  readonly Severity?: string;
  readonly InstalledTime?: Date;
  readonly CVEIds?: string;
}

export interface FakeEvidenceInstance extends FakeInstance {
  readonly platform?: { readonly type: string; readonly name: string; readonly version: string };
  readonly patches?: readonly FakePatch[];
  /** False for an instance never scanned: it has no patch state and no patches. @default true */
  readonly scanned?: boolean;
  /** Deregistered after DescribeInstanceInformation listed it: DescribeInstancePatches answers InvalidInstanceId. */
  readonly gone?: boolean;
}

export interface FakeInvocation {
  readonly id: string;
  readonly status: string;
  readonly commandId?: string;
  readonly details?: string;
}

export interface FakeTask {
  readonly id: string;
  readonly taskArn: string;
  readonly status: string;
  /** The Operation parameter the window's Run Command task sends. */
  readonly operation?: string;
  readonly invocations: readonly FakeInvocation[];
}

export interface FakeExecution {
  readonly id: string;
  readonly status: string;
  readonly start: Date;
  readonly end?: Date;
  readonly tasks: readonly FakeTask[];
}

export interface FakeWindow {
  readonly id: string;
  readonly name: string;
  readonly executions: readonly FakeExecution[];
}

type Filter = { Key?: string; Values?: string[] };

const uuid = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const windowId = /^mw-[0-9a-f]{17}$/;
const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function page<T>(items: readonly T[], token: string | undefined, size: number): { items: T[]; next?: string } {
  const start = token ? Number(token) : 0;
  return { items: items.slice(start, start + size), next: start + size < items.length ? String(start + size) : undefined };
}

function maxResults(value: number | undefined, min: number, max: number, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) throw new ApiValidationError(`MaxResults ${v} is outside ${min}-${max}`);
  return v;
}

function required(name: string, value: string | undefined, pattern: RegExp): string {
  if (value === undefined || !pattern.test(value)) throw new ApiValidationError(`${name} ${JSON.stringify(value)} does not match ${pattern}`);
  return value;
}

/** MaintenanceWindowFilter lists: 0-5 filters, keys the operation supports, values 1-256 characters. */
function windowFilters(filters: Filter[] | undefined, keys: readonly string[]): Map<string, string[]> {
  const list = filters ?? [];
  if (list.length > 5) throw new ApiValidationError(`${list.length} filters; at most 5 allowed`);
  const byKey = new Map<string, string[]>();
  for (const filter of list) {
    if (!filter.Key || !keys.includes(filter.Key)) throw new ApiValidationError(`filter key ${JSON.stringify(filter.Key)} is not one of ${keys.join(", ")}`);
    for (const value of filter.Values ?? [])
      if (value.length < 1 || value.length > 256) throw new ApiValidationError(`filter value ${value} is not 1-256 characters`);
    byKey.set(filter.Key, filter.Values ?? []);
  }
  return byKey;
}

/**
 * PatchOrchestratorFilter lists (DescribeInstancePatches, DescribeAvailablePatches): 0-5 filters,
 * keys the operation supports (DescribeInstancePatches: Classification, KBId, Severity, State),
 * each key once, 1-128 characters, values 1-256 characters. Several values of one filter are not
 * accepted: the API Reference does not say how the service reads them, and patchline never sends them.
 */
export function patchFilters(filters: Filter[] | undefined, keys: readonly string[]): Map<string, string[]> {
  const list = filters ?? [];
  if (list.length > 5) throw new ApiValidationError(`${list.length} filters; at most 5 allowed`);
  const byKey = new Map<string, string[]>();
  for (const filter of list) {
    if (!filter.Key || !keys.includes(filter.Key)) throw new ApiValidationError(`filter key ${JSON.stringify(filter.Key)} is not one of ${keys.join(", ")}`);
    if (byKey.has(filter.Key)) throw new ApiValidationError(`filter key ${filter.Key} given twice`);
    const values = filter.Values ?? [];
    if (values.length !== 1) throw new ApiValidationError(`filter ${filter.Key} has ${values.length} values; patchline sends exactly one`);
    for (const value of values) if (value.length < 1 || value.length > 256) throw new ApiValidationError(`filter value ${value} is not 1-256 characters`);
    byKey.set(filter.Key, values);
  }
  return byKey;
}

/** A patch state as the User Guide (and the State filter) spells it: `INSTALLED_PENDING_REBOOT` → `InstalledPendingReboot`. */
export const guideState = (state: string): string =>
  /^[A-Z_]+$/.test(state)
    ? state
        .toLowerCase()
        .split("_")
        .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
        .join("")
    : state;

export class FakeEvidenceAccount extends FakeMemberAccount {
  readonly evidenceInstances: ReadonlyMap<string, FakeEvidenceInstance>;

  constructor(
    instances: readonly FakeEvidenceInstance[],
    readonly windows: readonly FakeWindow[] = [],
  ) {
    super(instances);
    this.evidenceInstances = new Map(instances.map((i) => [i.id, i]));
  }

  override describeInstanceInformation(input: { MaxResults?: number; NextToken?: string; Filters?: unknown[]; InstanceInformationFilterList?: unknown[] }) {
    assertValidRequest("ssm", "DescribeInstanceInformation", input);
    const size = maxResults(input.MaxResults, 5, 50, 50);
    const { items, next } = page([...this.evidenceInstances.values()], input.NextToken, size);
    return {
      InstanceInformationList: items.map((i) => ({
        InstanceId: i.id,
        PingStatus: "Online" as const,
        PlatformType: (i.platform?.type ?? "Linux") as "Linux",
        PlatformName: i.platform?.name ?? "Amazon Linux",
        PlatformVersion: i.platform?.version ?? "2023",
      })),
      NextToken: next,
    };
  }

  override describeInstancePatchStates(input: { InstanceIds?: string[]; MaxResults?: number; NextToken?: string }) {
    const scanned = (input.InstanceIds ?? []).filter((id) => this.evidenceInstances.get(id)?.scanned !== false);
    const answer = super.describeInstancePatchStates(input);
    return { ...answer, InstancePatchStates: answer.InstancePatchStates.filter((s) => scanned.includes(s.InstanceId)) };
  }

  describeInstancePatches(input: { InstanceId?: string; Filters?: Filter[]; MaxResults?: number; NextToken?: string }) {
    assertValidRequest("ssm", "DescribeInstancePatches", input);
    const id = required("InstanceId", input.InstanceId, instanceIdPattern);
    const size = maxResults(input.MaxResults, 10, 100, 10);
    const filters = patchFilters(input.Filters, ["Classification", "KBId", "Severity", "State"]);
    const instance = this.evidenceInstances.get(id);
    if (!instance || instance.gone)
      throw Object.assign(new Error(`instance ${id} is not managed`), { name: "InvalidInstanceId", $metadata: { httpStatusCode: 400 } });
    // a filter matches the values as the answer spells them (the defaults below), states as the User Guide spells them
    const field = (p: FakePatch, key: string) =>
      key === "State"
        ? guideState(p.State)
        : key === "KBId"
          ? p.KBId
          : key === "Severity"
            ? (p.Severity ?? "Important")
            : (p.Classification ?? "SecurityUpdates");
    const matches = (p: FakePatch) => [...filters].every(([key, values]) => values.includes(field(p, key)));
    const { items, next } = page((instance.patches ?? []).filter(matches), input.NextToken, size);
    return {
      Patches: items.map((p) => ({
        Title: p.Title ?? p.KBId,
        KBId: p.KBId,
        Classification: p.Classification ?? "SecurityUpdates",
        Severity: p.Severity ?? "Important",
        State: p.State as "INSTALLED",
        InstalledTime: p.InstalledTime ?? new Date(0),
        ...(p.CVEIds && { CVEIds: p.CVEIds }),
      })),
      NextToken: next,
    };
  }

  describeMaintenanceWindows(input: { Filters?: Filter[]; MaxResults?: number; NextToken?: string }) {
    assertValidRequest("ssm", "DescribeMaintenanceWindows", input);
    const size = maxResults(input.MaxResults, 10, 100, 10);
    const names = windowFilters(input.Filters, ["Name", "Enabled"]).get("Name");
    const windows = this.windows.filter((w) => !names || names.includes(w.name));
    const { items, next } = page(windows, input.NextToken, size);
    return { WindowIdentities: items.map((w) => ({ WindowId: w.id, Name: w.name, Enabled: true, Duration: 4, Cutoff: 1 })), NextToken: next };
  }

  describeMaintenanceWindowExecutions(input: { WindowId?: string; Filters?: Filter[]; MaxResults?: number; NextToken?: string }) {
    assertValidRequest("ssm", "DescribeMaintenanceWindowExecutions", input);
    const id = required("WindowId", input.WindowId, windowId);
    const size = maxResults(input.MaxResults, 10, 100, 10);
    const filters = windowFilters(input.Filters, ["ExecutedBefore", "ExecutedAfter"]);
    const time = (key: string) => {
      const values = filters.get(key);
      if (!values) return undefined;
      if (values.length !== 1 || !isoDateTime.test(values[0]!))
        throw new ApiValidationError(`${key} takes one ISO 8601 date-time, got ${JSON.stringify(values)}`);
      return new Date(values[0]!);
    };
    const after = time("ExecutedAfter");
    const before = time("ExecutedBefore");
    const window = this.windows.find((w) => w.id === id);
    if (!window) throw Object.assign(new Error(`window ${id} does not exist`), { name: "DoesNotExistException", $metadata: { httpStatusCode: 400 } });
    // newest first, as the console lists them
    const executions = [...window.executions]
      .filter((e) => (!after || e.start >= after) && (!before || e.start <= before))
      .sort((a, b) => b.start.getTime() - a.start.getTime());
    const { items, next } = page(executions, input.NextToken, size);
    return {
      WindowExecutions: items.map((e) => ({ WindowId: id, WindowExecutionId: e.id, Status: e.status as "SUCCESS", StartTime: e.start, EndTime: e.end })),
      NextToken: next,
    };
  }

  private execution(id: string) {
    for (const window of this.windows) {
      const execution = window.executions.find((e) => e.id === id);
      if (execution) return execution;
    }
    throw Object.assign(new Error(`window execution ${id} does not exist`), { name: "DoesNotExistException", $metadata: { httpStatusCode: 400 } });
  }

  describeMaintenanceWindowExecutionTasks(input: { WindowExecutionId?: string; Filters?: Filter[]; MaxResults?: number; NextToken?: string }) {
    assertValidRequest("ssm", "DescribeMaintenanceWindowExecutionTasks", input);
    const execution = this.execution(required("WindowExecutionId", input.WindowExecutionId, uuid));
    const size = maxResults(input.MaxResults, 10, 100, 10);
    windowFilters(input.Filters, ["Status"]);
    const { items, next } = page(execution.tasks, input.NextToken, size);
    return {
      WindowExecutionTaskIdentities: items.map((t) => ({
        WindowExecutionId: execution.id,
        TaskExecutionId: t.id,
        Status: t.status as "SUCCESS",
        StartTime: execution.start,
        TaskArn: t.taskArn,
        TaskType: "RUN_COMMAND" as const,
      })),
      NextToken: next,
    };
  }

  describeMaintenanceWindowExecutionTaskInvocations(input: {
    WindowExecutionId?: string;
    TaskId?: string;
    Filters?: Filter[];
    MaxResults?: number;
    NextToken?: string;
  }) {
    assertValidRequest("ssm", "DescribeMaintenanceWindowExecutionTaskInvocations", input);
    const execution = this.execution(required("WindowExecutionId", input.WindowExecutionId, uuid));
    const taskId = required("TaskId", input.TaskId, uuid);
    const size = maxResults(input.MaxResults, 10, 100, 10);
    windowFilters(input.Filters, ["Status"]);
    const task = execution.tasks.find((t) => t.id === taskId);
    if (!task)
      throw Object.assign(new Error(`task ${taskId} is not in ${execution.id}`), { name: "DoesNotExistException", $metadata: { httpStatusCode: 400 } });
    const { items, next } = page(task.invocations, input.NextToken, size);
    const parameters = (instance: number) =>
      JSON.stringify({
        documentName: task.taskArn,
        instanceIds: [`i-0${String(instance).padStart(16, "0")}`],
        parameters: { ...(task.operation && { Operation: [task.operation] }), RebootOption: ["RebootIfNeeded"] },
        maxConcurrency: "10%",
        maxErrors: "5%",
      });
    return {
      WindowExecutionTaskInvocationIdentities: items.map((i, n) => ({
        WindowExecutionId: execution.id,
        TaskExecutionId: task.id,
        InvocationId: i.id,
        ExecutionId: i.commandId,
        TaskType: "RUN_COMMAND" as const,
        Parameters: parameters(n),
        Status: i.status as "SUCCESS",
        StatusDetails: i.details,
        StartTime: execution.start,
        EndTime: execution.end,
      })),
      NextToken: next,
    };
  }
}
