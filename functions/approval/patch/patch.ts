import { DescribeInstancePatchStatesCommand, GetCommandInvocationCommand, SendCommandCommand, type SSMClient } from "@aws-sdk/client-ssm";
import * as z from "zod/mini";
import { APPROVAL_ID_PATTERN, CommandStatuses, PatchActions } from "../../../contracts/approval.js";
import type { PatchStateSummary } from "../shared/record.js";
import { asError, surfaceTransient } from "../../shared/errors.js";
import { missingAndFailedPatches, type MissingCounts } from "../../shared/instance-patches.js";
import type { Log } from "../../shared/logger.js";
import { memberTarget } from "../shared/member-target.js";
import { nextCheckSeconds } from "../../shared/polling.js";
import { commandOutput, type RunCommandOutput } from "../../shared/run-command-output.js";
import { approvalCommandComment } from "../../../contracts/patch-command-comment.js";
import { assertValidCommand, chooseInput, commandShape } from "./choose.js";
import { urgencyOf, type ListedPatch, type Urgency } from "./trigger.js";
import { calendarInput } from "./calendar.js";

/** What the state machine asks of the patch function (Systems Manager in the member account and region). */
const readInput = z.object({
  action: z.literal(PatchActions.readPatchState),
  ...memberTarget,
  /** The environment's approval.trigger; null (or absent): every non-compliance asks. */
  trigger: z.optional(z.nullable(z.object({ severities: z.optional(z.array(z.string())), classifications: z.optional(z.array(z.string())) }))),
});
const sendInput = z.object({
  action: z.literal(PatchActions.sendCommand),
  ...memberTarget,
  environment: z.string().check(z.regex(/^[a-z][a-z0-9]{1,15}$/)),
  approvalId: z.string().check(z.regex(APPROVAL_ID_PATTERN)),
  /** The command choosePatchCommand chose: the window's install command. */
  patchCommand: commandShape,
  timeoutMinutes: z.int().check(z.positive()),
});
const checkInput = z.object({
  action: z.literal(PatchActions.checkCommand),
  ...memberTarget,
  commandId: z.string().check(z.regex(/^[0-9a-f-]{36}$/)),
  waitUntil: z.string(),
  checks: z.int().check(z.nonnegative()),
});

export const patchInput = z.discriminatedUnion("action", [readInput, chooseInput, calendarInput, sendInput, checkInput]);
export type ReadInput = z.infer<typeof readInput>;
export type SendInput = z.infer<typeof sendInput>;
export type CheckInput = z.infer<typeof checkInput>;

/** How long SSM may take to deliver the command; an instance offline longer gets DeliveryTimedOut. */
const DELIVERY_TIMEOUT_SECONDS = 600;

export interface PatchDeps {
  /** An SSM client for the member account and region, with the approval access role's credentials. */
  readonly ssm: (account: string, region: string) => SSMClient;
  /** Where Run Command output goes, as the maintenance windows send it. */
  readonly output: RunCommandOutput;
  readonly now: () => Date;
  readonly log: Log;
}

/** The patch state and whether it asks: `urgent` false ends the run as "not urgent" (stacks/approval/definition.ts). */
export type PatchAssessment = PatchStateSummary & Urgency;

/** The names AWS gives a refusal of the call (the SDK's error name for a 400 AccessDenied). */
const refusals = new Set(["AccessDeniedException", "AccessDenied"]);

/**
 * The instance's missing and failed patches (functions/shared/instance-patches.ts). Only a trigger
 * needs them, and the approval access role of a member stack deployed before patchline read them
 * does not grant the call (the central stack may be deployed first): a refusal names that fix.
 */
async function missingPatches(ssm: SSMClient, input: ReadInput, counts: MissingCounts): Promise<ListedPatch[]> {
  try {
    return await missingAndFailedPatches(ssm, input.instanceId, counts);
  } catch (error) {
    if (refusals.has(asError(error).name)) {
      throw Object.assign(
        new Error(
          `ssm DescribeInstancePatches was refused in ${input.account}/${input.region}: deploy the member stack of ${input.account} so the approval ` +
            `access role may call ssm:DescribeInstancePatches (approval.trigger needs it; member stacks go first, docs/approval.md "Which non-compliance asks")`,
        ),
        { name: asError(error).name },
      );
    }
    surfaceTransient(error, "ssm DescribeInstancePatches");
  }
}

/**
 * What SSM reports about the instance's patches (the counts the request shows), and whether they
 * ask: with the environment's trigger, only when a missing or failed patch matches it, which needs
 * the patches themselves (the counts' critical and security figures are the baseline's compliance
 * level and the advisories' security flag, not the severities and classifications a trigger names).
 */
