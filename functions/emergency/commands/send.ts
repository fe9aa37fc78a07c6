import { paginateListCommands, SendCommandCommand, type Command, type SSMClient } from "@aws-sdk/client-ssm";
import * as z from "zod/mini";
import {
  emergencyTargetSchema,
  patchingSettingsSchema,
  type EmergencyCommand,
  type EmergencyErrors,
  type PatchingSettings,
} from "../../../contracts/emergency-patch.js";
import type { SentCommand } from "../../../contracts/emergency-results.js";
import { emergencyCommandComment } from "../../../contracts/patch-command-comment.js";
import { patchCommandProblems } from "../../../contracts/patch-command.js";
import { PATCH_POLICY_TAG, PatchPolicy } from "../../../contracts/tags.js";
import { asError, isTransientAwsError, surfaceTransient } from "../../shared/errors.js";
import type { Log } from "../../shared/logger.js";
import { nextCheckSeconds } from "../../shared/polling.js";
import { commandOutput, type RunCommandOutput } from "../../shared/run-command-output.js";
import type { MemberSsm } from "./member.js";

export const sendInput = z.object({ action: z.literal("send"), target: emergencyTargetSchema, patching: patchingSettingsSchema });
export type SendInput = z.output<typeof sendInput>;

/** Systems Manager refused a command of the target (an access or parameter problem: sending again would not help). */
export class CommandNotSent extends Error {
  override readonly name: (typeof EmergencyErrors)["commandNotSent"] = "CommandNotSent";
}

export interface CommandsDeps {
  readonly ssm: MemberSsm;
  /** Where Run Command output goes, as the maintenance windows send it. */
  readonly output: RunCommandOutput;
  readonly now: () => Date;
  readonly log: Log;
}

/** How far the target's commands are: what the state machine waits on and hands back to `check`. */
export interface CommandsProgress {
  readonly status: "in-progress";
  readonly commands: readonly SentCommand[];
  readonly waitUntil: string;
  readonly nextCheckSeconds: number;
  readonly checks: number;
}

/** As the windows' tasks: an instance that has not picked the command up within an hour is not patched by it. */
const DELIVERY_TIMEOUT_SECONDS = 3600;

/** The instances a window's install task patches: its patch groups' tag, and patch-policy=patch-on-schedule. */
export const commandTargets = (patching: Pick<PatchingSettings, "patchGroupTagKey">, command: Pick<EmergencyCommand, "patchGroups">) => [
  { Key: `tag:${patching.patchGroupTagKey}`, Values: [...command.patchGroups] },
  { Key: `tag:${PATCH_POLICY_TAG}`, Values: [PatchPolicy.ON_SCHEDULE] },
];

const targetsKey = (targets: readonly { Key?: string; Values?: readonly string[] }[] | undefined) =>
  JSON.stringify((targets ?? []).map((t) => [t.Key, [...(t.Values ?? [])].sort()]).sort());

/**
 * This run's commands already sent in the account and region (a retry after a lost answer, or a
 * failure of a later command), by their targets: the run's comment and the same patch groups mean
 * the same command.
 */
async function sentBefore(ssm: SSMClient, patching: PatchingSettings): Promise<Map<string, Command>> {
  const sent = new Map<string, Command>();
  const comment = emergencyCommandComment(patching.runId);
  try {
    // the filter takes whole seconds (2027-03-04T08:00:00Z): the start's, cut down
    const after = new Date(patching.startedAt).toISOString().replace(/\.\d{3}Z$/, "Z");
    const pages = paginateListCommands({ client: ssm, pageSize: 50 }, { Filters: [{ key: "InvokedAfter", value: after }] });
    for await (const page of pages) for (const command of page.Commands ?? []) if (command.Comment === comment) sent.set(targetsKey(command.Targets), command);
  } catch (error) {
    surfaceTransient(error, "ssm ListCommands");
  }
  return sent;
}

/**
 * Sends the windows' install commands to the target's account and region: by tag, as the window's
 * install target selects instances, with the window's rate control, output where the windows put
 * theirs. A command this run already sent there is not sent again.
 */
export async function sendCommands(input: SendInput, deps: CommandsDeps): Promise<CommandsProgress> {
  const { target, patching } = input;
  for (const command of patching.commands) {
    const problems = patchCommandProblems(command);
    if (problems.length > 0) throw new CommandNotSent(`the command of window ${command.window} is not a command patchline sends: ${problems.join("; ")}`);
  }
  const ssm = await deps.ssm(target.accountId, target.region);
  const before = await sentBefore(ssm, patching);
  const where = { environment: patching.environment, account: target.accountId, region: target.region };
  const sent: SentCommand[] = [];
  for (const command of patching.commands) {
    const targets = commandTargets(patching, command);
    const earlier = before.get(targetsKey(targets))?.CommandId;
    if (earlier) {
      sent.push({ window: command.window, commandId: earlier });
      continue;
    }
    let result;
    try {
      result = await ssm.send(
        new SendCommandCommand({
          DocumentName: command.document,
          Targets: targets,
          Parameters: command.parameters,
          MaxConcurrency: command.maxConcurrency,
          MaxErrors: command.maxErrors,
          Comment: emergencyCommandComment(patching.runId),
          TimeoutSeconds: DELIVERY_TIMEOUT_SECONDS,
          ...commandOutput(deps.output, where, `emergency/${patching.runId}`),
        }),
      );
    } catch (thrown) {
      // throttled: the state machine retries the step, which finds what was sent
      if (isTransientAwsError(thrown)) surfaceTransient(thrown, "ssm SendCommand");
      const error = asError(thrown);
      const already = sent.map((s) => `${s.commandId} (${s.window})`).join(", ");
      throw new CommandNotSent(
        `ssm SendCommand of window ${command.window} refused in ${target.accountId}/${target.region}: ${error.name}: ${error.message}` +
          (already ? `; already sent and running: ${already}` : ""),
      );
    }
    const commandId = result.Command?.CommandId;
    if (!commandId) throw new CommandNotSent(`ssm SendCommand returned no command id for window ${command.window} in ${target.accountId}/${target.region}`);
    sent.push({ window: command.window, commandId });
    deps.log.info("emergency patch command sent", {
      runId: patching.runId,
      accountId: target.accountId,
      region: target.region,
      window: command.window,
      commandId,
      document: command.document,
      patchGroups: command.patchGroups,
    });
  }
  return {
    status: "in-progress",
    commands: sent,
    waitUntil: new Date(deps.now().getTime() + patching.timeoutMinutes * 60_000).toISOString(),
    nextCheckSeconds: nextCheckSeconds(0),
    checks: 0,
  };
}
