import type { NoticeDocument, NoticeLine } from "../../shared/chat/document.js";
import type { Failure } from "./events.js";
import { InstallSteps } from "../../../contracts/install-runbook.js";
import type { FailureNames } from "./lookup.js";

export interface AccountContext {
  readonly environment?: string;
  readonly accountName?: string;
}

const where = (f: Failure, account: AccountContext) =>
  `${account.environment ?? "unknown environment"} / ${account.accountName ?? "account"} (${f.accountId}) / ${f.region}`;

/** The notification of one failed window, window task, patch command or compliance run. */
export function failureDocument(failure: Failure, names: FailureNames, account: AccountContext): NoticeDocument {
  const window = names.windowName ? `${names.windowName}${failure.windowId ? ` (${failure.windowId})` : ""}` : failure.windowId;
  const instanceId = failure.instanceId ?? names.instanceId;
  const instance = instanceId ? `${instanceId}${names.instanceName ? ` "${names.instanceName}"` : ""}` : undefined;
  const frozen = failure.kind === "install-runbook" && failure.step === InstallSteps.changeFreeze;
  // a window execution's freeze skips share one message (notify.ts): it is about the window, not the instance that skipped first
  const frozenWindow = frozen && names.windowExecutionId !== undefined;
  const shownInstance = frozenWindow ? undefined : instance;
  const title = {
    "window-execution": `Maintenance window ${names.windowName ?? failure.windowId ?? ""} ${failure.status}: ${where(failure, account)}`,
    "window-task": `Maintenance window task ${failure.status} in ${names.windowName ?? failure.windowId ?? "a window"}: ${where(failure, account)}`,
    "patch-command": `Patch command ${failure.status} on ${instance ?? "an instance"}: ${where(failure, account)}`,
    "compliance-run": `Compliance run ${failure.status}`,
    "install-runbook": frozenWindow
      ? `Not patched during a change freeze: window ${names.windowName ?? failure.runbook ?? "?"} in ${account.accountName ?? "account"} (${failure.accountId})/${failure.region} (window execution ${names.windowExecutionId}): its instances are patched by the first run after the freeze`
      : frozen
        ? `Not patched during a change freeze: ${instance ?? "an instance"}, ${where(failure, account)}`
        : `Not patched, ${failure.step ?? "a step"} ${failure.status} on ${instance ?? "an instance"}: ${where(failure, account)}`,
  }[failure.kind];
  const fields: [string, string | undefined][] = [
    ["environment", account.environment],
    ["account", failure.kind === "compliance-run" ? undefined : `${account.accountName ?? "(not in config)"} (${failure.accountId})`],
    ["region", failure.region],
    ["window", window],
    ["window task", names.taskName],
    ["window execution", failure.windowExecutionId ?? names.windowExecutionId],
    ["task execution", failure.taskExecutionId],
    ["instance", shownInstance],
    ["owner", frozenWindow ? undefined : names.owner],
    ["command", failure.commandId],
    ["document", failure.documentName],
    ["execution", failure.executionArn],
    ["automation execution", failure.automationExecutionId],
    ["runbook", failure.runbook],
    ["step", failure.step],
    ["reason", names.failureMessage],
    ["status", failure.status],
    ["at", failure.time],
    ["note", names.lookupProblem],
  ];
  const lines: NoticeLine[] = fields.filter(([, value]) => value !== undefined).map(([label, value]) => ({ section: "Details", text: `${label}: ${value}` }));
  const summary =
    failure.kind === "compliance-run"
      ? ["The scheduled compliance run did not finish; no digest may have been sent. Its execution history says where it stopped."]
      : failure.kind === "install-runbook"
        ? [
            frozen
              ? frozenWindow
                ? "The account's change calendar is CLOSED (org.freezes or the environment's freezes): the window's install runbook ended without patching each of its instances in this account and region; this is the one message of the window execution (the automation execution named is the first that skipped)."
                : "The account's change calendar is CLOSED (org.freezes or the environment's freezes): the window's install runbook ended without patching the instance; it is patched by the first run after the freeze."
              : "The window's install runbook stopped before patching: the change calendar could not be read, or the backup before install failed or did not complete in time. The instance was not patched; the execution's steps say why.",
          ]
        : [
            "Patch Manager reported this failure in the member account; the command output is in the central log bucket and the account's /patchline/run-command log group.",
          ];
  return { title, summary, lines };
}
