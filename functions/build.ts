import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { zipSync, type Zippable } from "fflate";
import { functionFolders } from "../contracts/functions.js";

/** What the stacks need of a built function: the zip and the hash Lambda reports as CodeSha256. */
export interface FunctionArtifact {
  readonly name: string;
  readonly zipPath: string;
  /** base64 SHA-256 of the zip: Lambda's CodeSha256, used as source_code_hash. */
  readonly sha256Base64: string;
  readonly sha256Hex: string;
  readonly bytes: number;
}

/** A manifest entry: the artifact and what it was built from, so an unchanged function is not bundled again. */
export interface BuiltFunction extends FunctionArtifact {
  /**
   * Hash of what the zip was built from: the build recipe, the lock file and every project source
   * file esbuild bundled (`inputs`). Equal hash, same zip: the build is skipped.
   */
  readonly sourceHash: string;
  /** Project files (relative to the repository root) the bundle holds; dependencies count through the lock file. */
  readonly inputs: readonly string[];
}

export type FunctionArtifacts = Readonly<Record<string, FunctionArtifact>>;

const here = fileURLToPath(new URL(".", import.meta.url));
export const FUNCTIONS_DIR = resolve(here);
const REPOSITORY_ROOT = resolve(here, "..");
export const DEFAULT_OUT_DIR = resolve(REPOSITORY_ROOT, "dist", "functions");

/**
 * The source folders under `functionsDir` (relative, `/`-separated) that hold a `handler.ts`, at any
 * depth but inside `shared/` folders: what the build would find, for checking it against the registry.
 */
export function discoverHandlerFolders(functionsDir = FUNCTIONS_DIR): string[] {
  const found: string[] = [];
  const walk = (relativeDir: string): void => {
    for (const entry of readdirSync(join(functionsDir, relativeDir), { withFileTypes: true })) {
      const path = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isDirectory() && entry.name !== "shared") walk(path);
      else if (entry.isFile() && entry.name === "handler.ts" && relativeDir) found.push(relativeDir);
    }
  };
  walk("");
  return found.sort();
}

/** The entry point of a function's bundle. */
export const handlerPath = (folder: string, functionsDir = FUNCTIONS_DIR): string => join(functionsDir, folder, "handler.ts");

// Fixed entry metadata: the same code gives the same zip bytes on every machine and checkout.
// fflate writes DOS times from local-time getters, so the date is built from local components.
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE = 0o100644;

/** Zips files deterministically: sorted entries, fixed timestamps and modes, fixed compression level. */
export function deterministicZip(files: Readonly<Record<string, Uint8Array>>): Uint8Array {
  const zippable: Zippable = {};
  for (const name of Object.keys(files).sort()) zippable[name] = [files[name]!, { mtime: FIXED_MTIME, os: 3, attrs: FILE_MODE << 16 }];
  return zipSync(zippable, { level: 9 });
}

/** Bundles one function into an ESM `index.mjs` for nodejs22.x, holding only what its handler imports, with the project files it was built from (node_modules excluded: the lock file stands for them). */
async function bundleWithInputs(name: string, entryPoint: string): Promise<{ code: Uint8Array; inputs: string[] }> {
  const result = await esbuild(entryPoint, true);
  const output = result.outputFiles.find((f) => f.path.endsWith("index.mjs"));
  if (!output) throw new Error(`esbuild produced no index.mjs for function ${name}`);
  const inputs = Object.keys(result.metafile!.inputs)
    .filter((input) => !input.includes("node_modules/"))
    .sort();
  return { code: output.contents, inputs };
}

/** The AWS SDK clients (`@aws-sdk/client-*`) the bundle of the function in `folder` holds. */
export async function bundledSdkClients(folder: string, functionsDir = FUNCTIONS_DIR): Promise<string[]> {
  const { metafile } = await esbuild(handlerPath(folder, functionsDir), true);
  const clients = Object.keys(metafile!.outputs["index.mjs"]?.inputs ?? {}).flatMap(
    (input) => /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//.exec(input)?.[1] ?? [],
  );
  return [...new Set(clients)].sort();
}

