import { describe, expect, it } from "vitest";
import { exampleWith, problemsAfter } from "../../test/support/config.js";
import { parseOrgConfig } from "./index.js";

describe("the run history's settings", () => {
  it.each([1, 366, 2.5])("rejects a trend of %s runs (2 to 365: this run and at least the one before)", (value) => {
    expect(problemsAfter((d) => (d.org.compliance.trendRuns = value))).toEqual([
      `org.compliance.trendRuns: ${value} is not a number of runs: a whole number from 2 to 365`,
    ]);
  });

  it.each([29, 3651, 400.5])("rejects a history retention of %s days", (value) => {
    expect(problemsAfter((d) => (d.org.compliance.historyRetentionDays = value))).toEqual([
      `org.compliance.historyRetentionDays: ${value} is not a retention in days: a whole number from 30 to 3650`,
    ]);
  });

  it("takes a trend and a retention at their bounds", () => {
    const config = parseOrgConfig(
      exampleWith((d) => {
        d.org.compliance.trendRuns = 365;
        d.org.compliance.historyRetentionDays = 30;
      }),
    );
    expect([config.org.compliance.trendRuns, config.org.compliance.historyRetentionDays]).toEqual([365, 30]);
    expect(parseOrgConfig(exampleWith((d) => (d.org.compliance.trendRuns = 2))).org.compliance.trendRuns).toBe(2);
  });
});
