import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { installOverrideListText, namedPatchProblem } from "./install-override-list.js";

describe("an InstallOverrideList's text", () => {
  it("is YAML with the entries in order, ids and titles quoted, comments on top", () => {
    const text = installOverrideListText(
      ["patchline: a list", "with a\nline break"],
      [{ id: "KB5034441", title: "2024-01 Cumulative Update (KB5034441)" }, { id: "openssl*" }, { id: "o'brien.noarch" }],
    );
    expect(text).toBe(
      [
        "# patchline: a list",
        "# with a line break",
        "patches:",
        "  - id: 'KB5034441'",
        "    title: '2024-01 Cumulative Update (KB5034441)'",
        "  - id: 'openssl*'",
        "  - id: 'o''brien.noarch'",
        "",
      ].join("\n"),
    );
    expect(parse(text)).toEqual({
      patches: [{ id: "KB5034441", title: "2024-01 Cumulative Update (KB5034441)" }, { id: "openssl*" }, { id: "o'brien.noarch" }],
    });
  });

  it("without entries installs nothing", () => {
    expect(parse(installOverrideListText([], []))).toEqual({ patches: [] });
  });
});

describe("a named patch", () => {
  it.each(["KB5034441", "kb890830", "MS17-023", "openssl.x86_64", "openssl*", "kernel-5.10*", "libc6.amd64", "dhcp*1.*"])("%s is a patch id", (id) => {
    expect(namedPatchProblem(id)).toBeUndefined();
  });

  it.each(["ALAS2-2024-2501", "ALAS-2023-1900", "ALAS2023-2024-512", "RHSA-2024:1234", "CVE-2024-3094", "USN-6587-1", "DSA-5650-1", "ELSA-2024-1234"])(
    "%s is an advisory, which a list cannot name",
    (id) => {
      expect(namedPatchProblem(id)).toMatch(/is an advisory id; an InstallOverrideList names patches, not advisories/);
    },
  );

  it.each(["", "open ssl", "a'b", "-rf"])("%o is no patch id", (id) => {
    expect(namedPatchProblem(id)).toMatch(/is not a patch id/);
  });
});
