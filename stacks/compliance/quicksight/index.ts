import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup";
import type { GlueCatalogTable } from "@cdktf/provider-aws/lib/glue-catalog-table";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { QuicksightAnalysis } from "@cdktf/provider-aws/lib/quicksight-analysis";
import { QuicksightDashboard } from "@cdktf/provider-aws/lib/quicksight-dashboard";
import { QuicksightDataSet } from "@cdktf/provider-aws/lib/quicksight-data-set";
import { QuicksightDataSource } from "@cdktf/provider-aws/lib/quicksight-data-source";
import { QuicksightRefreshSchedule } from "@cdktf/provider-aws/lib/quicksight-refresh-schedule";
import { Construct } from "constructs";
import type { Org } from "../../../environments/schema/index.js";
import { policyDocument } from "../../core/iam-policy.js";
import type { Naming } from "../../naming.js";
import { quickSightAccessStatements, quickSightResultsPrefix, quickSightServiceRole, quickSightWorkgroup } from "./access.js";
import { definitionProblems } from "./check.js";
import { dataSetKeys, dataSetSpecs, type DataSetKey } from "./data-sets.js";
import { dashboardDefinition } from "./definition.js";
import { quickSightPermissions } from "./permissions.js";

export interface QuickSightDashboardProps {
  readonly org: Org;
  readonly naming: Naming;
  readonly key: { readonly arn: string };
  /** The Glue tables of the stack: the data sets wait for the ones they read (a SPICE data set is imported when it is created). */
  readonly tables: readonly GlueCatalogTable[];
  readonly provider: AwsProvider;
}

/** QuickSight ids of the dashboard's resources: `<namePrefix>-compliance…`, inside the plan role's scope. */
export const quickSightIds = (naming: Pick<Naming, "prefix">) => ({
  dataSource: `${naming.prefix}-compliance`,
  dataSet: (key: DataSetKey) => `${naming.prefix}-compliance-${key.replace(/_/g, "-")}`,
  analysis: `${naming.prefix}-compliance`,
  dashboard: `${naming.prefix}-compliance`,
});

/**
 * The QuickSight dashboard of `org.compliance.quicksight`: an Athena workgroup of its own, a data
 * source in it, three data sets (run summaries, target results, the latest runs' missing patches),
 * an analysis and the dashboard published from the same definition, shared with the configured
 * principals; with SPICE, a daily refresh of each data set. QuickSight's service role gets a policy
 * for exactly these tables and results (attached here) and the central key admits it through S3
 * (stacks/central/notifications.ts).
 */
export class QuickSightDashboard extends Construct {
  readonly dashboard: QuicksightDashboard;

