import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** Files terraform writes into a stack folder; they are not part of the synthesized stack. */
const terraformOwn = (name: string) =>
  name === ".terraform" || name === ".terraform.lock.hcl" || name.startsWith("terraform.tfstate") || name.endsWith(".tfplan");

function filesOf(dir: string, root = dir): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir).sort()) {
    if (terraformOwn(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) for (const [name, content] of filesOf(path, root)) files.set(name, content);
    else files.set(relative(root, path), readFileSync(path));
  }
  return files;
}

function sameFiles(a: string, b: string): boolean {
  const [fa, fb] = [filesOf(a), filesOf(b)];
  return fa.size === fb.size && [...fa].every(([name, content]) => fb.get(name)?.equals(content) === true);
}

export function stacksIn(outdir: string): string[] {
  const stacks = join(outdir, "stacks");
  if (!existsSync(stacks)) throw Object.assign(new Error(`${stacks}: no synthesized stacks; run npm run synth first`), { code: "ENOENT", path: stacks });
  return readdirSync(stacks)
    .filter((name) => statSync(join(stacks, name)).isDirectory())
    .sort();
}

/**
 * Which stacks a change touches, from two synth outputs. Synth is deterministic (byte-identical
 * for the same config and code, Lambda zips included), so a stack whose files are identical has
 * nothing to plan.
 */
export function compareSynths(baseOutdir: string, headOutdir: string): { changed: string[]; added: string[]; removed: string[]; unchanged: string[] } {
  const base = new Set(stacksIn(baseOutdir));
  const head = stacksIn(headOutdir);
  const result = { changed: [] as string[], added: [] as string[], removed: [...base].filter((s) => !head.includes(s)), unchanged: [] as string[] };
  for (const stack of head) {
    if (!base.has(stack)) result.added.push(stack);
    else if (sameFiles(join(baseOutdir, "stacks", stack), join(headOutdir, "stacks", stack))) result.unchanged.push(stack);
    else result.changed.push(stack);
  }
  return result;
}
