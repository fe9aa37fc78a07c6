/**
 * Every Lambda function patchline deploys, the one list the stacks (names, roles, environments),
 * the build (one source folder each, `functions/<feature>/<kind>/` holding its `handler.ts`) and the
 * tests agree on. A function's deployed name is `<namePrefix>-<name>`. Its environment variables are declared here: the stacks set them, the
 * function reads them, and test/function-registry.synth.test.ts checks both sides against this list.
 */
interface FunctionEntry {
  readonly feature: "approval" | "compliance" | "emergency";
  /** Its source folder under `functions/`, the one that holds its `handler.ts`. */
  readonly folder: `${FunctionEntry["feature"]}/${string}`;
  /** Variables the function cannot start without. */
  readonly requiredEnvironment: readonly string[];
  /** Variables set only when a feature is configured (e.g. an SES sender). */
  readonly optionalEnvironment: readonly string[];
}

const catalogEnvironment = ["REPORTS_BUCKET", "CATALOG_KEY"] as const;

export const functionRegistry = {
  "approval-request": {
    feature: "approval",
    folder: "approval/request",
    requiredEnvironment: [
      "APPROVALS_TABLE",
      "LINK_KEY_ID",
      "APPROVALS_TOPIC_ARN",
      "APPROVAL_API_URL",
      "OWNER_TAG_KEY",
      "LINK_VALIDITY_SECONDS",
      "RECORD_RETENTION_DAYS",
    ],
    optionalEnvironment: ["SENDER_ADDRESS", "OWNER_EMAIL_DOMAINS", "APPROVAL_CHANNELS"],
  },
  "approval-callback": {
    feature: "approval",
    folder: "approval/callback",
    requiredEnvironment: ["APPROVALS_TABLE", "LINK_KEY_ID", "APPROVAL_API_URL"],
    optionalEnvironment: ["JWT_ISSUER", "APPROVER_EMAILS", "OWNER_EMAIL_DOMAINS", "BEHIND_EDGE"],
  },
  "approval-outcome": {
    feature: "approval",
    folder: "approval/outcome",
    requiredEnvironment: ["APPROVALS_TABLE", "APPROVALS_TOPIC_ARN", "ESCALATION_TOPIC_ARN", "NOTIFICATIONS_TOPIC_ARN", "RECORD_RETENTION_DAYS"],
    optionalEnvironment: ["SENDER_ADDRESS", "OWNER_EMAIL_DOMAINS"],
  },
  "approval-instance": {
    feature: "approval",
    folder: "approval/instance",
    requiredEnvironment: ["MEMBER_ROLE_NAME", "OWNER_TAG_KEY", ...catalogEnvironment],
    optionalEnvironment: [],
  },
  "approval-patch": {
    feature: "approval",
    folder: "approval/patch",
    requiredEnvironment: ["MEMBER_ROLE_NAME", "OUTPUT_BUCKET", "OUTPUT_BUCKET_REGION", "OUTPUT_KEY_PREFIX_TEMPLATE", "RUN_COMMAND_LOG_GROUP"],
    optionalEnvironment: [],
  },
  "compliance-targets": { feature: "compliance", folder: "compliance/targets", requiredEnvironment: catalogEnvironment, optionalEnvironment: [] },
  "compliance-collector": {
    feature: "compliance",
    folder: "compliance/collector",
    // DATA_BUCKET: where a patch SLA's missing patches go
    requiredEnvironment: [...catalogEnvironment, "DATA_BUCKET"],
    optionalEnvironment: [],
  },
  "compliance-report": {
    feature: "compliance",
    folder: "compliance/report",
    requiredEnvironment: [...catalogEnvironment, "EVIDENCE_BUCKET", "HISTORY_BUCKET"],
    optionalEnvironment: [],
  },
  "compliance-digest": { feature: "compliance", folder: "compliance/digest", requiredEnvironment: catalogEnvironment, optionalEnvironment: [] },
  "patch-notices": {
    feature: "compliance",
    folder: "compliance/notices",
    requiredEnvironment: [...catalogEnvironment, "NOTICES_TABLE"],
    optionalEnvironment: ["SENDER_ADDRESS"],
  },
  // NOTICES_TABLE: a change freeze's skips claim their window execution's one message in the notices ledger
  "patch-failures": {
    feature: "compliance",
    folder: "compliance/failures",
    requiredEnvironment: [...catalogEnvironment, "NOTICES_TABLE"],
    optionalEnvironment: [],
  },
  "emergency-run": {
    feature: "emergency",
    folder: "emergency/run",
    requiredEnvironment: [...catalogEnvironment, "EMERGENCY_BUCKET", "EMERGENCY_BUCKET_REGION"],
    optionalEnvironment: [],
  },
  "emergency-commands": {
    feature: "emergency",
    folder: "emergency/commands",
    requiredEnvironment: ["MEMBER_ROLE_NAME", "OUTPUT_BUCKET", "OUTPUT_BUCKET_REGION", "OUTPUT_KEY_PREFIX_TEMPLATE", "RUN_COMMAND_LOG_GROUP"],
    optionalEnvironment: [],
  },
  "emergency-notify": { feature: "emergency", folder: "emergency/notify", requiredEnvironment: catalogEnvironment, optionalEnvironment: [] },
} as const satisfies Readonly<Record<string, FunctionEntry>>;

export type FunctionName = keyof typeof functionRegistry;
export const functionNames = Object.keys(functionRegistry).sort() as FunctionName[];

/** Each function's source folder under `functions/`, by deployed name. */
export const functionFolders: Readonly<Record<FunctionName, string>> = Object.fromEntries(
  functionNames.map((name) => [name, functionRegistry[name].folder]),
) as Record<FunctionName, string>;

/** The approval workflow's functions, by the kind after `approval-`. */
type ApprovalKind = { [Name in FunctionName]: Name extends `approval-${infer Kind}` ? Kind : never }[FunctionName];
export const approvalFunctions = ["request", "callback", "outcome", "instance", "patch"] as const satisfies readonly ApprovalKind[];
export type ApprovalFunction = (typeof approvalFunctions)[number];

/** The central functions of compliance alerts and reporting. */
export const complianceFunctionNames = {
  targets: "compliance-targets",
  collector: "compliance-collector",
  report: "compliance-report",
  digest: "compliance-digest",
  notices: "patch-notices",
  failures: "patch-failures",
} as const satisfies Readonly<Record<string, FunctionName>>;

/** The functions whose roles the member compliance reader role trusts. */
export const centralReaderFunctions = [complianceFunctionNames.collector, complianceFunctionNames.notices, complianceFunctionNames.failures] as const;

/** The functions of an emergency patch run (stacks/emergency): plan and waves, member-account commands, messages. */
export const emergencyFunctionNames = { run: "emergency-run", commands: "emergency-commands", notify: "emergency-notify" } as const satisfies Readonly<
  Record<string, FunctionName>
>;
