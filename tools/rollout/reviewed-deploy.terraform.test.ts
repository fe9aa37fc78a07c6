import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleOrganization } from "../../test/fixtures/organizations/example/index.js";
import { exampleWith } from "../../test/support/config.js";
import { stateFromPlan, type PlanJson, type ProviderSchemas } from "../../test/support/state-from-plan.js";
import { synthOrg } from "../../test/support/synth.js";
import { terraform, terraformEnv, terraformVersion } from "../../test/support/terraform.js";
import { runProcess } from "../lib/process.js";
import { planReviewCommand } from "../plan-review.js";
import { planStacks } from "../plan-stacks/plan.js";
import { rolloutCommand } from "../rollout.js";

/**
 * `rollout --reviewed` on real offline plans of dev's two stacks: the review's plans, then the
 * deploy's own plans of the same synth, of a synth that moved on, and of a state that changed.
 * Offline nothing can be refreshed or applied: the deploy's plans skip the refresh
 * (TF_CLI_ARGS_plan) and the rollout runs with --dry-run, which plans and checks but applies nothing.
 */
const root = mkdtempSync(join(tmpdir(), "patchline-reviewed-deploy-"));
const DEV = ["dev-payments-dev", "dev-web-dev"];
const io = (out: string[]) => ({ print: (t: string) => out.push(t), error: (t: string) => out.push(t), now: () => new Date("2026-11-24T00:00:00Z") });
let reviewJson: string;
let windowAddress: string;

async function rollout(outdir: string, extraArgs: string[] = [], extraEnv: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const code = await rolloutCommand(["--env", "dev", "--skip-synth", "--dry-run", "--reviewed", reviewJson, ...extraArgs], {
    io: io(out),
    run: (command, args, options) => runProcess(command, args, { ...options, env: terraformEnv({ TF_CLI_ARGS_plan: "-refresh=false", ...extraEnv }) }),
    env: {},
    input: exampleOrganization,
    outdir,
  });
  return { code, out: out.join("\n") };
}

beforeAll(async () => {
  terraformVersion();
  const reviewed = synthOrg({ outdir: join(root, "reviewed") });
  const planned = await planStacks({
    stacks: DEV,
    outdir: reviewed.outdir,
    planDir: join(root, "plans"),
    parallelism: 2,
    run: (command, args, options) => runProcess(command, args, { ...options, env: terraformEnv() }),
    log: () => undefined,
  });
  expect(planned.failed).toEqual([]);
  reviewJson = join(root, "review.json");
  expect(planReviewCommand([join(root, "plans"), "--json", reviewJson, "--markdown", join(root, "review.md")], io([]), exampleOrganization)).toBe(0);
  const plan = JSON.parse(readFileSync(join(root, "plans", "dev-web-dev.json"), "utf8")) as PlanJson;
  windowAddress = plan.resource_changes!.find((rc) => rc.type === "aws_ssm_maintenance_window")!.address;
}, 300_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("rollout --reviewed, on real offline plans", () => {
  it("would apply the stacks whose plan is the reviewed one", async () => {
    const result = await rollout(join(root, "reviewed"));
    expect(result.out).toContain("  dev-payments-dev: would apply\n  dev-web-dev: would apply");
    expect(result.code).toBe(0);
  }, 300_000);

  it("refuses the stacks of a synth that moved on, naming each changed address and why", async () => {
    const moved = synthOrg({
      outdir: join(root, "moved"),
      input: exampleWith((d) => {
        d.environments.dev.maintenanceWindows[0]!.durationHours = 4;
      }),
    });
    const result = await rollout(moved.outdir);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^rollout stopped after dev: dev-payments-dev refused, dev-web-dev refused$/m);
    expect(result.out).toContain(`  ${windowAddress}: planned values differ: the configuration is not the reviewed one (main moved on since the review)\n`);
    expect(result.out).toContain("plan it in a pull request again, or apply it as it is with --accept-changed-plan dev-web-dev");
  }, 300_000);

  it("refuses a stack whose state changed since the review, and applies it when the operator accepts it by name", async () => {
    const dir = join(root, "reviewed", "stacks", "dev-web-dev");
    // the window was created since the review: the deploy's plan no longer creates it
    const plan = JSON.parse(readFileSync(join(root, "plans", "dev-web-dev.json"), "utf8")) as PlanJson;
    const schemas = JSON.parse(terraform(["providers", "schema", "-json"], dir)) as ProviderSchemas;
    const onlyWindow = { ...plan, resource_changes: plan.resource_changes!.filter((rc) => rc.address === windowAddress) };
    writeFileSync(join(dir, "terraform.tfstate"), JSON.stringify(stateFromPlan(onlyWindow, schemas)));
    try {
      const refused = await rollout(join(root, "reviewed"));
      expect(refused.code).toBe(1);
      expect(refused.out).toMatch(/^rollout stopped after dev: dev-web-dev refused$/m);
      expect(refused.out).toContain("  dev-payments-dev: would apply");
      // the window is in the state now; its targets and tasks plan with its id known, no longer unknown
      const lines = refused.out.split("\n");
      const at = lines.indexOf("dev-web-dev: its plan differs from the reviewed one at 5 addresses:");
      expect(at, refused.out).toBeGreaterThan(0);
      expect(lines.slice(at + 1, at + 6)).toEqual([
        `  ${windowAddress}: no longer planned: the state is not the one reviewed (another deploy since, or drift the refresh does not show)`,
        ...["InstallTarget", "ScanTarget", "InstallTask", "ScanTask"].map((part) =>
          expect.stringMatching(
            new RegExp(
              `^  aws_ssm_maintenance_window_(target|task)\\.us-east-1_MaintenanceWindows_dev-weekly_${part}_\\w+: planned values differ: the state is not the one reviewed`,
            ),
          ),
        ),
      ]);
      const accepted = await rollout(join(root, "reviewed"), ["--accept-changed-plan", "dev-web-dev"]);
      expect(accepted.code).toBe(0);
      expect(accepted.out).toContain("  dev-web-dev: would apply");
    } finally {
      rmSync(join(dir, "terraform.tfstate"), { force: true });
    }
  }, 300_000);
});
