import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { policySize, type PolicyDocument } from "./document.js";
import type { PlanRolePolicy } from "./policy.js";

/** Writes beside the target, then renames: a reader never sees half a policy, a failed write leaves the old one. */
export function writeFileAtomically(path: string, text: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

export interface WrittenPolicy {
  readonly file: string;
  readonly size: number;
  /** Where to attach it. */
  readonly attachTo: string;
}

const text = (document: PolicyDocument) => `${JSON.stringify(document, null, 2)}\n`;

/** `plan-role-<kind>.json` (`-1`, `-2`, … when split) and `plan-ci-role.json` into `dir`. */
export function writePolicies(dir: string, policies: readonly PlanRolePolicy[], ciRole: PolicyDocument, planRoleName: string): WrittenPolicy[] {
  mkdirSync(dir, { recursive: true });
  const written: WrittenPolicy[] = [];
  for (const policy of policies) {
    const accounts = policy.kind === "central" ? "the central account" : "every member account";
    policy.documents.forEach((document, i) => {
      const file = join(dir, policy.documents.length === 1 ? `plan-role-${policy.kind}.json` : `plan-role-${policy.kind}-${i + 1}.json`);
      writeFileAtomically(file, text(document));
      written.push({ file, size: policySize(document), attachTo: `role ${planRoleName} in ${accounts}` });
    });
  }
  const file = join(dir, "plan-ci-role.json");
  writeFileAtomically(file, text(ciRole));
  written.push({ file, size: policySize(ciRole), attachTo: "the pull-request job's role (PATCHLINE_PLAN_CI_ROLE_ARN)" });
  return written;
}
