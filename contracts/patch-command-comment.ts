/**
 * The Run Command comment patchline writes on every patch command it sends, so that a failure
 * notification can tell what sent one: a maintenance-window task (`patchline <window> <task>`) or
 * the approval workflow (`patchline-approval <approval id>`) or an emergency run
 * (`patchline-emergency <run id>`). SSM allows 100 characters.
 */
export const COMMAND_COMMENT_MAX_CHARS = 100;

export const windowTaskComment = (windowName: string, taskName: string): string => `patchline ${windowName} ${taskName}`;

export const approvalCommandComment = (approvalId: string): string => `patchline-approval ${approvalId}`;

export const emergencyCommandComment = (runId: string): string => `patchline-emergency ${runId}`;

export type CommandOrigin =
  | { readonly kind: "window"; readonly windowName: string; readonly taskName: string }
  | { readonly kind: "approval"; readonly approvalId: string }
  | { readonly kind: "emergency"; readonly runId: string };

/** What sent a patch command, read from its comment; undefined for commands patchline did not send. */
export function commandOrigin(comment: string | undefined): CommandOrigin | undefined {
  const approval = /^patchline-approval (\S+)$/.exec(comment ?? "");
  if (approval) return { kind: "approval", approvalId: approval[1]! };
  const emergency = /^patchline-emergency (\S+)$/.exec(comment ?? "");
  if (emergency) return { kind: "emergency", runId: emergency[1]! };
  const window = /^patchline (\S+) (\S+)$/.exec(comment ?? "");
  return window ? { kind: "window", windowName: window[1]!, taskName: window[2]! } : undefined;
}
