import { ListCommandsCommand, paginateListCommandInvocations, type SSMClient } from "@aws-sdk/client-ssm";
import * as z from "zod/mini";
import { emergencyTargetSchema, patchingSettingsSchema } from "../../../contracts/emergency-patch.js";
import { NAMED_INSTANCES, sentCommandSchema, type FailedInstance, type InvocationCounts, type SentCommand } from "../../../contracts/emergency-results.js";
import { surfaceTransient } from "../../shared/errors.js";
import { nextCheckSeconds } from "../../shared/polling.js";
import type { CommandsDeps } from "./send.js";

export const checkInput = z.object({
  action: z.literal("check"),
  target: emergencyTargetSchema,
  patching: patchingSettingsSchema,
  progress: z.object({ commands: z.array(sentCommandSchema).check(z.minLength(1)), waitUntil: z.string(), checks: z.int().check(z.nonnegative()) }),
});
export type CheckInput = z.output<typeof checkInput>;

/** Every instance the commands targeted, counted, and the first that were not patched. */
interface Counted {
  readonly invocations: InvocationCounts;
  readonly failedInstances: readonly FailedInstance[];
}

/** Still running, or how the target's commands ended (at the wave's deadline, with what had not finished counted as failed). */
export type CommandsCheck =
  | {
      readonly status: "in-progress";
      readonly commands: readonly SentCommand[];
      readonly waitUntil: string;
      readonly nextCheckSeconds: number;
      readonly checks: number;
    }
  | ({ readonly status: "completed" | "timed-out"; readonly commands: readonly SentCommand[] } & Counted);

/** How the counts name targets a command never sent to (no Run Command status: they have no invocation). */
const NOT_SENT = "NotSent";

/** Run Command's command statuses that end it; Pending, InProgress and Cancelling do not. */
const FINAL_COMMAND_STATUSES = new Set(["Success", "Failed", "TimedOut", "Cancelled"]);

interface CommandState {
  readonly sent: SentCommand;
  readonly status: string;
  /** Instances the command resolved its targets to; invocations beyond it are counted when listed. */
  readonly targetCount: number;
}

async function commandState(ssm: SSMClient, sent: SentCommand): Promise<CommandState> {
  let result;
  try {
    result = await ssm.send(new ListCommandsCommand({ CommandId: sent.commandId }));
  } catch (error) {
    surfaceTransient(error, "ssm ListCommands");
  }
  const command = result.Commands?.[0];
  // right after SendCommand the command is listed; a command that is not is no command of this run
  if (!command) throw new Error(`ssm ListCommands does not know command ${sent.commandId} (window ${sent.window})`);
  return { sent, status: command.Status ?? "Pending", targetCount: command.TargetCount ?? 0 };
}

/** Every invocation of the commands counted by status; instances that did not succeed named, the first NAMED_INSTANCES. */
async function countInvocations(ssm: SSMClient, states: readonly CommandState[]): Promise<Counted> {
  const byStatus: Record<string, number> = {};
  const failedInstances: FailedInstance[] = [];
  let targeted = 0;
  let succeeded = 0;
  for (const state of states) {
    let listed = 0;
    try {
      for await (const page of paginateListCommandInvocations({ client: ssm, pageSize: 50 }, { CommandId: state.sent.commandId })) {
        for (const invocation of page.CommandInvocations ?? []) {
          const status = invocation.Status ?? "Pending";
          listed++;
          byStatus[status] = (byStatus[status] ?? 0) + 1;
          if (status === "Success") succeeded++;
          else if (failedInstances.length < NAMED_INSTANCES)
            failedInstances.push({ instanceId: invocation.InstanceId ?? "?", status, window: state.sent.window });
        }
      }
    } catch (error) {
      surfaceTransient(error, "ssm ListCommandInvocations");
    }
    // a command stopped at its MaxErrors sends to no further instance: those targets have no invocation, and count as not patched
    const unsent = Math.max(0, state.targetCount - listed);
    if (unsent > 0) byStatus[NOT_SENT] = (byStatus[NOT_SENT] ?? 0) + unsent;
    targeted += listed + unsent;
  }
  return { invocations: { targeted, succeeded, failed: targeted - succeeded, byStatus }, failedInstances };
}

/**
 * Where the target's commands are: running (check again later), or ended, with every instance
 * they targeted counted. At the wave's deadline the counts are taken as they are: what still runs
 * is counted as failed and goes on running (cancelling a patch operation half way would be worse).
 */
export async function checkCommands(input: CheckInput, deps: CommandsDeps): Promise<CommandsCheck> {
  const { target, progress } = input;
  const ssm = await deps.ssm(target.accountId, target.region);
  const states: CommandState[] = [];
  for (const sent of progress.commands) states.push(await commandState(ssm, sent));
  const running = states.some((s) => !FINAL_COMMAND_STATUSES.has(s.status));
  const pastDeadline = deps.now().toISOString() >= progress.waitUntil;
  const checks = progress.checks + 1;
  if (running && !pastDeadline) {
    return { status: "in-progress", commands: progress.commands, waitUntil: progress.waitUntil, nextCheckSeconds: nextCheckSeconds(checks), checks };
  }
  const counted = await countInvocations(ssm, states);
  deps.log.info("emergency patch commands ended", {
    runId: input.patching.runId,
    accountId: target.accountId,
    region: target.region,
    timedOut: running,
    ...counted.invocations,
  });
  return { status: running ? "timed-out" : "completed", commands: progress.commands, ...counted };
}
