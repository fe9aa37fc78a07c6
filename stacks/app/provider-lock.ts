import { copyFileSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Terraform's dependency lock file: in a stack's folder, `terraform init` installs only what it pins. */
export const PROVIDER_LOCK_FILE = ".terraform.lock.hcl";

/** The committed lock file (repository root): hashicorp/aws at the version @cdktf/provider-aws renders, with its checksums. */
export const COMMITTED_PROVIDER_LOCK = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..", PROVIDER_LOCK_FILE);

/**
 * Copies the committed lock file into each named stack's folder under `outdir` (cdktf's layout,
 * `stacks/<name>/`), so that every init of a synthesized stack (cdktf deploy, plan-stacks, the
 * tests) verifies the provider against the committed checksums instead of trusting whatever the
 * registry or a plugin cache serves and recording it on first use.
 */
export function writeProviderLocks(outdir: string, stacks: readonly string[], lockFile = COMMITTED_PROVIDER_LOCK): void {
  for (const stack of stacks) copyFileSync(lockFile, join(outdir, "stacks", stack, PROVIDER_LOCK_FILE));
}

/** The provider versions a lock file pins (source → version), e.g. `registry.terraform.io/hashicorp/aws` → `5.100.0`. */
export function lockedProviders(lockFile = COMMITTED_PROVIDER_LOCK): Map<string, { version: string; hashes: string[] }> {
  const locked = new Map<string, { version: string; hashes: string[] }>();
  for (const [, source = "", body = ""] of readFileSync(lockFile, "utf8").matchAll(/^provider "([^"]+)" \{\n([\s\S]*?)^\}/gm)) {
    const version = /^\s*version\s*=\s*"([^"]+)"/m.exec(body)?.[1];
    if (version === undefined) throw new Error(`${lockFile}: provider ${source} has no version`);
    locked.set(source, { version, hashes: [...body.matchAll(/"((?:h1|zh):[^"]+)"/g)].map(([, hash = ""]) => hash) });
  }
  return locked;
}
