import { ApprovalErrors, Decisions, InstanceActions, OutcomeActions, PatchActions, RequestActions } from "../../contracts/approval.js";
import type { ChoiceRule, State, StateMachineDefinition, TaskState } from "../core/asl.js";
import type { ApprovalScope, ApprovalSettings } from "./settings.js";
import { patchingStates, outcomeStates } from "./definition-ending.js";
import { failTo, invoke, lambdaRetry } from "../core/lambda-task.js";
import { target } from "./definition-tasks.js";

export interface ApprovalWorkflowProps {
  /** Every environment, with its settings when it uses the workflow. */
  readonly scopes: readonly ApprovalScope[];
  /** ARNs of the workflow's functions (from `Naming`). */
  readonly functions: { readonly request: string; readonly outcome: string; readonly instance: string; readonly patch: string };
  /** The platform team's topic: told when even recording an outcome fails. */
  readonly fallbackTopicArn: string;
}

/**
 * The state whose `Parameters.environments` holds every environment's approval settings: the one
 * place where they appear in the rendered Terraform (`aws_sfn_state_machine.definition`).
 */
export const SETTINGS_STATE = "ApprovalSettings";

const settingsStateOf = (environment: string) => `Use ${environment} settings`;
const askStateOf = (environment: string) => `Ask in ${environment}`;

/** Stores the task token with the approval record and sends the request (or a reminder) with a signed link; waits one interval. */
function askTask(request: string, settings: ApprovalSettings): TaskState {
  return {
    Type: "Task",
    Comment: `Waits ${settings.reminderIntervalHours} h (${settings.environment}'s reminderIntervalHours) for a decision`,
    Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
    Parameters: {
      FunctionName: request,
      Payload: { action: RequestActions.ask, "approvalId.$": "$.approval.approvalId", "reminder.$": "$.reminders.sent", "taskToken.$": "$$.Task.Token" },
    },
    TimeoutSeconds: settings.reminderIntervalHours * 3600,
    ResultPath: "$.decision",
    Retry: lambdaRetry,
    Catch: [{ ErrorEquals: ["States.Timeout"], ResultPath: null, Next: "ReminderDue" }, failTo("AskFailed")],
    Next: "CheckDecision",
  };
}

/**
 * The event's account decides the environment: the instance function looks it up in the fleet
 * catalog (data Terraform writes from config, so adding an account changes no definition) and
 * fails with AccountNotConfigured for an account of no environment, or a region the account is
 * not configured in. Later steps assume the member role of this same account: it acts only for itself.
 */
function resolveAccount(instanceFn: string): State {
  return invoke(
    instanceFn,
    { action: InstanceActions.resolveAccount, "account.$": "$.event.account", "region.$": "$.event.region" },
    {
      resultPath: "$.resolved",
      next: "ChooseEnvironment",
      catches: [failTo("AccountNotConfigured", [ApprovalErrors.accountNotConfigured]), failTo("AccountNotResolved")],
    },
  );
}

/** The environment's settings state, or the quiet end of an environment without approval; names environments only. */
function chooseEnvironment(scopes: readonly ApprovalScope[]): State {
  const choices: ChoiceRule[] = scopes.map((scope) => ({
    Variable: "$.resolved.environment",
    StringEquals: scope.environment,
    Next: scope.settings ? settingsStateOf(scope.environment) : "ApprovalNotEnabled",
  }));
  return { Type: "Choice", Choices: choices, Default: "AccountNotConfigured" };
}

function useSettings(environment: string): State {
  return {
    Type: "Pass",
    Comment: `Events from ${environment} accounts go on with ${environment}'s approval settings`,
    Parameters: {
      request: { "account.$": "$.event.account", "region.$": "$.event.region", "instanceId.$": "$.event.detail['resource-id']", environment },
      "settings.$": `$.environments.${environment}`,
      reminders: { sent: 0 },
    },
    Next: "LookUpInstance",
  };
}

const detail = (field: string) => `$.event.detail['${field}']`;
const eventFields = [
  "$.event.account",
  "$.event.region",
  "$.event['detail-type']",
  detail("resource-id"),
  detail("compliance-type"),
  detail("compliance-status"),
];

