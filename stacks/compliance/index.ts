import { GlueCatalogTable } from "@cdktf/provider-aws/lib/glue-catalog-table";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import type { OrgConfig } from "../../environments/schema/index.js";
import type { FunctionArtifacts } from "../../functions/build.js";
import type { Naming } from "../naming.js";
import { DeadLetterQueue } from "../core/dead-letter-queue.js";
import { ComplianceAnalytics } from "./analytics.js";
import { NotificationChannels } from "./channels.js";
import { FailureNotifications, failureRules } from "./failures.js";
import { PatchNotices } from "./notices.js";
import { QuickSightDashboard } from "./quicksight/index.js";
import { ComplianceStorage } from "./storage.js";
import { ComplianceWorkflow } from "./workflow.js";

export interface ComplianceReportingProps {
  readonly config: OrgConfig;
  readonly naming: Naming;
  readonly artifacts: FunctionArtifacts;
  readonly key: { readonly arn: string };
  /** The platform team's topic: alarms go there. */
  readonly alarmTopic: { readonly arn: string };
  readonly provider: AwsProvider;
}

/**
 * Compliance alerts and reporting in the central account: buckets and catalog, Athena, channels,
 * the scheduled compliance run, impending-patch notices and failure notifications, and the
 * QuickSight dashboard when `org.compliance.quicksight` is set.
 */
export class ComplianceReporting extends Construct {
  readonly storage: ComplianceStorage;
  readonly workflow: ComplianceWorkflow;

  constructor(scope: Construct, id: string, props: ComplianceReportingProps) {
    super(scope, id);
    const { config, naming, key, provider } = props;
    const { central } = config.org;
    this.storage = new ComplianceStorage(this, "Storage", { config, naming, key, provider });
    const analytics = new ComplianceAnalytics(this, "Analytics", { ownerTagKey: config.org.ownerTagKey, naming, key, provider });
    if (config.org.compliance.quicksight) {
      const tables = analytics.node.findAll().filter((c): c is GlueCatalogTable => c instanceof GlueCatalogTable);
      new QuickSightDashboard(this, "QuickSight", { org: config.org, naming, key, tables, provider });
    }
    const channels = new NotificationChannels(this, "Channels", { channels: config.org.channels, naming, key, provider });
    const deadLetterQueue = new DeadLetterQueue(this, "DeadLetterQueue", {
      queueName: naming.complianceDeadLetterQueue,
      accountId: central.accountId,
      region: central.region,
      key,
      eventRuleArns: failureRules(naming, central.region, central.accountId).map((r) => r.arn),
      alarm: {
        topic: props.alarmTopic,
        description:
          "a compliance run or notice schedule could not start, or a failure notification or patch notice could not be delivered; the messages wait in the dead-letter queue",
      },
      provider,
    });
    const shared = { org: config.org, naming, artifacts: props.artifacts, key, channels, deadLetterQueue, provider };
    this.workflow = new ComplianceWorkflow(this, "Run", shared);
    new PatchNotices(this, "Notices", shared);
    new FailureNotifications(this, "Failures", shared);
  }
}
