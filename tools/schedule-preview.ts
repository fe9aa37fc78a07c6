import type { OrgConfigInput } from "../environments/schema/index.js";
import { configOrReport } from "./lib/config.js";
import { isMain, parseCommandLine, type CommandIo } from "./lib/cli.js";
import { previewSchedules } from "./schedule-preview/preview.js";
import { checkPromotionInTime } from "./schedule-preview/promotion.js";
import { renderChecks, renderPreview, renderProblems } from "./schedule-preview/render.js";

const usage = `usage: npm run schedule-preview -- [--env <name>]... [--count <n>] [--from <ISO time>] [--json]

Prints every maintenance window of the environments (all, or those named with --env) with its next
runs (default 5) in the window's own time zone and in UTC, and checks the promotion order in time:
each install run of an environment must come at least <env>.minDaysAfterPrevious days after the
latest install run of the environment before it (with canary waves: from the last wave there to the
first wave here; each wave's runs are listed). Exits 1 when a run breaks that rule, 2 on bad input.`;

const MAX_COUNT = 100;

/** What `npm run schedule-preview` runs; returns the exit code. */
export function schedulePreviewCommand(argv: readonly string[], io: CommandIo, input: OrgConfigInput): number {
  const args = parseCommandLine(
    {
      args: [...argv],
      options: {
        env: { type: "string", multiple: true },
        count: { type: "string", default: "5" },
        from: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean" },
      },
    },
    usage,
    io,
  );
  if ("exitCode" in args) return args.exitCode;
  const count = Number(args.values.count);
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    io.error(`--count: ${JSON.stringify(args.values.count)} is not a number of runs: a whole number from 1 to ${MAX_COUNT}`);
    return 2;
  }
  const from = args.values.from === undefined ? io.now() : new Date(args.values.from);
  if (Number.isNaN(from.getTime())) {
    io.error(`--from: ${JSON.stringify(args.values.from)} is not an ISO-8601 time (e.g. "2026-12-01T00:00:00Z")`);
    return 2;
  }
  const config = configOrReport(input, io);
  if (config === undefined) return 2;
  const known = config.environments.map((e) => e.name);
  const unknown = (args.values.env ?? []).filter((e) => !known.includes(e));
  if (unknown.length > 0) {
    io.error(`--env: ${unknown.map((e) => JSON.stringify(e)).join(", ")} is not an environment (configured: ${known.join(", ")})`);
    return 2;
  }
  const environments = args.values.env;
  const previews = previewSchedules(config, { from, count, ...(environments ? { environments } : {}) });
  // a pair is checked when its later environment is shown: that is where a violation is fixed
  const checks = checkPromotionInTime(config, from, count).filter((c) => environments === undefined || environments.includes(c.later));
  const problems = checks.flatMap((c) => c.problems);

  if (args.values.json) io.print(JSON.stringify({ from: from.toISOString(), count, environments: previews, promotion: checks }, null, 2));
  else io.print(`${renderPreview(previews, from, count)}\n\n${renderChecks(checks)}`);
  if (problems.length > 0) {
    io.error(renderProblems(problems));
    return 1;
  }
  return 0;
}

if (isMain(import.meta.url)) {
  const { organization } = await import("../environments/index.js");
  process.exitCode = schedulePreviewCommand(process.argv.slice(2), { print: console.log, error: console.error, now: () => new Date() }, organization);
}
