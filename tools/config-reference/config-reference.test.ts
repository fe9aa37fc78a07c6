import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configurationReference, REFERENCE_FILE } from "../config-reference.js";

describe("docs/configuration-reference.md", () => {
  const generated = configurationReference();

  it("is what the schema says now (npm run config-reference writes it)", () => {
    expect(readFileSync(REFERENCE_FILE, "utf8")).toBe(generated);
  });

  it("describes every field", () => {
    const rows = generated.split("\n").filter((line) => line.startsWith("| `"));
    expect(rows.length).toBeGreaterThan(100);
    // a description says what the field is; a stated default alone does not
    expect(rows.filter((row) => /\|\s*(Default:[^|]*)?\|$/.test(row))).toEqual([]);
  });

  it("shows types, defaults and what is required as the schema has them", () => {
    expect(generated).toContain("| `logs.outputRetentionDays` | integer 1–3650 | `365` | Days Run Command output is kept in the central bucket. |");
    expect(generated).toContain("| `namePrefix` | string | required |");
    expect(generated).toContain(
      '| `maintenanceWindows[].cutoffBehavior` | "CONTINUE_TASK" \\| "CANCEL_TASK" | `"CANCEL_TASK"` | What a running task does at the cutoff. |',
    );
  });
});
