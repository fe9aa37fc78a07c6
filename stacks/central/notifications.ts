import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import type { Naming } from "../naming.js";
import { policyDocument, type PolicyCondition, type PolicyStatement } from "../core/iam-policy.js";
import { administrationStatements, namedRoles, type KeyPrincipals } from "../core/key-policy.js";
import { keyUses } from "../core/role-grants.js";
import { encryptedTopic } from "../core/encrypted-topic.js";
import { quickSightKeyStatement } from "../compliance/quicksight/access.js";

export interface CentralKeyProps {
  readonly naming: Naming;
  /** Administrators, the plan role, the deploy role and people's roles, from config. */
  readonly principals: KeyPrincipals;
  /** QuickSight's service role, when `org.compliance.quicksight` is set: it reads and writes the dashboard's query results. */
  readonly quickSightServiceRole?: string;
  readonly region: string;
  readonly provider: AwsProvider;
}

/**
 * Services through which Terraform creates and reads what the key encrypts: it writes the fleet
 * catalog into the reports bucket, and DynamoDB, Step Functions, Scheduler, SQS, SNS and Secrets
 * Manager check the key on behalf of whoever creates or updates a resource with it.
 */
const DEPLOY_SERVICES = ["dynamodb", "s3", "scheduler", "secretsmanager", "sns", "sqs", "states"] as const;
/** Where people read patchline's data: reports and Athena results, the approvals table, execution history, dead letters, channel secrets. */
const READER_SERVICES = ["dynamodb", "s3", "secretsmanager", "sqs", "states"] as const;
const DATA_ACTIONS = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"];

/**
 * The central key's policy. No principal gets cryptographic use from the account as a whole:
 * administrators administer; patchline's roles use the key as their own policies ask (`roleUses`,
 * derived from the roles of the stack: both the key policy and the role's IAM policy must allow,
 * since the principal is the account narrowed by aws:PrincipalArn); the deploy role and people's
 * roles only through the services that hold the data; AWS services only for this account.
 */
export function centralKeyStatements(
  principals: KeyPrincipals,
  region: string,
  roleUses: { readonly roleArns: string[]; readonly actions: string[] },
  quickSightServiceRole?: string,
): PolicyStatement[] {
  const { accountId } = principals;
  const via = (services: readonly string[]): PolicyCondition => ({
    test: "StringEquals",
    variable: "kms:ViaService",
    values: services.map((service) => `${service}.${region}.amazonaws.com`),
  });
  const deploy = namedRoles(accountId, [principals.deployRole]);
  const users = namedRoles(accountId, principals.users);
  const roles = namedRoles(accountId, roleUses.roleArns);
  const plan = principals.planRole === undefined ? undefined : namedRoles(accountId, [principals.planRole]);
  return [
    ...administrationStatements(principals),
    // DescribeStateMachine decrypts an encrypted definition with the caller's permission: a plan's
    // refresh needs it. Through Step Functions only; execution data stays denied in the plan role's
    // own policy (tools/plan-role-policy/denies.ts)
    ...(plan
      ? [
          {
            sid: "PlanRoleReadsDefinitionsThroughStepFunctionsAndScheduler",
            actions: ["kms:Decrypt"],
            resources: ["*"],
            principals: plan.principals,
            // DescribeStateMachine decrypts the definition, GetSchedule the target input, with the caller's permission
            conditions: [...plan.conditions, via(["scheduler", "states"])],
          },
        ]
      : []),
    { sid: "PatchlineRolesUseTheKeyAsTheirPoliciesAsk", actions: roleUses.actions, resources: ["*"], ...roles },
    {
      sid: "DeployRoleUsesTheKeyThroughServices",
      actions: DATA_ACTIONS,
      resources: ["*"],
      principals: deploy.principals,
      conditions: [...deploy.conditions, via(DEPLOY_SERVICES)],
    },
    {
      // DynamoDB and others keep using the key for the resource through a grant its creator lets them create
      sid: "DeployRoleLetsServicesCreateGrants",
      actions: ["kms:CreateGrant"],
      resources: ["*"],
      principals: deploy.principals,
      conditions: [...deploy.conditions, via(DEPLOY_SERVICES), { test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }],
    },
    // QuickSight's role is not patchline's (its policies are QuickSight's too): admitted for query results through S3 only
    ...(quickSightServiceRole === undefined ? [] : [quickSightKeyStatement(accountId, region, quickSightServiceRole)]),
    ...(principals.users.length > 0
      ? [
          {
            sid: "PeopleReadThroughServices",
            actions: DATA_ACTIONS,
            resources: ["*"],
            principals: users.principals,
            conditions: [...users.conditions, via(READER_SERVICES)],
          },
        ]
      : []),
    {
      sid: "ServicesEncryptForThisAccount",
      actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
      resources: ["*"],
      principals: [{ type: "Service", identifiers: ["events.amazonaws.com", "cloudwatch.amazonaws.com", "states.amazonaws.com"] }],
      conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] }],
    },
    {
      sid: "CloudWatchLogsEncryptsThisAccountsGroups",
      actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:Describe*"],
      resources: ["*"],
      principals: [{ type: "Service", identifiers: [`logs.${region}.amazonaws.com`] }],
      conditions: [{ test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: [`arn:aws:logs:${region}:${accountId}:log-group:*`] }],
    },
  ];
}

/**
 * The central account's customer managed key for patchline data at rest (topics, queues, logs,
 * tables, reports). Its policy (`centralKeyStatements`) names the roles that use it, found when the
 * stack is synthesized: every role of the stack whose own policy allows KMS actions on this key.
 */
export class CentralKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: CentralKeyProps) {
    super(scope, id);
    const { region, provider } = props;
    // resolved at synth, once every role of the stack exists (the key is built before them: they encrypt with it)
    const uses = () => {
      const found = keyUses(this, this.key.arn);
      if (found.length === 0) throw new Error(`${this.node.path}: no role of the stack uses the central key, so its policy would name nobody`);
      return found;
    };
    const roleUses = {
      roleArns: Lazy.listValue({ produce: () => uses().map((u) => u.roleArn) }),
      actions: Lazy.listValue({ produce: () => [...new Set(uses().flatMap((u) => u.actions))].sort() }),
    };
    const policy = policyDocument(this, "Policy", provider, centralKeyStatements(props.principals, region, roleUses, props.quickSightServiceRole));
    this.key = new KmsKey(this, "Key", {
      provider,
      description: "patchline: central data at rest",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policy.json,
    });
    new KmsAlias(this, "Alias", { provider, name: props.naming.centralKeyAlias, targetKeyId: this.key.keyId });
  }
}

export interface NotificationsTopicProps {
  readonly naming: Naming;
  readonly key: { readonly arn: string };
  readonly emailSubscribers: readonly string[];
  readonly provider: AwsProvider;
}

/** The central topic every workflow reports outcomes to; the platform team subscribes to it. */
export class NotificationsTopic extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: NotificationsTopicProps) {
    super(scope, id);
    this.topic = encryptedTopic(this, "Topic", {
      provider: props.provider,
      name: props.naming.notificationsTopic,
      key: props.key,
      subscribers: props.emailSubscribers.map((email) => ({ email })),
      subscriptionsId: "EmailSubscriptions",
    });
  }
}