/** Malformed events end here: nobody is asked, the execution fails with a clear error. */
function validation(): Record<string, State> {
  const patchNonCompliant: ChoiceRule[] = [
    { Variable: "$.event['detail-type']", StringEquals: "Configuration Compliance State Change" },
    { Variable: detail("compliance-type"), StringEquals: "Patch" },
    {
      Or: [
        { Variable: detail("compliance-status"), StringEquals: "non_compliant" },
        { Variable: detail("compliance-status"), StringEquals: "NON_COMPLIANT" },
      ],
    },
  ];
  return {
    // presence first: comparing a missing field is a runtime error, not a false
    ValidateEvent: {
      Type: "Choice",
      Choices: [{ And: eventFields.map((v) => ({ Variable: v, IsPresent: true })), Next: "CheckEventFieldTypes" }],
      Default: "MalformedEvent",
    },
    CheckEventFieldTypes: {
      Type: "Choice",
      Choices: [{ And: eventFields.map((v) => ({ Variable: v, IsString: true })), Next: "CheckEventValues" }],
      Default: "MalformedEvent",
    },
    CheckEventValues: {
      Type: "Choice",
      Choices: [
        { And: [...patchNonCompliant, { Variable: detail("resource-id"), StringMatches: "i-*" }], Next: "ResolveAccount" },
        { And: [...patchNonCompliant, { Variable: detail("resource-id"), StringMatches: "mi-*" }], Next: "NotAnEc2Instance" },
      ],
      Default: "MalformedEvent",
    },
    MalformedEvent: {
      Type: "Fail",
      Error: "MalformedEvent",
      Cause:
        "The input is not an SSM patch compliance change to non_compliant (needs account, region, detail-type, detail.compliance-type Patch, detail.compliance-status, detail.resource-id). Nobody was asked.",
    },
    NotAnEc2Instance: { Type: "Succeed", Comment: "Hybrid managed nodes (mi-) have no AMI and no EC2 tags: not handled by the approval workflow" },
  };
}

/**
 * What the instance misses and how it would be patched, before anybody is asked: the patch state
 * (with the environment's trigger, whether it misses an urgent patch: otherwise "not urgent", and
 * nobody is asked), then the command of the window that targets its patch group (none: the run
 * fails with that reason). The request then names the reboot option that command patches with.
 */
function patchStateStates(patchFn: string): Record<string, State> {
  return {
    ReadPatchState: invoke(
      patchFn,
      { action: PatchActions.readPatchState, ...target, "trigger.$": "$.settings.trigger" },
      { resultPath: "$.patchState", next: "IsUrgent", catches: [failTo("ReadPatchStateFailed")] },
    ),
    // presence first (comparing a missing field is a runtime error): a patch state that does not say asks, as before triggers
    IsUrgent: {
      Type: "Choice",
      Choices: [
        { Not: { Variable: "$.patchState.urgent", IsPresent: true }, Next: "ChoosePatchCommand" },
        { Variable: "$.patchState.urgent", BooleanEquals: false, Next: "NotUrgent" },
      ],
      Default: "ChoosePatchCommand",
    },
    ChoosePatchCommand: invoke(
      patchFn,
      {
        action: PatchActions.choosePatchCommand,
        ...target,
        "environment.$": "$.request.environment",
        "patchState.$": "$.patchState",
        "commands.$": "$.settings.patchCommands",
      },
      {
        resultPath: "$.patchCommand",
        next: "UseWindowRebootOption",
        // only the function's own NoPatchingWindow means no window; anything else (a timeout, a command it refuses) is a failed step
        catches: [failTo("NoPatchingWindow", [ApprovalErrors.noPatchingWindow]), failTo("ChoosePatchCommandFailed")],
      },
    ),
    UseWindowRebootOption: {
      Type: "Pass",
      Comment: "The request says what approving does: the reboot option of the command that will patch",
      InputPath: "$.patchCommand.rebootOption",
      ResultPath: "$.settings.rebootOption",
      Next: "RegisterRequest",
    },
  };
}

/** Ask, wait, remind, escalate. The task token is handed to the request function, never further. */
function askingStates(request: string, outcomeFn: string, environments: readonly ApprovalSettings[]): Record<string, State> {
  return {
    RegisterRequest: invoke(
      request,
      {
        action: RequestActions.register,
        "execution.$": "$$.Execution.Id",
        "request.$": "$.request",
        "settings.$": "$.settings",
        "instance.$": "$.instance",
        "patchState.$": "$.patchState",
      },
      { resultPath: "$.approval", next: "AskForApproval", catches: [failTo("AlreadyPending", [ApprovalErrors.alreadyPending]), failTo("RegisterFailed")] },
    ),
    AlreadyPending: { Type: "Succeed", Comment: "An approval for this instance is already open: no second request" },
    // one ask state per environment: each waits its environment's interval (a static TimeoutSeconds)
    AskForApproval: {
      Type: "Choice",
      Choices: environments.map((e) => ({ Variable: "$.request.environment", StringEquals: e.environment, Next: askStateOf(e.environment) })),
      Default: "UnexpectedEnvironment",
    },
    ...Object.fromEntries(environments.map((e) => [askStateOf(e.environment), askTask(request, e)])),
    ReminderDue: {
      Type: "Choice",
      Choices: [{ Variable: "$.reminders.sent", NumericLessThanPath: "$.settings.reminderCount", Next: "CountReminder" }],
      Default: "CloseUnanswered",
    },
    CountReminder: { Type: "Pass", Parameters: { "sent.$": "States.MathAdd($.reminders.sent, 1)" }, ResultPath: "$.reminders", Next: "AskForApproval" },
    CloseUnanswered: invoke(
      outcomeFn,
      { action: OutcomeActions.closeUnanswered, "approvalId.$": "$.approval.approvalId", "request.$": "$.request" },
      { resultPath: "$.unanswered", next: "AnsweredMeanwhile", catches: [failTo("CloseFailed")] },
    ),
    // a decision that reached the table after the last wait ended still counts
    AnsweredMeanwhile: {
      Type: "Choice",
      Choices: [{ Variable: "$.unanswered.answered", BooleanEquals: true, Next: "TakeLateDecision" }],
      Default: "OnNoResponse",
    },
    TakeLateDecision: { Type: "Pass", InputPath: "$.unanswered.decision", ResultPath: "$.decision", Next: "CheckDecision" },
    OnNoResponse: {
      Type: "Choice",
      Choices: [{ Variable: "$.settings.onNoResponse", StringEquals: "approve", Next: "ApproveWithoutResponse" }],
      Default: "Expired",
    },
    ApproveWithoutResponse: {
      Type: "Pass",
      Result: { decision: Decisions.approve, approver: { kind: "policy", identity: "nobody answered; the environment's onNoResponse is approve" } },
      ResultPath: "$.decision",
      Next: "FreezeCheckWanted",
    },
    CheckDecision: {
      Type: "Choice",
      Choices: [
        { Variable: "$.decision.decision", StringEquals: Decisions.approve, Next: "FreezeCheckWanted" },
        { Variable: "$.decision.decision", StringEquals: Decisions.reject, Next: "Rejected" },
      ],
      Default: "UnexpectedDecision",
    },
  };
}

