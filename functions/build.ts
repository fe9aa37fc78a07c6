import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { zipSync, type Zippable } from "fflate";

/** What the stacks need of a built function: the zip and the hash Lambda reports as CodeSha256. */
export interface FunctionArtifact {
  readonly name: string;
  readonly zipPath: string;
  /** base64 SHA-256 of the zip: Lambda's CodeSha256, used as source_code_hash. */
  readonly sha256Base64: string;
  readonly sha256Hex: string;
  readonly bytes: number;
}

export type FunctionArtifacts = Readonly<Record<string, FunctionArtifact>>;

const here = fileURLToPath(new URL(".", import.meta.url));
export const FUNCTIONS_DIR = resolve(here);
export const DEFAULT_OUT_DIR = resolve(here, "..", "dist", "functions");

/** Functions are the folders of `functions/` that have a `handler.ts` (not `lib/`). */
export function discoverFunctions(functionsDir = FUNCTIONS_DIR): string[] {
  return readdirSync(functionsDir)
    .filter((name) => name !== "lib" && statSync(join(functionsDir, name)).isDirectory())
    .filter((name) => {
      try {
        return statSync(join(functionsDir, name, "handler.ts")).isFile();
      } catch {
        return false;
      }
    })
    .sort();
}

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

/** Bundles one function into an ESM `index.mjs` for nodejs22.x, holding only what its handler imports. */
export async function bundleFunction(name: string, functionsDir = FUNCTIONS_DIR): Promise<Uint8Array> {
  const output = (await esbuild(name, functionsDir, false)).outputFiles.find((f) => f.path.endsWith("index.mjs"));
  if (!output) throw new Error(`esbuild produced no index.mjs for function ${name}`);
  return output.contents;
}

/** The AWS SDK clients (`@aws-sdk/client-*`) a function's bundle holds. */
export async function bundledSdkClients(name: string, functionsDir = FUNCTIONS_DIR): Promise<string[]> {
  const { metafile } = await esbuild(name, functionsDir, true);
  const clients = Object.keys(metafile!.outputs["index.mjs"]?.inputs ?? {}).flatMap((input) => /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//.exec(input)?.[1] ?? []);
  return [...new Set(clients)].sort();
}

function esbuild(name: string, functionsDir: string, metafile: boolean) {
  return build({
    entryPoints: [join(functionsDir, name, "handler.ts")],
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

export async function buildFunctions(options: { functionsDir?: string; outDir?: string; names?: readonly string[] } = {}): Promise<FunctionArtifacts> {
  const functionsDir = options.functionsDir ?? FUNCTIONS_DIR;
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  mkdirSync(outDir, { recursive: true });
  const names = options.names ?? discoverFunctions(functionsDir);
  const artifacts: Record<string, FunctionArtifact> = {};
  for (const name of names) {
    const zip = deterministicZip({ "index.mjs": await bundleFunction(name, functionsDir) });
    const zipPath = join(outDir, `${name}.zip`);
    writeFileSync(zipPath, zip);
    const digest = createHash("sha256").update(zip).digest();
    artifacts[name] = { name, zipPath, sha256Base64: digest.toString("base64"), sha256Hex: digest.toString("hex"), bytes: zip.byteLength };
  }
  writeFileSync(join(outDir, "manifest.json"), `${JSON.stringify(artifacts, null, 2)}\n`);
  return artifacts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const artifacts = await buildFunctions();
  for (const a of Object.values(artifacts)) console.log(`${a.name}: ${(a.bytes / 1024).toFixed(1)} KiB ${a.sha256Base64}`);
}
