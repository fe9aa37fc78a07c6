import type { GlueCatalogTableConfig } from "@cdktf/provider-aws/lib/glue-catalog-table";
import { MISSING_PATCHES_PARTITION, MISSING_PATCHES_PREFIX, missingPatchColumns } from "../../contracts/patch-sla.js";

/**
 * The first day `missing_patches` has partitions for: runs before the patch SLA existed wrote none.
 * Fixed, so that the table does not change from one synth to the next.
 */
export const MISSING_PATCHES_FIRST_DAY = "2026-12-01";

/** The SerDe and formats of a JSON-lines table (the other tables of the database use the same). */
export interface JsonTableFormat {
  readonly inputFormat: string;
  readonly outputFormat: string;
  readonly serDeInfo: { readonly serializationLibrary: string; readonly parameters: Readonly<Record<string, string>> };
}

/**
 * The `missing_patches` table (contracts/patch-sla.ts): the missing and failed patches the collector
 * writes per run and target, partitioned by the run's start date with partition projection (type
 * date, from a fixed first day to today), so no crawler or partition list is kept up to date and a
 * query that names its dates reads only their objects.
 */
export function missingPatchesTable(dataBucket: string, format: JsonTableFormat): Omit<GlueCatalogTableConfig, "databaseName" | "provider"> {
  const location = `s3://${dataBucket}/${MISSING_PATCHES_PREFIX}`;
  const partition = MISSING_PATCHES_PARTITION;
  return {
    name: "missing_patches",
    description: "patchline: missing and failed patches of each compliance run, aged against the patch SLA (the collector writes them)",
    tableType: "EXTERNAL_TABLE",
    parameters: {
      classification: "json",
      "projection.enabled": "true",
      [`projection.${partition}.type`]: "date",
      [`projection.${partition}.format`]: "yyyy-MM-dd",
      [`projection.${partition}.range`]: `${MISSING_PATCHES_FIRST_DAY},NOW`,
      [`projection.${partition}.interval`]: "1",
      [`projection.${partition}.interval.unit`]: "DAYS",
      // "$${" is Terraform's escape of "${": Athena fills in the partition's value, not Terraform
      "storage.location.template": `${location}${partition}=$\${${partition}}/`,
    },
    partitionKeys: [{ name: partition, type: "string" }],
    storageDescriptor: {
      location,
      inputFormat: format.inputFormat,
      outputFormat: format.outputFormat,
      serDeInfo: { serializationLibrary: format.serDeInfo.serializationLibrary, parameters: { ...format.serDeInfo.parameters } },
      columns: Object.entries(missingPatchColumns).map(([name, type]) => ({ name, type })),
    },
  };
}
