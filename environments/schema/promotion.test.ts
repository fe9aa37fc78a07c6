import { describe, expect, it } from "vitest";
import { problemsAfter } from "../../test/support/config.js";

describe("days an environment waits after the previous one (minDaysAfterPrevious)", () => {
  it("is optional and accepts 0-180 on every environment after the first", () => {
    expect(problemsAfter((d) => delete d.environments.prod.minDaysAfterPrevious)).toEqual([]);
    expect(
      problemsAfter((d) => {
        d.environments.preprod.minDaysAfterPrevious = 0;
        d.environments.prod.minDaysAfterPrevious = 180;
      }),
    ).toEqual([]);
  });

  it.each([-1, 181, 2.5, "7"])("rejects %j", (days) => {
    expect(problemsAfter((d) => (d.environments.prod.minDaysAfterPrevious = days))).toEqual([
      typeof days === "number"
        ? `prod.minDaysAfterPrevious: ${days} is not a number of days: a whole number from 0 to 180`
        : 'prod.minDaysAfterPrevious: "7" is not a number',
    ]);
  });

  it("rejects it on the first environment of the promotion order", () => {
    expect(problemsAfter((d) => (d.environments.dev.minDaysAfterPrevious = 1))).toEqual([
      "dev.minDaysAfterPrevious: 1 has no environment to wait for: dev is first in dev → preprod → prod",
    ]);
  });

  it("follows the configured order, not the order of the files", () => {
    expect(
      problemsAfter((d) => {
        d.org.promotionOrder = ["preprod", "dev", "prod"];
        d.environments.dev.approveAfterDays = 7;
        d.environments.preprod.minDaysAfterPrevious = 2;
      }),
    ).toEqual(["preprod.minDaysAfterPrevious: 2 has no environment to wait for: preprod is first in preprod → dev → prod"]);
  });
});
