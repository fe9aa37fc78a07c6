import { latestRunsCte, recentRunDates } from "./latest-run.js";

/**
 * The Athena named queries over the resource data sync tables, joined with the accounts reference
 * table for the environment. The tables have no partitions (a partition list would name every
 * account): each query reads the account and region from the key of the object a row comes from,
 * `<prefix>/<type>/accountid=<id>/region=<region>/resourcetype=ManagedInstanceInventory/<file>`,
 * which resource data sync writes, and leaves out objects with any other key (objectPattern). A
 * query reads every object of its types (the workgroup caps the bytes).
 */
export interface NamedQuery {
  readonly name: string;
  readonly description: string;
  readonly sql: string;
}

/** Where resource data sync writes: the compliance-data bucket and the sync's prefix. */
export interface SyncLocation {
  readonly bucket: string;
  readonly prefix: string;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The whole key of an object resource data sync writes for managed instances, anchored: account
 * (group 1) and region (group 2) count only where the sync puts them, right below the type. Any
 * account of the organization may write below the prefix (the bucket policy admits the
 * organization), so a key with a planted `accountid=` deeper in it (a sync given a longer prefix)
 * matches nothing and is read by no query. The same pattern in Athena (`$path`) and in JavaScript.
 */
export const objectPattern = (location: SyncLocation, table: keyof typeof syncTables): string =>
  `^s3://${escapeRegex(location.bucket)}/${escapeRegex(location.prefix)}/${escapeRegex(syncTables[table].type)}/accountid=([0-9]{12})/region=([a-z0-9-]+)/resourcetype=ManagedInstanceInventory/[^/]+$`;

/** A sync table's rows of managed instances, with the account and region of the object each row comes from; rows of objects elsewhere are left out. */
export const synced = (location: SyncLocation, table: keyof typeof syncTables): string => {
  const pattern = objectPattern(location, table);
  return (
    `(SELECT t.*, regexp_extract("$path", '${pattern}', 1) AS accountid, regexp_extract("$path", '${pattern}', 2) AS region ` +
    `FROM ${table} t WHERE regexp_like("$path", '${pattern}'))`
  );
};

/** Tag value of an instance, from the tag table. */
const tagJoin = (location: SyncLocation, alias: string, key: string, on: string) =>
  `LEFT JOIN ${synced(location, "tag")} ${alias} ON ${alias}.accountid = ${on}.accountid AND ${alias}.region = ${on}.region AND ${alias}.resourceid = ${on}.resourceid AND ${alias}.key = '${key}'`;

export function complianceQueries(ownerTagKey: string, location: SyncLocation): NamedQuery[] {
  const owner = ownerTagKey.replace(/'/g, "''");
  return [
    {
      name: "non-compliant-instances-by-environment",
      description: "Instances with missing or failed patches, per environment and account, with their missing patch count",
      sql: `SELECT a.environment, a.account_name, ci.accountid, ci.region, ci.resourceid AS instance_id, name_tag.value AS name, owner_tag.value AS owner,
       count(*) AS non_compliant_patches,
       count_if(upper(ci.severity) = 'CRITICAL') AS critical_patches
FROM ${synced(location, "complianceitem")} ci
JOIN accounts a ON a.account_id = ci.accountid
${tagJoin(location, "name_tag", "Name", "ci")}
${tagJoin(location, "owner_tag", owner, "ci")}
WHERE ci.compliancetype = 'Patch' AND ci.status = 'NON_COMPLIANT'
GROUP BY a.environment, a.account_name, ci.accountid, ci.region, ci.resourceid, name_tag.value, owner_tag.value
ORDER BY a.environment, critical_patches DESC, non_compliant_patches DESC`,
    },
    {
      name: "missing-critical-patches",
      description: "Every patch an instance misses whose compliance severity is CRITICAL",
      sql: `SELECT a.environment, a.account_name, ci.accountid, ci.region, ci.resourceid AS instance_id, name_tag.value AS name,
       ci.id AS patch, ci.title, ci.classification, ci.patchseverity, ci.patchstate
FROM ${synced(location, "complianceitem")} ci
JOIN accounts a ON a.account_id = ci.accountid
${tagJoin(location, "name_tag", "Name", "ci")}
WHERE ci.compliancetype = 'Patch' AND ci.status = 'NON_COMPLIANT' AND upper(ci.severity) = 'CRITICAL'
ORDER BY a.environment, ci.accountid, ci.region, ci.resourceid, ci.id`,
    },
    {
      name: "instances-pending-reboot",
      description: "Instances with patches installed that take effect only after a reboot",
      sql: `SELECT a.environment, a.account_name, ps.accountid, ps.region, ps.resourceid AS instance_id, name_tag.value AS name, owner_tag.value AS owner,
       try_cast(ps.installedpendingrebootcount AS integer) AS patches_pending_reboot, ps.operationendtime AS last_operation
FROM ${synced(location, "patchsummary")} ps
JOIN accounts a ON a.account_id = ps.accountid
${tagJoin(location, "name_tag", "Name", "ps")}
${tagJoin(location, "owner_tag", owner, "ps")}
WHERE try_cast(ps.installedpendingrebootcount AS integer) > 0
ORDER BY a.environment, patches_pending_reboot DESC`,
    },
  ];
}

/** Each environment's latest run (latest-run.ts, shared with the QuickSight data sets). */
const latestRuns = `WITH ${latestRunsCte({ from: "history_environments", environment: "environment", runId: "run_id", startedAt: "started_at" })}`;
const latestLines = `FROM missing_patches m
JOIN latest l ON l.environment = m.environment AND l.run_id = m.run_id
WHERE ${recentRunDates("m.run_date")}`;

/** The named queries over `missing_patches`, the missing and failed patches the collector writes when a patch SLA is configured. */
export function slaQueries(): NamedQuery[] {
  return [
    {
      name: "sla-breaches-latest-run",
      description: "SLA breaches of the latest run per environment and account: instances and patches past their severity's SLA",
      sql: `${latestRuns}
SELECT m.environment, m.account_name, m.account_id,
       count(DISTINCT CASE WHEN m.breach THEN m.instance_id END) AS instances_in_breach,
       count_if(m.breach) AS patches_in_breach,
       count(DISTINCT m.instance_id) AS instances_missing_patches,
       count_if(m.age_days IS NULL) AS patches_of_unknown_age,
       max(m.age_days) AS oldest_missing_days
${latestLines}
GROUP BY m.environment, m.account_name, m.account_id
ORDER BY m.environment, instances_in_breach DESC, patches_in_breach DESC, m.account_name`,
    },
    {
      name: "oldest-missing-patches",
      description: "The 1,000 oldest missing or failed patches of the latest run of each environment, by days since their release",
      sql: `${latestRuns}
SELECT m.environment, m.account_name, m.account_id, m.region, m.instance_id, m.instance_name, m.patch_group,
       m.patch_id, m.title, m.severity, m.state, m.cve_ids, m.release_date, m.age_days, m.sla_days, m.breach
${latestLines} AND m.age_days IS NOT NULL
ORDER BY m.age_days DESC, m.environment, m.account_id, m.instance_id, m.patch_id
LIMIT 1000`,
    },
  ];
}

/** Columns of the resource data sync types patchline queries (JSON SerDe, names matched case-insensitively). */
export const syncTables = {
  complianceitem: {
    type: "AWS:ComplianceItem",
    columns: [
      "resourceid",
      "compliancetype",
      "status",
      "severity",
      "id",
      "title",
      "classification",
      "patchseverity",
      "patchstate",
      "patchbaselineid",
      "patchgroup",
      "installedtime",
      "executionid",
      "executiontype",
      "executiontime",
      "capturetime",
      "schemaversion",
    ],
  },
  patchsummary: {
    type: "AWS:PatchSummary",
    columns: [
      "resourceid",
      "patchgroup",
      "baselineid",
      "installedcount",
      "installedothercount",
      "installedpendingrebootcount",
      "installedrejectedcount",
      "missingcount",
      "failedcount",
      "notapplicablecount",
      "criticalnoncompliantcount",
      "securitynoncompliantcount",
      "othernoncompliantcount",
      "operation",
      "operationstarttime",
      "operationendtime",
      "rebootoption",
      "capturetime",
      "schemaversion",
    ],
  },
  instanceinformation: {
    type: "AWS:InstanceInformation",
    columns: [
      "resourceid",
      "instanceid",
      "computername",
      "platformtype",
      "platformname",
      "platformversion",
      "agenttype",
      "agentversion",
      "instancestatus",
      "ipaddress",
      "capturetime",
      "schemaversion",
    ],
  },
  tag: { type: "AWS:Tag", columns: ["resourceid", "key", "value", "capturetime", "schemaversion"] },
} as const;
