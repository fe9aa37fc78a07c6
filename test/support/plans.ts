import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OrgConfigInput } from "../../environments/schema/index.js";
import { stateFromPlan, type PlanJson, type ProviderSchemas } from "./state-from-plan.js";
import { synthOrg } from "./synth.js";
import { terraformAsync as terraform } from "./terraform.js";

/** `terraform plan` offline (no refresh: nothing to read) and its JSON, as `terraform show -json` writes it. */
async function planJson(dir: string): Promise<string> {
  await terraform(["plan", "-input=false", "-no-color", "-refresh=false", "-lock=false", "-out=plan.tfplan"], dir);
  return terraform(["show", "-json", "plan.tfplan"], dir);
}

const changes = (plan: PlanJson) =>
  (plan.resource_changes ?? []).filter((rc) => rc.mode === "managed" && !(rc.change.actions.length === 1 && rc.change.actions[0] === "no-op"));

/**
 * Writes the state a deploy of the stack in `dir` would leave: apply its plan's values, plan
 * again, until the configuration plans no changes (values computed from other resources need one
 * round per step of the reference chain).
 */
async function convergeState(dir: string, schemas: ProviderSchemas): Promise<void> {
  for (let round = 0; round < 6; round++) {
    const plan = JSON.parse(await planJson(dir)) as PlanJson;
    if (changes(plan).length === 0) return;
    writeFileSync(join(dir, "terraform.tfstate"), JSON.stringify(stateFromPlan(plan, schemas)));
  }
  throw new Error(`the state of ${dir} did not converge: the configuration still plans changes against what it applied`);
}

let schemas: Promise<ProviderSchemas> | undefined;
/** The provider's resource schemas (the same for every stack: one provider version). */
function providerSchemas(dir: string): Promise<ProviderSchemas> {
  schemas ??= terraform(["providers", "schema", "-json"], dir).then((json) => JSON.parse(json) as ProviderSchemas);
  return schemas;
}

export interface PlanChangeProps {
  readonly before: OrgConfigInput;
  readonly after: OrgConfigInput;
  /** Stacks to plan; a stack that exists only after the change plans from an empty state. */
  readonly stacks: readonly string[];
}

/**
 * Real offline plans of a configuration change: each stack is "deployed" from `before` (its
 * converged state), then `after` is planned against that state. Returns `terraform show -json` of
 * each stack's plan, keyed by stack name, and the folder holding them as `<stack>.json`.
 */
export async function planChange(props: PlanChangeProps): Promise<{ plans: Map<string, string>; planDir: string }> {
  const root = mkdtempSync(join(tmpdir(), "patchline-plan-change-"));
  const before = synthOrg({ input: props.before, outdir: join(root, "before") });
  const after = synthOrg({ input: props.after, outdir: join(root, "after") });
  const planDir = join(root, "plans");
  const plans = new Map<string, string>();

  const pairs = props.stacks.map((stack) => {
    const afterStack = after.stacks.get(stack);
    if (!afterStack) throw new Error(`stack ${stack} does not exist after the change`);
    return { stack, beforeDir: before.stacks.get(stack)?.dir, afterDir: afterStack.dir };
  });
  // one init at a time: concurrent inits may race on the shared plugin cache
  for (const { beforeDir, afterDir } of pairs) {
    if (beforeDir) await terraform(["init", "-input=false", "-no-color"], beforeDir);
    await terraform(["init", "-input=false", "-no-color"], afterDir);
  }
  // each stack is its own working directory: plan them side by side
  await Promise.all(
    pairs.map(async ({ stack, beforeDir, afterDir }) => {
      if (beforeDir) {
        await convergeState(beforeDir, await providerSchemas(beforeDir));
        const state = join(beforeDir, "terraform.tfstate");
        if (existsSync(state)) copyFileSync(state, join(afterDir, "terraform.tfstate"));
      }
      plans.set(stack, await planJson(afterDir));
    }),
  );
  mkdirSync(planDir, { recursive: true });
  for (const [stack, json] of plans) writeFileSync(join(planDir, `${stack}.json`), json);
  return { plans, planDir };
}
