import { AthenaNamedQuery } from "@cdktf/provider-aws/lib/athena-named-query";
import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup";
import { GlueCatalogDatabase } from "@cdktf/provider-aws/lib/glue-catalog-database";
import { GlueCatalogTable } from "@cdktf/provider-aws/lib/glue-catalog-table";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import type { Naming } from "../naming.js";
import { complianceQueries, syncTables } from "./queries.js";
import { reportPrefixes } from "./storage.js";

export interface ComplianceAnalyticsProps {
  /** Member accounts whose resource data sync output the tables project. */
  readonly accountIds: readonly string[];
  /** Regions the tables project, sorted. */
  readonly regions: readonly string[];
  /** The tag naming an instance's owner, which the queries report. */
  readonly ownerTagKey: string;
  readonly naming: Naming;
  readonly key: { readonly arn: string };
  readonly provider: AwsProvider;
}

/** Terraform reads `${...}` as interpolation; Athena's projection template needs it literally. */
const literalTemplate = (name: string) => `$\${${name}}`;

/**
 * Glue tables over the resource data sync output with partition projection (no crawler, no
 * partitions to load: account ids and regions come from config), the accounts reference table, an
 * Athena workgroup whose results are encrypted with the central key, and the named queries.
 */
export class ComplianceAnalytics extends Construct {
  readonly workgroup: AthenaWorkgroup;

  constructor(scope: Construct, id: string, props: ComplianceAnalyticsProps) {
    super(scope, id);
    const { accountIds: accounts, regions, naming, provider } = props;
    const database = new GlueCatalogDatabase(this, "Database", {
      provider,
      name: naming.glueDatabase,
      description: "patchline: patch compliance of every member account and region",
    });
    const dataBucket = `s3://${naming.complianceDataBucket}`;
    const json = {
      inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
      outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
      serDeInfo: { serializationLibrary: "org.openx.data.jsonserde.JsonSerDe", parameters: { "case.insensitive": "true", "ignore.malformed.json": "true" } },
    };

    const tables = new Construct(this, "Tables");
    for (const [name, table] of Object.entries(syncTables)) {
      const location = `${dataBucket}/${naming.resourceDataSyncPrefix}/${table.type}`;
      const template = `${location}/accountid=${literalTemplate("accountid")}/region=${literalTemplate("region")}/resourcetype=${literalTemplate("resourcetype")}/`;
      new GlueCatalogTable(tables, name, {
        provider,
        databaseName: database.name,
        name,
        description: `patchline: ${table.type} of every member account and region (resource data sync)`,
        tableType: "EXTERNAL_TABLE",
        // an enum projection needs values: without member accounts yet (a new organization) the
        // table projects nothing and its queries return no rows until the first account
        parameters:
          accounts.length === 0
            ? { classification: "json", "projection.enabled": "false" }
            : {
                classification: "json",
                "projection.enabled": "true",
                "projection.accountid.type": "enum",
                "projection.accountid.values": accounts.join(","),
                "projection.region.type": "enum",
                "projection.region.values": regions.join(","),
                "projection.resourcetype.type": "enum",
                "projection.resourcetype.values": "ManagedInstanceInventory",
                "storage.location.template": template,
              },
        partitionKeys: [
          { name: "accountid", type: "string" },
          { name: "region", type: "string" },
          { name: "resourcetype", type: "string" },
        ],
        storageDescriptor: { location: `${location}/`, ...json, columns: table.columns.map((column) => ({ name: column, type: "string" })) },
      });
    }
    new GlueCatalogTable(tables, "accounts", {
      provider,
      databaseName: database.name,
      name: "accounts",
      description: "patchline: account id, name and environment, from config",
      tableType: "EXTERNAL_TABLE",
      parameters: { classification: "csv", "skip.header.line.count": "1" },
      storageDescriptor: {
        location: `${dataBucket}/reference/accounts/`,
        inputFormat: json.inputFormat,
        outputFormat: json.outputFormat,
        serDeInfo: { serializationLibrary: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", parameters: { "field.delim": "," } },
        columns: ["account_id", "account_name", "environment"].map((column) => ({ name: column, type: "string" })),
      },
    });

    this.workgroup = new AthenaWorkgroup(this, "Workgroup", {
      provider,
      name: naming.athenaWorkgroup,
      description: "patchline: compliance reporting queries; results encrypted with the central key",
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        resultConfiguration: {
          outputLocation: `s3://${naming.reportsBucket}/${reportPrefixes.athenaResults}`,
          encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: props.key.arn },
        },
      },
    });
    const queries = new Construct(this, "Queries");
    for (const query of complianceQueries(props.ownerTagKey)) {
      new AthenaNamedQuery(queries, query.name, {
        provider,
        name: `${naming.prefix}-${query.name}`,
        description: query.description,
        database: database.name,
        workgroup: this.workgroup.name,
        query: query.sql,
      });
    }
  }
}
