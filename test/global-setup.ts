import { buildFunctions } from "../functions/build.js";
import { ensureChromium, findProviderMirror, MissingPrerequisite, requireTerraform } from "./support/prerequisites.js";
import { warmPluginCache } from "./support/terraform.js";

/**
 * Once per test run, before any suite: find (or install) what the suites need beyond npm packages
 * and hand it to the test processes through the environment they inherit; bundle the Lambda
 * functions whose sources changed (suites that synthesize read dist/functions); install the
 * provider into terraform's shared plugin cache before suites run terraform side by side.
 * A missing prerequisite ends the run here, with one line saying what to install.
 */
export default async function setup(): Promise<void> {
  try {
    requireTerraform();
    const mirror = findProviderMirror();
    if (mirror) process.env.PATCHLINE_PROVIDER_MIRROR = mirror;
    process.env.PATCHLINE_CHROMIUM = ensureChromium();
    warmPluginCache();
  } catch (error) {
    if (!(error instanceof MissingPrerequisite)) throw error;
    console.error(`\nnpm test cannot run: ${error.message}\n`);
    process.exit(1);
  }
  await buildFunctions({ reuseUnchanged: true });
}
