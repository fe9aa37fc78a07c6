import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exampleConfig } from "../../test/support/construct-synth.js";
import { cdktfInputs, codeFingerprint, stackInputKeys } from "./synth-cache.js";

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

describe("the cdktf CLI's inputs to the stack keys", () => {
  const keysWith = (env: Record<string, string>) => [...stackInputKeys(exampleConfig, { offline: true }, {}, "code", cdktfInputs(env)).values()];
  const context = (extra: Record<string, unknown>) => JSON.stringify({ excludeStackIdFromLogicalIds: "true", ...extra });

  it("HCL output (cdktf synth --hcl) renders every stack again", () => {
    expect(keysWith({ SYNTH_HCL_OUTPUT: "true" }).some((key, i) => key === keysWith({})[i])).toBe(false);
  });

  it("a context change of cdktf.json renders every stack again, the module paths the CLI adds do not", () => {
    const before = keysWith({ CDKTF_CONTEXT_JSON: context({}) });
    expect(keysWith({ CDKTF_CONTEXT_JSON: context({ allowSepCharsInLogicalIds: "true" }) }).some((key, i) => key === before[i])).toBe(false);
    expect(keysWith({ CDKTF_CONTEXT_JSON: context({ cdktfRelativeModules: ["/home/someone/patchline/.gen"] }) })).toEqual(before);
  });
});
