import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { onTestFinished } from "vitest";

export const REPOSITORY = fileURLToPath(new URL("../..", import.meta.url));

/** What a copy leaves out: dependencies (linked instead), build and test output, git. */
const LEFT_OUT = new Set(["node_modules", "dist", "cdktf.out", ".git", ".terraform", "test-results"]);

/**
 * A copy of the repository's sources in a fresh temporary folder, with node_modules linked, for
 * tests that change what a user changes (environments/, a function's source) and then run the
 * project's own commands there. Called inside a test; the copy is removed when the test ends.
 */
export function copyRepository(): string {
  const copy = mkdtempSync(join(tmpdir(), "patchline-repository-"));
  onTestFinished(() => rmSync(copy, { recursive: true, force: true }));
  cpSync(REPOSITORY, copy, {
    recursive: true,
    filter: (source) => !LEFT_OUT.has(basename(source)) && !relative(REPOSITORY, source).startsWith(join("bench", ".work")),
  });
  symlinkSync(join(REPOSITORY, "node_modules"), join(copy, "node_modules"), "dir");
  return copy;
}

/**
 * Puts the organization of a fixture folder (org.ts, one file per environment, index.ts exporting
 * `organization`) into the copy's environments/, as a user would: every top-level file of the
 * example goes, the schema stays, the fixture's imports of the schema point at ./schema.
 */
export function replaceOrganization(copy: string, fixture: string): void {
  const environments = join(copy, "environments");
  for (const file of readdirSync(environments)) if (file.endsWith(".ts")) rmSync(join(environments, file));
  for (const file of readdirSync(fixture)) {
    if (!file.endsWith(".ts")) continue;
    const text = readFileSync(join(fixture, file), "utf8").replaceAll("../../../../environments/schema/index.js", "./schema/index.js");
    writeFileSync(join(environments, file), text);
  }
}

/** The environment for a project command run in a copy: without the variables of the vitest run that started it. */
function commandEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("VITEST") && name !== "NODE_OPTIONS" && name !== "TEST"));
  return { ...env, CHECKPOINT_DISABLE: "1", NO_COLOR: "1", FORCE_COLOR: "0", ...extra };
}

/** Runs a command in a copy, as a user would in a checkout; its exit code and everything it printed. */
export function runInCopy(copy: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): { code: number | null; output: string } {
  const result = spawnSync(command, args, { cwd: copy, env: commandEnv(env), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/** The cdktf app exactly as cdktf.json says `cdktf synth` and `cdktf deploy` run it, writing to `outdir`. */
export function cdktfApp(copy: string, outdir: string): { code: number | null; output: string } {
  const { app } = JSON.parse(readFileSync(join(copy, "cdktf.json"), "utf8")) as { app: string };
  return runInCopy(copy, "sh", ["-c", app], { CDKTF_OUTDIR: outdir });
}
