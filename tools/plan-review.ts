import { writeFileSync } from "node:fs";
import { ConfigError, parseOrgConfig, type OrgConfigInput } from "../environments/schema/index.js";
import { isMain, parseCommandLine, type CommandIo } from "./lib/cli.js";
import { BusinessHoursError, DEFAULT_BUSINESS_HOURS, parseBusinessHours } from "./plan-review/business-hours.js";
import { limitMarkdown, renderMarkdown } from "./plan-review/markdown.js";
import { PlanFileError, readPlans } from "./plan-review/plan-json.js";
import { reviewPlans } from "./plan-review/review.js";
import { readSummaries, SummaryFileError } from "./plan-stacks/summary.js";

const usage = `usage: npm run plan-review -- <plan.json | folder of <stack>.json>... [--markdown <file>] [--json <file>] [--now <ISO time>] [--business-hours "${DEFAULT_BUSINESS_HOURS}"] [--summary <file | folder>]... [--max-length <n>]

Reads the output of "terraform show -json <planfile>" of any set of stacks (the file name is the
stack name) and writes a review of what changes for patching: Markdown to stdout or --markdown,
JSON for machines with --json. --summary takes the summary of npm run plan-stacks (repeated, or a
folder: the summaries of every shard of a matrix): stacks it found unchanged or planned without
changes count as such; removed and failed stacks, and the stacks of a shard that did not report,
are flagged. Business hours are read in each
window's own time zone. --max-length cuts the Markdown at a line boundary (for a pull-request
comment; the JSON stays whole). Exits 0 also when there are risky changes: they lead the review.`;

/** What `npm run plan-review` runs; returns the exit code. */
export function planReviewCommand(argv: readonly string[], io: CommandIo, input: OrgConfigInput): number {
  const args = parseCommandLine(
    {
      args: [...argv],
      allowPositionals: true,
      options: {
        markdown: { type: "string" },
        json: { type: "string" },
        now: { type: "string" },
        "business-hours": { type: "string", default: DEFAULT_BUSINESS_HOURS },
        summary: { type: "string", multiple: true },
        "max-length": { type: "string" },
        help: { type: "boolean" },
      },
    },
    usage,
    io,
  );
  if ("exitCode" in args) return args.exitCode;
  if (args.positionals.length === 0) {
    io.error(`no plan files given\n\n${usage}`);
    return 2;
  }
  const now = args.values.now === undefined ? io.now() : new Date(args.values.now);
  if (Number.isNaN(now.getTime())) {
    io.error(`--now: ${JSON.stringify(args.values.now)} is not an ISO-8601 time (e.g. "2026-12-01T00:00:00Z")`);
    return 2;
  }
  const maxLength = args.values["max-length"] === undefined ? undefined : Number(args.values["max-length"]);
  if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < 1000)) {
    io.error(`--max-length: ${JSON.stringify(args.values["max-length"])} is not a length: a whole number of characters from 1000`);
    return 2;
  }
  try {
    const config = parseOrgConfig(input);
    const review = reviewPlans(
      readPlans(args.positionals),
      {
        promotionOrder: config.org.promotionOrder,
        // a promotion record's cut-off replaces the days where it applies: staggering asks cutoffApplies per OS
        configuredApproveAfterDays: Object.fromEntries(
          config.environments.flatMap((e) => (e.approveAfterDays === undefined ? [] : [[e.name, e.approveAfterDays]])),
        ),
        promotionRecords: Object.fromEntries(config.environments.flatMap((e) => (e.promotionRecord ? [[e.name, e.promotionRecord]] : []))),
        now,
        businessHours: parseBusinessHours(args.values["business-hours"]),
      },
      args.values.summary === undefined ? undefined : readSummaries(args.values.summary),
    );
    const full = renderMarkdown(review);
    const markdown = maxLength === undefined ? full : limitMarkdown(full, maxLength, args.values.json ? `${args.values.json} (JSON)` : "the plan files");
    if (args.values.markdown) writeFileSync(args.values.markdown, markdown);
    else io.print(markdown);
    if (args.values.json) writeFileSync(args.values.json, `${JSON.stringify(review, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof PlanFileError || error instanceof BusinessHoursError || error instanceof ConfigError || error instanceof SummaryFileError) {
      io.error(error.message);
      return 2;
    }
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      io.error(`${(error as NodeJS.ErrnoException).path}: no such file or folder`);
      return 2;
    }
    throw error;
  }
}

if (isMain(import.meta.url)) {
  const { organization } = await import("../environments/index.js");
  process.exitCode = planReviewCommand(process.argv.slice(2), { print: console.log, error: console.error, now: () => new Date() }, organization);
}
