import type { InstanceFinding } from "../../../contracts/compliance-model.js";
import { notCoveredText } from "../shared/report.js";

const columns: ReadonlyArray<[string, (f: InstanceFinding) => string | number | undefined]> = [
  ["environment", (f) => f.environment],
  ["account_id", (f) => f.accountId],
  ["account_name", (f) => f.accountName],
  ["region", (f) => f.region],
  ["instance_id", (f) => f.instanceId],
  ["name", (f) => f.name],
  ["owner", (f) => f.owner],
  ["patch_group", (f) => f.patchGroup],
  ["patch_policy", (f) => f.patchPolicy],
  ["maintenance_window", (f) => f.maintenanceWindow],
  ["severity", (f) => f.patch?.severity],
  ["missing", (f) => f.patch?.missing],
  ["critical_missing", (f) => f.patch?.criticalMissing],
  ["security_missing", (f) => f.patch?.securityMissing],
  ["other_missing", (f) => f.patch?.otherMissing],
  ["failed", (f) => f.patch?.failed],
  ["pending_reboot", (f) => f.patch?.pendingReboot],
  ["last_operation", (f) => f.patch?.lastOperation],
  ["last_operation_at", (f) => f.patch?.lastOperationAt],
  ["not_covered", (f) => notCoveredText(f) || undefined],
  // empty without a patch SLA, or for an instance that misses no patch
  ["sla_breaches", (f) => f.sla?.breaches],
  ["oldest_missing_days", (f) => f.sla?.oldestMissingDays],
  ["unknown_age_patches", (f) => f.sla?.unknownAge],
];

/**
 * One CSV field (RFC 4180). Tag values are written by whoever tags an instance: a value that a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with a quote.
 */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header row; CRLF line ends as RFC 4180 writes them. */
export const findingsCsvHeader = `${columns.map(([name]) => name).join(",")}\r\n`;

/** One row per finding, each ending in CRLF: the report appends a target's rows as it reads them. */
export const findingsCsvRows = (findings: readonly InstanceFinding[]): string =>
  findings.map((f) => `${columns.map(([, get]) => csvField(get(f))).join(",")}\r\n`).join("");

/** Every finding, one row each, with a header row. */
export const findingsCsv = (findings: readonly InstanceFinding[]): string => findingsCsvHeader + findingsCsvRows(findings);
