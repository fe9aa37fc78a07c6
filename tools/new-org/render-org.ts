import { operatingSystems, type OperatingSystem, type OrgInput } from "../../environments/schema/index.js";
import { baselineTemplates, hookDocumentTemplates, patchExamples } from "./defaults.js";
import { quickSightExample, scaffoldOrg, slaExample, type ScaffoldOptions } from "./model.js";
import { blockLines, key, literal, SourceText } from "./text.js";

type BaselineInput = NonNullable<OrgInput["baselines"][OperatingSystem]>;

const osLabels: Record<OperatingSystem, string> = {
  AMAZON_LINUX_2023: "Amazon Linux 2023",
  AMAZON_LINUX_2: "Amazon Linux 2",
  REDHAT_ENTERPRISE_LINUX: "Red Hat Enterprise Linux",
  ROCKY_LINUX: "Rocky Linux",
  ALMA_LINUX: "AlmaLinux",
  ORACLE_LINUX: "Oracle Linux",
  UBUNTU: "Ubuntu",
  DEBIAN: "Debian",
  WINDOWS: "Windows Server",
};

/** A Linux rule that also approves non-security updates, with the filter keys the OS takes. */
const nonSecurityRule = (os: OperatingSystem) =>
  os === "WINDOWS"
    ? undefined
    : {
        filters: os === "UBUNTU" || os === "DEBIAN" ? { PRIORITY: ["Standard"] } : { CLASSIFICATION: ["Enhancement"] },
        complianceLevel: "LOW",
        enableNonSecurity: true,
      };

function baselineBlock(text: SourceText, level: number, os: OperatingSystem, baseline: BaselineInput, withOptions: boolean) {
  text.line(level, `${os}: {`);
  text.property(level + 1, "description", baseline.description);
  text.line(level + 1, "approvalRules: [");
  for (const rule of baseline.approvalRules) text.line(level + 2, `${literal(rule)},`);
  const extraRule = nonSecurityRule(os);
  if (withOptions && extraRule) text.optional(level + 2, "also approve non-security updates from the OS's repositories (Linux only)", `${literal(extraRule)},`);
  text.line(level + 1, "],");
  if (withOptions) {
    const examples = patchExamples(os);
    text.optional(level + 1, "patches approved or rejected in every environment whatever the rules say; BLOCK also keeps rejected ones out as dependencies", [
      `approvedPatches: ${literal(examples.approved)},`,
      `approvedPatchesComplianceLevel: "HIGH",`,
      `rejectedPatches: ${literal(examples.rejected)},`,
      `rejectedPatchesAction: "BLOCK",`,
    ]);
  }
  text.line(level, "},");
}

function compliance(text: SourceText, org: OrgInput, options: ScaffoldOptions) {
  text.line(1, "// the compliance run: every account's patch state collected, a report in S3 and Athena, a digest to the channels");
  text.line(1, "compliance: {");
  text.property(2, "schedule", org.compliance!.schedule);
  text.optionalProperty(2, "account-regions collected at once, 1-1000", "maxConcurrency", 50);
  text.optionalProperty(2, "percent of collections that may fail outright before the run stops", "toleratedFailurePercentage", 5);
  text.optionalProperty(2, "also send a digest when there is nothing to report", "allClear", true);
  text.optionalProperty(
    2,
    "accounts of these units (and their child units) are collected too, so new accounts cannot hide; needs Organizations read access",
    "organizationalUnits",
    [{ id: "ou-ab12-cd34ef56", environment: org.promotionOrder[0] }],
  );
  text.optionalProperty(2, "channels (from channels above) the digest goes to; without any, reports only", "digestChannels", [
    "platform-teams",
    "patching-mail",
  ]);
  text.optionalProperty(2, "channels failed maintenance windows and patch commands are reported to", "failureChannels", ["platform-teams"]);
  text.optionalProperty(2, "instances listed in a digest, worst first (1-2000); the rest are counted", "digestInstanceLimit", 200);
  text.optionalProperty(2, "days reports, run results and sync data are kept", "reportRetentionDays", 400);
  text.optionalProperty(
    2,
    "days the evidence of environments others are promoted from is kept, write-once (S3 Object Lock, compliance mode; 30-3650)",
    "evidenceRetentionDays",
    400,
  );
  text.optionalProperty(2, "runs the report's trend charts show per environment, this one included (2-365)", "trendRuns", 30);
  text.optionalProperty(
    2,
    "days the run history (Athena: history_environments, history_targets) is kept; apart from the reports",
    "historyRetentionDays",
    1095,
  );
  text.optionalProperty(
    2,
    "missing patches older than this many days since their release, per severity, are SLA breaches in the digest, report and Athena (docs/patch-sla.md)",
    "sla",
    slaExample,
  );
  const quicksight = quickSightExample(options);
  text.optional(2, "a QuickSight dashboard over the run history and missing patches; needs QuickSight Enterprise in the central account (docs/dashboard.md)", [
    "quicksight: {",
    ...Object.entries(quicksight).map(([name, value]) => `  ${key(name)}: ${literal(value)},`),
    "},",
  ]);
  text.line(1, "},");
}

