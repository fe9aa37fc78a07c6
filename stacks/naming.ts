import { regionStackName } from "../contracts/stack-layout.js";
import type { Account, OperatingSystem, Org } from "../environments/schema/index.js";

/** Names that cannot be longer than these AWS limits (a longer one is a config problem, reported eagerly). */
const limits = {
  bucket: 63,
  iamRole: 64,
  iamPolicy: 128,
  snsTopic: 256,
  eventBus: 256,
  ssmName: 128,
  lambda: 64,
  stateMachine: 80,
  table: 255,
  sqsQueue: 80,
  eventRule: 64,
  configRule: 128,
  schedule: 64,
  // CreateBackupVault: ^[a-zA-Z0-9\-\_]{2,50}$
  backupVault: 50,
} as const;

export class NameTooLong extends Error {
  override readonly name = "NameTooLong";
}

function checked(kind: keyof typeof limits, value: string): string {
  if (value.length > limits[kind]) {
    throw new NameTooLong(
      `${kind} name ${JSON.stringify(value)} is ${value.length} characters; AWS allows ${limits[kind]}. Shorten org.namePrefix or the account name.`,
    );
  }
  return value;
}

import type { ApprovalFunction } from "../contracts/functions.js";

/**
 * Every physical name and ARN that crosses a stack boundary, derived from config only, so each
 * stack plans on its own and no stack reads another's state.
 */
export class Naming {
  static readonly centralStack = "central";

  readonly prefix: string;
  private readonly central: Org["central"];

  constructor(org: Pick<Org, "namePrefix" | "central" | "deployRoleName" | "planRoleName">) {
    this.prefix = org.namePrefix;
    this.central = org.central;
    this.deployRoleName = org.deployRoleName;
    this.planRoleName = org.planRoleName;
  }

  private readonly deployRoleName: string;
  private readonly planRoleName: string | undefined;

  memberStack(environment: string, account: Pick<Account, "name">): string {
    return `${environment}-${account.name}`;
  }

  /** The stack of one region of an account in more regions than `org.maxRegionsPerStack`. */
  regionStack(environment: string, account: Pick<Account, "name">, region: string): string {
    return regionStackName(this.memberStack(environment, account), region);
  }

  deployRoleArn(accountId: string): string {
    return `arn:aws:iam::${accountId}:role/${this.deployRoleName}`;
  }

  /** The read-only role pull-request plans assume (`org.planRoleName`). */
  planRoleArn(accountId: string): string {
    if (this.planRoleName === undefined) throw new Error("org.planRoleName is not set: there is no plan role to assume");
    return `arn:aws:iam::${accountId}:role/${this.planRoleName}`;
  }

  // ---- central account ----

  get logBucket(): string {
    return checked("bucket", `${this.prefix}-logs-${this.central.accountId}-${this.central.region}`);
  }

  get logBucketArn(): string {
    return `arn:aws:s3:::${this.logBucket}`;
  }

  /** Key prefix of Run Command output in the central log bucket; the account id segment is what the bucket policy pins. */
  runCommandOutputPrefix(environment: string, accountId: string, region: string): string {
    return `run-command/${environment}/${accountId}/${region}`;
  }

  get notificationsTopic(): string {
    return checked("snsTopic", `${this.prefix}-notifications`);
  }

  get centralKeyAlias(): string {
    return `alias/${this.prefix}-central`;
  }

  get centralEventBus(): string {
    return checked("eventBus", `${this.prefix}-central`);
  }

  get centralEventBusArn(): string {
    return this.centralArn("events", `event-bus/${this.centralEventBus}`);
  }

  get notificationsTopicArn(): string {
    return this.centralArn("sns", this.notificationsTopic);
  }

  // ---- central approval workflow ----

  get approvalStateMachine(): string {
    return checked("stateMachine", `${this.prefix}-approval`);
  }

  /** The workflow's Lambda functions; each function's role has the function's name. */
  approvalFunction(kind: ApprovalFunction): string {
    return this.centralFunction(`approval-${kind}`);
  }

  approvalFunctionArn(kind: ApprovalFunction): string {
    return this.centralFunctionArn(`approval-${kind}`);
  }

  /** Approval records (the audit trail) and the per-instance locks that de-duplicate requests. */
  get approvalsTable(): string {
    return checked("table", `${this.prefix}-approvals`);
  }

  /** Requests, reminders and outcomes; approvers subscribe per environment (filter policy). */
  get approvalsTopic(): string {
    return checked("snsTopic", `${this.prefix}-approvals`);
  }

  get approvalsTopicArn(): string {
    return this.centralArn("sns", this.approvalsTopic);
  }

  /** Requests nobody answered. */
  get approvalEscalationsTopic(): string {
    return checked("snsTopic", `${this.prefix}-approval-escalations`);
  }

  get approvalEscalationsTopicArn(): string {
    return this.centralArn("sns", this.approvalEscalationsTopic);
  }

  get approvalApi(): string {
    return `${this.prefix}-approvals`;
  }

