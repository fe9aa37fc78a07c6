import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import type { OrgConfigInput } from "../../environments/schema/index.js";
import { newOrgCommand } from "../../tools/new-org.js";
import type { FileOps } from "../../tools/new-org/write.js";
import { REPOSITORY } from "./repository-copy.js";

// Test support of npm run new-org: scaffold folders, the command run with captured output, the generated files imported and type-checked.

/**
 * A fresh organization folder (`<tmp>/environments`) laid out as in a checkout: its `schema` links
 * to the repository's `environments/schema`, and `<tmp>/node_modules` and `<tmp>/contracts` to the
 * repository's (the compiler resolves the schema's imports from where the link is, not from its
 * target). `remove` deletes it all.
 */
export function organizationFolder(): { readonly parent: string; readonly dir: string; readonly remove: () => void } {
  const parent = mkdtempSync(join(tmpdir(), "patchline-new-org-"));
  const dir = join(parent, "environments");
  mkdirSync(dir);
  symlinkSync(join(REPOSITORY, "environments", "schema"), join(dir, "schema"), "dir");
  for (const shared of ["node_modules", "contracts"]) symlinkSync(join(REPOSITORY, shared), join(parent, shared), "dir");
  return { parent, dir, remove: () => rmSync(parent, { recursive: true, force: true }) };
}

/** Runs `npm run new-org -- <argv>`; what it printed and its exit code. */
export function runNewOrg(argv: readonly string[], ops?: FileOps) {
  const out: string[] = [];
  const err: string[] = [];
  const code = newOrgCommand(argv, { print: (t) => out.push(t), error: (t) => err.push(t), now: () => new Date("2026-11-24T00:00:00Z") }, ops);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** The `organization` a scaffolded folder's index.ts exports, imported as main.ts would. */
export async function importOrganization(dir: string): Promise<OrgConfigInput> {
  const module = (await import(pathToFileURL(join(dir, "index.ts")).href)) as { organization: OrgConfigInput };
  return module.organization;
}

/** Type errors of `files` under the repository's tsconfig.json, one line each (empty: a user's editor accepts them). */
export function typeErrors(files: readonly string[]): string[] {
  const configFile = join(REPOSITORY, "tsconfig.json");
  const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, REPOSITORY, undefined, configFile);
  const program = ts.createProgram({ rootNames: [...files], options });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : "";
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
  });
}
