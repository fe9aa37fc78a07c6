import { TerraformOutput } from "cdktf";
import { StandaloneStack } from "./core/standalone-stack.js";
import type { Construct } from "constructs";
import type { OrgConfig } from "../environments/schema/index.js";
import type { FunctionArtifacts } from "../functions/build.js";
import { ApprovalWorkflow } from "./approval/workflow.js";
import { CentralEventBus } from "./central/event-bus.js";
import { CentralLogBucket } from "./central/log-bucket.js";
import { CentralKey, NotificationsTopic } from "./central/notifications.js";
import { InstallOverrideLists } from "./promotion/install-override-lists.js";
import { ComplianceReporting } from "./compliance/index.js";
import type { Naming } from "./naming.js";
import { configureBackend, createRegionProviders, type DeploymentMode } from "./providers.js";
import { approvalEnabledAnywhere } from "./approval/settings.js";
import { CLOUDFRONT_WAF_REGION } from "./approval/edge.js";
import { stackTags } from "../contracts/tags.js";
import { keyPrincipals } from "./core/key-policy.js";
import { quickSightServiceRole } from "./compliance/quicksight/access.js";
import { EmergencyPatchRun } from "./emergency/workflow.js";

export interface CentralStackProps {
  readonly config: OrgConfig;
  readonly naming: Naming;
  readonly mode: DeploymentMode;
  /** Built Lambda code, by function name (`functions/build.ts`). */
  readonly artifacts: FunctionArtifacts;
}

/**
 * Stack (1): the central account: key, notifications topic, log bucket, the event bus members
 * forward to, compliance reporting, emergency patch runs, and the approval workflow when an
 * environment uses it.
 */
export class CentralStack extends StandaloneStack {
  readonly key: CentralKey;
  readonly notifications: NotificationsTopic;
  readonly logBucket: CentralLogBucket;
  readonly eventBus: CentralEventBus;
  readonly compliance: ComplianceReporting;
  /** Emergency patch runs (`npm run patch-now`, docs/safety-nets.md). */
  readonly emergency: EmergencyPatchRun;
  /** The approval workflow, when an environment enables approval. */
  readonly approval?: ApprovalWorkflow;

  constructor(scope: Construct, name: string, props: CentralStackProps) {
    super(scope, name);
    const { config, naming, mode } = props;
    const { org } = config;
    configureBackend(this, name, org.stateBackend, mode);
    // the approval edge's WAF web ACL lives in us-east-1 (CloudFront's); the home region's provider keeps its address
    const edgeRegions = org.approval.edge && org.central.region !== CLOUDFRONT_WAF_REGION ? [CLOUDFRONT_WAF_REGION] : [];
    const providers = createRegionProviders(this, {
      accountId: org.central.accountId,
      regions: [org.central.region, ...edgeRegions],
      naming,
      tags: stackTags(org, name),
      mode,
    });
    const provider = providers.get(org.central.region)!;

    this.key = new CentralKey(this, "Key", {
      naming,
      principals: keyPrincipals(org, naming),
      quickSightServiceRole: quickSightServiceRole(org),
      region: org.central.region,
      provider,
    });
    this.notifications = new NotificationsTopic(this, "Notifications", {
      naming,
      key: this.key.key,
      emailSubscribers: org.notifications.emailSubscribers,
      provider,
    });
    this.logBucket = new CentralLogBucket(this, "LogBucket", {
      naming,
      organizationId: org.organizationId,
      environments: config.environments.map((e) => e.name),
      outputRetentionDays: org.logs.outputRetentionDays,
      noncurrentVersionRetentionDays: org.logs.noncurrentVersionRetentionDays,
      provider,
    });
    this.eventBus = new CentralEventBus(this, "EventBus", { naming, organizationId: org.organizationId, provider });
    new InstallOverrideLists(this, "Promotions", { config, naming, provider });
    this.compliance = new ComplianceReporting(this, "Compliance", {
      config,
      naming,
      artifacts: props.artifacts,
      key: this.key.key,
      alarmTopic: this.notifications.topic,
      provider,
    });
    this.emergency = new EmergencyPatchRun(this, "Emergency", {
      config,
      naming,
      artifacts: props.artifacts,
      key: this.key.key,
      notifications: this.notifications.topic,
      provider,
    });
    if (approvalEnabledAnywhere(config)) {
      this.approval = new ApprovalWorkflow(this, "Approval", {
        config,
        naming,
        artifacts: props.artifacts,
        key: this.key.key,
        bus: this.eventBus.bus,
        notifications: this.notifications.topic,
        provider,
        edgeProvider: org.approval.edge ? providers.get(CLOUDFRONT_WAF_REGION) : undefined,
      });
      new TerraformOutput(this, "ApprovalApiUrl", {
        value: this.approval.pageUrl,
        description: "Base URL of the approval pages (links are <url>/approvals/<id>?e=…&s=…): the CloudFront edge's when org.approval.edge is set",
      });
    }
  }
}
