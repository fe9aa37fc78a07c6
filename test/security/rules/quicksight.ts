import type { Finding, Rule } from "../rule.js";
import { parseReference, resourcesOf, type Block } from "../../support/terraform-json.js";

/** A QuickSight user or group: a namespace ARN would share with everyone in it, an account root with every QuickSight user of the account. */
const NAMED_PRINCIPAL = /^arn:aws:quicksight:[a-z0-9-]+:\d{12}:(user|group)\/[^*?]+$/;

/** The permission blocks of each QuickSight resource type (the data source calls its block `permission`). */
const permissionBlocks = {
  aws_quicksight_data_source: "permission",
  aws_quicksight_data_set: "permissions",
  aws_quicksight_analysis: "permissions",
  aws_quicksight_dashboard: "permissions",
} as const;

const list = (value: unknown): Block[] => (Array.isArray(value) ? (value as Block[]) : value ? [value as Block] : []);

export const quickSightSharedNarrowly: Rule = {
  id: "QS1",
  description: "QuickSight resources are shared with named users and groups only, and Athena data sources query through a workgroup of the stack",
  explanation:
    "The dashboard shows instance names, accounts and missing patches: a namespace or account principal would hand it to every QuickSight user. An Athena data source without a workgroup runs in `primary`, whose results are neither encrypted with the central key nor enforced (ATH1 checks the stack's workgroups only).",
  check: (json) => {
    const findings: Finding[] = [];
    for (const [type, block] of Object.entries(permissionBlocks)) {
      for (const [name, body] of resourcesOf(json, type)) {
        for (const permission of list(body[block])) {
          const principal = String(permission.principal);
          if (!NAMED_PRINCIPAL.test(principal))
            findings.push({ resource: `${type}.${name}`, message: `shares with ${principal}, which is not a QuickSight user or group ARN` });
        }
      }
    }
    const workgroups = resourcesOf(json, "aws_athena_workgroup");
    for (const [name, body] of resourcesOf(json, "aws_quicksight_data_source")) {
      if (body.type !== "ATHENA") continue;
      const athena = list(list(body.parameters)[0]?.athena)[0];
      const workgroup = athena?.work_group;
      const ref = parseReference(workgroup);
      const inStack = ref
        ? ref.type === "aws_athena_workgroup" && workgroups.some(([id]) => id === ref.name)
        : workgroups.some(([, w]) => w.name === workgroup);
      if (!inStack)
        findings.push({
          resource: `aws_quicksight_data_source.${name}`,
          message: `queries Athena in workgroup ${workgroup === undefined ? "primary (none set)" : JSON.stringify(workgroup)}, not one of the stack's`,
        });
    }
    return findings;
  },
};
