import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import stringify from "json-stable-stringify";
import type { OrgConfig } from "../../environments/schema/index.js";
import type { FunctionArtifacts } from "../../functions/build.js";
import { Naming } from "../naming.js";
import { memberStackEntries } from "./stack-list.js";
import type { DeploymentMode } from "../providers.js";

/** Kept next to the stacks: which inputs each stack of the last synth was rendered from. */
export const SYNTH_CACHE = ".patchline-synth.json";

export interface SynthCache {
  /** Stack name → the hash of what it was rendered from. */
  readonly stacks: Readonly<Record<string, string>>;
}

const REPOSITORY_ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
/** The code that renders stacks: a change to any of it renders every stack again. */
const CODE = ["contracts", "environments/schema", "stacks", "functions/build.ts", "functions/artifacts.ts"];
const SETTINGS = [
  ["node_modules/.package-lock.json", "package-lock.json"],
  ["package.json"],
  ["tsconfig.json"],
  ["cdktf.json"],
  [".terraform.lock.hcl"],
] as const;

function sourceFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? sourceFiles(join(path, entry.name))
        : entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")
          ? [join(path, entry.name)]
          : [],
    )
    .sort();
}

/** A hash of the rendering code, the installed dependencies and the settings they read. */
export function codeFingerprint(root = REPOSITORY_ROOT): string {
  const hash = createHash("sha256");
  for (const file of CODE.flatMap((path) => sourceFiles(join(root, path)))) hash.update(`\0${relative(root, file)}\0`).update(readFileSync(file));
  for (const alternatives of SETTINGS) {
    const found = alternatives.find((file) => existsSync(join(root, file)));
    hash.update(`\0${found ?? "none"}\0`);
    if (found) hash.update(readFileSync(join(root, found)));
  }
  return hash.digest("hex");
}

/** What the cdktf CLI hands the app that changes its output: HCL instead of JSON (`cdktf synth --hcl`), and the context of cdktf.json. */
export interface CdktfInputs {
  readonly hcl: boolean;
  readonly context: unknown;
}

/** The cdktf CLI's inputs from the environment it starts the app with (the module paths it adds are machine-specific and render nothing). */
export function cdktfInputs(env: Readonly<Record<string, string | undefined>> = process.env): CdktfInputs {
  const context = env.CDKTF_CONTEXT_JSON ? (JSON.parse(env.CDKTF_CONTEXT_JSON) as Record<string, unknown>) : {};
  const { cdktfRelativeModules: _modules, ...rendering } = context;
  return { hcl: env.SYNTH_HCL_OUTPUT === "true", context: rendering };
}

const keyOf = (...parts: unknown[]) =>
  createHash("sha256")
    .update(stringify(parts) ?? "")
    .digest("hex");

/**
 * What each stack's rendering depends on, hashed: the code, the cdktf CLI's settings, the deployment mode, and the part of
 * the organization the stack reads. A member stack reads the organization-wide settings, its
 * environment's settings and its own account (not its environment's other accounts); the central
 * stack reads all of it and the built functions. Equal key, equal output
 * (test/incremental-synth.synth.test.ts compares incremental and fresh synths).
 */
export function stackInputKeys(
  config: OrgConfig,
  mode: DeploymentMode,
  artifacts: FunctionArtifacts,
  code: string,
  cdktf: CdktfInputs = cdktfInputs(),
): Map<string, string> {
  const keys = new Map<string, string>();
  const functions = Object.fromEntries(Object.entries(artifacts).map(([name, a]) => [name, a.sha256Base64]));
  keys.set(Naming.centralStack, keyOf("central", code, cdktf, mode, config, functions));
  for (const { name, environment, account, region } of memberStackEntries(config)) {
    const { accounts: _, ...settings } = environment;
    keys.set(name, keyOf(region === undefined ? "member" : `member region ${region}`, code, cdktf, mode, config.org, settings, account));
  }
  return keys;
}

/** The last synth's cache in `outdir`, or none when it is missing or unreadable (everything is rendered). */
export function readSynthCache(outdir: string): SynthCache | undefined {
  try {
    const cache = JSON.parse(readFileSync(join(outdir, SYNTH_CACHE), "utf8")) as SynthCache;
    return typeof cache.stacks === "object" && cache.stacks !== null ? cache : undefined;
  } catch {
    return undefined;
  }
}
