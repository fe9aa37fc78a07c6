import { paginateDescribeAvailablePatches } from "@aws-sdk/client-ssm";
import type { InstanceFinding, SlaSummary, Target, TargetCounts } from "../../../contracts/compliance-model.js";
import type { MissingPatchLine, PatchSla } from "../../../contracts/patch-sla.js";
import { mapWithConcurrency } from "../../shared/concurrency.js";
import { asError } from "../../shared/errors.js";
import { missingAndFailedPatches } from "../../shared/instance-patches.js";
import type { MemberReadClients } from "../shared/member-access.js";
import { limits, step } from "./collect.js";
import { assess, missingPatchLine, summarize, type AssessedPatch, type ReportedPatch } from "./sla.js";

/** API limits (SSM API Reference). */
export const slaLimits = {
  /** DescribeAvailablePatches: MaxResults 1-100. */
  availablePatchesPage: 100,
} as const;

/**
 * Patches DescribeAvailablePatches finds by PATCH_ID: Windows updates by their KB id. It lists
 * Amazon Linux 1 and 2 patches only with a PRODUCT filter, and no other Linux; there is no API that
 * dates a Linux package DescribeInstancePatches names, so those are of unknown age.
 */
const WINDOWS_KB = /^KB\d+$/i;

/**
 * One instance's missing and failed patches (functions/shared/instance-patches.ts: one State per
 * call, each only when the instance's patch state counts some), as the SLA ages them.
 */
async function reportedPatches(clients: Pick<MemberReadClients, "ssm">, finding: InstanceFinding): Promise<ReportedPatch[]> {
  let listed;
  try {
    listed = await missingAndFailedPatches(clients.ssm, finding.instanceId, { missing: finding.patch?.missing ?? 0, failed: finding.patch?.failed ?? 0 });
  } catch (thrown) {
    // deregistered or terminated since its patch state was read: nothing missing to tell of
    if (asError(thrown).name === "InvalidInstanceId") return [];
    throw thrown;
  }
  return listed.flatMap((patch) =>
    patch.KBId
      ? [
          {
            patchId: patch.KBId,
            title: patch.Title ?? "",
            classification: patch.Classification ?? "",
            severity: patch.Severity ?? "",
            state: patch.State,
            ...(patch.CVEIds && { cveIds: patch.CVEIds }),
          },
        ]
      : [],
  );
}

/**
 * When a Windows update was released: the earliest ReleaseDate of the catalog entries with its KB
 * number (one KB has an entry per product it updates). One KB id per call: the API Reference names
 * no semantics for several values of a filter. Undefined when the catalog has none (superseded and
 * expired updates drop out of it).
 */
async function releaseDateOf(clients: Pick<MemberReadClients, "ssm">, kbId: string): Promise<Date | undefined> {
  let earliest: Date | undefined;
  const input = { Filters: [{ Key: "PATCH_ID", Values: [kbId] }] };
  for await (const page of paginateDescribeAvailablePatches({ client: clients.ssm, pageSize: slaLimits.availablePatchesPage }, input)) {
    for (const patch of page.Patches ?? []) {
      if (patch.KbNumber?.toUpperCase() !== kbId.toUpperCase() || !patch.ReleaseDate) continue;
      if (!earliest || patch.ReleaseDate < earliest) earliest = patch.ReleaseDate;
    }
  }
  return earliest;
}

export interface SlaScope {
  readonly runId: string;
  readonly target: Target;
  readonly sla: PatchSla;
  readonly now: Date;
}

/** What the SLA adds to a target: its findings with their summaries, the breach count, the missing_patches lines. */
export interface SlaOutcome {
  readonly findings: readonly InstanceFinding[];
  readonly slaBreaches: number;
  readonly lines: readonly MissingPatchLine[];
}

/**
 * The SLA of one account and region: the missing and failed patches of every instance whose patch
 * state counts some (one DescribeInstancePatches sweep per state and instance, four instances at a
 * time), then the release date of each distinct Windows KB among them, asked once for the whole
 * target however many instances miss it. A failing call is CollectionStepFailed, named after it.
 */
export async function collectSla(clients: Pick<MemberReadClients, "ssm">, findings: readonly InstanceFinding[], scope: SlaScope): Promise<SlaOutcome> {
  const missing = findings.filter((f) => (f.patch?.missing ?? 0) > 0 || (f.patch?.failed ?? 0) > 0);
  const reported = await step("DescribeInstancePatches", () => mapWithConcurrency(missing, limits.parallelBatches, (f) => reportedPatches(clients, f)));

  const kbIds = [...new Set(reported.flat().flatMap((p) => (WINDOWS_KB.test(p.patchId) ? [p.patchId.toUpperCase()] : [])))].sort();
  const dates = await step("DescribeAvailablePatches", () => mapWithConcurrency(kbIds, limits.parallelBatches, (id) => releaseDateOf(clients, id)));
  const released = new Map(kbIds.map((id, n) => [id, dates[n]]));

  const collectedAt = scope.now.toISOString();
  const lines: MissingPatchLine[] = [];
  const summaries = new Map<string, SlaSummary>();
  missing.forEach((finding, n) => {
    const assessed: AssessedPatch[] = reported[n]!.map((p) => assess(p, released.get(p.patchId.toUpperCase()), scope.sla, scope.now));
    for (const patch of assessed) lines.push(missingPatchLine({ runId: scope.runId, collectedAt }, scope.target, finding, patch));
    const summary = summarize(assessed);
    if (summary) summaries.set(finding.instanceId, summary);
  });
  const withSla = findings.map((f) => {
    const sla = summaries.get(f.instanceId);
    return sla ? { ...f, sla } : f;
  });
  return { findings: withSla, slaBreaches: [...summaries.values()].filter((s) => s.breaches > 0).length, lines };
}

/** The target's counts with its SLA breaches. */
export const withSlaBreaches = (counts: TargetCounts, outcome: SlaOutcome): TargetCounts => ({ ...counts, slaBreaches: outcome.slaBreaches });

/** The missing_patches object's body: one JSON object per line (the JSON SerDe reads lines), empty for a target that misses nothing. */
export const missingPatchesBody = (lines: readonly MissingPatchLine[]): string => lines.map((line) => `${JSON.stringify(line)}\n`).join("");
