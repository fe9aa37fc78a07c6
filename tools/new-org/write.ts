import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** The file operations a replacement makes; injected so tests can make one fail half-way. */
export interface FileOps {
  readonly writeFile: (file: string, text: string) => void;
  readonly rename: (from: string, to: string) => void;
}

export const nodeFileOps: FileOps = { writeFile: (file, text) => writeFileSync(file, text), rename: renameSync };

export class OrganizationExists extends Error {
  override readonly name = "OrganizationExists";
  constructor(
    readonly dir: string,
    readonly files: readonly string[],
  ) {
    super(
      `${dir} already holds an organization (${files.join(", ")}); nothing written. --force replaces these files (${join(dir, "schema")}/ stays), or choose another --dir`,
    );
  }
}

/** The top-level `*.ts` files of an organization folder (never what is in `schema/`), sorted. */
export function organizationFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".ts"))
    .filter((name) => {
      const entry = lstatSync(join(dir, name));
      return entry.isFile() || (entry.isSymbolicLink() && statSync(join(dir, name), { throwIfNoEntry: false })?.isFile() === true);
    })
    .sort();
}

export interface WriteResult {
  readonly written: readonly string[];
  /** Files of the old organization that the new one does not have (environments no longer listed). */
  readonly removed: readonly string[];
}

/**
 * Puts the files into `dir`, replacing its top-level `*.ts` files only with `force`. The new files
 * are written to a folder next to `dir` first and then renamed in; the old ones are moved aside
 * and deleted only once every new file is in place. A failure on the way puts the old files back:
 * the folder holds the old organization or the new one, never a mix.
 */
export function writeOrganization(dir: string, files: ReadonlyMap<string, string>, force: boolean, ops: FileOps = nodeFileOps): WriteResult {
  const existing = organizationFiles(dir);
  if (existing.length > 0 && !force) throw new OrganizationExists(dir, existing);
  mkdirSync(dir, { recursive: true });
  const parent = dirname(dir);
  const staging = mkdtempSync(join(parent, `.${basename(dir)}.new-org-`));
  const aside = mkdtempSync(join(parent, `.${basename(dir)}.old-org-`));
  const movedAside: string[] = [];
  const movedIn: string[] = [];
  let done = false;
  try {
    for (const [name, text] of files) ops.writeFile(join(staging, name), text);
    for (const name of existing) {
      ops.rename(join(dir, name), join(aside, name));
      movedAside.push(name);
    }
    for (const name of files.keys()) {
      ops.rename(join(staging, name), join(dir, name));
      movedIn.push(name);
    }
    done = true;
  } catch (error) {
    for (const name of movedIn) rmSync(join(dir, name), { force: true });
    for (const name of movedAside) renameSync(join(aside, name), join(dir, name));
    throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    // should putting an old file back fail, it stays in the aside folder rather than being lost
    if (done || readdirSync(aside).length === 0) rmSync(aside, { recursive: true, force: true });
  }
  return { written: [...files.keys()], removed: existing.filter((name) => !files.has(name)) };
}
