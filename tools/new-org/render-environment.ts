import { hookDocumentNames, patchExamples } from "./defaults.js";
import { approveAfterDaysAt, promotionExample, scaffoldEnvironment, windowAt, type ScaffoldOptions } from "./model.js";
import { literal, SourceText } from "./text.js";

/** Words an environment name may be but a `const` may not be called (environment names are lowercase letters and digits). */
const reservedWords = new Set(
  (
    "arguments await break case catch class const continue debugger default delete do else enum eval export extends false finally for function if " +
    "implements import in instanceof interface let new null package private protected public return static super switch this throw true try typeof " +
    "undefined var void while with yield"
  ).split(" "),
);

/**
 * The name an environment's `const` gets: the environment's own name, unless that is a reserved word
 * or taken in index.ts (`org`, `organization`).
 */
export const environmentIdentifier = (environment: string): string =>
  reservedWords.has(environment) || environment === "org" || environment === "organization" ? `${environment}Environment` : environment;

function describe(options: ScaffoldOptions, index: number): string {
  const environment = options.environments[index]!;
  const { when } = windowAt(options, index);
  // the scaffold's own stagger: the schema's approveAfterDays is optional (approveUntilDate instead)
  const days = approveAfterDaysAt(index);
  const approved = days === 0 ? "the day they are released" : `${days} days after release`;
  const position =
    options.environments.length === 1
      ? "the only environment"
      : index === 0
        ? "first in the promotion order"
        : `after ${options.environments[index - 1]} in the promotion order`;
  return `/** ${environment}, ${position}: patches approved ${approved}, installed every ${when}. */`;
}

function accounts(text: SourceText, options: ScaffoldOptions, index: number) {
  const environment = options.environments[index]!;
  const list = scaffoldEnvironment(options, index).accounts;
  const byHand = literal({ name: `web-${environment}`, id: "123456789012" });
  const withRegions = literal({ name: `data-${environment}`, id: "123456789013", regions: [options.region] });
  text.line(
    1,
    `// member accounts, one stack each (${environment}-<name>): npm run discover-accounts -- --env ${environment} --ou <ou-id> --write adds those of your OUs;`,
  );
  text.line(1, `// by hand: ${byHand}, or with regions of its own instead of the environment's: ${withRegions}`);
  text.line(
    1,
    `// with waves (below), the canary names its wave: ${literal({ name: `canary-${environment}`, id: "123456789014", wave: "canary" })}; the others are in the last`,
  );
  if (list.length === 0) {
    text.property(1, "accounts", []);
    return;
  }
  text.line(1, "accounts: [");
  for (const account of list) text.line(2, `${literal(account)},`);
  text.line(1, "],");
}

function maintenanceWindow(text: SourceText, options: ScaffoldOptions, index: number) {
  const { window } = windowAt(options, index);
  const hooks = hookDocumentNames(options.namePrefix);
  text.line(2, "{");
  text.property(3, "name", window.name);
  text.property(3, "description", window.description);
  text.property(3, "schedule", window.schedule);
  text.property(3, "timeZone", window.timeZone);
  text.property(3, "durationHours", window.durationHours);
  text.property(3, "cutoffHours", window.cutoffHours);
  text.optional(3, "install some days after the cron date, e.g. two days after Patch Tuesday with cron(0 21 ? * TUE#2 *)", "scheduleOffsetDays: 2,");
  text.optional(3, "run only from / until these times (ISO 8601 with offset)", ['startDate: "2027-01-01T00:00:00Z",', 'endDate: "2027-12-31T23:59:59Z",']);
  text.optionalProperty(3, "pause the window without removing it", "enabled", false);
  text.optionalProperty(3, "let running tasks finish at the cutoff instead of cancelling them", "cutoffBehavior", "CONTINUE_TASK");
  text.property(3, "scan", window.scan);
  text.line(3, "install: {");
  text.property(4, "maxConcurrency", window.install.maxConcurrency);
  text.property(4, "maxErrors", window.install.maxErrors);
  text.property(4, "rebootOption", window.install.rebootOption);
  text.optional(4, "run org.hookDocuments (commented out in org.ts) before and after the install", [
    'document: "AWS-RunPatchBaselineWithHooks",',
    `hooks: ${literal({ preInstall: hooks.before, postInstall: hooks.verify, onExit: hooks.verify })},`,
  ]);
  text.optional(4, "back each instance up (AWS Backup) and patch it only once the backup is there (docs/safety-nets.md#backup-before-install)", [
    `backup: ${literal({ kind: "ami", retentionDays: 14, timeoutMinutes: 30 })},`,
  ]);
  text.line(3, "},");
  text.line(2, "},");
}

