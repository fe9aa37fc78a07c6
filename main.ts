import { loadOrgConfig } from "./environments/index.js";
import { ConfigError } from "./environments/schema/index.js";
import { loadFunctionArtifacts } from "./functions/artifacts.js";
import { buildApp } from "./stacks/app.js";

/**
 * Renders the Terraform of the organization in `environments/`.
 * PATCHLINE_OFFLINE=1: providers without assume-role, with dummy credentials and skip flags, and
 * local state, so `terraform plan` runs without AWS access. Never deploy an offline synth.
 */
function main(): void {
  // cdktf captures a stack trace for every token it creates; mapping those through tsx's source
  // maps costs about a third of a large synth, and nothing here reads them
  process.setSourceMapsEnabled(false);
  const offline = process.env.PATCHLINE_OFFLINE === "1";
  let config;
  try {
    config = loadOrgConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  buildApp({ config, mode: { offline }, artifacts: loadFunctionArtifacts() }).synth();
}

main();
