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

const PROVIDER = ["registry.terraform.io", "hashicorp", "aws", "5.100.0"] as const;
const MIN_TERRAFORM = [1, 10] as const;

/** Terraform ≥ 1.10 on PATH; returns its version. */
export function requireTerraform(): string {
  const result = spawnSync("terraform", ["version", "-json"], { encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new MissingPrerequisite(`Terraform >= ${MIN_TERRAFORM.join(".")} is not on PATH: install it (https://developer.hashicorp.com/terraform/install)`);
  }
  const version = (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (major < MIN_TERRAFORM[0] || (major === MIN_TERRAFORM[0] && minor < MIN_TERRAFORM[1])) {
    throw new MissingPrerequisite(`Terraform >= ${MIN_TERRAFORM.join(".")} is needed; terraform on PATH is ${version}: upgrade it`);
  }
  return version;
}

const holdsProvider = (mirror: string) => existsSync(join(mirror, ...PROVIDER));

/**
 * Folders a hashicorp/aws 5.100.0 filesystem mirror is looked for in: terraform's own implicit
 * mirror folders, then two levels below the usual install roots (offline machines keep one at
 * e.g. /opt/tf-plugins). A mirror is a folder that holds `registry.terraform.io/hashicorp/aws/5.100.0`.
 */
function mirrorCandidates(home: string, roots: readonly string[]): string[] {
  const implicit = [join(home, ".terraform.d", "plugins"), join(home, ".local", "share", "terraform", "plugins"), "/usr/local/share/terraform/plugins", "/usr/share/terraform/plugins"];
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
  return [...implicit, ...roots.flatMap((root) => below(root, 2))];
}

/**
 * The filesystem mirror terraform init installs hashicorp/aws 5.100.0 from: PATCHLINE_PROVIDER_MIRROR
 * when set (it must hold the provider), else one found on this machine, else undefined (init
 * downloads from the registry).
 */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env, roots: readonly string[] = ["/opt", "/usr/local", "/usr/share", homedir()]): string | undefined {
  const configured = env.PATCHLINE_PROVIDER_MIRROR;
  if (configured) {
    if (!holdsProvider(configured)) throw new MissingPrerequisite(`PATCHLINE_PROVIDER_MIRROR=${configured} does not hold ${PROVIDER.join("/")}: point it at the folder that holds registry.terraform.io/`);
    return configured;
  }
  return mirrorCandidates(homedir(), roots).find(holdsProvider);
}

const CHROMIUM_PATHS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;
const onPath = (command: string) => spawnSync("sh", ["-c", `command -v ${command}`]).status === 0;

/**
 * A Chromium (or Chrome) for the browser tests: PATCHLINE_CHROMIUM, else a usual install path. On
 * a Debian machine where the run is root, Debian's chromium package is installed (playwright's own
 * browser download needs a CDN that offline machines cannot reach); elsewhere the run stops with
 * what to install.
 */
export function ensureChromium(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): string {
  const configured = env.PATCHLINE_CHROMIUM;
  if (configured) {
    if (!existsSync(configured)) throw new MissingPrerequisite(`PATCHLINE_CHROMIUM=${configured}: no such file; point it at a Chromium or Chrome binary`);
    return configured;
  }
  const found = CHROMIUM_PATHS.find((path) => existsSync(path));
  if (found) return found;
  const advice = "the browser tests need Chromium: apt-get install chromium (Debian/Ubuntu), brew install --cask chromium (macOS), or set PATCHLINE_CHROMIUM to a Chromium or Chrome binary";
  if (!isRoot() || !onPath("apt-get")) throw new MissingPrerequisite(advice);
  log("npm test: installing Debian's chromium package for the browser tests (once per machine)");
  const options = { stdio: "ignore" as const, env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } };
  const installed =
    spawnSync("apt-get", ["update", "-qq"], options).status === 0 &&
    spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], options).status === 0 &&
    existsSync("/usr/bin/chromium");
  if (!installed) throw new MissingPrerequisite(`apt-get install chromium failed; ${advice}`);
  return "/usr/bin/chromium";
}
