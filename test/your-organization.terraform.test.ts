import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { organization } from "../environments/index.js";
import { ConfigError, parseOrgConfig } from "../environments/schema/index.js";
import { loadFunctionArtifacts } from "../functions/artifacts.js";
import { stackNames } from "../stacks/app/app.js";
import { synthesize } from "../stacks/app/synth.js";
import { checkPromotionInTime } from "../tools/schedule-preview/promotion.js";
import { renderProblems } from "../tools/schedule-preview/render.js";
import { readStacks } from "./support/synth.js";
import { validateStacks } from "./support/validate-stacks.js";

/**
 * Your organization: whatever `environments/` holds, checked the way it will be deployed. This is
 * the only suite that reads `environments/`; every other test builds its organizations from
 * fixtures under test/, so replacing the example with your own changes nothing else. An invalid
 * configuration fails the first test with every problem listed, and nothing else is run.
 */
const outdir = mkdtempSync(join(tmpdir(), "patchline-your-organization-"));
const synthesized = await synthesize({ input: organization, mode: { offline: false }, artifacts: loadFunctionArtifacts(), outdir, workers: 2 }).then(
  () => ({ problems: undefined }),
  (error: unknown) => {
    if (error instanceof ConfigError) return { problems: error.message };
    throw error;
  },
);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("your organization (environments/)", () => {
  it("is a valid configuration", () => {
    if (synthesized.problems !== undefined) expect.fail(synthesized.problems);
  });

  if (synthesized.problems !== undefined) return;
  const config = parseOrgConfig(organization);
  const stacks = readStacks(outdir);

  it("synthesizes the central stack and one stack per environment and account", () => {
    expect([...stacks.keys()].sort()).toEqual(stackNames(config).sort());
  });

  it("every stack is valid Terraform for hashicorp/aws 5.100.0", async () => {
    expect(await validateStacks([...stacks.values()])).toEqual([]);
  }, 3_600_000);

  it("keeps the promotion order in time over each window's next 5 runs (npm run schedule-preview)", () => {
    const problems = checkPromotionInTime(config, new Date(), 5).flatMap((check) => check.problems);
    if (problems.length > 0) expect.fail(renderProblems(problems));
  });
});
