import type { Target } from "../../contracts/compliance-model.js";
import type { EvidencePart, PatchStateValue, WindowExecution } from "../../contracts/evidence.js";

/** One instance of a part: its id and its patches as [KBId, State]. */
export interface PartInstance {
  readonly id: string;
  readonly patches: readonly (readonly [string, PatchStateValue])[];
}

/**
 * A target's evidence part as the collector writes it: Linux instances with the patches given, and
 * one succeeded install window execution at `collectedAt` less a day.
 */
export function evidencePartOf(target: Target, instances: readonly PartInstance[], collectedAt = "2027-01-11T07:00:10.000Z"): EvidencePart {
  const started = new Date(Date.parse(collectedAt) - 86_400_000).toISOString();
  const execution: WindowExecution = {
    accountId: target.accountId,
    region: target.region,
    windowName: `${target.environment}-weekly`,
    WindowId: "mw-0123456789abcdef0",
    WindowExecutionId: `00000000-0000-4000-8000-${target.accountId}`,
    Status: "SUCCESS",
    StartTime: started,
    tasks: [{ TaskExecutionId: "00000000-0000-4000-8000-000000000001", TaskArn: "AWS-RunPatchBaseline", Status: "SUCCESS", failedInvocations: [] }],
  };
  return {
    target: { accountId: target.accountId, accountName: target.accountName, region: target.region, status: "ok", instances: instances.length },
    instances: instances.map((i) => ({
      accountId: target.accountId,
      accountName: target.accountName,
      region: target.region,
      InstanceId: i.id,
      PlatformType: "Linux",
      PlatformName: "Amazon Linux",
      PlatformVersion: "2023",
      PatchGroup: `web-${target.environment}`,
      BaselineId: "pb-0123456789abcdef0",
      Operation: "Install",
      OperationEndTime: started,
      Patches: i.patches.map(([KBId, State]) => ({
        Title: KBId,
        KBId,
        Classification: "Security",
        Severity: "Important",
        State,
        InstalledTime: State.startsWith("Installed") ? started : "1970-01-01T00:00:00.000Z",
      })),
    })),
    windowExecutions: [execution],
    collectedAt,
    windowExecutionsSince: new Date(Date.parse(collectedAt) - 35 * 86_400_000).toISOString(),
  };
}
