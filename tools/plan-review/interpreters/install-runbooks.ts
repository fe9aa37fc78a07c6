import { InstallSteps } from "../../../contracts/install-runbook.js";
import { beforeAfter, finding, show, windowOf, type Finding, type Interpreter } from "../findings.js";
import { changeKind } from "../plan-json.js";

/** The backup an install runbook's content takes (its StartPrePatchBackup step), in the config's words; undefined without one. */
export function backupOf(content: unknown): { kind: "ami" | "snapshot"; retentionDays: unknown; timeoutMinutes: unknown } | undefined {
  if (typeof content !== "string") return undefined;
  try {
    const runbook = JSON.parse(content) as { mainSteps?: { name?: string; inputs?: Record<string, unknown>; timeoutSeconds?: number }[] };
    const step = runbook.mainSteps?.find((s) => s.name === InstallSteps.startBackup);
    const wait = runbook.mainSteps?.find((s) => s.name === InstallSteps.waitForBackup);
    if (!step?.inputs) return undefined;
    return {
      kind: String(step.inputs.ResourceArn).includes(":volume/") ? "snapshot" : "ami",
      retentionDays: (step.inputs.Lifecycle as { DeleteAfterDays?: unknown } | undefined)?.DeleteAfterDays,
      // the backup's deadline is the wait step's timeout
      timeoutMinutes: typeof wait?.timeoutSeconds === "number" ? wait.timeoutSeconds / 60 : undefined,
    };
  } catch {
    return undefined;
  }
}

const describe = (b: ReturnType<typeof backupOf>) => (b ? `${b.kind}, kept ${show(b.retentionDays)} days, at most ${show(b.timeoutMinutes)} min` : "none");

/**
 * The backup before install of each window (its install runbook's backup step): switched on, off,
 * or changed (kind, retention, timeout). In production, losing the backup is a risk.
 */
export const installRunbooks: Interpreter = (plans, context) => {
  const production = context.promotionOrder.at(-1);
  const findings: Finding[] = [];
  for (const plan of plans) {
    for (const change of plan.changes) {
      if (change.type !== "aws_ssm_document" || !/_InstallRunbook_/.test(change.name)) continue;
      const kind = changeKind(change);
      if (!kind) continue;
      const { before, after } = beforeAfter(change);
      const [was, is] = [backupOf(before.content), kind === "destroy" ? undefined : backupOf(after.content)];
      if (describe(was) === describe(is)) continue;
      const lost = was !== undefined && is === undefined;
      findings.push(
        finding(
          plan,
          change,
          lost && plan.environment === production ? "risk" : "change",
          `backup before install of window ${windowOf(change) ?? "?"}`,
          `${describe(was)} → ${describe(is)}${lost ? ": instances are patched without a backup" : ""}`,
        ),
      );
    }
  }
  return findings;
};
