import { failedRunsAlarm } from "../core/failed-runs-alarm.js";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { ownerEmailDomains, type OrgConfig } from "../../environments/schema/index.js";
import type { FunctionArtifacts } from "../../functions/build.js";
import type { ApprovalFunction } from "../../contracts/functions.js";
import type { Naming } from "../naming.js";
import { approvalWorkflowDefinition } from "./definition.js";
import type { StateMachineDefinition } from "../core/asl.js";
import { approvalScopes } from "./settings.js";
import { ApprovalApi } from "./api.js";
import { ApprovalEdge } from "./edge.js";
import { callbackEnvironment } from "./page-environment.js";
import { approvalChannelSecretArnPatterns, requestEnvironment, REQUEST_TIMEOUT_WITH_CHAT_SECONDS } from "./request-environment.js";
import { ApprovalLinkKey, ApprovalsTable, ApprovalTopics, onlyTheLinkAlgorithm } from "./data.js";
import { keyPrincipals } from "../core/key-policy.js";
import { ApprovalTrigger } from "./trigger.js";
import { assumeMemberRoleStatement } from "../member/central-access-role.js";
import { catalogEnvironment, readFleetCatalog, sendEmailFrom, useCentralKey, type KeyService } from "../core/central-statements.js";
import type { PolicyStatement } from "../core/iam-policy.js";
import type { LambdaFunction } from "../core/lambda-function.js";
import { StateMachine } from "../core/state-machine.js";
import { centralFunction } from "../core/central-function.js";

export interface ApprovalWorkflowProps {
  readonly config: OrgConfig;
  readonly naming: Naming;
  readonly artifacts: FunctionArtifacts;
  /** The central key: table, topics, queue, logs. */
  readonly key: { readonly arn: string };
  /** The central bus the member accounts forward SSM events to. */
  readonly bus: { readonly name: string };
  /** The platform team's topic (failures, alarms). */
  readonly notifications: { readonly arn: string };
  readonly provider: AwsProvider;
  /** A provider in us-east-1, for the edge's WAF web ACL (org.approval.edge). @default - none: the edge cannot be built */
  readonly edgeProvider?: AwsProvider;
}

/** The functions the state machine invokes, in the order its role's policy lists them. */
const approvalInvokedFunctionArns = (naming: Naming) =>
  (["request", "outcome", "instance", "patch"] as const).map((kind) => naming.approvalFunctionArn(kind)) as [string, string, string, string];

/**
 * The approval state machine's definition for an organization (one of its environments uses the
 * workflow): each environment's settings from config, function ARNs from names (accounts are resolved at run time from the fleet catalog).
 */
export function approvalDefinitionFor(config: OrgConfig, naming: Naming): StateMachineDefinition {
  const invoked = approvalInvokedFunctionArns(naming);
  return approvalWorkflowDefinition({
    scopes: approvalScopes(config, naming),
    functions: { request: invoked[0], outcome: invoked[1], instance: invoked[2], patch: invoked[3] },
    fallbackTopicArn: naming.notificationsTopicArn,
  });
}

/** Concurrent runs of the approval page: enough for people, a ceiling for abuse. */
const CALLBACK_RESERVED_CONCURRENCY = 10;

/**
 * The central approval workflow: approvals table, link-signing key, topics, the five functions,
 * the state machine, the approval page's API and the bus rule that starts it all.
 */
export class ApprovalWorkflow extends Construct {
  readonly table: ApprovalsTable;
  readonly linkKey: ApprovalLinkKey;
  readonly topics: ApprovalTopics;
  readonly functions: Readonly<Record<ApprovalFunction, LambdaFunction>>;
  readonly stateMachine: StateMachine;
  readonly api: ApprovalApi;
  /** CloudFront and WAF in front of the API (org.approval.edge). */
  readonly edge?: ApprovalEdge;
  /** org.approval.pageUrl: where people open the pages when a proxy or a custom domain serves them. */
  private readonly configuredPageUrl?: string;
  readonly trigger: ApprovalTrigger;

