import { describe, expect, it } from "vitest";
import { emergencyRunId, nextEmergencySequence, percent, RUN_ID_PATTERN } from "./emergency-patch.js";
import { COMMAND_COMMENT_MAX_CHARS, emergencyCommandComment } from "./patch-command-comment.js";

describe("an emergency run's id", () => {
  it("is the environment, the UTC hour and a sequence: the same for two starts of the same hour, so that Step Functions starts one", () => {
    const id = emergencyRunId("prod", new Date("2027-03-04T08:59:59.123Z"), 1);
    expect(id).toBe("prod-20270304T08Z-1");
    expect(emergencyRunId("prod", new Date("2027-03-04T08:00:00Z"), 1)).toBe(id);
    expect(RUN_ID_PATTERN.test(id)).toBe(true);
  });

  it("counts on from the environment's runs of the same hour only", () => {
    const now = new Date("2027-03-04T08:30:00Z");
    expect(nextEmergencySequence("prod", now, [])).toBe(1);
    expect(
      nextEmergencySequence("prod", now, ["prod-20270304T08Z-1", "prod-20270304T08Z-2", "prod-20270304T07Z-5", "dev-20270304T08Z-7", "preprod-20270304T08Z-3"]),
    ).toBe(3);
    // a name of the old form (a second and 4 hex) is not this hour's sequence
    expect(nextEmergencySequence("prod", now, ["prod-20270304T083000Z-1a2b"])).toBe(1);
  });

  it("of the longest environment name fits the run's commands' comment", () => {
    const id = emergencyRunId("p".repeat(16), new Date("2027-03-04T08:00:00Z"), 9999);
    expect(emergencyCommandComment(id).length).toBeLessThanOrEqual(COMMAND_COMMENT_MAX_CHARS);
  });
});

describe("percentages in messages", () => {
  it.each([
    [7, "7 %"],
    [100 / 30, "3.3 %"],
    [0, "0 %"],
    [12.55, "12.6 %"],
  ])("%d → %s", (value, text) => {
    expect(percent(value)).toBe(text);
  });
});
