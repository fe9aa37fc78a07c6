import type { OrgConfig } from "../../environments/schema/index.js";
import { resolveAccount, resolveAccountInput } from "../../functions/approval/instance/account.js";
import { chooseInput, choosePatchCommand } from "../../functions/approval/patch/choose.js";
import { fleetCatalog } from "../../stacks/compliance/fleet-catalog.js";
import { approvalWorkflowDefinition } from "../../stacks/approval/definition.js";
import { approvalScopes } from "../../stacks/approval/settings.js";
import type { StateMachineDefinition } from "../../stacks/core/asl.js";
import { exampleConfig, exampleNaming } from "./construct-synth.js";
import { executeLocally, taskError, type LocalExecution, type TaskHandler } from "./local-state-machine.js";

/** The approval workflow of the example organization, run locally: events, task handlers of a decision that goes well, helpers to read an execution. */
export function definitionFor(config: OrgConfig = exampleConfig): StateMachineDefinition {
  return approvalWorkflowDefinition({
    scopes: approvalScopes(config, exampleNaming),
    functions: {
      request: exampleNaming.approvalFunctionArn("request"),
      outcome: exampleNaming.approvalFunctionArn("outcome"),
      instance: exampleNaming.approvalFunctionArn("instance"),
      patch: exampleNaming.approvalFunctionArn("patch"),
    },
    fallbackTopicArn: exampleNaming.notificationsTopicArn,
  });
}

export const definition = definitionFor();
export const TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAf-task-token";

/** An SSM compliance event as the central bus delivers it (account and region are the member's). */
export function complianceEvent(overrides: { account?: unknown; region?: unknown; detail?: Record<string, unknown>; "detail-type"?: unknown } = {}) {
  return {
    version: "0",
    id: "5f1b3c2a-0000-4000-8000-000000000001",
    "detail-type": overrides["detail-type"] ?? "Configuration Compliance State Change",
    source: "aws.ssm",
    account: overrides.account ?? "400000000002", // prod, web-prod
    time: "2027-03-03T21:40:00Z",
    region: overrides.region ?? "eu-west-1",
    resources: ["arn:aws:ssm:eu-west-1:400000000002:managed-instance/i-0abc123def4567890"],
    detail: {
      "resource-type": "managed-instance",
      "resource-id": "i-0abc123def4567890",
      "compliance-status": "non_compliant",
      "compliance-type": "Patch",
      "patch-baseline-id": "pb-0c10e65780example",
      severity: "critical",
      ...overrides.detail,
    },
  };
}

export const later = "2027-03-04T03:40:00.000Z";

export const approvedByAlice: TaskHandler = () => ({
  decision: "approve",
  approver: { kind: "unverified", identity: "alice@example.com", sourceIp: "198.51.100.7" },
  decidedAt: "2027-03-03T22:00:00.000Z",
});

/** The instance function's account lookup, run for real over the example organization's fleet catalog. */
const exampleCatalog = fleetCatalog(exampleConfig, exampleNaming);
export const resolveInExample: TaskHandler = (input) => resolveAccount(resolveAccountInput.parse(input), exampleCatalog);

/** The patch function's choice of the window's command, run for real over the settings the definition carries. */
export const chooseForReal: TaskHandler = (input) => choosePatchCommand(chooseInput.parse(input));

/** The example's instances are in their environment's web patch group (web-dev, web-preprod, web-prod). */
const webPatchGroupOf = (input: unknown) => {
  const { account, region } = input as { account: string; region: string };
  return `web-${resolveAccount({ action: "resolveAccount", account, region }, exampleCatalog).environment}`;
};

/** The functions answering as they do when everything works: a known account, a tagged instance, approved, patched. */
export const happyPath: Record<string, TaskHandler> = {
  ResolveAccount: resolveInExample,
  LookUpInstance: () => ({ tagged: true, name: "web-1", owner: "alice@example.com", state: "running", platform: "Linux/UNIX" }),
  ReadPatchState: (input) => ({
    missingCount: 4,
    failedCount: 0,
    installedPendingRebootCount: 0,
    criticalNonCompliantCount: 1,
    securityNonCompliantCount: 3,
    baselineId: "pb-1",
    patchGroup: webPatchGroupOf(input),
    urgent: true,
    urgency: "every non-compliance asks (the environment has no approval.trigger)",
  }),
  ChoosePatchCommand: chooseForReal,
  RegisterRequest: () => ({ approvalId: "Yq3Yw8n1Zq5d0xJ2r6u9Aw", deadline: later }),
  "Ask in dev": approvedByAlice,
  "Ask in preprod": approvedByAlice,
  "Ask in prod": approvedByAlice,
  CloseUnanswered: () => ({ answered: false }),
  // the example's environments have a freeze (org.freezes): outside it the calendar is OPEN
  CheckChangeCalendar: (_input, call) => ({ state: "OPEN", waitUntil: later, checks: call, mayWait: true }),
  CreateBackup: () => ({ imageId: "ami-0123456789abcdef0", status: "pending", waitUntil: later, nextCheckSeconds: 60, checks: 0 }),
  CheckBackup: (_input, call) => ({
    imageId: "ami-0123456789abcdef0",
    status: call < 3 ? "pending" : "available",
    waitUntil: later,
    nextCheckSeconds: 120,
    checks: call,
  }),
  SendPatchCommand: () => ({ commandId: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", status: "in-progress", waitUntil: later, nextCheckSeconds: 30, checks: 0 }),
  CheckPatch: (_input, call) => ({
    commandId: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
    status: call < 2 ? "in-progress" : "succeeded",
    commandStatus: call < 2 ? "InProgress" : "Success",
    waitUntil: later,
    nextCheckSeconds: 60,
    checks: call,
  }),
  RecordOutcome: () => ({ recorded: true }),
};

export function run(input: unknown, overrides: Record<string, TaskHandler> = {}, def = definition): Promise<LocalExecution> {
  return executeLocally(def, input, {
    tasks: { ...happyPath, ...overrides },
    context: { Task: { Token: TOKEN }, Execution: { Id: "arn:aws:states:us-east-1:100000000001:execution:patchline-approval:run-1" } },
  });
}

export const called = (execution: LocalExecution, state: string) => execution.calls.get(state) ?? [];
/** The `$.outcome` RecordOutcome was given. */
export const recordedOutcome = (execution: LocalExecution) =>
  (called(execution, "RecordOutcome")[0] as { state: { outcome: unknown } } | undefined)?.state.outcome;
export const timeout = () => Promise.reject(taskError("States.Timeout"));