function esbuild(entryPoint: string, metafile: boolean) {
  return build({
    entryPoints: [entryPoint],
    // metafile input paths are relative to this folder: the cache records them
    absWorkingDir: REPOSITORY_ROOT,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "esm",
    // the AWS SDK's ES module builds tree-shake; its CommonJS builds (esbuild's default for node) do not
    mainFields: ["module", "main"],
    outfile: "index.mjs",
    write: false,
    minify: true,
    treeShaking: true,
    legalComments: "none",
    charset: "utf8",
    logLevel: "warning",
    metafile,
    // some bundled CommonJS dependencies call require() for Node built-ins
    banner: { js: 'import{createRequire as __patchlineCreateRequire}from"node:module";const require=__patchlineCreateRequire(import.meta.url);' },
  });
}

// What every bundle depends on besides its own sources: the build recipe (this file), the
// dependencies as installed (npm's record of node_modules, else the lock file: a lock file changed
// by a pull before `npm ci` must not count as installed), and the settings esbuild reads.
const RECIPE = readFileSync(fileURLToPath(import.meta.url));
const SHARED_INPUTS = [["node_modules/.package-lock.json", "package-lock.json"], ["package.json"], ["tsconfig.json"]] as const;

function sharedInputsHash(): Buffer {
  const hash = createHash("sha256").update(RECIPE);
  for (const alternatives of SHARED_INPUTS) {
    const found = alternatives.find((file) => existsSync(join(REPOSITORY_ROOT, file)));
    hash.update(`\0${found ?? "none"}\0`);
    if (found) hash.update(readFileSync(join(REPOSITORY_ROOT, found)));
  }
  return hash.digest();
}

/** Hash of the shared inputs and the named project files; undefined when one of them is gone. */
function sourceHashOf(inputs: readonly string[], shared: Buffer): string | undefined {
  const hash = createHash("sha256").update(shared);
  for (const input of inputs) {
    const path = join(REPOSITORY_ROOT, input);
    if (!existsSync(path)) return undefined;
    hash.update(`\0${input}\0`).update(createHash("sha256").update(readFileSync(path)).digest());
  }
  return hash.digest("hex");
}

/** A previous build of `name` still valid for the current sources: its zip is intact and nothing it was built from changed. */
function unchangedBuild(previous: BuiltFunction | undefined, zipPath: string, shared: Buffer): BuiltFunction | undefined {
  if (!previous?.sourceHash || !Array.isArray(previous.inputs) || previous.zipPath !== zipPath || !existsSync(zipPath)) return undefined;
  if (createHash("sha256").update(readFileSync(zipPath)).digest("base64") !== previous.sha256Base64) return undefined;
  return sourceHashOf(previous.inputs, shared) === previous.sourceHash ? previous : undefined;
}

/**
 * Bundles a function and hashes what it was built from. A source saved while esbuild ran would be
 * hashed in its new state next to a bundle of the old one, so such a build is done again.
 */
async function bundleAndHash(name: string, entryPoint: string, shared: Buffer): Promise<{ code: Uint8Array; inputs: string[]; sourceHash: string }> {
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    const { code, inputs } = await bundleWithInputs(name, entryPoint);
    const sourceHash = sourceHashOf(inputs, shared);
    const changedMeanwhile = inputs.some((input) => !existsSync(join(REPOSITORY_ROOT, input)) || statSync(join(REPOSITORY_ROOT, input)).mtimeMs > started);
    if (sourceHash !== undefined && !changedMeanwhile) return { code, inputs, sourceHash };
    if (attempt === 3) throw new Error(`function ${name}: its sources kept changing while it was bundled; build again when they are saved`);
  }
}

