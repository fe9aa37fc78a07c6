import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { STSClient } from "@aws-sdk/client-sts";
import { runKeys, zeroCounts, type Target, type TargetCounts, type TargetResult } from "../../../contracts/compliance-model.js";
import { evidencePartKey, type EvidencePart } from "../../../contracts/evidence.js";
import { asError, isThrottlingError } from "../../shared/errors.js";
import { isServiceError, TargetThrottled, unreachableReason, type MemberReadClientFactory, type MemberReadClients } from "../shared/member-access.js";
import { assumeMemberRole } from "../../shared/member-role.js";
import { collectCompliance, CollectionStepFailed, type CoverageRule, type InstanceTagKeys } from "./collect.js";
import { collectEvidence } from "./evidence.js";
import { unreachablePart } from "./evidence-records.js";
import { buildFindings } from "./findings.js";

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
 * Collects one target and writes its result to S3. A target that cannot be read (role missing,
 * access denied, region not enabled, a service error the SDK's retries did not cure) is a result
 * too, with its reason; throttling that outlasts the SDK's retries is thrown as TargetThrottled for
 * the state machine to retry. When the environment's evidence is collected, a target that could be
 * read gets its evidence part written beside its result.
 */
export async function collectTarget(deps: CollectorDeps, input: CollectorInput): Promise<CollectorOutput> {
  const { target } = input;
  const resultKey = runKeys.targetResult(input.runId, target);
  const now = deps.now();
  const base = { target, collectedAt: now.toISOString() };
  let result: TargetResult;
  let evidence: EvidencePart | undefined;
  try {
    const credentials = await assumeMemberRole(deps.sts, input.roleArn, `patchline-compliance-${input.runId}`).catch((thrown: unknown) => {
      throw new CollectionStepFailed("AssumeRole", asError(thrown));
    });
    const clients = deps.clientsFor(credentials, target.region);
    const raw = await collectCompliance(clients, input);
    const { findings, counts } = buildFindings(target, raw, input);
    if (input.evidence) evidence = await evidencePart(clients, input, input.evidence.windowNames, now);
    const warnings = evidence?.target.reason ? [...raw.warnings, `evidence not collected: ${evidence.target.reason}`] : raw.warnings;
    result = { ...base, status: "ok", counts, findings, warnings };
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
  await Promise.all([put(resultKey, result), ...(evidence && evidenceKey ? [put(evidenceKey, evidence)] : [])]);
  return { status: result.status, resultKey, counts: result.counts, ...(evidenceKey && { evidenceKey }) };
}
