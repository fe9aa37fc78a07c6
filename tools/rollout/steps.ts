import type { OrgConfig } from "../../environments/schema/index.js";

export interface RolloutStep {
  /** `synth`, `central`, or an environment name. */
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
}

export interface RolloutOptions {
  /** Environments to deploy (promotion order is kept whatever order they are given in); all when absent. */
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

const deploy = (stacks: string, parallelism: number) => ["cdktf", "deploy", stacks, "--skip-synth", "--auto-approve", "--parallelism", String(parallelism)];

/** The commands of a staged rollout: synth once, central if asked, then each environment's stacks in promotion order. */
export function rolloutSteps(config: OrgConfig, options: RolloutOptions): RolloutStep[] {
  const order = config.environments.map((e) => e.name);
  for (const name of [...(options.environments ?? []), ...(options.from === undefined ? [] : [options.from])]) {
    if (!order.includes(name)) throw new RolloutError(`${JSON.stringify(name)} is not an environment (promotion order: ${order.join(" → ")})`);
  }
  const start = options.from === undefined ? 0 : order.indexOf(options.from);
  const environments = order.filter((name, i) => i >= start && (options.environments === undefined || options.environments.includes(name)));
  if (environments.length === 0 && !options.central) throw new RolloutError(`nothing to deploy: no environment of ${options.environments?.join(", ")} comes at or after ${options.from}`);
  return [
    ...(options.synth ? [{ label: "synth", command: "npm", args: ["run", "synth"] }] : []),
    ...(options.central ? [{ label: "central", command: "npx", args: deploy("central", 1) }] : []),
    ...environments.map((name) => ({ label: name, command: "npx", args: deploy(`${name}-*`, options.parallelism) })),
  ];
}
