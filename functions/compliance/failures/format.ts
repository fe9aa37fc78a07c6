import type { NoticeDocument, NoticeLine } from "../../shared/chat/document.js";
import type { Failure } from "./events.js";
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
  const instance = failure.instanceId ? `${failure.instanceId}${names.instanceName ? ` "${names.instanceName}"` : ""}` : undefined;
  const title = {
    "window-execution": `Maintenance window ${names.windowName ?? failure.windowId ?? ""} ${failure.status}: ${where(failure, account)}`,
    "window-task": `Maintenance window task ${failure.status} in ${names.windowName ?? failure.windowId ?? "a window"}: ${where(failure, account)}`,
    "patch-command": `Patch command ${failure.status} on ${instance ?? "an instance"}: ${where(failure, account)}`,
    "compliance-run": `Compliance run ${failure.status}`,
  }[failure.kind];
  const fields: [string, string | undefined][] = [
    ["environment", account.environment],
    ["account", failure.kind === "compliance-run" ? undefined : `${account.accountName ?? "(not in config)"} (${failure.accountId})`],
    ["region", failure.region],
    ["window", window],
    ["window task", names.taskName],
    ["window execution", failure.windowExecutionId],
    ["task execution", failure.taskExecutionId],
    ["instance", instance],
    ["owner", names.owner],
    ["command", failure.commandId],
    ["document", failure.documentName],
    ["execution", failure.executionArn],
    ["status", failure.status],
    ["at", failure.time],
    ["note", names.lookupProblem],
  ];
  const lines: NoticeLine[] = fields.filter(([, value]) => value !== undefined).map(([label, value]) => ({ section: "Details", text: `${label}: ${value}` }));
  const summary =
    failure.kind === "compliance-run"
      ? ["The scheduled compliance run did not finish; no digest may have been sent. Its execution history says where it stopped."]
      : [
          "Patch Manager reported this failure in the member account; the command output is in the central log bucket and the account's /patchline/run-command log group.",
        ];
  return { title, summary, lines };
}