  constructor(scope: Construct, id: string, props: ApprovalWorkflowProps) {
    super(scope, id);
    const { config, naming, provider, key } = props;
    const { org } = config;
    this.configuredPageUrl = org.approval.pageUrl;
    const { accountId, region } = org.central;
    const approval = org.approval;

    this.table = new ApprovalsTable(this, "Approvals", { naming, key, provider });
    this.linkKey = new ApprovalLinkKey(this, "LinkKey", { naming, principals: keyPrincipals(org, naming), provider });
    this.topics = new ApprovalTopics(this, "Topics", {
      naming,
      key,
      approvers: config.environments.flatMap((e) => (e.approval?.enabled ? [{ environment: e.name, emails: e.approval.approverEmails }] : [])),
      escalationEmails: approval.escalationEmails,
      provider,
    });

    const tableArn = this.table.table.arn;
    // DynamoDB and SNS use the central key on the caller's behalf: the callers need it, through those services only
    const useKeyVia = (...services: KeyService[]): PolicyStatement =>
      useCentralKey("UseCentralKeyThroughTableAndTopics", key, region, services, ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]);
    const sender = org.email?.senderAddress;
    const mailOwners: PolicyStatement[] = sender ? [sendEmailFrom("MailOwnersFromTheSenderIdentity", sender, region, accountId)] : [];
    // owners are mailed only at addresses in these domains (functions/shared/email.ts ownerMailbox)
    const senderEnvironment: Record<string, string> = sender ? { SENDER_ADDRESS: sender, OWNER_EMAIL_DOMAINS: ownerEmailDomains(config).join(",") } : {};
    // states:SendTaskSuccess supports no resource-level permissions: only these two roles hold it
    const completeWaitingTasks: PolicyStatement = { sid: "CompleteWaitingApprovalTasks", actions: ["states:SendTaskSuccess"], resources: ["*"] };

    const functionContext = { naming, artifacts: props.artifacts, accountId, logRetentionDays: org.logs.logGroupRetentionDays, key, provider };
    const fn = (
      kind: ApprovalFunction,
      description: string,
      statements: PolicyStatement[],
      environment: Record<string, string>,
      reservedConcurrency?: number,
      timeoutSeconds?: number,
    ) =>
      centralFunction(this, `${kind[0]!.toUpperCase()}${kind.slice(1)}Function`, functionContext, {
        name: `approval-${kind}`,
        description,
        statements,
        environment,
        reservedConcurrency,
        timeoutSeconds,
      });

