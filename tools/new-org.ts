import { existsSync } from "node:fs";
import { join } from "node:path";
import { isMain, parseCommandLine, type CommandIo } from "./lib/cli.js";
import { flagDefaults, scaffoldOptions } from "./new-org/options.js";
import { renderOrganization } from "./new-org/render.js";
import { OrganizationExists, writeOrganization, type FileOps } from "./new-org/write.js";

const usage = `usage: npm run new-org -- --organization-id <o-…> --central <account-id> --region <region> --environments <env>,<env>…
         [--account <env>=<account-id>[:<name>]]... [--dir environments] [--force]
         [--name-prefix ${flagDefaults.namePrefix}] [--deploy-role ${flagDefaults.deployRole}] [--plan-role <role>] [--central-name ${flagDefaults.centralName}]
         [--state-bucket <bucket>] [--operating-systems AMAZON_LINUX_2023,WINDOWS] [--time-zone <IANA zone>]

Writes a new organization into --dir (default environments): org.ts, one <env>.ts per environment
and index.ts, with baselines for --operating-systems, approve-after-days 0, 7, 14, … along the
promotion order (--environments, first to last), and one weekly maintenance window per
environment, each a day after the one before, in the region's time zone (or --time-zone). Every
optional feature is written commented out, with a line saying what it does.
Environments start without member accounts unless --account names some (the name defaults to
account-<id>); add them later with npm run discover-accounts -- --env <env> --ou <ou-id> --write.
The state bucket defaults to <name-prefix>-tfstate-<central>-<region>.
Checks everything with the configuration schema first: bad input writes nothing and exits 2.
Refuses to replace an organization already in --dir (any top-level .ts file) without --force,
exit 2; --force replaces those files and never touches --dir/schema/.`;

/** What `npm run new-org` runs; returns the exit code. */
export function newOrgCommand(argv: readonly string[], io: CommandIo, ops?: FileOps): number {
  const args = parseCommandLine(
    {
      args: [...argv],
      options: {
        "organization-id": { type: "string" },
        central: { type: "string" },
        region: { type: "string" },
        environments: { type: "string" },
        account: { type: "string", multiple: true },
        dir: { type: "string", default: "environments" },
        force: { type: "boolean", default: false },
        "name-prefix": { type: "string" },
        "deploy-role": { type: "string" },
        "plan-role": { type: "string" },
        "central-name": { type: "string" },
        "state-bucket": { type: "string" },
        "operating-systems": { type: "string" },
        "time-zone": { type: "string" },
        help: { type: "boolean" },
      },
    },
    usage,
    io,
  );
  if ("exitCode" in args) return args.exitCode;
  const { dir, force, ...flags } = args.values;

  const result = scaffoldOptions(flags);
  if (result.problems) {
    const count = result.problems.length;
    io.error(
      `new-org has ${count} problem${count === 1 ? "" : "s"}; nothing written:\n${result.problems.map((p) => `  - ${p}`).join("\n")}\n\nnpm run new-org -- --help shows the usage`,
    );
    return 2;
  }
  const options = result.options;

  let written;
  try {
    written = writeOrganization(dir, renderOrganization(options), force, ops);
  } catch (error) {
    if (error instanceof OrganizationExists) {
      io.error(error.message);
      return 2;
    }
    throw error;
  }
  const environments = options.environments;
  const withoutAccounts = environments.filter((e) => (options.accounts[e] ?? []).length === 0);
  io.print(
    [
      `wrote ${written.written.map((name) => join(dir, name)).join(", ")}${written.removed.length > 0 ? `; removed ${written.removed.map((name) => join(dir, name)).join(", ")}` : ""}`,
      ...(existsSync(join(dir, "schema", "index.ts"))
        ? []
        : [`note: ${join(dir, "schema")}/ is missing; the files import their types from ./schema/index.js (patchline's environments/schema)`]),
      "",
      "next:",
      ...(withoutAccounts.length > 0
        ? [
            `  - add the member accounts of ${withoutAccounts.join(", ")}: npm run discover-accounts -- --env ${withoutAccounts[0]} --ou <ou-id> --write (or list them in ${join(dir, `${withoutAccounts[0]}.ts`)})`,
          ]
        : []),
      `  - read ${join(dir, "*.ts")}: optional features (channels, compliance digests, approval, hooks, more OSes) are commented out`,
      "  - create the deploy role in every account and the state bucket, then npm run synth and npm run schedule-preview",
    ].join("\n"),
  );
  return 0;
}

if (isMain(import.meta.url)) process.exitCode = newOrgCommand(process.argv.slice(2), { print: console.log, error: console.error, now: () => new Date() });
