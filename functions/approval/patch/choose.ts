import * as z from "zod/mini";
import { ApprovalErrors, PatchActions } from "../../../contracts/approval.js";
import { commandForPatchGroup, patchCommandProblems, rebootOptionOf, type PatchCommand, type RebootOption } from "../../../contracts/patch-command.js";
import { memberTarget } from "../shared/member-target.js";

/** A command as the environment's settings carry it (stacks/approval/settings.ts, patchCommands). */
export const commandShape = z.object({
  window: z.string(),
  document: z.string(),
  parameters: z.record(z.string(), z.array(z.string())),
});

export const chooseInput = z.object({
  action: z.literal(PatchActions.choosePatchCommand),
  ...memberTarget,
  environment: z.string().check(z.minLength(1)),
  /** The read patch state: SSM's patch group of the instance, when it has one. */
  patchState: z.object({ patchGroup: z.optional(z.nullable(z.string())) }),
  /** The environment's windows with their patch groups and commands. */
  commands: z.array(z.extend(commandShape, { patchGroups: z.array(z.string()), windowInstalls: z.boolean() })),
});
export type ChooseInput = z.infer<typeof chooseInput>;

/** No window of the environment targets the instance's patch group: the workflow fails with this reason, before anybody is asked. */
export class NoPatchingWindow extends Error {
  override readonly name = ApprovalErrors.noPatchingWindow;
}

/** The command an approved instance is patched with, and where it comes from. */
export interface ChosenCommand extends PatchCommand {
  readonly window: string;
  /** False when the window only scans: the approval's own reboot option applies. */
  readonly windowInstalls: boolean;
  readonly rebootOption: RebootOption;
}

/** The patch groups named in a message, at most. */
const NAMED_GROUPS = 10;

/** A command that is not what patchline's own settings would hold (a definition from elsewhere). */
export function assertValidCommand(
  command: { readonly document: string; readonly parameters: Readonly<Record<string, readonly string[]>> },
  what: string,
): void {
  const problems = patchCommandProblems(command);
  if (problems.length > 0) throw new Error(`${what} is not a command patchline sends: ${problems.join("; ")}`);
}

/**
 * The command of the window that targets the instance's patch group (SSM's PatchGroup of the
 * instance's patch state, which its window targeted by tag when it scanned the instance). There is
 * no fallback: an instance no window targets is not patched the way nobody configured.
 */
export function choosePatchCommand(input: ChooseInput): ChosenCommand {
  const patchGroup = input.patchState.patchGroup;
  const command = commandForPatchGroup(input.commands, patchGroup);
  if (!command) {
    const groups = input.commands.flatMap((c) => c.patchGroups);
    const known = groups.slice(0, NAMED_GROUPS).join(", ") + (groups.length > NAMED_GROUPS ? ` and ${groups.length - NAMED_GROUPS} more` : "");
    const where = `${input.instanceId} in ${input.account}/${input.region}`;
    throw new NoPatchingWindow(
      patchGroup
        ? `patch group ${JSON.stringify(patchGroup)} of ${where} is targeted by no maintenance window of ${input.environment} (its windows patch ${known || "no patch group"}), so patchline does not know how to patch it; not asked`
        : `${where} has no patch group in its patch state, so no maintenance window of ${input.environment} targets it and patchline does not know how to patch it; tag it with one of ${known || "the environment's patch groups"}; not asked`,
    );
  }
  assertValidCommand(command, `the command of window ${command.window}`);
  return {
    window: command.window,
    windowInstalls: command.windowInstalls,
    document: command.document as ChosenCommand["document"],
    parameters: command.parameters,
    rebootOption: rebootOptionOf(command),
  };
}
