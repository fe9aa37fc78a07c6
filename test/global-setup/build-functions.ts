import { buildFunctions } from "../../functions/build.js";

/** Before the synth and terraform tiers: bundle the Lambda functions whose sources changed (suites that synthesize read dist/functions). */
export default async function setup(): Promise<void> {
  await buildFunctions({ reuseUnchanged: true });
}