/**
 * The central approval workflow for one SSM patch compliance event: validate it, look the
 * instance up in its account, ask (with reminders and escalation), optionally back it up, patch
 * it, and record and announce the outcome. Pure: the same props give the same definition.
 */
export function approvalWorkflowDefinition(props: ApprovalWorkflowProps): StateMachineDefinition {
  const { functions, scopes } = props;
  const environments: Record<string, ApprovalSettings> = Object.fromEntries(scopes.flatMap((s) => (s.settings ? [[s.environment, s.settings]] : [])));
  const enabled = scopes.filter((s) => s.settings !== undefined);
  if (enabled.length === 0) throw new Error("no environment uses the approval workflow: do not build its state machine");
  return {
    Comment: "patchline: owners approve patching of instances tagged patch-policy=patch-on-approval",
    StartAt: SETTINGS_STATE,
    States: {
      [SETTINGS_STATE]: {
        Type: "Pass",
        Comment: "Approval settings of every environment that uses the workflow",
        Parameters: { "event.$": "$", environments },
        Next: "ValidateEvent",
      },
      ...validation(),
      ResolveAccount: resolveAccount(functions.instance),
      ChooseEnvironment: chooseEnvironment(scopes),
      AccountNotConfigured: {
        Type: "Fail",
        Error: ApprovalErrors.accountNotConfigured,
        Cause: "The event's account is not a member account of a configured environment, or not in one of the account's configured regions. Nobody was asked.",
      },
      AccountNotResolved: {
        Type: "Fail",
        Error: "AccountNotResolved",
        Cause: "The fleet catalog could not be read to find the event's account (see the instance function's logs). Nobody was asked.",
      },
      ...(scopes.some((s) => s.settings === undefined)
        ? { ApprovalNotEnabled: { Type: "Succeed", Comment: "The account's environment does not use the approval workflow" } as State }
        : {}),
      ...Object.fromEntries(enabled.map((s) => [settingsStateOf(s.environment), useSettings(s.environment)])),
      LookUpInstance: invoke(
        functions.instance,
        { action: InstanceActions.lookUp, ...target },
        {
          resultPath: "$.instance",
          next: "IsTaggedForApproval",
          catches: [failTo("InstanceGone", [ApprovalErrors.instanceNotFound]), failTo("LookUpFailed")],
        },
      ),
      InstanceGone: { Type: "Succeed", Comment: "The instance no longer exists" },
      IsTaggedForApproval: {
        Type: "Choice",
        Choices: [{ Variable: "$.instance.tagged", BooleanEquals: true, Next: "ReadPatchState" }],
        Default: "NotTaggedForApproval",
      },
      NotTaggedForApproval: { Type: "Succeed", Comment: "Not tagged patch-policy=patch-on-approval: its maintenance window patches it, or nobody does" },
      ...patchStateStates(functions.patch),
      ...askingStates(
        functions.request,
        functions.outcome,
        enabled.map((s) => s.settings!),
      ),
      ...patchingStates(functions.instance, functions.patch),
      ...outcomeStates(functions.outcome, props.fallbackTopicArn),
    },
  };
}

/** The per-environment settings a rendered definition carries (for plan reviews and tests). */
export function approvalSettingsOf(definition: StateMachineDefinition): Record<string, ApprovalSettings> {
  const state = definition.States[SETTINGS_STATE];
  if (state?.Type !== "Pass") throw new Error(`the definition has no ${SETTINGS_STATE} Pass state`);
  return (state.Parameters as { environments: Record<string, ApprovalSettings> }).environments;
}
