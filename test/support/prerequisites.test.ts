import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ensureChromium, findProviderMirror, holdsProvider, MissingPrerequisite, PLATFORM } from "./prerequisites.js";

/** A folder laid out as an unpacked terraform filesystem mirror of hashicorp/aws 5.100.0 for this platform, below a fresh root. */
function mirrorBelow(...folders: string[]): { root: string; mirror: string } {
  const root = mkdtempSync(join(tmpdir(), "patchline-mirror-"));
  const mirror = join(root, ...folders);
  mkdirSync(join(mirror, "registry.terraform.io", "hashicorp", "aws", "5.100.0", PLATFORM), { recursive: true });
  return { root, mirror };
}

describe("finding the provider mirror", () => {
  it("finds a mirror two folders below an install root, as offline machines keep it", () => {
    const { root, mirror } = mirrorBelow("tools", "tf-plugins");
    expect(findProviderMirror({}, [root])).toBe(mirror);
  });

  it("knows both layouts terraform reads, for this platform only", () => {
    const packed = mkdtempSync(join(tmpdir(), "patchline-mirror-"));
    mkdirSync(join(packed, "registry.terraform.io", "hashicorp", "aws"), { recursive: true });
    writeFileSync(join(packed, "registry.terraform.io", "hashicorp", "aws", `terraform-provider-aws_5.100.0_${PLATFORM}.zip`), "");
    expect(holdsProvider(packed)).toBe(true);
    expect(holdsProvider(mirrorBelow("m").mirror)).toBe(true);
    expect(holdsProvider(mirrorBelow("m").mirror, "plan9_mips")).toBe(false);
  });

  it("finds none where there is none: init then uses the registry", () => {
    const root = mkdtempSync(join(tmpdir(), "patchline-empty-"));
    mkdirSync(join(root, "a", "b"), { recursive: true });
    expect(findProviderMirror({ HOME: root }, [root])).toBeUndefined();
  });

  it("takes PATCHLINE_PROVIDER_MIRROR and refuses one that does not hold the provider", () => {
    const { mirror } = mirrorBelow("m");
    expect(findProviderMirror({ PATCHLINE_PROVIDER_MIRROR: mirror }, [])).toBe(mirror);
    const empty = mkdtempSync(join(tmpdir(), "patchline-empty-"));
    expect(() => findProviderMirror({ PATCHLINE_PROVIDER_MIRROR: empty }, [])).toThrow(
      new MissingPrerequisite(
        `PATCHLINE_PROVIDER_MIRROR=${empty} does not hold hashicorp/aws 5.100.0 for ${PLATFORM}: point it at the folder that holds registry.terraform.io/`,
      ),
    );
  });
});

describe("finding Chromium", () => {
  it("takes PATCHLINE_CHROMIUM when it exists and stops with the fix when it does not", () => {
    const binary = join(mkdtempSync(join(tmpdir(), "patchline-chromium-")), "chrome");
    writeFileSync(binary, "");
    expect(ensureChromium({ PATCHLINE_CHROMIUM: binary })).toBe(binary);
    expect(() => ensureChromium({ PATCHLINE_CHROMIUM: `${binary}-missing` })).toThrow(/no such file; point it at a Chromium or Chrome binary/);
  });
});
