import { buildFunctions } from "../functions/build.js";
import { warmPluginCache } from "./support/terraform.js";

/**
 * Once per test run: build every Lambda (suites that synthesize the app read dist/functions) and
 * install the provider into terraform's shared plugin cache before suites run terraform in parallel.
 */
export default async function setup(): Promise<void> {
  await buildFunctions();
  warmPluginCache();
}
