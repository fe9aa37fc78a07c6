import * as z from "zod/mini";

/** An EventBridge event as the central rules deliver it (member events keep their account and region). */
export const failureEventSchema = z.object({
  "detail-type": z.string(),
  source: z.string(),
  account: z.string(),
  region: z.string(),
  time: z.string(),
  resources: z._default(z.array(z.string()), []),
  detail: z.record(z.string(), z.unknown()),
});
export type FailureEvent = z.output<typeof failureEventSchema>;

/** What failed, read from the event's fields (documented per detail-type, research §4). */
export interface Failure {
  readonly kind: "window-execution" | "window-task" | "patch-command" | "compliance-run" | "install-runbook";
  readonly accountId: string;
  readonly region: string;
  readonly status: string;
  readonly time: string;
  readonly windowId?: string;
  readonly windowExecutionId?: string;
  readonly taskExecutionId?: string;
  readonly instanceId?: string;
  readonly commandId?: string;
  readonly documentName?: string;
  readonly executionArn?: string;
  /** install-runbook: the Automation execution, its runbook and the step it stopped at. */
  readonly automationExecutionId?: string;
  readonly runbook?: string;
  readonly step?: string;
}

export class UnexpectedEvent extends Error {
  override readonly name = "UnexpectedEvent";
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

export function failureOf(event: FailureEvent): Failure {
  const d = event.detail;
  const base = { accountId: event.account, region: event.region, status: text(d.status) ?? "unknown", time: event.time };
  switch (event["detail-type"]) {
    case "Maintenance Window Execution State-change Notification":
      return { ...base, kind: "window-execution", windowId: text(d["window-id"]), windowExecutionId: text(d["window-execution-id"]) };
    case "Maintenance Window Task Execution State-change Notification":
      return {
        ...base,
        kind: "window-task",
        windowId: text(d["window-id"]),
        windowExecutionId: text(d["window-execution-id"]),
        taskExecutionId: text(d["task-execution-id"]),
      };
    case "EC2 Command Invocation Status-change Notification":
      return { ...base, kind: "patch-command", instanceId: text(d["instance-id"]), commandId: text(d["command-id"]), documentName: text(d["document-name"]) };
    case "EC2 Automation Step Status-change Notification":
      // Automation spells the fields in Pascal case; the status is the step's
      return {
        ...base,
        status: text(d.Status) ?? "unknown",
        kind: "install-runbook",
        automationExecutionId: text(d.ExecutionId),
        runbook: text(d.Definition),
        step: text(d.StepName),
      };
    case "Step Functions Execution Status Change":
      return { ...base, kind: "compliance-run", executionArn: text(d.executionArn) };
    default:
      throw new UnexpectedEvent(`no failure notification for detail-type ${JSON.stringify(event["detail-type"])}`);
  }
}