  /** The KMS HMAC key that signs approval links. */
  get approvalLinkKeyAlias(): string {
    return `alias/${this.prefix}-approval-links`;
  }

  /** The central bus rule that starts the workflow, its role and its dead-letter queue. */
  get approvalTriggerRule(): string {
    return checked("eventRule", `${this.prefix}-start-approval`);
  }

  get approvalTriggerRuleArn(): string {
    return this.centralArn("events", `rule/${this.centralEventBus}/${this.approvalTriggerRule}`);
  }

  get approvalTriggerRole(): string {
    return checked("iamRole", `${this.prefix}-approval-trigger`);
  }

  get approvalTriggerQueue(): string {
    return checked("sqsQueue", `${this.prefix}-approval-trigger-dlq`);
  }

  private centralArn(service: string, resource: string): string {
    return `arn:aws:${service}:${this.central.region}:${this.central.accountId}:${resource}`;
  }

  // ---- member accounts ----

  get maintenanceWindowRole(): string {
    return checked("iamRole", `${this.prefix}-maintenance-window`);
  }

  /** The windows' role of a region rendered in a stack of its own (contracts/stack-layout.ts). */
  regionMaintenanceWindowRole(region: string): string {
    return checked("iamRole", `${this.prefix}-maintenance-window-${region}`);
  }

  /** The event forwarding role of a region rendered in a stack of its own. */
  regionEventForwardingRole(region: string): string {
    return checked("iamRole", `${this.prefix}-event-forwarding-${region}`);
  }

  // ---- safety nets: backups before install, restore, change freezes (docs/safety-nets.md) ----

  /** The Change Calendar of the environment's freezes, in each member account and region. */
  get changeCalendar(): string {
    return checked("ssmName", `${this.prefix}-change-freezes`);
  }

  /** The install runbook of one window (calendar check, backup, patch), in each member account and region. */
  installRunbook(window: string): string {
    return checked("ssmName", `${this.prefix}-install-${window}`);
  }

  /** The runbook that puts an instance back on its pre-patch backup, in each member account and region with backups. */
  get restoreRunbook(): string {
    return checked("ssmName", `${this.prefix}-restore-instance`);
  }

  /** The AWS Backup vault of the pre-patch backups, in each member account and region with backups. */
  get backupVault(): string {
    return checked("backupVault", `${this.prefix}-pre-patch`);
  }

  /** The role the install runbooks run with; a region in a stack of its own has its own. */
  patchAutomationRole(region?: string): string {
    return checked("iamRole", region ? `${this.prefix}-patch-automation-${region}` : `${this.prefix}-patch-automation`);
  }

  /** The role AWS Backup takes the pre-patch backups with; a region in a stack of its own has its own. */
  backupServiceRole(region?: string): string {
    return checked("iamRole", region ? `${this.prefix}-pre-patch-backup-${region}` : `${this.prefix}-pre-patch-backup`);
  }

  /** The role the restore runbook runs with (account-wide, every region of the account). */
  get restoreAutomationRole(): string {
    return checked("iamRole", `${this.prefix}-restore-automation`);
  }

  /** The role `npm run restore` assumes in a member account (account-wide). */
  get restoreOperatorRole(): string {
    return checked("iamRole", `${this.prefix}-restore-operator`);
  }

  /** Managed policy the app teams attach to their instance profiles. */
  get instanceOutputPolicy(): string {
    return checked("iamPolicy", `${this.prefix}-instance-patch-output`);
  }

  /** Managed policy the app teams attach to their instance profiles so instances read their environment's install lists. */
  get instanceInstallListsPolicy(): string {
    return checked("iamPolicy", `${this.prefix}-instance-install-lists`);
  }

  get runCommandLogGroup(): string {
    return `/${this.prefix}/run-command`;
  }

  get patchCommandsTopic(): string {
    return checked("snsTopic", `${this.prefix}-patch-commands`);
  }

  get eventForwardingRole(): string {
    return checked("iamRole", `${this.prefix}-event-forwarding`);
  }

  /** Member role the central approval workflow assumes (look up the instance, back it up, patch it). */
  get approvalAccessRole(): string {
    return checked("iamRole", `${this.prefix}-approval-access`);
  }

  /** Member role the central compliance collector assumes (read-only). */
  get complianceReaderRole(): string {
    return checked("iamRole", `${this.prefix}-compliance-reader`);
  }

  /** ARN of a role in the central account (trust policies of member roles name these). */
  centralRoleArn(roleName: string): string {
    return `arn:aws:iam::${this.central.accountId}:role/${roleName}`;
  }

  // ---- compliance alerts and reporting ----

  /** Reports, run results and the fleet catalog, central account. */
  get reportsBucket(): string {
    return checked("bucket", `${this.prefix}-reports-${this.central.accountId}-${this.central.region}`);
  }

  /** Patch evidence of the environments others are promoted from: write-once, under S3 Object Lock. */
  get evidenceBucket(): string {
    return checked("bucket", `${this.prefix}-evidence-${this.central.accountId}-${this.central.region}`);
  }

