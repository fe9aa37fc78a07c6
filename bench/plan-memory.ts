import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exampleOrganization } from "../test/fixtures/organizations/example/index.js";
import { parseOrgConfig, type OrgConfigInput } from "../environments/schema/index.js";
import { loadFunctionArtifacts } from "../functions/artifacts.js";
import { buildApp } from "../stacks/app/app.js";
import { startValidationEndpoint } from "../tools/sfn-validation-endpoint.js";
import { terraform, terraformEnv, terraformVersion } from "../test/support/terraform.js";
import { generatedOrganization } from "../test/fixtures/organizations/generated.js";
import { runMeasured } from "./process-tree.js";

/**
 * Peak memory of `terraform plan` (terraform plus its provider processes, summed) for one member
 * stack and the central stack, for the example organization and a 3 × 300-account organization.
 * Offline mode; PATCHLINE_PROVIDER_MIRROR points init at a provider mirror when there is no internet.
 */
export interface PlanMeasurement {
  readonly organization: string;
  readonly stack: string;
  readonly peakMb: number;
  readonly seconds: number;
}

async function measure(organization: string, input: OrgConfigInput, stackNames: readonly string[]): Promise<PlanMeasurement[]> {
  const outdir = mkdtempSync(join(tmpdir(), "patchline-plan-bench-"));
  // the central stack's state machine is validated at plan time: offline, by the local stand-in
  const validation = await startValidationEndpoint();
  try {
    buildApp({ config: parseOrgConfig(input), mode: { offline: true }, artifacts: loadFunctionArtifacts(), outdir }).synth();
    const results: PlanMeasurement[] = [];
    for (const stack of stackNames) {
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

export async function planMemory(): Promise<PlanMeasurement[]> {
  terraformVersion();
  return [
    ...(await measure("example (7 member accounts)", exampleOrganization, ["prod-web-prod", "central"])),
    ...(await measure("generated 3 × 300 accounts, 2 regions", generatedOrganization({ accounts: [300, 300, 300] }), ["prod-prod-app300", "central"])),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const m of await planMemory()) console.log(`${m.organization} ${m.stack}: peak ${m.peakMb.toFixed(0)} MB, ${m.seconds.toFixed(1)} s`);
}
