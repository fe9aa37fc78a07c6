import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { ConfigError, parseOrgConfig, type OrgConfigInput } from "../environments/schema/index.js";
import { checkLimits } from "../stacks/limits/index.js";
import { EnvFileError, rewriteAccounts } from "./discover-accounts/env-file.js";
import { checkParentId, DiscoveryError, listAccounts } from "./discover-accounts/organizations.js";
import { hasChanges, reconcile } from "./discover-accounts/reconcile.js";
import { renderReconciliation } from "./discover-accounts/render.js";
import { isMain, parseCommandLine, type CommandIo } from "./lib/cli.js";

const usage = `usage: npm run discover-accounts -- --env <name> --ou <ou-id>... [--recursive] [--prune] [--write | --check] [--file <environments/<env>.ts>]

Lists the active accounts of the organizational units (--recursive: and of every OU below them) with
AWS Organizations and compares them with the environment's accounts: added, missing (kept unless
--prune), renamed in AWS (the configured name stays: it is the stack's name and state key), skipped.
Prints the new "accounts" array, or with --write puts it into the environment file after validating
the whole configuration. --check exits 1 when the list would change. New names derive from the AWS
account name (lowercase, other characters as "-", at most 40; "-<last 4 digits>" on a collision).
Needs credentials of the management account or a delegated administrator.`;

export interface DiscoverDeps {
  readonly io: CommandIo;
  readonly organizations: OrganizationsClient;
  /** The organization (the CLI passes `environments/`); --file defaults to its `environments/<env>.ts`. */
  readonly input: OrgConfigInput;
}

/** Writes next to the target and renames: a reader never sees half a file. */
function writeAtomically(file: string, text: string): void {
  const temporary = join(dirname(file), `.${process.pid}.discover-accounts.tmp`);
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** What `npm run discover-accounts` runs; returns the exit code. */
export async function discoverAccountsCommand(argv: readonly string[], deps: DiscoverDeps): Promise<number> {
  const { io } = deps;
  const args = parseCommandLine(
    {
      args: [...argv],
      options: {
        env: { type: "string" },
        ou: { type: "string", multiple: true },
        recursive: { type: "boolean", default: false },
        prune: { type: "boolean", default: false },
        write: { type: "boolean", default: false },
        check: { type: "boolean", default: false },
        file: { type: "string" },
        help: { type: "boolean" },
      },
    },
    usage,
    io,
  );
  if ("exitCode" in args) return args.exitCode;
  const { values } = args;
  const fail = (message: string) => {
    io.error(message);
    return 2;
  };
  if (!values.env) return fail(`--env is required\n\n${usage}`);
  if (!values.ou || values.ou.length === 0) return fail(`--ou is required (one or more organizational unit or root ids)\n\n${usage}`);
  if (values.write && values.check) return fail("--write and --check exclude each other: --check only reports");
  const input = deps.input;
  const environment = values.env;
  const file = values.file ?? join("environments", `${environment}.ts`);

  let config;
  try {
    config = parseOrgConfig(input);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return fail(error.message);
  }
  const env = config.environments.find((e) => e.name === environment);
  if (!env) return fail(`--env: ${JSON.stringify(environment)} is not an environment (configured: ${config.environments.map((e) => e.name).join(", ")})`);

  try {
    values.ou.forEach(checkParentId);
    const discovered = await listAccounts(deps.organizations, values.ou, values.recursive);
    const elsewhere = new Map(config.environments.filter((e) => e.name !== environment).flatMap((e) => e.accounts.map((a) => [a.id, e.name] as const)));
    const result = reconcile({ environment, configured: env.accounts, elsewhere, discovered, prune: values.prune });
    io.print(renderReconciliation(environment, values.ou, values.recursive, result, env.accounts.length));
    if (values.check) return hasChanges(result) ? 1 : 0;

    // the whole organization must stay valid with the new list, AWS size limits included, before it is shown as the result or written
    const inputAccounts = new Map((input.environments[environment]?.accounts ?? []).map((a) => [a.id, a]));
    const withNewList = parseOrgConfig({
      ...input,
      environments: {
        ...input.environments,
        [environment]: { ...input.environments[environment]!, accounts: result.accounts.map((a) => inputAccounts.get(a.id) ?? { name: a.name, id: a.id }) },
      },
    });
    const overLimits = checkLimits(withNewList);
    if (overLimits.length > 0) throw new ConfigError(overLimits);
    const rewritten = rewriteAccounts(readFileSync(file, "utf8"), file, result.accounts);
    if (!values.write) {
      io.print(`\n${file} ${hasChanges(result) ? "would list" : "lists"}:\n${rewritten.accountsText}`);
      return 0;
    }
    if (!hasChanges(result)) {
      io.print(`${file}: unchanged`);
      return 0;
    }
    writeAtomically(file, rewritten.text);
    io.print(
      `wrote ${file}: ${result.added.length} added, ${result.missing.filter((m) => m.pruned).length} removed; run npm run synth and review the new stacks' plans`,
    );
    return 0;
  } catch (error) {
    if (error instanceof DiscoveryError || error instanceof EnvFileError) return fail(error.message);
    if (error instanceof ConfigError) return fail(`the new account list would make the configuration invalid; nothing written\n${error.message}`);
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      return fail(`${(error as NodeJS.ErrnoException).path}: no such file; name the environment file with --file`);
    throw error;
  }
}

if (isMain(import.meta.url)) {
  // Organizations is global; its endpoint is in us-east-1. Throttled calls are retried by the SDK.
  const organizations = new OrganizationsClient({ region: process.env.AWS_REGION ?? "us-east-1", maxAttempts: 8 });
  const { organization } = await import("../environments/index.js");
  process.exitCode = await discoverAccountsCommand(process.argv.slice(2), {
    io: { print: console.log, error: console.error, now: () => new Date() },
    organizations,
    input: organization,
  });
}
