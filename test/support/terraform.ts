import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { MissingPrerequisite, requireTerraform } from "./prerequisites.js";

/**
 * Runs terraform for tests, with a CLI config that shares one plugin cache between every working
 * directory (each stack links the provider instead of downloading or copying it). With
 * PATCHLINE_PROVIDER_MIRROR set (a filesystem mirror holding registry.terraform.io/hashicorp/aws;
 * the global setup finds one), init installs hashicorp/aws from there and never asks the registry.
 */
/** Terraform's version; fails with what to install when it is missing or too old (test/support/prerequisites.ts). */
export const terraformVersion = (): string => requireTerraform();

let cliConfigPath: string | undefined;

function cliConfig(): string {
  if (cliConfigPath) return cliConfigPath;
  const mirror = process.env.PATCHLINE_PROVIDER_MIRROR;
  const dir = join(tmpdir(), "patchline-terraform");
  // a test run started by a test (in a copy of the repository) gets a cache of its own: its first
  // install must not race the outer run's terraform over the shared one
  const cache = process.env.PATCHLINE_PLUGIN_CACHE ?? join(dir, "plugin-cache");
  mkdirSync(cache, { recursive: true });
  cliConfigPath = join(dir, `terraformrc-${process.pid}`);
  const installation = mirror
    ? [
        "provider_installation {",
        `  filesystem_mirror {`,
        `    path    = ${JSON.stringify(mirror)}`,
        `    include = ["registry.terraform.io/hashicorp/aws"]`,
        "  }",
        `  direct {`,
        `    exclude = ["registry.terraform.io/hashicorp/aws"]`,
        "  }",
        "}",
      ]
    : [];
  // without the setting, terraform (1.4+) skips the cache for a provider the working directory's
  // lock file does not list (a fresh stack has none) and installs it again into the shared cache,
  // and two such inits side by side fail ("file exists"); with it, the installed provider is linked
  const cacheSettings = [`plugin_cache_dir = ${JSON.stringify(cache)}`, "plugin_cache_may_break_dependency_lock_file = true"];
  writeFileSync(cliConfigPath, [...cacheSettings, ...installation, ""].join("\n"));
  return cliConfigPath;
}

export function terraformEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1", ...extra, TF_CLI_CONFIG_FILE: cliConfig() };
  // offline plans must not pick up real credentials from the caller's environment
  for (const name of ["AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]) delete env[name];
  return env;
}

/** Runs `terraform <args>` in `cwd`; on failure the error carries terraform's output. */
export function terraform(args: readonly string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync("terraform", [...args], {
      cwd,
      env: terraformEnv(extraEnv),
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`terraform ${args.join(" ")} failed in ${cwd}:\n${e.stderr ?? ""}\n${e.stdout ?? ""}`);
  }
}

/** `terraform` as a child process that does not block: stacks are separate working directories and plan side by side. */
export async function terraformAsync(args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)("terraform", [...args], { cwd, env: terraformEnv(), maxBuffer: 512 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string };
    throw new Error(`terraform ${args.join(" ")} failed in ${cwd}:\n${e.stderr ?? ""}\n${e.stdout ?? ""}`);
  }
}

/**
 * Installs the provider into the shared plugin cache once, before test files run side by side:
 * terraform's plugin cache is not safe for concurrent first installs (two inits racing to create
 * the provider's directory fail with "file exists"); once the provider is cached, inits only link it.
 * Throws a MissingPrerequisite when the provider cannot be installed (no mirror, registry unreachable).
 */
export function warmPluginCache(): void {
  const dir = mkdtempSync(join(tmpdir(), "patchline-terraform-warm-"));
  try {
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } } }));
    terraform(["init", "-input=false", "-no-color", "-backend=false"], dir);
  } catch (error) {
    const from = process.env.PATCHLINE_PROVIDER_MIRROR ? `the mirror ${process.env.PATCHLINE_PROVIDER_MIRROR}` : "the registry (no local mirror was found)";
    const reason = (error as Error).message.split("\n").find((line) => line.startsWith("Error:")) ?? "see terraform init";
    throw new MissingPrerequisite(
      `terraform could not install hashicorp/aws 5.100.0 from ${from}: ${reason.trim()}; with no internet, set PATCHLINE_PROVIDER_MIRROR to a folder that holds registry.terraform.io/hashicorp/aws/5.100.0`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
