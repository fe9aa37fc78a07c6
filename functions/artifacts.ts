import { existsSync } from "node:fs";
import { join } from "node:path";
import { functionNames } from "../contracts/functions.js";
import { DEFAULT_OUT_DIR, MANIFEST, readManifest, type FunctionArtifacts } from "./build.js";

/**
 * Reads the manifest `functions/build.ts` wrote (the cdktf app builds before it synthesizes). Fails
 * when a function has no artifact, so a synth never references code that was not built.
 */
export function loadFunctionArtifacts(outDir = DEFAULT_OUT_DIR): FunctionArtifacts {
  const manifestPath = join(outDir, MANIFEST);
  const expected = functionNames;
  if (!existsSync(manifestPath)) {
    throw new Error(`no Lambda build at ${manifestPath}: run "npm run build:functions" first`);
  }
  const artifacts = readManifest(outDir);
  const missing = expected.filter((name) => !artifacts[name] || !existsSync(artifacts[name].zipPath));
  if (missing.length > 0) throw new Error(`Lambda build is missing ${missing.join(", ")}: run "npm run build:functions"`);
  return artifacts;
}