/** `environments/<env>.ts` of the environment at `index` of the promotion order. */
export function renderEnvironmentFile(options: ScaffoldOptions, index: number): string {
  const environment = options.environments[index]!;
  const env = scaffoldEnvironment(options, index);
  const perOs = (kind: "approved" | "rejected") => Object.fromEntries(options.operatingSystems.map((os) => [os, patchExamples(os)[kind]]));
  const text = new SourceText();
  text.line(0, 'import type { EnvironmentInput } from "./schema/index.js";');
  text.line(0, "");
  text.line(0, describe(options, index));
  text.line(0, `export const ${environmentIdentifier(environment)}: EnvironmentInput = {`);
  accounts(text, options, index);
  text.property(1, "regions", env.regions);
  text.property(1, "approveAfterDays", approveAfterDaysAt(index));
  text.optionalProperty(
    1,
    "instead of approveAfterDays: approve what was released on or before this date (it may not increase along the promotion order)",
    "approveUntilDate",
    "2027-01-12",
  );
  if (index > 0) {
    const previous = options.environments[index - 1]!;
    text.optionalProperty(
      1,
      `soak time: each install run at least this many days after ${previous}'s latest one (npm run schedule-preview checks it)`,
      "minDaysAfterPrevious",
      1,
    );
    text.optionalProperty(
      1,
      `approve only patches that passed ${previous}, as npm run promote -- --from ${previous} --to ${environment} records them (docs/promotion.md)`,
      "promotion",
      promotionExample(previous),
    );
  }
  text.optionalProperty(
    1,
    "canary waves: accounts naming a wave patch in it, each wave's windows delayHours after the first's (docs/safety-nets.md#canary-waves)",
    "waves",
    [
      { name: "canary", delayHours: 0 },
      { name: "main", delayHours: 24 },
    ],
  );
  text.optionalProperty(1, "patches approved in this environment only, per OS, besides the org baseline's", "approvedPatches", perOs("approved"));
  text.optionalProperty(1, "patches rejected in this environment only, per OS, besides the org baseline's", "rejectedPatches", perOs("rejected"));
  text.optionalProperty(
    1,
    "leave instances without a Patch Group tag to AWS's default baselines (default: this environment's baselines are the default)",
    "registerDefaultBaselines",
    false,
  );
  text.optionalProperty(1, "change freezes of this environment only, besides org.freezes (docs/safety-nets.md#change-freezes)", "freezes", [
    { start: "2027-03-01T18:00:00Z", end: "2027-03-02T06:00:00Z", reason: "launch night" },
  ]);
  text.line(1, "patchGroups: [");
  for (const group of env.patchGroups) text.line(2, `${literal(group)},`);
  text.line(1, "],");
  text.line(1, "maintenanceWindows: [");
  maintenanceWindow(text, options, index);
  text.line(1, "],");
  text.optionalProperty(1, "the patch commands' SNS topic in each account and region: which statuses, who gets mail", "runCommandNotifications", {
    events: ["TimedOut", "Cancelled", "Failed"],
    emailSubscribers: ["platform-oncall@example.com"],
  });
  text.optionalProperty(
    1,
    "AWS Config coverage rules in this environment's accounts, and impending-patch notices (hours before, to channels from org.channels)",
    "compliance",
    {
      tagCompliance: true,
      noticeLeadHours: 24,
      noticeChannels: ["platform-teams"],
    },
  );
  text.optionalProperty(1, "owners approve patching of instances tagged patch-policy=patch-on-approval (needs org.approval.escalationEmails)", "approval", {
    approverEmails: [`${environment}-approvers@example.com`],
    reminderIntervalHours: 24,
    reminderCount: 2,
    onNoResponse: "reject",
    backupBeforePatch: false,
    backupTimeoutMinutes: 120,
    rebootOption: "RebootIfNeeded",
    patchTimeoutMinutes: 180,
    // only these missing patches ask (docs/approval.md#which-non-compliance-asks); without trigger, every non-compliance does
    trigger: { severities: ["Critical"], classifications: ["Security", "SecurityUpdates", "CriticalUpdates"] },
    duringFreeze: "wait",
    // shown with values that change nothing when uncommented: posting to channels without
    // org.approval.jwt.approversOnly is a choice to make knowingly (docs/approval.md#approvals-in-chat)
    channels: [],
    channelMembersMayDecide: false,
  });
  text.line(0, "};");
  return text.toString();
}

/** `environments/index.ts`: the organization `main.ts` renders and the tools read. */
export function renderIndexFile(options: ScaffoldOptions): string {
  const imports = [
    ...options.environments.map((environment) => ({ file: environment, line: `import { ${environmentIdentifier(environment)} } from "./${environment}.js";` })),
    { file: "org", line: 'import { org } from "./org.js";' },
  ].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const entries = options.environments.map((environment) => {
    const identifier = environmentIdentifier(environment);
    return identifier === environment ? environment : `${environment}: ${identifier}`;
  });
  const text = new SourceText();
  for (const { line } of imports) text.line(0, line);
  text.line(0, 'import { readPromotionRecords, type OrgConfigInput } from "./schema/index.js";');
  text.line(0, "");
  text.line(0, "/**");
  text.line(0, " * Your organization: what `cdktf synth` (main.ts) renders and the tools read. Written by `npm run new-org`.");
  text.line(0, " * `promotions/` holds the promotion records `npm run promote` writes (docs/promotion.md).");
  text.line(0, " */");
  text.line(0, "export const organization: OrgConfigInput = {");
  text.line(1, "org,");
  text.line(1, `environments: { ${entries.join(", ")} },`);
  text.line(1, 'promotions: readPromotionRecords(new URL("./promotions/", import.meta.url)),');
  text.line(0, "};");
  return text.toString();
}