function hookDocuments(text: SourceText, namePrefix: string) {
  const lines = blockLines((block) => {
    block.line(0, "hookDocuments: [");
    for (const doc of hookDocumentTemplates(namePrefix)) {
      block.line(1, "{");
      block.property(2, "name", doc.name);
      block.property(2, "description", doc.description);
      for (const platform of ["linux", "windows"] as const) {
        const script = doc[platform]!;
        block.line(2, `${platform}: {`);
        block.line(3, "commands: [");
        for (const command of script.commands) block.line(4, `${literal(command)},`);
        block.line(3, "],");
        block.property(3, "timeoutSeconds", script.timeoutSeconds);
        block.line(2, "},");
      }
      block.line(1, "},");
    }
    block.line(0, "],");
  });
  text.optional(1, "SSM documents windows run around the install (install.hooks in the environments, with AWS-RunPatchBaselineWithHooks)", lines);
}

/** `environments/org.ts` of a new organization. */
export function renderOrgFile(options: ScaffoldOptions): string {
  const org = scaffoldOrg(options);
  const text = new SourceText();
  text.line(0, 'import type { OrgInput } from "./schema/index.js";');
  text.line(0, "");
  text.line(0, "/**");
  text.line(0, " * Organization-wide settings: the central tooling account, the remote state, the compliance run and");
  text.line(0, " * the baseline template of each OS the fleet runs. Written by `npm run new-org`: optional features are");
  text.line(0, ' * commented out, each with a line saying what it does (README, "Configure environments").');
  text.line(0, " */");
  text.line(0, "export const org: OrgInput = {");
  text.property(1, "namePrefix", org.namePrefix);
  text.property(1, "organizationId", org.organizationId);
  text.property(1, "central", org.central);
  text.property(1, "deployRoleName", org.deployRoleName);
  if (org.planRoleName === undefined) {
    text.optionalProperty(
      1,
      "read-only role in every account that pull-request plans assume instead of the deploy role (PATCHLINE_ROLE=plan)",
      "planRoleName",
      `${options.namePrefix}-plan`,
    );
  } else {
    text.line(1, "// read-only role in every account that pull-request plans assume instead of the deploy role (PATCHLINE_ROLE=plan)");
    text.property(1, "planRoleName", org.planRoleName);
  }
  text.optionalProperty(
    1,
    "roles of the central account that administer patchline's KMS keys besides the deploy role (no use of the keys)",
    "keyAdministratorRoleArns",
    [`arn:aws:iam::${org.central.accountId}:role/security-key-admins`],
  );
  text.optionalProperty(
    1,
    "roles of people who read patchline's encrypted data (reports, Athena results, approvals table), through those services only",
    "keyUserRoleArns",
    [`arn:aws:iam::${org.central.accountId}:role/platform-readers`],
  );
  text.optionalProperty(
    1,
    "roles of the central account whose people put instances back on their pre-patch backups (npm run restore, docs/safety-nets.md#restore)",
    "restoreOperatorRoleArns",
    [`arn:aws:iam::${org.central.accountId}:role/platform-operators`],
  );
  text.optionalProperty(
    1,
    "change freezes of every environment: nothing is patched in them (dates are whole days in timeZone, docs/safety-nets.md#change-freezes)",
    "freezes",
    [{ start: "2027-12-18", end: "2028-01-02", timeZone: "UTC", reason: "year-end freeze" }],
  );
  text.property(1, "promotionOrder", org.promotionOrder);
  text.property(1, "stateBackend", org.stateBackend);
  text.optionalProperty(1, "tags on every resource patchline creates (provider default tags)", "tags", { Owner: "platform-team", CostCenter: "cc-1234" });
  text.optionalProperty(1, "subscribers of the central notifications topic (alarms and failures of the workflows)", "notifications", {
    emailSubscribers: ["platform-oncall@example.com"],
  });
  text.optionalProperty(1, "SES identity the workflows mail instance owners from (approval requests, impending-patch notices)", "email", {
    senderAddress: "patchline@example.com",
    ownerDomains: ["example.com"],
  });
  text.optionalProperty(
    1,
    'instance tag naming its owner: an e-mail address there gets approval requests and notices directly (default "Owner")',
    "ownerTagKey",
    "Owner",
  );
  text.optionalProperty(
    1,
    'instance tag holding the patch group: "Patch Group" (default) or "PatchGroup", which instances need where tags are allowed in instance metadata',
    "patchGroupTagKey",
    "PatchGroup",
  );
  text.optionalProperty(
    1,
    "regions a member account's stack holds; an account in more regions gets a stack per further region (plan memory: about 0.24 GB per region)",
    "maxRegionsPerStack",
    6,
  );
  text.optionalProperty(1, "retention of Run Command output in the central bucket, of replaced object versions, and of every log group", "logs", {
    outputRetentionDays: 365,
    noncurrentVersionRetentionDays: 30,
    logGroupRetentionDays: 365,
  });
  text.optionalProperty(
    1,
    "approval workflow, organization-wide (each environment enables it): link validity, who hears of unanswered requests, JWT sign-in (behind a proxy at pageUrl), CloudFront and WAF in front of the page",
    "approval",
    {
      linkValidityHours: 72,
      escalationEmails: ["platform-oncall@example.com"],
      recordRetentionDays: 400,
      jwt: { issuer: "https://login.example.com/oauth2/default", audience: ["patchline-approvals"], approversOnly: true },
      pageUrl: "https://approvals.example.com",
      edge: { rateLimitPerIp: 100, rateWindowSeconds: 300 },
    },
  );
  text.optional(1, "notification channels by name: Teams and Slack (webhook URL into patchline/chat/<name> after the first deploy), e-mail (SNS)", [
    "channels: {",
    `  ${key("platform-teams")}: ${literal({ type: "teams" })},`,
    `  ${key("security-slack")}: ${literal({ type: "slack" })},`,
    `  ${key("patching-mail")}: ${literal({ type: "email", subscribers: ["platform-oncall@example.com"] })},`,
    "},",
  ]);
  compliance(text, org, options);
  text.line(0, "");
  text.line(1, "// one baseline template per OS; each environment gets its own copy with its approveAfterDays");
  text.line(1, "baselines: {");
  const active = new Set<string>(options.operatingSystems);
  for (const os of options.operatingSystems) baselineBlock(text, 2, os, org.baselines[os]!, true);
  for (const os of operatingSystems.filter((o) => !active.has(o))) {
    const lines = blockLines((block) => baselineBlock(block, 0, os, baselineTemplates[os], false));
    text.optional(2, `${osLabels[os]}: uncomment when the fleet runs it, and add ${literal(os)} to the operatingSystems of a patch group`, lines);
  }
  text.line(1, "},");
  text.line(0, "");
  hookDocuments(text, options.namePrefix);
  text.line(0, "};");
  return text.toString();
}
