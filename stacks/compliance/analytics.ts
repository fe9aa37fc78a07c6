import { AthenaNamedQuery } from "@cdktf/provider-aws/lib/athena-named-query";
import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup";
import { GlueCatalogDatabase } from "@cdktf/provider-aws/lib/glue-catalog-database";
import { GlueCatalogTable } from "@cdktf/provider-aws/lib/glue-catalog-table";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import type { Naming } from "../naming.js";
import { complianceQueries, slaQueries, syncTables } from "./queries.js";
import { missingPatchesTable } from "./missing-patches-table.js";
import { reportPrefixes } from "./storage.js";
import { historyQueries, historyTables } from "./history-tables.js";

export interface ComplianceAnalyticsProps {
  /** The tag naming an instance's owner, which the queries report. */
  readonly ownerTagKey: string;
  readonly naming: Naming;
  readonly key: { readonly arn: string };
  readonly provider: AwsProvider;
}

/**
 * Glue tables over the resource data sync output, one per synced type, reading every object below
 * the type's prefix: no partitions, no crawler, no projection listing accounts, so an account that
 * joins or leaves changes nothing here (the queries take account and region from each object's key,
 * see queries.ts). The accounts reference table (a catalog data object), an Athena workgroup whose
 * results are encrypted with the central key, and the named queries.
 */
export class ComplianceAnalytics extends Construct {
  readonly workgroup: AthenaWorkgroup;

  constructor(scope: Construct, id: string, props: ComplianceAnalyticsProps) {
    super(scope, id);
    const { naming, provider } = props;
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
      new GlueCatalogTable(tables, name, {
        provider,
        databaseName: database.name,
        name,
        description: `patchline: ${table.type} of every member account and region (resource data sync)`,
        tableType: "EXTERNAL_TABLE",
        parameters: { classification: "json" },
        storageDescriptor: {
          location: `${dataBucket}/${naming.resourceDataSyncPrefix}/${table.type}/`,
          ...json,
          columns: table.columns.map((column) => ({ name: column, type: "string" })),
        },
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

    // the report step's run history: typed columns (counts are int), one object per run
    for (const table of historyTables) {
      new GlueCatalogTable(tables, table.name, {
        provider,
        databaseName: database.name,
        name: table.name,
        description: table.description,
        tableType: "EXTERNAL_TABLE",
        parameters: { classification: "json" },
        storageDescriptor: { location: `${dataBucket}/${table.prefix}`, ...json, columns: [...table.columns] },
      });
    }

    // the collector's missing patches of each run (patch SLA): partitioned by the run's date, projected
    new GlueCatalogTable(tables, "missing_patches", { provider, databaseName: database.name, ...missingPatchesTable(naming.complianceDataBucket, json) });

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
    for (const query of [
      ...complianceQueries(props.ownerTagKey, { bucket: naming.complianceDataBucket, prefix: naming.resourceDataSyncPrefix }),
      ...historyQueries,
      ...slaQueries(),
    ]) {
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
