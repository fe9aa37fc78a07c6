import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { STSClient } from "@aws-sdk/client-sts";
import { runKeys, zeroCounts, type Target, type TargetCounts, type TargetResult } from "../../../contracts/compliance-model.js";
import { asError, isThrottlingError } from "../../shared/errors.js";
import { isServiceError, TargetThrottled, unreachableReason, type MemberReadClientFactory } from "../shared/member-access.js";
import { assumeMemberRole } from "../../shared/member-role.js";
import { collectCompliance, CollectionStepFailed, type CoverageRule, type InstanceTagKeys } from "./collect.js";
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
}

/** What the state machine keeps of a target: the key of its result and its counts. */
export interface CollectorOutput {
  readonly status: TargetResult["status"];
  readonly resultKey: string;
  readonly counts: TargetCounts;
}

/**
 * Collects one target and writes its result to S3. A target that cannot be read (role missing,
 * access denied, region not enabled, a service error the SDK's retries did not cure) is a result
 * too, with its reason; throttling that outlasts the SDK's retries is thrown as TargetThrottled for
 * the state machine to retry.
 */
export async function collectTarget(deps: CollectorDeps, input: CollectorInput): Promise<CollectorOutput> {
  const { target } = input;
  const resultKey = runKeys.targetResult(input.runId, target);
  const base = { target, collectedAt: deps.now().toISOString() };
  let result: TargetResult;
  try {
    const credentials = await assumeMemberRole(deps.sts, input.roleArn, `patchline-compliance-${input.runId}`).catch((thrown: unknown) => {
      throw new CollectionStepFailed("AssumeRole", asError(thrown));
    });
    const raw = await collectCompliance(deps.clientsFor(credentials, target.region), input);
    const { findings, counts } = buildFindings(target, raw, input);
    result = { ...base, status: "ok", counts, findings, warnings: raw.warnings };
  } catch (thrown) {
    if (!(thrown instanceof CollectionStepFailed)) throw thrown;
    if (isThrottlingError(thrown.cause)) throw new TargetThrottled(`${target.accountId} ${target.region}: ${thrown.message}`);
    const { step, cause } = thrown;
    const reason =
      step === "AssumeRole" && cause.name === "AccessDenied"
        ? `cannot assume ${input.roleArn}: the role is missing or does not trust the collector (deploy the member stack)`
        : (unreachableReason(cause, step) ??
          (isServiceError(cause) ? `${step} failed after retries (${cause.name}: ${cause.message.slice(0, 200)})` : undefined));
    // anything else is a defect of this code: fail loudly (the state machine still records the target)
    if (!reason) throw thrown;
    result = { ...base, status: "unreachable", reason, counts: zeroCounts, findings: [], warnings: [] };
  }
  await deps.s3.send(new PutObjectCommand({ Bucket: deps.bucket, Key: resultKey, Body: JSON.stringify(result), ContentType: "application/json" }));
  return { status: result.status, resultKey, counts: result.counts };
}