  /**
   * The install override lists of environments promoted in mode "install-override-list", central
   * account: apart from the evidence, whose Object Lock would keep Terraform from replacing or
   * removing a list.
   */
  get promotionsBucket(): string {
    return checked("bucket", `${this.prefix}-promotions-${this.central.accountId}-${this.central.region}`);
  }

  /** The key of an environment's InstallOverrideList in the promotions bucket. */
  installOverrideListKey(environment: string): string {
    return `${environment}/install-override-list.yaml`;
  }

  /** The same, as the path-style https URL AWS-RunPatchBaseline's InstallOverrideList parameter takes. */
  installOverrideListUrl(environment: string): string {
    return `https://s3.${this.central.region}.amazonaws.com/${this.promotionsBucket}/${this.installOverrideListKey(environment)}`;
  }

  /** Where every member account's resource data sync writes inventory and compliance data. */
  get complianceDataBucket(): string {
    return checked("bucket", `${this.prefix}-patch-data-${this.central.accountId}-${this.central.region}`);
  }

  /** Key prefix of the resource data syncs; SSM adds `AWS:<type>/accountid=<id>/region=<region>/...` below it. */
  readonly resourceDataSyncPrefix = "resource-data-sync";

  /** The resource data sync in each member account and region. */
  get resourceDataSync(): string {
    return checked("ssmName", `${this.prefix}-compliance`);
  }

  /** Key of the fleet catalog (environments, accounts, regions, windows) the central functions read. */
  readonly fleetCatalogKey = "catalog/fleet.json";

  get complianceStateMachine(): string {
    return checked("stateMachine", `${this.prefix}-compliance`);
  }

  get complianceStateMachineArn(): string {
    return this.centralArn("states", `stateMachine:${this.complianceStateMachine}`);
  }

  /** What the ARNs of the compliance run's Distributed Map children begin with (`execution:<machine>/<map run>:<child>`). */
  get complianceExecutionArnPrefix(): string {
    return this.centralArn("states", `execution:${this.complianceStateMachine}/`);
  }

  // ---- emergency patch runs ----

  /** The state machine `npm run patch-now` starts. */
  get emergencyStateMachine(): string {
    return checked("stateMachine", `${this.prefix}-emergency-patch`);
  }

  get emergencyStateMachineArn(): string {
    return this.centralArn("states", `stateMachine:${this.emergencyStateMachine}`);
  }

  /** What the ARNs of a run's Distributed Map children begin with (`execution:<machine>/<map run>:<child>`). */
  get emergencyExecutionArnPrefix(): string {
    return this.centralArn("states", `execution:${this.emergencyStateMachine}/`);
  }

  /** The runs' wave files and results, and the install lists of named patches (which the instances read). */
  get emergencyBucket(): string {
    return checked("bucket", `${this.prefix}-emergency-${this.central.accountId}-${this.central.region}`);
  }

  /** Member role the emergency run's commands function assumes (send the windows' patch commands, follow them). */
  get emergencyPatchRole(): string {
    return checked("iamRole", `${this.prefix}-emergency-patch`);
  }

  /** A central Lambda function (`compliance-collector`, `patch-notices`, ...). */
  centralFunction(name: string): string {
    return checked("lambda", `${this.prefix}-${name}`);
  }

  centralFunctionArn(name: string): string {
    return this.centralArn("lambda", `function:${this.centralFunction(name)}`);
  }

  /** Glue allows lowercase letters, digits and underscores. */
  get glueDatabase(): string {
    return `${this.prefix.replace(/-/g, "_")}_compliance`;
  }

  get athenaWorkgroup(): string {
    return `${this.prefix}-compliance`;
  }

  /** A member account's AWS Config rule of the tag and coverage checks. */
  configRule(check: string): string {
    return checked("configRule", `${this.prefix}-${check}`);
  }

  /** Secret holding a Teams or Slack channel's webhook URL. */
  channelSecret(channel: string): string {
    return `${this.prefix}/chat/${channel}`;
  }

  /** Secret ARNs end in a random six-character suffix Secrets Manager adds. */
  channelSecretArnPattern(channel: string): string {
    return this.centralArn("secretsmanager", `secret:${this.channelSecret(channel)}-??????`);
  }

  /** SNS topic of an e-mail channel. */
  channelTopic(channel: string): string {
    return checked("snsTopic", `${this.prefix}-channel-${channel}`);
  }

  channelTopicArn(channel: string): string {
    return this.centralArn("sns", this.channelTopic(channel));
  }

  /** Idempotency records of the impending-patch notices. */
  get patchNoticesTable(): string {
    return `${this.prefix}-patch-notices`;
  }

  /** The dead-letter queue of the compliance schedules and event targets. */
  get complianceDeadLetterQueue(): string {
    return `${this.prefix}-compliance-dlq`;
  }

  /** EventBridge Scheduler schedules of the central account. */
  schedule(name: string): string {
    return checked("schedule", `${this.prefix}-${name}`);
  }

  baseline(environment: string, os: OperatingSystem): string {
    return checked("ssmName", `${this.prefix}-${environment}-${os.toLowerCase().replace(/_/g, "-")}`);
  }
}