  constructor(scope: Construct, id: string, props: QuickSightDashboardProps) {
    super(scope, id);
    const { org, naming, provider } = props;
    const settings = org.compliance.quicksight;
    if (settings === undefined) throw new Error(`${this.node.path}: org.compliance.quicksight is not set`);
    const accountId = org.central.accountId;
    const region = org.central.region;
    const ids = quickSightIds(naming);
    const permissions = quickSightPermissions(settings);

    const workgroup = new AthenaWorkgroup(this, "Workgroup", {
      provider,
      name: quickSightWorkgroup(naming),
      description: "patchline: the QuickSight dashboard's queries; results encrypted with the central key",
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        resultConfiguration: {
          outputLocation: `s3://${naming.reportsBucket}/${quickSightResultsPrefix}`,
          encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: props.key.arn },
        },
      },
    });

    // QuickSight's own role (its console creates it): patchline adds a policy for the dashboard's tables, nothing more
    const roleArn = quickSightServiceRole(org)!;
    const access = policyDocument(
      this,
      "AccessDocument",
      provider,
      quickSightAccessStatements({
        region,
        accountId,
        workgroup: quickSightWorkgroup(naming),
        database: naming.glueDatabase,
        dataBucket: naming.complianceDataBucket,
        reportsBucket: naming.reportsBucket,
        keyArn: props.key.arn,
      }),
    );
    const policy = new IamPolicy(this, "AccessPolicy", {
      provider,
      name: `${naming.prefix}-quicksight-access`,
      description: "patchline: lets QuickSight query the compliance history and missing patches through Athena",
      policy: access.json,
    });
    const attachment = new IamRolePolicyAttachment(this, "AccessPolicyAttachment", {
      provider,
      role: roleArn.slice(roleArn.lastIndexOf("/") + 1),
      policyArn: policy.arn,
    });

    const source = new QuicksightDataSource(this, "DataSource", {
      provider,
      awsAccountId: accountId,
      dataSourceId: ids.dataSource,
      name: "patchline compliance (Athena)",
      type: "ATHENA",
      parameters: { athena: { workGroup: workgroup.name } },
      permission: permissions.dataSource,
      // QuickSight checks its access when the data source is created
      dependsOn: [attachment],
    });

    const specs = dataSetSpecs(naming.glueDatabase);
    const tableNamed = (name: string) => {
      const table = props.tables.find((t) => t.nameInput === name);
      if (!table) throw new Error(`${this.node.path}: the stack has no Glue table ${name}, which the dashboard reads`);
      return table;
    };
    const dataSetArns = {} as Record<DataSetKey, string>;
    for (const key of dataSetKeys) {
      const spec = specs[key];
      const dataSet = new QuicksightDataSet(this, `DataSet_${key}`, {
        provider,
        awsAccountId: accountId,
        dataSetId: ids.dataSet(key),
        name: `patchline ${spec.name}`,
        importMode: settings.importMode,
        physicalTableMap: [
          {
            physicalTableMapId: key.replace(/_/g, "-"),
            customSql: {
              dataSourceArn: source.arn,
              name: key,
              sqlQuery: spec.sql,
              columns: spec.columns.map((c) => ({ name: c.name, type: c.type })),
            },
          },
        ],
        permissions: permissions.dataSet,
        dependsOn: [...new Set(spec.reads.map((read) => read.split(".")[0]!))].sort().map(tableNamed),
      });
      dataSetArns[key] = dataSet.arn;
      if (settings.importMode === "SPICE" && settings.refresh) {
        new QuicksightRefreshSchedule(this, `Refresh_${key}`, {
          provider,
          awsAccountId: accountId,
          dataSetId: dataSet.dataSetId,
          scheduleId: "daily",
          schedule: [
            {
              refreshType: "FULL_REFRESH",
              scheduleFrequency: [{ interval: "DAILY", timeOfTheDay: settings.refresh.timeOfDay, timezone: settings.refresh.timeZone }],
            },
          ],
        });
      }
    }

    const definition = dashboardDefinition(dataSetArns);
    const problems = definitionProblems(definition, Object.fromEntries(dataSetKeys.map((key) => [key, specs[key].columns.map((c) => c.name)])));
    if (problems.length > 0) throw new Error(`${this.node.path}: the dashboard definition is inconsistent:\n  - ${problems.join("\n  - ")}`);

    new QuicksightAnalysis(this, "Analysis", {
      provider,
      awsAccountId: accountId,
      analysisId: ids.analysis,
      name: "patchline compliance",
      definition,
      permissions: permissions.analysis,
    });
    this.dashboard = new QuicksightDashboard(this, "Dashboard", {
      provider,
      awsAccountId: accountId,
      dashboardId: ids.dashboard,
      name: "patchline compliance",
      versionDescription: "patchline: published by Terraform from the analysis's definition",
      definition,
      permissions: permissions.dashboard,
      dashboardPublishOptions: {
        adHocFilteringOption: { availabilityStatus: "ENABLED" },
        exportToCsvOption: { availabilityStatus: "ENABLED" },
        sheetControlsOption: { visibilityState: "EXPANDED" },
      },
    });
  }
}
