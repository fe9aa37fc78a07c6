import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { STSClient } from "@aws-sdk/client-sts";
import { runKeys, zeroCounts, type InstanceFinding, type Target, type TargetCounts, type TargetResult } from "../../../contracts/compliance-model.js";
import { evidencePartKey, type EvidencePart } from "../../../contracts/evidence.js";
import { asError, isThrottlingError } from "../../shared/errors.js";
import { isServiceError, TargetThrottled, unreachableReason, type MemberReadClientFactory, type MemberReadClients } from "../shared/member-access.js";
import { assumeMemberRole } from "../../shared/member-role.js";
import { collectCompliance, CollectionStepFailed, type CoverageRule, type InstanceTagKeys } from "./collect.js";
import { collectEvidence } from "./evidence.js";
import { unreachablePart } from "./evidence-records.js";
import { buildFindings } from "./findings.js";
import { missingPatchesKey, type PatchSla } from "../../../contracts/patch-sla.js";
import { collectSla, missingPatchesBody, withSlaBreaches, type SlaOutcome } from "./sla-collect.js";

export interface CollectorDeps {
  readonly sts: STSClient;
  readonly s3: S3Client;
  readonly clientsFor: MemberReadClientFactory;
  /** Reports bucket the result is written to. */
  readonly bucket: string;
  readonly now: () => Date;
}

export interface CollectorInput extends InstanceTagKeys {
  readonly runId: string;
  readonly target: Target;
  /** ARN of the member's compliance reader role. */
  readonly roleArn: string;
  readonly coverageRules: readonly CoverageRule[];
  /**
   * Set when another environment is promoted from the target's: its evidence is collected too, for
   * the environment's windows (their names in config, which are their names in SSM).
   * @default - no evidence
   */
  readonly evidence?: { readonly windowNames: readonly string[] };
  /**
   * The organization's patch SLA, and the compliance data bucket the target's missing patches go to
   * (`missing_patches`). Without it the collector makes no call for the SLA.
   * @default - no SLA
   */
  readonly sla?: { readonly days: PatchSla; readonly bucket: string };
}

/** What the state machine keeps of a target: the key of its result and its counts. */
export interface CollectorOutput {
  readonly status: TargetResult["status"];
  readonly resultKey: string;
  readonly counts: TargetCounts;
  /** The target's evidence part in the reports bucket, when its environment's evidence is collected and the target could be read. */
  readonly evidenceKey?: string;
}

/** Why a failed step makes the target unreachable, in words for the digest; undefined for an error that is a defect of this code. */
function reasonFor(failure: CollectionStepFailed, roleArn: string): string | undefined {
  const { step, cause } = failure;
  if (step === "AssumeRole" && cause.name === "AccessDenied")
    return `cannot assume ${roleArn}: the role is missing or does not trust the collector (deploy the member stack)`;
  return unreachableReason(cause, step) ?? (isServiceError(cause) ? `${step} failed after retries (${cause.name}: ${cause.message.slice(0, 200)})` : undefined);
}

/** Throttling that outlasted the SDK's retries goes to the state machine, which retries the target. */
function throwIfThrottled(target: Target, failure: CollectionStepFailed): void {
  if (isThrottlingError(failure.cause)) throw new TargetThrottled(`${target.accountId} ${target.region}: ${failure.message}`);
}

/**
 * The target's evidence. A call it may not make (a member stack deployed before evidence was
 * collected) or that keeps failing makes only the evidence unreachable: the compliance result
 * stands, and the part says why.
 */
async function evidencePart(clients: MemberReadClients, input: CollectorInput, windowNames: readonly string[], now: Date): Promise<EvidencePart> {
  try {
    return await collectEvidence(clients, { target: input.target, windowNames, now });
  } catch (thrown) {
    if (!(thrown instanceof CollectionStepFailed)) throw thrown;
    throwIfThrottled(input.target, thrown);
    const reason = reasonFor(thrown, input.roleArn);
    if (!reason) throw thrown;
    return unreachablePart(input.target, reason, now);
  }
}