/** Writes next to the target and renames: a synth or test reading the file never sees half of it. */
function writeAtomically(path: string, data: Uint8Array | string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

/** The manifest, zip paths relative to its folder (a dist/ that moved stays readable); {} when there is none. */
export function readManifest(outDir: string): Record<string, BuiltFunction> {
  let stored: Record<string, BuiltFunction>;
  try {
    stored = JSON.parse(readFileSync(join(outDir, MANIFEST), "utf8")) as Record<string, BuiltFunction>;
  } catch {
    return {};
  }
  return Object.fromEntries(Object.entries(stored).map(([name, built]) => [name, { ...built, zipPath: resolve(outDir, built.zipPath) }]));
}

function writeManifest(outDir: string, artifacts: Record<string, BuiltFunction>): void {
  const stored = Object.fromEntries(Object.entries(artifacts).map(([name, built]) => [name, { ...built, zipPath: relative(outDir, built.zipPath) }]));
  const text = `${JSON.stringify(stored, null, 2)}\n`;
  const path = join(outDir, MANIFEST);
  if (!existsSync(path) || readFileSync(path, "utf8") !== text) writeAtomically(path, text);
}

export const MANIFEST = "manifest.json";

export interface BuildOptions {
  readonly functionsDir?: string;
  readonly outDir?: string;
  /** The functions to build: deployed name → source folder under `functionsDir`. @default every function of contracts/functions.ts */
  readonly functions?: Readonly<Record<string, string>>;
  /**
   * Keep a function's zip from the last build when nothing it was built from changed (its project
   * sources, the lock file, this recipe). @default false: rebuild every function
   */
  readonly reuseUnchanged?: boolean;
  /** Told of each function: bundled, or kept from the last build. @default - nothing */
  readonly onFunction?: (name: string, outcome: "bundled" | "unchanged") => void;
}

/**
 * Bundles and zips every function (deterministic bytes) into `outDir` and writes the manifest the
 * stacks read. With `reuseUnchanged`, only functions whose sources changed are bundled again.
 */
export async function buildFunctions(options: BuildOptions = {}): Promise<FunctionArtifacts> {
  const functionsDir = options.functionsDir ?? FUNCTIONS_DIR;
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  mkdirSync(outDir, { recursive: true });
  const folders: Readonly<Record<string, string>> = options.functions ?? functionFolders;
  const previous = options.reuseUnchanged ? readManifest(outDir) : {};
  const shared = sharedInputsHash();
  const artifacts: Record<string, BuiltFunction> = {};
  for (const name of Object.keys(folders).sort()) {
    const zipPath = join(outDir, `${name}.zip`);
    const entryPoint = handlerPath(folders[name]!, functionsDir);
    // a function pointed at another folder (contracts/functions.ts) is bundled again even when its old sources are unchanged
    const builtFromEntry = previous[name]?.inputs?.includes(relative(REPOSITORY_ROOT, entryPoint).split(sep).join("/"));
    const kept = builtFromEntry ? unchangedBuild(previous[name], zipPath, shared) : undefined;
    if (kept) {
      artifacts[name] = kept;
      options.onFunction?.(name, "unchanged");
      continue;
    }
    const { code, inputs, sourceHash } = await bundleAndHash(name, entryPoint, shared);
    const zip = deterministicZip({ "index.mjs": code });
    writeAtomically(zipPath, zip);
    const digest = createHash("sha256").update(zip).digest();
    artifacts[name] = { name, zipPath, sha256Base64: digest.toString("base64"), sha256Hex: digest.toString("hex"), bytes: zip.byteLength, sourceHash, inputs };
    options.onFunction?.(name, "bundled");
  }
  writeManifest(outDir, artifacts);
  return artifacts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // --all bundles every function again, whatever the last build left
  const outcomes = new Map<string, string>();
  const artifacts = await buildFunctions({ reuseUnchanged: !process.argv.includes("--all"), onFunction: (name, outcome) => outcomes.set(name, outcome) });
  for (const a of Object.values(artifacts)) console.log(`${a.name}: ${(a.bytes / 1024).toFixed(1)} KiB ${a.sha256Base64} (${outcomes.get(a.name)})`);
}
