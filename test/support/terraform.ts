import { execFile, execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

/**
 * Runs terraform for tests. With PATCHLINE_PROVIDER_MIRROR set (a filesystem mirror holding
 * registry.terraform.io/hashicorp/aws), init installs from the mirror through a generated CLI
 * config with a shared plugin cache, so each stack links the provider instead of copying it.
 * Without it, init downloads from the registry as usual.
 */
export function terraformVersion(): string {
  const result = spawnSync("terraform", ["version", "-json"], { encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new Error("terraform is not on PATH: these tests need Terraform >= 1.9 (CI installs it; see README)");
  }
  return (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
}

let cliConfigPath: string | undefined;

function cliConfig(): string | undefined {
  const mirror = process.env.PATCHLINE_PROVIDER_MIRROR;
  if (!mirror) return undefined;
  if (cliConfigPath) return cliConfigPath;
  const dir = join(tmpdir(), "patchline-terraform");
  const cache = join(dir, "plugin-cache");
  mkdirSync(cache, { recursive: true });
  cliConfigPath = join(dir, `terraformrc-${process.pid}`);
  writeFileSync(
    cliConfigPath,
    [
      `plugin_cache_dir = ${JSON.stringify(cache)}`,
      "provider_installation {",
      `  filesystem_mirror {`,
      `    path    = ${JSON.stringify(mirror)}`,
      `    include = ["registry.terraform.io/hashicorp/aws"]`,
      "  }",
      `  direct {`,
      `    exclude = ["registry.terraform.io/hashicorp/aws"]`,
      "  }",
      "}",
      "",
    ].join("\n"),
  );
  return cliConfigPath;
}

export function terraformEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const config = cliConfig();
  const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1", ...extra };
  if (config) env.TF_CLI_CONFIG_FILE = config;
  else delete env.TF_CLI_CONFIG_FILE;
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
 * Without terraform on PATH it does nothing: the suites that need terraform say so themselves.
 */
export function warmPluginCache(): void {
  if (!cliConfig() || spawnSync("terraform", ["version"]).status !== 0) return;
  const dir = mkdtempSync(join(tmpdir(), "patchline-terraform-warm-"));
  try {
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } } }));
    terraform(["init", "-input=false", "-no-color", "-backend=false"], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