export async function readPatchState(input: ReadInput, deps: PatchDeps): Promise<PatchAssessment> {
  const ssm = deps.ssm(input.account, input.region);
  let result;
  try {
    result = await ssm.send(new DescribeInstancePatchStatesCommand({ InstanceIds: [input.instanceId] }));
  } catch (error) {
    surfaceTransient(error, "ssm DescribeInstancePatchStates");
  }
  const state = result.InstancePatchStates?.[0];
  if (!state) throw new Error(`SSM has no patch state for ${input.instanceId} in ${input.account}/${input.region}; it has not been scanned yet`);
  const summary: PatchStateSummary = {
    missingCount: state.MissingCount ?? 0,
    failedCount: state.FailedCount ?? 0,
    installedPendingRebootCount: state.InstalledPendingRebootCount ?? 0,
    criticalNonCompliantCount: state.CriticalNonCompliantCount ?? 0,
    securityNonCompliantCount: state.SecurityNonCompliantCount ?? 0,
    otherNonCompliantCount: state.OtherNonCompliantCount ?? 0,
    baselineId: state.BaselineId,
    patchGroup: state.PatchGroup,
    lastOperation: state.Operation,
    lastOperationEndTime: state.OperationEndTime?.toISOString(),
  };
  if (!input.trigger) return { ...summary, urgent: true, urgency: "every non-compliance asks (the environment has no approval.trigger)" };
  const counts = { missing: summary.missingCount, failed: summary.failedCount };
  const patches = await missingPatches(ssm, input, counts);
  const urgency = urgencyOf(patches, input.trigger, counts);
  deps.log.info("patch state read", { instanceId: input.instanceId, missing: patches.length, urgent: urgency.urgent });
  return { ...summary, ...urgency };
}

export interface CommandProgress {
  readonly commandId: string;
  readonly status: (typeof CommandStatuses)[keyof typeof CommandStatuses];
  /** SSM's own status of the invocation (Pending, InProgress, Success, Failed, …). */
  readonly commandStatus: string;
  readonly statusDetails?: string;
  readonly errorExcerpt?: string;
  readonly waitUntil: string;
  readonly nextCheckSeconds: number;
  readonly checks: number;
}

/** The window's install command (document, reboot option, hooks); output to the central bucket and the run-command log group, as the window's. */
export async function sendCommand(input: SendInput, deps: PatchDeps): Promise<CommandProgress> {
  const command = input.patchCommand;
  assertValidCommand(command, `the command of window ${command.window}`);
  let result;
  try {
    result = await deps.ssm(input.account, input.region).send(
      new SendCommandCommand({
        DocumentName: command.document,
        InstanceIds: [input.instanceId],
        Parameters: command.parameters,
        Comment: approvalCommandComment(input.approvalId),
        TimeoutSeconds: DELIVERY_TIMEOUT_SECONDS,
        ...commandOutput(deps.output, { environment: input.environment, account: input.account, region: input.region }, `approval/${input.approvalId}`),
      }),
    );
  } catch (error) {
    surfaceTransient(error, "ssm SendCommand");
  }
  const commandId = result.Command?.CommandId;
  if (!commandId) throw new Error(`ssm SendCommand returned no command id for ${input.instanceId}`);
  deps.log.info("patch command sent", {
    commandId,
    instanceId: input.instanceId,
    approvalId: input.approvalId,
    window: command.window,
    document: command.document,
    rebootOption: command.parameters.RebootOption?.[0],
  });
  return {
    commandId,
    status: CommandStatuses.inProgress,
    commandStatus: result.Command?.Status ?? "Pending",
    waitUntil: new Date(deps.now().getTime() + input.timeoutMinutes * 60_000).toISOString(),
    nextCheckSeconds: nextCheckSeconds(0),
    checks: 0,
  };
}

const running = new Set(["Pending", "InProgress", "Delayed", "Cancelling"]);
const excerpt = (output: string | undefined) => (output && output.trim() !== "" ? output.trim().slice(-500) : undefined);

/** Where the patch command is: running (until the patch deadline), succeeded, or failed with SSM's status. */
export async function checkCommand(input: CheckInput, deps: PatchDeps): Promise<CommandProgress> {
  const checks = input.checks + 1;
  const base = { commandId: input.commandId, waitUntil: input.waitUntil, nextCheckSeconds: nextCheckSeconds(checks), checks };
  const pastDeadline = deps.now().toISOString() >= input.waitUntil;
  let invocation;
  try {
    invocation = await deps
      .ssm(input.account, input.region)
      .send(new GetCommandInvocationCommand({ CommandId: input.commandId, InstanceId: input.instanceId }));
  } catch (error) {
    // right after SendCommand, the invocation may not exist yet
    if (error instanceof Error && error.name === "InvocationDoesNotExist" && checks <= 3 && !pastDeadline)
      return { ...base, status: CommandStatuses.inProgress, commandStatus: "Pending" };
    surfaceTransient(error, "ssm GetCommandInvocation");
  }
  const commandStatus = invocation.Status ?? "Pending";
  const details = { commandStatus, statusDetails: invocation.StatusDetails };
  if (commandStatus === "Success") return { ...base, ...details, status: CommandStatuses.succeeded };
  if (running.has(commandStatus)) return { ...base, ...details, status: pastDeadline ? CommandStatuses.timedOut : CommandStatuses.inProgress };
  return {
    ...base,
    ...details,
    status: CommandStatuses.failed,
    errorExcerpt: excerpt(invocation.StandardErrorContent) ?? excerpt(invocation.StandardOutputContent),
  };
}
