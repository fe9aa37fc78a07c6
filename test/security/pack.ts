import type { TerraformJson } from "../support/terraform-json.js";
import { apiStagesThrottledAndLogged } from "./rules/api-gateway.js";
import { dynamodbTablesEncryptedAndRecoverable } from "./rules/dynamodb-tables.js";
import { eventTargetsRetryAndKeepFailures } from "./rules/event-targets.js";
import { lambdaPermissionsScoped } from "./rules/lambda-permissions.js";
import { sqsQueuesEncryptedWithCmk } from "./rules/sqs-queues.js";
import { logGroupsRetained, snsEncrypted } from "./rules/encryption-and-retention.js";
import { iamActionsExist } from "./rules/iam-actions-exist.js";
import { iamNoWildcardAction } from "./rules/iam-no-wildcard-action.js";
import { iamPoliciesFromDocuments } from "./rules/iam-policies-from-documents.js";
import { iamResourceStarOnlyUnscopable } from "./rules/iam-resource-star-only-unscopable.js";
import { iamTrustScoped } from "./rules/iam-trust-scoped.js";
import { kmsKeyUsageScoped } from "./rules/kms-key-usage-scoped.js";
import { resourcePoliciesNotPublic } from "./rules/resource-policies-not-public.js";
import { s3Encrypted, s3PublicAccessBlocked, s3TlsOnly, s3Versioned } from "./rules/s3-buckets.js";
import { stateMachinesObservableAndEncrypted, stateMachineTasksBounded } from "./rules/state-machines.js";
import { athenaResultsEncrypted } from "./rules/analytics.js";
import { quickSightSharedNarrowly } from "./rules/quicksight.js";
import { configRulesScopedWithoutCode } from "./rules/config-rules.js";
import { lambdaEnvironmentWithoutCredentials } from "./rules/lambda-environment.js";
import { schedulesBoundedAndEncrypted } from "./rules/schedules.js";
import { secretsOutsideTerraform } from "./rules/secrets.js";
import { managedPoliciesOnServiceRolesOnly, ssmRunbooksScoped } from "./rules/ssm-runbooks.js";
import type { Rule } from "./rule.js";

/** Every guardrail; extend it with each new resource type patchline creates. */
export const rules: readonly Rule[] = [
  iamPoliciesFromDocuments,
  iamNoWildcardAction,
  iamActionsExist,
  iamResourceStarOnlyUnscopable,
  iamTrustScoped,
  kmsKeyUsageScoped,
  resourcePoliciesNotPublic,
  s3Encrypted,
  s3Versioned,
  s3PublicAccessBlocked,
  s3TlsOnly,
  snsEncrypted,
  logGroupsRetained,
  stateMachinesObservableAndEncrypted,
  stateMachineTasksBounded,
  apiStagesThrottledAndLogged,
  lambdaPermissionsScoped,
  dynamodbTablesEncryptedAndRecoverable,
  sqsQueuesEncryptedWithCmk,
  eventTargetsRetryAndKeepFailures,
  schedulesBoundedAndEncrypted,
  secretsOutsideTerraform,
  athenaResultsEncrypted,
  quickSightSharedNarrowly,
  lambdaEnvironmentWithoutCredentials,
  configRulesScopedWithoutCode,
  ssmRunbooksScoped,
  managedPoliciesOnServiceRolesOnly,
];

/** Runs every rule over one stack; findings are `RULE resource: message` lines. */
export async function checkStack(json: TerraformJson, pack: readonly Rule[] = rules): Promise<string[]> {
  const lines: string[] = [];
  for (const rule of pack) {
    for (const finding of await rule.check(json)) lines.push(`${rule.id} ${finding.resource}: ${finding.message}`);
  }
  return lines;
}
