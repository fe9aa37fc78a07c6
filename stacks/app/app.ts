import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import type { OrgConfig } from "../../environments/schema/index.js";
import type { FunctionArtifacts } from "../../functions/build.js";
import { CentralStack } from "../central-stack.js";
import { MemberAccountStack } from "../member-account-stack.js";
import { MemberRegionStack } from "../member-region-stack.js";
import { memberStackEntries } from "./stack-list.js";
import { Naming } from "../naming.js";
import type { DeploymentMode } from "../providers.js";
import { withoutTokenTraces } from "./lean-synth.js";

export interface PatchlineAppProps {
  readonly config: OrgConfig;
  readonly mode: DeploymentMode;
  /** Built Lambda code (`npm run build:functions` writes `dist/functions/manifest.json`). */
  readonly artifacts: FunctionArtifacts;
  /** @default - cdktf's default (`cdktf.out`, or CDKTF_OUTDIR when the CLI runs the app) */
  readonly outdir?: string;
  /** Build only these stacks (parallel synth gives each worker a share). @default - every stack */
  readonly only?: ReadonlySet<string>;
}

/**
 * Builds the App: the central stack, one stack per (environment, account), and one per region of
 * an account in more regions than `org.maxRegionsPerStack`.
 */
export function buildApp(props: PatchlineAppProps): App {
  const app = new App({ outdir: props.outdir, skipValidation: false });
  const naming = new Naming(props.config.org);
  const wanted = (name: string) => props.only === undefined || props.only.has(name);
  if (wanted(Naming.centralStack)) {
    new CentralStack(app, Naming.centralStack, { config: props.config, naming, mode: props.mode, artifacts: props.artifacts });
  }
  for (const { name, environment, account, region } of memberStackEntries(props.config)) {
    if (!wanted(name)) continue;
    const stackProps = { org: props.config.org, environment, account, naming, mode: props.mode };
    if (region === undefined) new MemberAccountStack(app, name, stackProps);
    else new MemberRegionStack(app, name, { ...stackProps, region });
  }
  return app;
}

/** Names of every stack the app builds, in construction order. */
export function stackNames(config: OrgConfig): string[] {
  return [Naming.centralStack, ...memberStackEntries(config).map((entry) => entry.name)];
}

/** Stacks per App: an App keeps every construct until it is synthesized, so thousands of stacks in one App mostly cost garbage collection. */
export const STACKS_PER_APP = 400;

/**
 * Synthesizes `stacks` in Apps of at most `stacksPerApp` stacks, each into its own folder
 * `<outdir>/batch-<n>` (cdktf's layout: `stacks/<name>/`, `manifest.json`); returns those folders.
 */
export function synthesizeInBatches(
  props: Omit<PatchlineAppProps, "only" | "outdir"> & { readonly outdir: string },
  stacks: readonly string[],
  stacksPerApp = STACKS_PER_APP,
): string[] {
  return withoutTokenTraces(() => {
    const folders: string[] = [];
    for (let start = 0; start < stacks.length; start += stacksPerApp) {
      const folder = join(props.outdir, `batch-${folders.length}`);
      // cdktf creates the outdir, not its parents
      mkdirSync(folder, { recursive: true });
      buildApp({ ...props, outdir: folder, only: new Set(stacks.slice(start, start + stacksPerApp)) }).synth();
      folders.push(folder);
    }
    return folders;
  });
}
