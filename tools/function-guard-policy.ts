import type { OrgConfigInput } from "../environments/schema/index.js";
import { configOrReport } from "./lib/config.js";
import { functionGuardPolicy } from "../stacks/central/function-guard-policy.js";
import { Naming } from "../stacks/naming.js";
import { isMain, parseCommandLine, type CommandIo } from "./lib/cli.js";

const usage = `usage: npm run function-guard-policy

Prints the service control policy that keeps patchline's functions in the central account as the
deploy role left them: only the deploy role may change their code, configuration, versions,
aliases, permissions or concurrency, pass or change the patchline roles, or change the state
machines, and only the approval workflow may invoke the patch function.
Attach it in the organization's management account to the central account (or its OU); SCPs do
not apply to the management account itself. Exits 2 on a bad configuration.`;

/** What `npm run function-guard-policy` runs; returns the exit code. */
export function functionGuardPolicyCommand(argv: readonly string[], io: CommandIo, input: OrgConfigInput): number {
  const args = parseCommandLine({ args: [...argv], options: { help: { type: "boolean" } } }, usage, io);
  if ("exitCode" in args) return args.exitCode;
  const config = configOrReport(input, io);
  if (config === undefined) return 2;
  io.print(JSON.stringify(functionGuardPolicy(config.org, new Naming(config.org)), null, 2));
  return 0;
}

if (isMain(import.meta.url)) {
  const { organization } = await import("../environments/index.js");
  process.exitCode = functionGuardPolicyCommand(process.argv.slice(2), { print: console.log, error: console.error, now: () => new Date() }, organization);
}
