import { exampleOrgInput } from "./environments/index.js";
import { synthCommand } from "./stacks/synth-command.js";

/**
 * Renders the Terraform of the organization in `environments/` into CDKTF_OUTDIR (cdktf.out).
 *
 * PATCHLINE_OFFLINE=1         providers without assume-role, with dummy credentials and the skip
 *                             flags, and local state: `terraform plan` runs without AWS access.
 *                             Never deploy an offline synth.
 * PATCHLINE_ROLE=plan         providers assume org.planRoleName (read-only) instead of the deploy
 *                             role: for pull-request plans. Never deploy such a synth.
 * PATCHLINE_SYNTH_WORKERS=n   processes that synthesize stacks side by side (default: one per
 *                             core, at most 4; small organizations always use one).
 */
// cdktf captures a stack trace for every token it creates; mapping those through tsx's source maps
// costs about a third of a large synth, and nothing here reads them
process.setSourceMapsEnabled(false);
process.exitCode = await synthCommand({ input: exampleOrgInput, env: process.env });
