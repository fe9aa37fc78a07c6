import { organization } from "./environments/index.js";
import { buildFunctions } from "./functions/build.js";
import { synthCommand } from "./stacks/app/synth-command.js";

/**
 * The cdktf app (`cdktf synth`, `cdktf deploy`): bundles the Lambda functions whose sources changed
 * since the last build, then renders the Terraform of the organization in `environments/` into
 * CDKTF_OUTDIR (cdktf.out). Building here, not in an npm script, is what makes `cdktf deploy` ship
 * the code as it is in the working tree.
 *
 * PATCHLINE_OFFLINE=1         providers without assume-role, with dummy credentials and the skip
 *                             flags, and local state: `terraform plan` runs without AWS access.
 *                             Never deploy an offline synth.
 * PATCHLINE_ROLE=plan         providers assume org.planRoleName (read-only) instead of the deploy
 *                             role: for pull-request plans. Never deploy such a synth.
 * PATCHLINE_SYNTH_WORKERS=n   processes that synthesize stacks side by side (default: one per
 *                             core, at most 4; small organizations always use one).
 * PATCHLINE_SYNTH_FRESH=1     render every stack; by default a stack whose inputs (its part of
 *                             the organization, the rendering code, the dependencies) did not
 *                             change since the last synth into CDKTF_OUTDIR keeps its files.
 */
// cdktf captures a stack trace for every token it creates; mapping those through tsx's source maps
// costs about a third of a large synth, and nothing here reads them
process.setSourceMapsEnabled(false);
const bundled: string[] = [];
await buildFunctions({ reuseUnchanged: true, onFunction: (name, outcome) => outcome === "bundled" && bundled.push(name) });
if (bundled.length > 0) console.log(`patchline: bundled ${bundled.join(", ")}`);
process.exitCode = await synthCommand({ input: organization, env: process.env });