    const callback = fn(
      "callback",
      "approval page: shows a request, accepts one decision",
      [
        { sid: "ReadAndDecideApprovals", actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"], resources: [tableArn] },
        { sid: "VerifyLinkSignatures", actions: ["kms:VerifyMac"], resources: [this.linkKey.key.arn], conditions: [onlyTheLinkAlgorithm] },
        useKeyVia("dynamodb"),
        completeWaitingTasks,
      ],
      // the page's URL resolved at synth: the API (and the edge in front of it) are built after the function they invoke
      callbackEnvironment(config, naming, { linkKeyArn: this.linkKey.key.arn, pageUrl: Lazy.stringValue({ produce: () => this.pageUrl }) }),
      CALLBACK_RESERVED_CONCURRENCY,
    );
    this.api = new ApprovalApi(this, "Api", {
      naming,
      callback: { functionName: callback.function.functionName, arn: callback.function.arn },
      jwt: approval.jwt,
      logRetentionDays: org.logs.logGroupRetentionDays,
      logKey: key,
      provider,
    });
    if (approval.edge) {
      if (!props.edgeProvider) throw new Error("org.approval.edge needs a provider in us-east-1 for its WAF web ACL (the central stack makes one)");
      this.edge = new ApprovalEdge(this, "Edge", {
        name: naming.approvalApi,
        apiEndpoint: this.api.url,
        settings: approval.edge,
        provider,
        wafProvider: props.edgeProvider,
      });
    }

    // the webhook secrets of the channels approval requests are posted to (approval.channels), and no other
    const chatSecrets = approvalChannelSecretArnPatterns(config, naming);
    const postToChat: PolicyStatement[] =
      chatSecrets.length > 0
        ? [
            { sid: "ReadApprovalChannelWebhookUrls", actions: ["secretsmanager:GetSecretValue"], resources: chatSecrets },
            useCentralKey("DecryptWebhookSecrets", key, region, ["secretsmanager"], ["kms:Decrypt"]),
          ]
        : [];
    const request = fn(
      "request",
      "registers approval requests and sends them with signed links",
      [
        // TransactWriteItems is authorized per item as PutItem
        { sid: "CreateAndUpdateApprovals", actions: ["dynamodb:PutItem", "dynamodb:UpdateItem"], resources: [tableArn] },
        { sid: "SignLinks", actions: ["kms:GenerateMac"], resources: [this.linkKey.key.arn], conditions: [onlyTheLinkAlgorithm] },
        { sid: "PublishRequests", actions: ["sns:Publish"], resources: [naming.approvalsTopicArn] },
        useKeyVia("dynamodb", "sns"),
        completeWaitingTasks,
        ...mailOwners,
        ...postToChat,
      ],
      requestEnvironment(config, naming, { linkKeyArn: this.linkKey.key.arn, pageUrl: this.pageUrl }),
      undefined,
      chatSecrets.length > 0 ? REQUEST_TIMEOUT_WITH_CHAT_SECONDS : undefined,
    );
    const outcome = fn(
      "outcome",
      "closes unanswered requests, records and announces outcomes",
      [
        {
          sid: "RecordOutcomesAndReleaseLocks",
          actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
          resources: [tableArn],
        },
        {
          sid: "AnnounceOutcomesAndEscalations",
          actions: ["sns:Publish"],
          resources: [naming.approvalsTopicArn, naming.approvalEscalationsTopicArn, naming.notificationsTopicArn],
        },
        useKeyVia("dynamodb", "sns"),
        ...mailOwners,
      ],
      {
        APPROVALS_TABLE: naming.approvalsTable,
        APPROVALS_TOPIC_ARN: naming.approvalsTopicArn,
        ESCALATION_TOPIC_ARN: naming.approvalEscalationsTopicArn,
        NOTIFICATIONS_TOPIC_ARN: naming.notificationsTopicArn,
        RECORD_RETENTION_DAYS: String(approval.recordRetentionDays),
        ...senderEnvironment,
      },
    );
    const assumeMemberRole = assumeMemberRoleStatement("AssumeMemberApprovalAccessRole", naming.approvalAccessRole, org.organizationId);
    const instance = fn(
      "instance",
      "resolves an event's account from the fleet catalog; looks up and backs up instances in member accounts",
      [readFleetCatalog(naming), useCentralKey("DecryptTheCatalog", key, region, ["s3"], ["kms:Decrypt"]), assumeMemberRole],
      { MEMBER_ROLE_NAME: naming.approvalAccessRole, OWNER_TAG_KEY: org.ownerTagKey, ...catalogEnvironment(naming) },
    );
    const patch = fn("patch", "reads patch states and patches instances in member accounts as their window does", [assumeMemberRole], {
      MEMBER_ROLE_NAME: naming.approvalAccessRole,
      OUTPUT_BUCKET: naming.logBucket,
      OUTPUT_BUCKET_REGION: region,
      OUTPUT_KEY_PREFIX_TEMPLATE: naming.runCommandOutputPrefix("{environment}", "{account}", "{region}"),
      RUN_COMMAND_LOG_GROUP: naming.runCommandLogGroup,
    });
    this.functions = { request, callback, outcome, instance, patch };

    const invoked = approvalInvokedFunctionArns(naming);
    this.stateMachine = new StateMachine(this, "Workflow", {
      stateMachineName: naming.approvalStateMachine,
      description: "approval workflow: ask owners, back up, patch, record",
      definition: approvalDefinitionFor(config, naming),
      accountId,
      region,
      statements: [
        { sid: "InvokeApprovalFunctions", actions: ["lambda:InvokeFunction"], resources: invoked },
        { sid: "ReportUnrecordedOutcomes", actions: ["sns:Publish"], resources: [naming.notificationsTopicArn] },
        useCentralKey("EncryptReportsForTheTopic", key, region, ["sns"], ["kms:Decrypt", "kms:GenerateDataKey"]),
      ],
      key,
      logRetentionDays: org.logs.logGroupRetentionDays,
      provider,
    });

    this.trigger = new ApprovalTrigger(this, "Trigger", {
      naming,
      accountId,
      region,
      bus: props.bus,
      stateMachineArn: this.stateMachine.arn,
      key,
      alarmTopic: props.notifications,
      provider,
    });

    // every end is announced by the workflow itself; this catches what it cannot (a bug, a deleted function)
    failedRunsAlarm(this, "FailedRunsAlarm", {
      alarmName: `${naming.approvalStateMachine}-runs-failed`,
      alarmDescription: "patchline: approval workflow runs failed, timed out or were aborted; see the state machine's executions",
      stateMachineArn: this.stateMachine.arn,
      topicArn: props.notifications.arn,
      provider,
    });
  }

  /** The base URL approval links start with: org.approval.pageUrl (a proxy's), else the edge's when it is on, else the API's. */
  get pageUrl(): string {
    return this.configuredPageUrl ?? this.edge?.url ?? this.api.url;
  }
}
