import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { codeFingerprint } from "./synth-cache.js";

/** A repository root with rendering code, a test and the lock file. */
function checkout(): string {
  const root = mkdtempSync(join(tmpdir(), "patchline-fingerprint-"));
  for (const dir of ["stacks/member", "contracts", "environments/schema", "tools"]) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, "stacks/member/window.ts"), "export const window = 1;\n");
  writeFileSync(join(root, "stacks/member/window.test.ts"), "// a test\n");
  writeFileSync(join(root, "contracts/tags.ts"), "export const tag = 'Patch Group';\n");
  writeFileSync(join(root, "tools/rollout.ts"), "export const rollout = 1;\n");
  writeFileSync(join(root, "package-lock.json"), '{"lockfileVersion":3}\n');
  return root;
}

describe("the rendering code's fingerprint", () => {
  it("changes with the code that renders stacks and with the dependencies", () => {
    const root = checkout();
    const before = codeFingerprint(root);
    writeFileSync(join(root, "stacks/member/window.ts"), "export const window = 2;\n");
    const afterCode = codeFingerprint(root);
    expect(afterCode).not.toBe(before);
    writeFileSync(join(root, "package-lock.json"), '{"lockfileVersion":3,"packages":{}}\n');
    expect(codeFingerprint(root)).not.toBe(afterCode);
  });

  it("ignores tests and code that renders nothing", () => {
    const root = checkout();
    const before = codeFingerprint(root);
    writeFileSync(join(root, "stacks/member/window.test.ts"), "// another test\n");
    writeFileSync(join(root, "tools/rollout.ts"), "export const rollout = 2;\n");
    expect(codeFingerprint(root)).toBe(before);
  });
});