/**
 * The target's SLA. Like the evidence, a call it may not make (a member stack deployed before the
 * SLA existed) or that keeps failing leaves the compliance result as it is, with a warning saying
 * why the SLA was not checked; throttling goes to the state machine.
 */
async function slaOutcome(
  clients: MemberReadClients,
  input: CollectorInput,
  sla: PatchSla,
  findings: readonly InstanceFinding[],
  now: Date,
): Promise<SlaOutcome | { readonly warning: string }> {
  try {
    return await collectSla(clients, findings, { runId: input.runId, target: input.target, sla, now });
  } catch (thrown) {
    if (!(thrown instanceof CollectionStepFailed)) throw thrown;
    throwIfThrottled(input.target, thrown);
    const reason = reasonFor(thrown, input.roleArn);
    if (!reason) throw thrown;
    return { warning: `patch SLA not checked: ${reason}` };
  }
}

/**
 * Collects one target and writes its result to S3. A target that cannot be read (role missing,
 * access denied, region not enabled, a service error the SDK's retries did not cure) is a result
 * too, with its reason; throttling that outlasts the SDK's retries is thrown as TargetThrottled for
 * the state machine to retry. When the environment's evidence is collected, a target that could be
 * read gets its evidence part written beside its result; with a patch SLA, its missing patches go to
 * the compliance data bucket and its findings and counts carry the breaches.
 */
export async function collectTarget(deps: CollectorDeps, input: CollectorInput): Promise<CollectorOutput> {
  const { target } = input;
  const resultKey = runKeys.targetResult(input.runId, target);
  const now = deps.now();
  const base = { target, collectedAt: now.toISOString() };
  let result: TargetResult;
  let evidence: EvidencePart | undefined;
  let sla: SlaOutcome | undefined;
  try {
    const credentials = await assumeMemberRole(deps.sts, input.roleArn, `patchline-compliance-${input.runId}`).catch((thrown: unknown) => {
      throw new CollectionStepFailed("AssumeRole", asError(thrown));
    });
    const clients = deps.clientsFor(credentials, target.region);
    const raw = await collectCompliance(clients, input);
    const built = buildFindings(target, raw, input);
    const checked = input.sla && (await slaOutcome(clients, input, input.sla.days, built.findings, now));
    sla = checked && "lines" in checked ? checked : undefined;
    if (input.evidence) evidence = await evidencePart(clients, input, input.evidence.windowNames, now);
    const warnings = [
      ...raw.warnings,
      ...(checked && "warning" in checked ? [checked.warning] : []),
      ...(evidence?.target.reason ? [`evidence not collected: ${evidence.target.reason}`] : []),
    ];
    const findings = sla ? sla.findings : built.findings;
    result = { ...base, status: "ok", counts: sla ? withSlaBreaches(built.counts, sla) : built.counts, findings, warnings };
  } catch (thrown) {
    if (!(thrown instanceof CollectionStepFailed)) throw thrown;
    throwIfThrottled(target, thrown);
    const reason = reasonFor(thrown, input.roleArn);
    // anything else is a defect of this code: fail loudly (the state machine still records the target)
    if (!reason) throw thrown;
    result = { ...base, status: "unreachable", reason, counts: zeroCounts, findings: [], warnings: [] };
  }
  const put = (Key: string, body: unknown) =>
    deps.s3.send(new PutObjectCommand({ Bucket: deps.bucket, Key, Body: JSON.stringify(body), ContentType: "application/json" }));
  const evidenceKey = evidence && evidencePartKey(input.runId, target);
  // missing patches go to the compliance data bucket (SSE-S3): an object per target whose SLA was checked, empty when nothing is missing
  const writeMissingPatches = (bucket: string, lines: SlaOutcome["lines"]) =>
    deps.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: missingPatchesKey(input.runId, target),
        Body: missingPatchesBody(lines),
        ContentType: "application/x-ndjson",
      }),
    );
  await Promise.all([
    put(resultKey, result),
    ...(evidence && evidenceKey ? [put(evidenceKey, evidence)] : []),
    ...(sla && input.sla ? [writeMissingPatches(input.sla.bucket, sla.lines)] : []),
  ]);
  return { status: result.status, resultKey, counts: result.counts, ...(evidenceKey && { evidenceKey }) };
}
