import type { OrgConfigInput } from "../environments/schema/index.js";
import { Naming } from "../stacks/naming.js";
import { configOrReport } from "./lib/config.js";
import { isMain, parseCommandLine, type CommandIo } from "./lib/cli.js";
import { ciRolePolicy } from "./plan-role-policy/ci-role.js";
import { MANAGED_POLICY_MAX_CHARS } from "./plan-role-policy/document.js";
import { writePolicies } from "./plan-role-policy/output.js";
import { PlanRolePolicyError, planRolePolicy, type PlanRolePolicy } from "./plan-role-policy/policy.js";
import { readSynthesizedStacks, SynthOutputError, type StackTypes } from "./plan-role-policy/stacks.js";

const usage = `usage: npm run plan-role-policy -- --out <folder> [--synth <folder>]

Writes the least-privilege IAM policies of pull-request plans, derived from the synthesized stacks
(--synth, default cdktf.out: run npm run synth first):
  plan-role-central.json  attach to org.planRoleName in the central account
  plan-role-member.json   attach to org.planRoleName in every member account
  plan-ci-role.json       attach to the pull-request job's role (PATCHLINE_PLAN_CI_ROLE_ARN)
A document larger than IAM's managed-policy limit (${MANAGED_POLICY_MAX_CHARS} characters) is split
into plan-role-<kind>-1.json, -2.json, …: attach them all. Exits 1 when the stacks use a resource
type whose read calls are unknown, 2 on bad input.`;

/** What `npm run plan-role-policy` runs; returns the exit code. */
export function planRolePolicyCommand(argv: readonly string[], io: CommandIo, input: OrgConfigInput): number {
  const args = parseCommandLine(
    {
      args: [...argv],
      options: { out: { type: "string" }, synth: { type: "string", default: "cdktf.out" }, help: { type: "boolean" } },
    },
    usage,
    io,
  );
  if ("exitCode" in args) return args.exitCode;
  if (args.values.out === undefined || args.values.out === "") {
    io.error(`--out: missing: name the folder the policies are written to\n\n${usage}`);
    return 2;
  }
  const config = configOrReport(input, io);
  if (config === undefined) return 2;
  const planRoleName = config.org.planRoleName;
  if (planRoleName === undefined) {
    io.error("org.planRoleName: is not set: name the read-only role every account has for pull-request plans, then generate its policy");
    return 2;
  }
  let stacks: StackTypes[];
  try {
    stacks = readSynthesizedStacks(args.values.synth);
  } catch (error) {
    if (!(error instanceof SynthOutputError)) throw error;
    io.error(`--synth: ${error.message}`);
    return 2;
  }
  let policies: PlanRolePolicy[];
  try {
    policies = (["central", "member"] as const).flatMap((kind) => planRolePolicy(kind, stacks, config.org.namePrefix) ?? []);
  } catch (error) {
    if (!(error instanceof PlanRolePolicyError)) throw error;
    io.error(error.message);
    return 1;
  }
  // the job reads evidence only to check promotion records, which only a configured promotion has
  const promoted = config.environments.some((e) => e.promotion !== undefined);
  const ciRole = ciRolePolicy({
    planRoleName,
    stateBackend: config.org.stateBackend,
    evidenceBucket: promoted ? new Naming(config.org).evidenceBucket : undefined,
  });
  const written = writePolicies(args.values.out, policies, ciRole, planRoleName);
  for (const w of written) io.print(`${w.file} (${w.size} of ${MANAGED_POLICY_MAX_CHARS} characters): attach to ${w.attachTo}`);
  return 0;
}

if (isMain(import.meta.url)) {
  const { organization } = await import("../environments/index.js");
  process.exitCode = planRolePolicyCommand(process.argv.slice(2), { print: console.log, error: console.error, now: () => new Date() }, organization);
}
