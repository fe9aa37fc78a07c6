import { buildFunctions } from "../functions/build.js";

/** Builds every Lambda once per test run; suites that synthesize the app read dist/functions. */
export default async function setup(): Promise<void> {
  await buildFunctions();
}
