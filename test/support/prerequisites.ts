import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * What `npm test` needs beyond npm packages, found (or installed, where that is safe) before any
 * suite runs. A prerequisite that cannot be had stops the run at once with one line saying what to
 * install; suites never skip for lack of it.
 */
export class MissingPrerequisite extends Error {
  override name = "MissingPrerequisite";
}

const PROVIDER_PATH = ["registry.terraform.io", "hashicorp", "aws"] as const;
const PROVIDER_VERSION = "5.100.0";
/** Terraform's name of this machine's platform, e.g. linux_amd64. */
export const PLATFORM = `${process.platform === "win32" ? "windows" : process.platform}_${({ x64: "amd64", arm64: "arm64", ia32: "386" } as Record<string, string>)[process.arch] ?? process.arch}`;
const MIN_TERRAFORM = [1, 10] as const;

/** Terraform ≥ 1.10 on PATH; returns its version. */
export function requireTerraform(): string {
  const result = spawnSync("terraform", ["version", "-json"], { encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new MissingPrerequisite(`Terraform >= ${MIN_TERRAFORM.join(".")} is not on PATH: install it (https://developer.hashicorp.com/terraform/install)`);
  }
  let version: string;
  try {
    version = (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
  } catch {
    throw new MissingPrerequisite(
      `"terraform version -json" did not answer in JSON (is "terraform" on PATH Terraform >= ${MIN_TERRAFORM.join(".")}?): ${result.stdout.split("\n")[0]}`,
    );
  }
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (major < MIN_TERRAFORM[0] || (major === MIN_TERRAFORM[0] && minor < MIN_TERRAFORM[1])) {
    throw new MissingPrerequisite(`Terraform >= ${MIN_TERRAFORM.join(".")} is needed; terraform on PATH is ${version}: upgrade it`);
  }
  return version;
}

/**
 * Whether `mirror` holds hashicorp/aws 5.100.0 for this platform, in either layout terraform reads
 * from a filesystem mirror: unpacked (`…/aws/5.100.0/linux_amd64/`) or packed, as `terraform
 * providers mirror` writes it (`…/aws/terraform-provider-aws_5.100.0_linux_amd64.zip`).
 */
export function holdsProvider(mirror: string, platform = PLATFORM): boolean {
  const provider = join(mirror, ...PROVIDER_PATH);
  return existsSync(join(provider, PROVIDER_VERSION, platform)) || existsSync(join(provider, `terraform-provider-aws_${PROVIDER_VERSION}_${platform}.zip`));
}

/**
 * Folders a hashicorp/aws 5.100.0 filesystem mirror is looked for in: terraform's own implicit
 * mirror folders, then up to three levels below the usual install roots (offline machines keep one
 * at e.g. /opt/tf-plugins). A mirror is a folder that holds `registry.terraform.io/hashicorp/aws`.
 */
function mirrorCandidates(home: string, roots: readonly string[]): string[] {
  const implicit = [
    join(home, ".terraform.d", "plugins"),
    join(home, ".local", "share", "terraform", "plugins"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
  ];
  const below = (root: string, depth: number): string[] => {
    if (depth === 0) return [];
    let entries: string[];
    try {
      entries = readdirSync(root);
    } catch {
      return [];
    }
    return entries.flatMap((entry) => {
      const path = join(root, entry);
      try {
        if (!statSync(path).isDirectory()) return [];
      } catch {
        return [];
      }
      return [path, ...below(path, depth - 1)];
    });
  };
  return [...implicit, ...roots.flatMap((root) => below(root, 3))];
}

/**
 * The filesystem mirror terraform init installs hashicorp/aws 5.100.0 from: PATCHLINE_PROVIDER_MIRROR
 * when set (it must hold the provider), else one found on this machine, else undefined (init
 * downloads from the registry).
 */
export function findProviderMirror(
  env: NodeJS.ProcessEnv = process.env,
  roots: readonly string[] = ["/opt", "/usr/local", "/usr/share", homedir()],
): string | undefined {
  const configured = env.PATCHLINE_PROVIDER_MIRROR;
  if (configured) {
    if (!holdsProvider(configured)) {
      throw new MissingPrerequisite(
        `PATCHLINE_PROVIDER_MIRROR=${configured} does not hold hashicorp/aws ${PROVIDER_VERSION} for ${PLATFORM}: point it at the folder that holds registry.terraform.io/`,
      );
    }
    return configured;
  }
  return mirrorCandidates(homedir(), roots).find((candidate) => holdsProvider(candidate));
}

/** Where Chromium or Chrome is installed outside PATH (macOS applications). */
const CHROMIUM_APPLICATIONS = ["/Applications/Chromium.app/Contents/MacOS/Chromium", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"];
const CHROMIUM_COMMANDS = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;
/** The path of `command` on PATH, or undefined. */
const onPath = (command: string): string | undefined => {
  const result = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() || undefined : undefined;
};

/** apt-get with its output kept for the message, bounded in time (a held dpkg lock must not hang the run). */
function aptGet(args: readonly string[]): { ok: boolean; lastLine: string } {
  const result = spawnSync("apt-get", [...args], { encoding: "utf8", timeout: 10 * 60_000, env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  const lines = `${result.stdout ?? ""}\n${result.stderr ?? ""}`
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return { ok: result.status === 0, lastLine: result.error ? String(result.error.message) : (lines.at(-1) ?? "") };
}

/**
 * A Chromium (or Chrome) for the browser tests: PATCHLINE_CHROMIUM, else one on PATH or installed
 * as a macOS application. On a Debian machine where the run is root, Debian's chromium package is
 * installed (playwright's own browser download needs a CDN that offline machines cannot reach);
 * elsewhere the run stops with what to install.
 */
export function ensureChromium(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): string {
  const configured = env.PATCHLINE_CHROMIUM;
  if (configured) {
    if (!existsSync(configured)) throw new MissingPrerequisite(`PATCHLINE_CHROMIUM=${configured}: no such file; point it at a Chromium or Chrome binary`);
    return configured;
  }
  const found = CHROMIUM_COMMANDS.map(onPath).find((path) => path !== undefined) ?? CHROMIUM_APPLICATIONS.find((path) => existsSync(path));
  if (found) return found;
  const advice =
    "the browser tests need Chromium: apt-get install chromium (Debian/Ubuntu), brew install --cask chromium (macOS), or set PATCHLINE_CHROMIUM to a Chromium or Chrome binary";
  if (!isRoot() || !onPath("apt-get")) throw new MissingPrerequisite(advice);
  log("npm test: installing Debian's chromium package for the browser tests (once per machine)");
  for (const step of [
    ["update", "-qq"],
    ["install", "-y", "-qq", "--no-install-recommends", "chromium"],
  ]) {
    const { ok, lastLine } = aptGet(step);
    if (!ok) throw new MissingPrerequisite(`apt-get ${step[0]} failed (${lastLine}); ${advice}`);
  }
  const installed = onPath("chromium");
  if (!installed) throw new MissingPrerequisite(`apt-get installed chromium, but no chromium is on PATH; ${advice}`);
  return installed;
}
