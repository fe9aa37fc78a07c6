import { describe, expect, it } from "vitest";
import { SNS_SUBJECT_MAX_CHARS, snsSubject } from "./sns-subject.js";

describe("snsSubject", () => {
  it("keeps a short ASCII subject as it is", () => {
    expect(snsSubject("patchline: approve patching of web-1 (prod)")).toBe("patchline: approve patching of web-1 (prod)");
  });

  it("stays under SNS's 100-character limit however long the instance name is", () => {
    for (const length of [98, 99, 100, 101, 150, 400]) {
      const subject = snsSubject(`patchline reminder 3 of 3: approve patching of ${"n".repeat(length)} in 400000000002 (prod)`);
      expect(subject.length).toBeLessThanOrEqual(SNS_SUBJECT_MAX_CHARS);
      expect(subject.endsWith("...")).toBe(true);
    }
  });

  it("folds accents and dashes to ASCII and drops what SNS rejects", () => {
    expect(snsSubject("Überprüfung – web-1\nprod ✅")).toBe("Uberprufung - web-1 prod");
  });
});
