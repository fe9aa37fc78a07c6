import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exampleOrganization } from "../test/fixtures/organizations/example/index.js";
import { parseOrgConfig, type OrgConfigInput } from "../environments/schema/index.js";
import { loadFunctionArtifacts } from "../functions/artifacts.js";
import { buildApp, stackNames } from "../stacks/app/app.js";
import { startValidationEndpoint } from "../tools/sfn-validation-endpoint.js";
import { terraform, terraformEnv, terraformVersion } from "../test/support/terraform.js";
import { generatedOrganization } from "../test/fixtures/organizations/generated.js";
import { findProviderMirror } from "../test/support/prerequisites.js";
import { DEFAULT_ENABLED_REGIONS } from "../test/fixtures/regions.js";
import { runMeasured } from "./process-tree.js";

/**
 * Peak memory of `terraform plan` (terraform plus its provider processes, summed) for one member
 * stack and the central stack, for the example organization and generated organizations of 1,000,
 * 3,000 and 10,000 accounts (only the measured stacks are synthesized).
 * Offline mode; init uses the provider mirror the tests find (test/support/prerequisites.ts), if any.
 */
export interface PlanMeasurement {
  readonly organization: string;
  readonly stack: string;
  readonly peakMb: number;
  readonly seconds: number;
}

async function measure(organization: string, input: OrgConfigInput, stacks: readonly string[]): Promise<PlanMeasurement[]> {
  const outdir = mkdtempSync(join(tmpdir(), "patchline-plan-bench-"));
  // the central stack's state machine is validated at plan time: offline, by the local stand-in
  const validation = await startValidationEndpoint();
  try {
    buildApp({ config: parseOrgConfig(input), mode: { offline: true }, artifacts: loadFunctionArtifacts(), outdir, only: new Set(stacks) }).synth();
    const results: PlanMeasurement[] = [];
    for (const stack of stacks) {
      const dir = join(outdir, "stacks", stack);
      terraform(["init", "-input=false", "-no-color"], dir);
      const run = await runMeasured("terraform", ["plan", "-input=false", "-no-color", "-refresh=false", "-lock=false"], {
        cwd: dir,
        env: terraformEnv(validation.env),
      });
      if (run.code !== 0) throw new Error(`terraform plan failed for ${stack}:\n${run.stderr}`);
      results.push({ organization, stack, peakMb: run.peakBytes / 1024 / 1024, seconds: run.seconds });
    }
    return results;
  } finally {
    validation.stop();
    rmSync(outdir, { recursive: true, force: true });
  }
}

function useProviderMirror(): void {
  terraformVersion();
  // as the terraform test tier does: the provider from a mirror on this machine, else the registry
  const mirror = findProviderMirror();
  if (mirror) process.env.PATCHLINE_PROVIDER_MIRROR = mirror;
}

export async function planMemory(): Promise<PlanMeasurement[]> {
  useProviderMirror();
  return [
    ...(await measure("example (7 member accounts)", exampleOrganization, ["prod-web-prod", "central"])),
    ...(await measure("generated 1,000 accounts, 2 regions", generatedOrganization({ accounts: 1_000 }), ["central"])),
    ...(await measure("generated 3,000 accounts, 2 regions", generatedOrganization({ accounts: 3_000 }), ["central"])),
    ...(await measure("generated 10,000 accounts, 2 regions", generatedOrganization({ accounts: 10_000 }), ["prod-prod-app3333", "central"])),
  ];
}

export interface RegionsMeasurement {
  readonly regions: number;
  /** The account's stacks: its own, and one per region beyond `org.maxRegionsPerStack`. */
  readonly stacks: number;
  /** The largest peak of one stack's plan. */
  readonly largestMb: number;
  /** The stacks' plans one after the other. */
  readonly seconds: number;
}

/**
 * One member account in the first `n` of those regions, for each `n`, laid out as patchline
 * renders it (contracts/stack-layout.ts): every stack of the account planned; Terraform starts a
 * provider process per region of a stack.
 */
export async function planMemoryByRegions(counts: readonly number[]): Promise<RegionsMeasurement[]> {
  useProviderMirror();
  const rows: RegionsMeasurement[] = [];
  for (const n of counts) {
    const input = generatedOrganization({ accounts: [0, 0, 1], regions: DEFAULT_ENABLED_REGIONS.slice(0, n) });
    const names = stackNames(parseOrgConfig(input)).filter((name) => name.startsWith("prod-prod-app001"));
    const plans = await measure(`${n}`, input, names);
    rows.push({
      regions: n,
      stacks: plans.length,
      largestMb: Math.max(...plans.map((p) => p.peakMb)),
      seconds: plans.reduce((sum, p) => sum + p.seconds, 0),
    });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const m of await planMemory()) console.log(`${m.organization} ${m.stack}: peak ${m.peakMb.toFixed(0)} MB, ${m.seconds.toFixed(1)} s`);
}
