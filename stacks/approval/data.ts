import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Construct } from "constructs";
import type { Naming } from "../naming.js";
import { policyDocument, type PolicyCondition, type PolicyStatement } from "../core/iam-policy.js";
import { administrationStatements, namedRoles, type KeyPrincipals } from "../core/key-policy.js";
import { encryptedTopic } from "../core/encrypted-topic.js";

export interface ApprovalsTableProps {
  readonly naming: Naming;
  /** The central key: the table holds task tokens. */
  readonly key: { readonly arn: string };
  readonly provider: AwsProvider;
}

/**
 * Approval records (task token of the open wait, decision, approver, outcome: the audit trail) and
 * the per-instance locks that de-duplicate requests. Encrypted with the central key, recoverable
 * to any second of the last 35 days, protected from deletion; DynamoDB deletes records after
 * their `expiresAt` (recordRetentionDays).
 */
export class ApprovalsTable extends Construct {
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: ApprovalsTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, "Table", {
      provider: props.provider,
      name: props.naming.approvalsTable,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "pk",
      attribute: [{ name: "pk", type: "S" }],
      ttl: { attributeName: "expiresAt", enabled: true },
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.key.arn },
      deletionProtectionEnabled: true,
    });
  }
}

export interface ApprovalLinkKeyProps {
  readonly naming: Naming;
  /** Administrators (never users) of the key, from config. */
  readonly principals: KeyPrincipals;
  readonly provider: AwsProvider;
}

/** The MAC algorithm of the link key (HMAC_256), the only one its users may ask for. */
export const LINK_MAC_ALGORITHM = "HMAC_SHA_256";

/** The condition both the key policy and the two functions' IAM policies put on GenerateMac and VerifyMac. */
export const onlyTheLinkAlgorithm: PolicyCondition = { test: "StringEquals", variable: "kms:MacAlgorithm", values: [LINK_MAC_ALGORITHM] };

/**
 * The key policy decides who signs and verifies links, not IAM: the request function's role alone
 * may GenerateMac, the callback's alone VerifyMac, both only with HMAC_SHA_256; the account's
 * administrators administer it and cannot use it. An IAM policy allowing kms:GenerateMac on "*"
 * (a power user, the deploy role) no longer mints a valid link. Role ARNs come from names, so the
 * key depends on no role and a role re-created under its name keeps its permission.
 */
export function linkKeyStatements(naming: Naming, principals: KeyPrincipals): PolicyStatement[] {
  const { accountId } = principals;
  const role = (kind: "request" | "callback") => naming.centralRoleArn(naming.approvalFunction(kind));
  const usedBy = (kind: "request" | "callback") => {
    const named = namedRoles(accountId, [role(kind)]);
    return { principals: named.principals, conditions: [...named.conditions, onlyTheLinkAlgorithm] };
  };
  return [
    ...administrationStatements(principals),
    { sid: "RequestFunctionSignsLinks", actions: ["kms:GenerateMac"], resources: ["*"], ...usedBy("request") },
    { sid: "CallbackFunctionVerifiesLinks", actions: ["kms:VerifyMac"], resources: ["*"], ...usedBy("callback") },
  ];
}

/**
 * The KMS HMAC key that signs approval links. The secret never leaves KMS: the request function
 * may only GenerateMac, the callback only VerifyMac (the key policy, `linkKeyStatements`; their IAM
 * policies say the same). KMS does not rotate HMAC keys automatically; replacing the key
 * invalidates open links only (requests stay in the table).
 */
export class ApprovalLinkKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: ApprovalLinkKeyProps) {
    super(scope, id);
    const policy = policyDocument(this, "Policy", props.provider, linkKeyStatements(props.naming, props.principals));
    this.key = new KmsKey(this, "Key", {
      provider: props.provider,
      description: "patchline: signs approval links (HMAC)",
      customerMasterKeySpec: "HMAC_256",
      keyUsage: "GENERATE_VERIFY_MAC",
      deletionWindowInDays: 30,
      policy: policy.json,
    });
    new KmsAlias(this, "Alias", { provider: props.provider, name: props.naming.approvalLinkKeyAlias, targetKeyId: this.key.keyId });
  }
}

export interface ApprovalTopicsProps {
  readonly naming: Naming;
  readonly key: { readonly arn: string };
  /** Approver addresses per environment (an address may approve in several). */
  readonly approvers: ReadonlyArray<{ readonly environment: string; readonly emails: readonly string[] }>;
  readonly escalationEmails: readonly string[];
  readonly provider: AwsProvider;
}

/**
 * One approvals-topic subscription per address (SNS keeps one per address and topic): an address
 * that approves in several environments gets one filter policy listing them all.
 */
export function approverSubscriptions(
  approvers: ApprovalTopicsProps["approvers"],
): { readonly email: string; readonly environments: readonly string[]; readonly filterPolicy: string }[] {
  const environmentsByEmail = new Map<string, string[]>();
  for (const { environment, emails } of approvers) {
    for (const email of emails) environmentsByEmail.set(email, [...(environmentsByEmail.get(email) ?? []), environment]);
  }
  return [...environmentsByEmail].map(([email, environments]) => ({ email, environments, filterPolicy: JSON.stringify({ environment: environments }) }));
}

/**
 * Requests, reminders and outcomes go to one approvals topic with the environment as a message
 * attribute; each approver's subscription filters on the environments they approve for.
 * Escalations (requests nobody answered) have their own topic.
 */
export class ApprovalTopics extends Construct {
  readonly approvals: SnsTopic;
  readonly escalations: SnsTopic;

  constructor(scope: Construct, id: string, props: ApprovalTopicsProps) {
    super(scope, id);
    const { provider, naming } = props;
    this.approvals = encryptedTopic(this, "Approvals", {
      provider,
      name: naming.approvalsTopic,
      key: props.key,
      subscribers: approverSubscriptions(props.approvers),
      subscriptionsId: "ApproverSubscriptions",
    });
    this.escalations = encryptedTopic(this, "Escalations", {
      provider,
      name: naming.approvalEscalationsTopic,
      key: props.key,
      subscribers: props.escalationEmails.map((email) => ({ email })),
      subscriptionsId: "EscalationSubscriptions",
    });
  }
}
