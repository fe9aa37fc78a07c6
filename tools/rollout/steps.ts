import type { OrgConfig } from "../../environments/schema/index.js";
import { memberStackEntries } from "../../stacks/app/stack-list.js";

export interface RolloutStep {
  /** `synth`, `central`, or an environment name. */
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
}

export interface RolloutOptions {
  /**
   * Environments to deploy (promotion order is kept whatever order they are given in); all when
   * absent. `central` names the central stack, which always goes first.
   */
  readonly environments?: readonly string[];
  /** Start at this environment and deploy every later one. */
  readonly from?: string;
  /** Deploy the central stack first. */
  readonly central: boolean;
  /** Stacks of one environment deployed side by side (`cdktf deploy --parallelism`). */
  readonly parallelism: number;
  /** Synthesize first; without it, the deploys use what cdktf.out holds. */
  readonly synth: boolean;
}

export class RolloutError extends Error {
  override readonly name = "RolloutError";
}

export const CENTRAL_STACK = "central";
const CENTRAL = CENTRAL_STACK;
const deploy = (stacks: string, parallelism: number) => ["cdktf", "deploy", stacks, "--skip-synth", "--auto-approve", "--parallelism", String(parallelism)];

/**
 * The commands of a staged rollout: synth once, central if asked, then each environment's stacks in
 * promotion order. An environment without accounts yet has no stacks (`cdktf deploy '<env>-*'`
 * would fail to match any): it is left out.
 */
export function rolloutSteps(config: OrgConfig, options: RolloutOptions): RolloutStep[] {
  const order = config.environments.map((e) => e.name);
  const named = options.environments ?? [];
  for (const name of named) {
    if (name !== CENTRAL && !order.includes(name))
      throw new RolloutError(`${JSON.stringify(name)} is not an environment (promotion order: ${[CENTRAL, ...order].join(" → ")})`);
  }
  if (options.from !== undefined && !order.includes(options.from))
    throw new RolloutError(`${JSON.stringify(options.from)} is not an environment (promotion order: ${order.join(" → ")})`);
  const central = options.central || named.includes(CENTRAL);
  const onlyCentral = named.length > 0 && named.every((n) => n === CENTRAL);
  const start = options.from === undefined ? 0 : order.indexOf(options.from);
  const chosen = onlyCentral ? [] : order.filter((name, i) => i >= start && (named.length === 0 || named.includes(name)));
  if (chosen.length === 0 && !central) throw new RolloutError(`nothing to deploy: no environment of ${named.join(", ")} comes at or after ${options.from}`);
  const withoutAccounts = new Set(config.environments.filter((e) => e.accounts.length === 0).map((e) => e.name));
  const environments = chosen.filter((name) => !withoutAccounts.has(name));
  if (environments.length === 0 && !central) {
    throw new RolloutError(
      `nothing to deploy: ${chosen.join(", ")} ${chosen.length === 1 ? "has" : "have"} no accounts yet (add them, e.g. with npm run discover-accounts; --central deploys the central stack)`,
    );
  }
  return [
    ...(options.synth ? [{ label: "synth", command: "npm", args: ["run", "synth"] }] : []),
    ...(central ? [{ label: CENTRAL, command: "npx", args: deploy(CENTRAL, 1) }] : []),
    ...environments.map((name) => ({ label: name, command: "npx", args: deploy(`${name}-*`, options.parallelism) })),
  ];
}

/** The stacks a step deploys: the central stack, or every stack of an environment (none for synth). */
export function stacksOfStep(config: OrgConfig, label: string): string[] {
  if (label === "synth") return [];
  if (label === CENTRAL) return [CENTRAL];
  return memberStackEntries(config)
    .filter((entry) => entry.environment.name === label)
    .map((entry) => entry.name);
}
